//! Renderers: one file per output format.

pub mod human;
pub mod policy_error;
pub mod rules;

//! Renderers: one file per output format.

pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod map;
pub mod markup;
pub mod policy_error;
pub mod review;
pub mod rules;
pub mod sarif;

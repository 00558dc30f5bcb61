//! peerlint: a checker for bylaws and contracts written in the charter language.

pub mod check;
pub mod cli;
pub mod commands;
pub mod config;
pub mod diagnostic;
pub mod generate;
pub mod input;
pub mod model;
pub mod policy;
pub mod report;
pub mod score;
pub mod span;
pub mod suggest;
pub mod syntax;

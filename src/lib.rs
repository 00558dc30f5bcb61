//! peerlint: a checker for bylaws and contracts written in the charter language.

// pest's generated parsers name `alloc` when pest is built without its `std` feature,
// which we leave off: its stack probe on every rule costs a tenth of parse time, and
// nesting is bounded before pest runs (syntax::chunk, policy::expr).
extern crate alloc;

pub mod annotation;
pub mod baseline;
pub mod check;
pub mod cli;
pub mod commands;
pub mod config;
pub mod diagnostic;
pub mod expect;
pub mod fix;
pub mod format;
pub mod generate;
pub mod input;
pub mod lines;
pub mod lsp;
pub mod model;
pub mod policy;
pub mod report;
pub mod score;
pub mod span;
pub mod suggest;
pub mod suppress;
pub mod syntax;

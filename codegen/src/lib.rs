//! Build-time code generation for `seqera-tower`.
//!
//! Shared by the crate's `build.rs` and by `cargo xtask refresh-spec`, so a
//! schema a developer refreshes is checked by exactly the code that builds it:
//!
//! 1. [`load`] reads the schema (YAML or JSON) into a JSON value;
//! 2. [`rules`] normalises it with small named rules about constructs;
//! 3. [`generate`] runs progenitor and [`postprocess`] adapts its output to
//!    the crate's hand-written layer.

pub mod conformance;
pub mod generate;
pub mod load;
pub mod postprocess;
pub mod rules;

pub use generate::{Generated, Target, generate};

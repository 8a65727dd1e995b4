//! Developer tasks for the `seqera-tower` workspace, run as `cargo xtask <task>`.
//!
//! `refresh-spec` fetches a newer Seqera Platform schema, checks that the
//! crate's own build (normalisation and code generation, shared through the
//! `seqera-tower-codegen` crate) accepts it, reports what changed for SDK
//! users, and replaces `openapi.yaml` atomically.
//!
//! * [`source`]: downloading or reading the new schema;
//! * [`diff`]: the report, a pure function of two parsed schemas;
//! * [`write`]: the atomic replacement of the schema file;
//! * [`refresh`]: the task itself.

#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod diff;
pub mod refresh;
pub mod source;
pub mod write;

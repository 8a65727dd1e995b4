//! # seqera-tower
//!
//! A Rust SDK for the [Seqera Platform](https://seqera.io) API (formerly
//! Nextflow Tower): launch, watch and manage Nextflow pipelines from Rust.
//!
//! Every operation of the platform's OpenAPI schema is a method on
//! [`Client`], named after its `operationId` in snake case, in builder style.
//! The whole surface is generated at build time from the schema the crate
//! ships (version [`API_VERSION`]), with a thin hand-written layer around it:
//! bearer-token injection, the `Accept-Version` header, a client-side
//! throttle (20 calls per second per token by default), retries that never
//! resend a launch, and one [`Error`] type for every failure.
//!
//! ```no_run
//! use seqera_tower::Client;
//!
//! #[tokio::main]
//! async fn main() -> Result<(), seqera_tower::Error> {
//!     // TOWER_ACCESS_TOKEN, TOWER_API_ENDPOINT, TOWER_WORKSPACE_ID, as tw reads them.
//!     let client = Client::from_env()?;
//!
//!     let runs = client.list_workflows().workspace_id(1234).max(10).send().await?;
//!     for item in &runs.workflows {
//!         if let Some(run) = &item.workflow {
//!             println!("{:?} {:?} {:?}", run.id, run.run_name, run.status);
//!         }
//!     }
//!
//!     let run = client.describe_workflow().workflow_id("4Bm6vQeEtGc3hA").workspace_id(1234).send().await?;
//!     println!("{:?}", run.workflow);
//!     Ok(())
//! }
//! ```
//!
//! ## Layout
//!
//! | module | what it holds |
//! |---|---|
//! | [`types`] | request and response types, named as in the schema |
//! | [`builder`] | one builder per operation (what `client.<operation>()` returns) |
//! | [`Client`], [`ClientBuilder`] | configuration, token, headers, throttle, retries |
//! | [`Error`] | every failure, mapped by kind |
//! | [`throttle`], [`retry`] | the rate limit and the retry policy |
//! | [`multipart`] | upload bodies (datasets, avatars) |
//! | [`OPERATIONS`] | every operation of the schema and its method |
//!
//! ## How the schema becomes this crate
//!
//! `build.rs` reads `openapi.yaml`, normalises it with small named rules
//! (multipart bodies, mixed error responses, nullable parameters,
//! discriminated unions, free-form and comma-separated query arrays), runs
//! progenitor and post-processes its output so that every `send()` goes
//! through the layer and returns [`Error`]. `cargo xtask refresh-spec`
//! updates the schema and reports what changed.
#![cfg_attr(docsrs, feature(doc_cfg))]
#![warn(missing_docs)]

pub mod auth;
mod client;
pub mod config;
mod decode;
pub mod error;
mod generated;
#[doc(hidden)]
pub mod lenient;
#[cfg(feature = "mock")]
#[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
pub mod mock;
pub mod multipart;
mod operations;
pub mod pagination;
#[doc(hidden)]
pub mod query;
pub mod retry;
pub mod runs;
pub mod throttle;
mod workspaces;

pub use auth::AccessToken;
pub use client::{ClientBuilder, Inner, install_crypto_provider};
pub use error::{ApiError, Error};
pub use generated::{ByteStream, Client, ResponseValue, builder, types};
pub use operations::{API_VERSION, OPERATIONS, Operation};
pub use retry::RetryPolicy;
pub use throttle::Throttle;

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
//! | [`pagination`] | `stream()` on every paginated list operation |
//! | [`runs`] | `client.launch(..)`, `client.wait_for_workflow(..)` |
//! | `mock` (feature `mock`) | typed httpmock helpers for your tests |
//! | [`OPERATIONS`] | every operation of the schema and its method |
//!
//! ## How the schema becomes this crate
//!
//! `build.rs` reads `openapi.yaml`, normalises it with small named rules
//! (multipart bodies, mixed error responses, nullable parameters,
//! discriminated unions, free-form and comma-separated query arrays, and the
//! decoding rules below), runs progenitor and post-processes its output so
//! that every `send()` goes through the layer and returns [`Error`].
//! `cargo xtask refresh-spec` updates the schema and reports what changed.
//!
//! ## Decoding what servers really send
//!
//! Real servers do not follow their schema, so response types are lenient
//! where the schema is strict, and requests stay as strict as the schema:
//!
//! * every response field is optional (`Option`, or an empty collection);
//!   `null` is the same as absent, also for array items and map values;
//! * numbers and booleans sent as strings (`"exit": "0"`) are read as such;
//!   a value that cannot be read as its type is `None` rather than an error;
//! * string enums have an `Other(String)` variant for values the schema does
//!   not list, written back unchanged;
//! * discriminated unions (`ComputeConfig`…) decode by their tag into their
//!   own variant, with `Other(serde_json::Value)` for unknown tags;
//! * fields the schema does not declare are kept in each struct's `extra`
//!   map and written back, so describe → change → update loses nothing;
//! * date-times keep the offset they were sent with.
//!
//! A body that still cannot be decoded (not JSON at all) is an
//! [`Error::Decode`] naming the operation, the status, the failing path and
//! the start of the body.
//!
//! ## Testing code that uses the SDK
//!
//! With the `mock` feature, every operation is also a method on
//! `httpmock::MockServer`, generated from the same schema: the route is
//! named by its operation, parameters are matched by type, and answers are
//! the schema's types, so a mock cannot drift from the API.
//!
//! ```no_run
//! # #[cfg(feature = "mock")]
//! # async fn example() -> Result<(), seqera_tower::Error> {
//! use seqera_tower::mock::MockServerExt;
//! use seqera_tower::types;
//!
//! let server = httpmock::MockServer::start_async().await;
//! let describe = server.describe_workflow(|when, then| {
//!     when.workflow_id("4Bm6vQeEtGc3hA").workspace_id(1234);
//!     then.ok(&types::DescribeWorkflowResponse {
//!         workflow: Some(types::WorkflowMaxDbDto {
//!             status: Some(types::WorkflowStatus::Succeeded),
//!             ..Default::default()
//!         }),
//!         ..Default::default()
//!     });
//! });
//! let client = seqera_tower::Client::builder()
//!     .endpoint(server.base_url())
//!     .token("test-token")
//!     .workspace_id(1234)
//!     .build()?;
//! let run = client.describe_workflow().workflow_id("4Bm6vQeEtGc3hA").send().await?;
//! let status = run.workflow.as_ref().and_then(|w| w.status.clone());
//! assert_eq!(status, Some(types::WorkflowStatus::Succeeded));
//! describe.assert();
//! # Ok(())
//! # }
//! ```
//!
//! Error paths take the raw httpmock responder:
//! `then.into_inner().status(403)`.
//!
//! The crate's own tests call every operation, with arguments synthesised
//! from the schema, against [Prism](https://github.com/stoplightio/prism)
//! serving the same schema, which finds no violation in any request
//! (`tests/conformance.rs`).
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

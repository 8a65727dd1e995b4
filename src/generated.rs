//! The code progenitor generates from `openapi.yaml` at build time (see
//! `build.rs` and the `seqera-tower-codegen` crate), kept apart from the
//! hand-written layer. Its public items are re-exported at the crate root:
//! [`crate::Client`], [`crate::types`] and [`crate::builder`].

#![allow(
    clippy::all,
    clippy::pedantic,
    missing_docs,
    rustdoc::bare_urls,
    rustdoc::broken_intra_doc_links,
    rustdoc::invalid_html_tags,
    rustdoc::invalid_rust_codeblocks,
    unused_imports,
    unused_mut,
    irrefutable_let_patterns
)]

include!(concat!(env!("OUT_DIR"), "/seqera_api.rs"));

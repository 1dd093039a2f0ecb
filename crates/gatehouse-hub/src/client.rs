//! A small HTTP/1.1 client for talking to a running hub (`gatehouse import --url`) and for the
//! socket tests: multipart bodies, `Authorization: Token`, JSON responses. Plain `http://` only.

use http_body_util::{BodyExt, Full};
use hyper::Request;
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use serde_json::Value;
use tokio::net::TcpStream;

/// Why a request to a hub failed before an HTTP response arrived.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error(
        "`{0}` is not a supported hub URL: use http://HOST:PORT (TLS belongs to a proxy in front of the hub)"
    )]
    Url(String),
    #[error("connecting to {0}: {1}")]
    Connect(String, std::io::Error),
    #[error("HTTP: {0}")]
    Http(#[from] hyper::Error),
    #[error("building the request: {0}")]
    Request(#[from] hyper::http::Error),
}

/// A `multipart/form-data` body.
#[derive(Debug, Clone)]
pub struct MultipartBody {
    boundary: String,
    body: Vec<u8>,
}

impl Default for MultipartBody {
    fn default() -> Self {
        MultipartBody {
            boundary: "gatehouse-boundary-7d1b2c5e9f".to_owned(),
            body: Vec::new(),
        }
    }
}

impl MultipartBody {
    pub fn text(mut self, name: &str, value: &str) -> Self {
        self.body.extend(
            format!(
                "--{}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n",
                self.boundary
            )
            .as_bytes(),
        );
        self
    }

    pub fn file(mut self, name: &str, file_name: &str, bytes: &[u8]) -> Self {
        self.body.extend(
            format!(
                "--{}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\n\
                 Content-Type: application/octet-stream\r\n\r\n",
                self.boundary
            )
            .as_bytes(),
        );
        self.body.extend(bytes);
        self.body.extend(b"\r\n");
        self
    }

    pub fn content_type(&self) -> String {
        format!("multipart/form-data; boundary={}", self.boundary)
    }

    pub fn finish(mut self) -> Vec<u8> {
        self.body
            .extend(format!("--{}--\r\n", self.boundary).as_bytes());
        self.body
    }
}

/// A response: status and body parsed as JSON (`Value::String` when it is not JSON).
#[derive(Debug, Clone)]
pub struct HubResponse {
    pub status: u16,
    pub body: Value,
}

/// Sends one request. `base` is `http://HOST:PORT`; `path` starts with `/`.
pub async fn send(
    base: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Vec<u8>,
) -> Result<HubResponse, ClientError> {
    let rest = base
        .strip_prefix("http://")
        .ok_or_else(|| ClientError::Url(base.to_owned()))?;
    let (authority, prefix) = match rest.split_once('/') {
        Some((a, p)) => (a, format!("/{}", p.trim_end_matches('/'))),
        None => (rest, String::new()),
    };
    let prefix = if prefix == "/" { String::new() } else { prefix };
    let address = if authority.contains(':') {
        authority.to_owned()
    } else {
        format!("{authority}:80")
    };
    let stream = TcpStream::connect(&address)
        .await
        .map_err(|e| ClientError::Connect(address.clone(), e))?;
    let (mut sender, connection) =
        hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
    let driver = tokio::spawn(connection);
    let mut request = Request::builder()
        .method(method)
        .uri(format!("{prefix}{path}"))
        .header("host", authority)
        .header("accept", "application/json");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = sender
        .send_request(request.body(Full::new(Bytes::from(body)))?)
        .await?;
    let status = response.status().as_u16();
    let bytes = response.into_body().collect().await?.to_bytes();
    driver.abort();
    let body = serde_json::from_slice(&bytes)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
    Ok(HubResponse { status, body })
}

/// Posts a multipart form to `path` with `Authorization: Token <token>` when given.
pub async fn post_form(
    base: &str,
    path: &str,
    token: Option<&str>,
    form: MultipartBody,
) -> Result<HubResponse, ClientError> {
    let content_type = form.content_type();
    let auth = token.map(|t| format!("Token {t}"));
    let mut headers = vec![("content-type", content_type.as_str())];
    if let Some(auth) = auth.as_deref() {
        headers.push(("authorization", auth));
    }
    send(base, "POST", path, &headers, form.finish()).await
}

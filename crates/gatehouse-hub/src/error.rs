//! `HubError`: why an import or a query failed, mapped to DefectDojo's status codes by the API.

use serde_json::Value;

#[derive(Debug, thiserror::Error)]
pub enum HubError {
    /// The request is wrong (unknown product, bad field…); the body is DefectDojo's error JSON.
    #[error("{message}")]
    BadRequest { message: String, body: Value },
    /// The report could not be parsed; nothing was written.
    #[error("{0}")]
    Report(String),
    /// The object named in the path does not exist (DRF's 404 `{"detail": "Not found."}`).
    #[error("{0} not found")]
    NotFound(String),
    /// The database refused or failed.
    #[error("database: {0}")]
    Database(String),
}

impl HubError {
    /// A DefectDojo-style context error: a bare JSON list of strings.
    pub fn context(message: impl Into<String>) -> Self {
        let message = message.into();
        HubError::BadRequest {
            body: Value::from(vec![message.clone()]),
            message,
        }
    }

    /// A DefectDojo-style field error: `{"field": ["…"], "message": "…"}`.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        let mut body = serde_json::Map::new();
        body.insert(field.to_owned(), Value::from(vec![message.clone()]));
        body.insert(
            "message".to_owned(),
            Value::from(format!(
                "{{'{field}': [ErrorDetail(string='{message}', code='invalid')]}}"
            )),
        );
        HubError::BadRequest {
            message: format!("{field}: {message}"),
            body: Value::Object(body),
        }
    }
}

impl From<sqlx::Error> for HubError {
    fn from(e: sqlx::Error) -> Self {
        HubError::Database(e.to_string())
    }
}

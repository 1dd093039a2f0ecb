//! API tokens: 40-hex keys shown once, stored only as SHA-256.

use chrono::Utc;
use sha2::{Digest, Sha256};

use crate::HubError;
use crate::store::Store;

fn digest(key: &str) -> String {
    hex::encode(Sha256::digest(key.as_bytes()))
}

impl Store {
    /// Creates a token for `user` and returns the key (the only time it is available).
    pub async fn create_token(&self, user: &str) -> Result<String, HubError> {
        let mut bytes = [0u8; 20];
        getrandom::fill(&mut bytes)
            .map_err(|e| HubError::Database(format!("OS random source: {e}")))?;
        let key = hex::encode(bytes);
        let now = Utc::now();
        let mut tx = self.db().begin().await?;
        let id = tx
            .insert_id(
                "INSERT INTO api_tokens (user_name, key_hash, key_prefix, created) \
                 VALUES ($1, $2, $3, $4) RETURNING id",
                &[
                    user.into(),
                    digest(&key).into(),
                    key.get(..6).unwrap_or_default().into(),
                    now.into(),
                ],
            )
            .await?;
        crate::store::write::audit(
            &mut tx,
            user,
            "token.create",
            ("api_token", id),
            serde_json::json!({}),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(key)
    }

    /// The user a key belongs to, if any.
    pub async fn authenticate(&self, key: &str) -> Result<Option<String>, HubError> {
        let rows = self
            .db()
            .fetch_all(
                "SELECT user_name FROM api_tokens WHERE key_hash = $1",
                &[digest(key).into()],
            )
            .await?;
        match rows.first() {
            Some(row) => Ok(Some(row.text("user_name")?)),
            None => Ok(None),
        }
    }
}

//! Platforms (`os/architecture[/variant]`) and their choice among an image index's manifests.

use serde_json::Value;

/// A platform to pick from a multi-platform image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Platform {
    /// `linux`, `windows`, ...
    pub os: String,
    /// `amd64`, `arm64`, ...
    pub architecture: String,
    /// `v8`, `v7`, ... when it matters.
    pub variant: Option<String>,
}

impl Default for Platform {
    /// `linux/amd64`.
    fn default() -> Self {
        Self {
            os: "linux".into(),
            architecture: "amd64".into(),
            variant: None,
        }
    }
}

impl std::str::FromStr for Platform {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let parts: Vec<&str> = s.split('/').collect();
        match parts.as_slice() {
            [os, arch] if !os.is_empty() && !arch.is_empty() => Ok(Self {
                os: (*os).to_owned(),
                architecture: (*arch).to_owned(),
                variant: None,
            }),
            [os, arch, variant] if !os.is_empty() && !arch.is_empty() && !variant.is_empty() => {
                Ok(Self {
                    os: (*os).to_owned(),
                    architecture: (*arch).to_owned(),
                    variant: Some((*variant).to_owned()),
                })
            }
            _ => Err(format!(
                "`{s}` is not a platform; expected os/architecture[/variant], e.g. linux/amd64"
            )),
        }
    }
}

impl std::fmt::Display for Platform {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.os, self.architecture)?;
        if let Some(v) = &self.variant {
            write!(f, "/{v}")?;
        }
        Ok(())
    }
}

impl Platform {
    fn of(entry: &Value) -> Option<Self> {
        let p = entry.get("platform")?;
        Some(Self {
            os: p.get("os")?.as_str()?.to_owned(),
            architecture: p.get("architecture")?.as_str()?.to_owned(),
            variant: p.get("variant").and_then(Value::as_str).map(str::to_owned),
        })
    }

    /// The digest of the first entry of an index's `manifests` for this platform (a variant is
    /// compared only when asked for), or the platforms available.
    pub fn choose(&self, index: &Value) -> Result<String, Vec<String>> {
        let entries = index
            .get("manifests")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let mut seen = Vec::new();
        for e in entries {
            let Some(p) = Self::of(e) else { continue };
            let variant_ok = self.variant.is_none() || self.variant == p.variant;
            if p.os == self.os && p.architecture == self.architecture && variant_ok {
                if let Some(d) = e.get("digest").and_then(Value::as_str) {
                    return Ok(d.to_owned());
                }
            }
            seen.push(p.to_string());
        }
        Err(seen)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_platform() {
        let index = serde_json::json!({"manifests": [
            {"digest": "sha256:a", "platform": {"os": "linux", "architecture": "arm64", "variant": "v8"}},
            {"digest": "sha256:b", "platform": {"os": "linux", "architecture": "amd64"}},
            {"digest": "sha256:c", "platform": {"os": "unknown", "architecture": "unknown"}},
        ]});
        assert_eq!(Platform::default().choose(&index), Ok("sha256:b".into()));
        let arm: Platform = "linux/arm64/v8".parse().unwrap();
        assert_eq!(arm.choose(&index), Ok("sha256:a".into()));
        let s390: Platform = "linux/s390x".parse().unwrap();
        assert_eq!(s390.choose(&index).unwrap_err().len(), 3);
        assert!("linux".parse::<Platform>().is_err());
    }
}

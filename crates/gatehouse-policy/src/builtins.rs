//! Conftest's custom Rego builtins: `parse_config`, `parse_config_file` and
//! `parse_combined_config_files`, registered as regorus extensions.

use std::path::{Path, PathBuf};

use anyhow::anyhow;
use regorus::Value;

use crate::error::PolicyError;
use crate::parser::{self, Parser};

/// Registers the builtins. Relative paths given to `parse_config_file` are resolved against the
/// working directory first, then against each policy directory (Conftest resolves them relative to
/// the calling module, which regorus does not expose).
pub(crate) fn register(
    engine: &mut regorus::Engine,
    policy_dirs: Vec<PathBuf>,
) -> Result<(), PolicyError> {
    let fail = |e: anyhow::Error| PolicyError::Usage(format!("registering builtins: {e}"));
    engine
        .add_extension(
            "parse_config".to_string(),
            2,
            Box::new(|args: Vec<Value>| {
                let [name, text] = two(args)?;
                let parser = Parser::from_name(name.as_string()?.as_ref())
                    .map_err(|e| anyhow!("parse_config: {e}"))?;
                let text = text.as_string()?;
                let value = parser::parse(parser, "parse_config", text.as_bytes())
                    .map_err(|e| anyhow!("parse_config: {e}"))?;
                Ok(Value::from(value))
            }),
        )
        .map_err(fail)?;
    let dirs = policy_dirs.clone();
    engine
        .add_extension(
            "parse_config_file".to_string(),
            1,
            Box::new(move |args: Vec<Value>| {
                let path = args
                    .first()
                    .ok_or_else(|| anyhow!("parse_config_file: expected a path"))?
                    .as_string()?
                    .to_string();
                Ok(Value::from(parse_file(&resolve(&path, &dirs))?))
            }),
        )
        .map_err(fail)?;
    let dirs = policy_dirs;
    engine
        .add_extension(
            "parse_combined_config_files".to_string(),
            1,
            Box::new(move |args: Vec<Value>| {
                let list = args
                    .first()
                    .ok_or_else(|| anyhow!("parse_combined_config_files: expected an array"))?
                    .as_array()?
                    .clone();
                let mut parsed = Vec::new();
                for item in list.iter() {
                    let path = item.as_string()?.to_string();
                    let value = parse_file(&resolve(&path, &dirs))?;
                    parsed.push((path, value));
                }
                Ok(Value::from(crate::conftest::inputs::combine(parsed)))
            }),
        )
        .map_err(fail)?;
    Ok(())
}

fn two(args: Vec<Value>) -> anyhow::Result<[Value; 2]> {
    args.try_into()
        .map_err(|_| anyhow!("expected two arguments"))
}

fn resolve(path: &str, dirs: &[PathBuf]) -> PathBuf {
    let p = Path::new(path);
    if p.is_absolute() || p.exists() {
        return p.to_path_buf();
    }
    dirs.iter()
        .map(|d| d.join(p))
        .find(|c| c.exists())
        .unwrap_or_else(|| p.to_path_buf())
}

fn parse_file(path: &Path) -> anyhow::Result<serde_json::Value> {
    let parser =
        Parser::detect(path).ok_or_else(|| anyhow!("{}: unknown parser", path.display()))?;
    let bytes = std::fs::read(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => {
            anyhow!("open {}: no such file or directory", path.display())
        }
        _ => anyhow!("open {}: {e}", path.display()),
    })?;
    Ok(parser::parse(parser, &path.display().to_string(), &bytes)?)
}

//! Conftest-style configuration: flags beat `CONFTEST_*` environment variables (handled by clap),
//! which beat keys of `conftest.toml` in the working directory (or the file given with `-c`).

use std::path::Path;

use anyhow::{Context, bail};
use clap::ArgMatches;
use clap::parser::ValueSource;

/// The parsed configuration file, if there is one.
pub struct ConfigFile {
    table: toml::Table,
}

impl ConfigFile {
    /// Reads `explicit` if given (it must exist), else `conftest.toml` if present.
    pub fn load(explicit: Option<&Path>) -> anyhow::Result<Option<Self>> {
        let path = match explicit {
            Some(p) => p.to_path_buf(),
            None => {
                let p = Path::new("conftest.toml");
                if !p.exists() {
                    return Ok(None);
                }
                p.to_path_buf()
            }
        };
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading config file {}", path.display()))?;
        let table: toml::Table = match text.parse() {
            Ok(t) => t,
            Err(e) => {
                let (line, column) = e.span().map(|s| line_col(&text, s.start)).unwrap_or((0, 0));
                bail!(
                    "{}:{line}:{column}: invalid configuration: {}",
                    path.display(),
                    e.message()
                )
            }
        };
        Ok(Some(ConfigFile { table }))
    }

    fn get(&self, key: &str) -> Option<&toml::Value> {
        self.table
            .get(key)
            .or_else(|| self.table.get(&key.replace('-', "_")))
    }
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
    (line, column)
}

/// Applies configuration-file values to arguments the user did not set on the command line or
/// through the environment.
pub struct Layer<'a> {
    pub matches: Option<&'a ArgMatches>,
    pub file: Option<&'a ConfigFile>,
}

impl Layer<'_> {
    fn unset(&self, id: &str) -> bool {
        let source = self
            .matches
            .and_then(|m| m.try_get_raw(id).ok().flatten().and(m.value_source(id)));
        !matches!(
            source,
            Some(ValueSource::CommandLine | ValueSource::EnvVariable)
        )
    }

    fn value(&self, id: &str) -> Option<&toml::Value> {
        if !self.unset(id) {
            return None;
        }
        self.file?.get(id)
    }

    pub fn strings(&self, id: &str, target: &mut Vec<String>) {
        match self.value(id) {
            Some(toml::Value::String(s)) => *target = vec![s.clone()],
            Some(toml::Value::Array(items)) => {
                *target = items
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            }
            _ => {}
        }
    }

    pub fn string(&self, id: &str, target: &mut Option<String>) {
        if let Some(toml::Value::String(s)) = self.value(id) {
            *target = Some(s.clone());
        }
    }

    pub fn flag(&self, id: &str, target: &mut bool) {
        if let Some(toml::Value::Boolean(b)) = self.value(id) {
            *target = *b;
        }
    }
}

//! The Rego engine: loads modules (Rego v0 or v1), data documents and Conftest's custom builtins
//! into `regorus`, with explicit time and memory limits, and describes what it loaded.

use std::num::NonZeroU32;
use std::path::{Path, PathBuf};
use std::time::Duration;

use regorus::utils::limits::ExecutionTimerConfig;
use serde_json::Value as Json;

use crate::error::{PolicyError, rego_error};
use crate::modules::{self, ModuleInfo};
use crate::parser::{self, Parser};

/// Which Rego dialect modules are parsed as.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RegoVersion {
    V0,
    V1,
    /// Rego v1, except that modules which only parse as v0 are run as v0 with a warning.
    #[default]
    Auto,
}

impl RegoVersion {
    /// `--rego-version` values: `v0`, `v1` (any case).
    pub fn from_flag(value: &str) -> Result<Self, PolicyError> {
        match value.to_ascii_lowercase().as_str() {
            "v0" => Ok(RegoVersion::V0),
            "v1" => Ok(RegoVersion::V1),
            _ => Err(PolicyError::Usage(format!(
                "invalid Rego version: {value} (use v0 or v1)"
            ))),
        }
    }
}

/// Evaluation limits and compiler switches.
#[derive(Clone, Debug)]
pub struct EngineOptions {
    pub rego_version: RegoVersion,
    /// Wall-clock limit per query; `None` = unlimited.
    pub timeout: Option<Duration>,
    /// Process-wide evaluation memory budget in bytes; `None` = unlimited.
    pub memory_limit: Option<u64>,
    /// OPA's strict mode: unused assigned variables and function arguments are errors.
    pub strict: bool,
    /// An OPA capabilities file restricting the builtins policies may call.
    pub capabilities: Option<PathBuf>,
    /// Builtin errors abort evaluation instead of making the expression undefined.
    pub show_builtin_errors: bool,
}

impl Default for EngineOptions {
    fn default() -> Self {
        EngineOptions {
            rego_version: RegoVersion::Auto,
            timeout: Some(Duration::from_secs(60)),
            memory_limit: None,
            strict: false,
            capabilities: None,
            show_builtin_errors: false,
        }
    }
}

/// Compiled policies plus data, ready to be cloned into one evaluator per thread.
#[derive(Clone)]
pub struct Policies {
    engine: regorus::Engine,
    pub modules: Vec<ModuleInfo>,
    /// Warnings for the user (e.g. v0 modules run without `--rego-version v0`).
    pub warnings: Vec<String>,
    /// `(file, source)` of every module, for trace and report lines.
    sources: Vec<(String, String)>,
    memory_limit: Option<u64>,
    builtin_errors: bool,
}

impl Policies {
    /// Loads every `.rego` file under `policy_paths` (recursively) and every JSON/YAML document under
    /// `data_paths`. Errors if no module is found.
    pub fn load(
        policy_paths: &[PathBuf],
        data_paths: &[PathBuf],
        options: &EngineOptions,
    ) -> Result<Self, PolicyError> {
        let mut sources = Vec::new();
        for root in policy_paths {
            collect_rego(root, &mut sources)?;
        }
        if sources.is_empty() {
            return Err(PolicyError::NoPolicies {
                paths: policy_paths
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect(),
            });
        }
        Self::from_sources(sources, data_paths, options)
    }

    /// Builds policies from in-memory `(file name, source)` pairs (the built-in rule library).
    pub fn from_sources(
        mut sources: Vec<(String, String)>,
        data_paths: &[PathBuf],
        options: &EngineOptions,
    ) -> Result<Self, PolicyError> {
        sources.sort();
        sources.dedup_by(|a, b| a.0 == b.0);
        let mut warnings = Vec::new();
        let v0 = match options.rego_version {
            RegoVersion::V0 => true,
            RegoVersion::V1 => false,
            RegoVersion::Auto => {
                let v0_files = modules::v0_only_files(&sources);
                if !v0_files.is_empty() {
                    warnings.push(format!(
                        "{} use{} Rego v0 syntax and {} evaluated as Rego v0; pass --rego-version v0 to say so, or migrate to v1 (`opa fmt --v0-v1`)",
                        v0_files.join(", "),
                        if v0_files.len() == 1 { "s" } else { "" },
                        if v0_files.len() == 1 { "was" } else { "were" },
                    ));
                }
                !v0_files.is_empty()
            }
        };

        let mut engine = regorus::Engine::new();
        engine.set_rego_v0(v0);
        engine.set_strict_builtin_errors(options.show_builtin_errors);
        engine.set_gather_prints(true);
        for (file, text) in &sources {
            let text = crate::annotations::inline(file, text);
            engine
                .add_policy(file.clone(), text.into_owned())
                .map_err(|e| rego_error(file, &e))?;
        }
        let modules = modules::describe(&engine)?;
        if !v0 {
            modules::check_problematic_if(&modules)?;
        }
        if options.rego_version == RegoVersion::V0 {
            modules::check_v0_keywords(&modules, &sources)?;
        }
        if options.strict {
            modules::check_strict(&engine)?;
        }
        if let Some(caps) = &options.capabilities {
            modules::check_capabilities(&engine, &modules, caps)?;
        }
        let policy_dirs: Vec<PathBuf> = sources
            .iter()
            .filter_map(|(f, _)| Path::new(f).parent().map(Path::to_path_buf))
            .collect();
        crate::builtins::register(&mut engine, policy_dirs)?;

        for root in data_paths {
            load_data(&mut engine, root)?;
        }
        if let Some(limit) = options.timeout {
            engine.set_execution_timer_config(ExecutionTimerConfig {
                limit,
                check_interval: NonZeroU32::new(256).unwrap_or(NonZeroU32::MIN),
            });
        }
        Ok(Policies {
            engine,
            modules,
            warnings,
            sources,
            memory_limit: options.memory_limit,
            builtin_errors: options.show_builtin_errors,
        })
    }

    /// Every package of every loaded module, sorted, without the `data.` prefix.
    pub fn packages(&self) -> Vec<String> {
        let mut p: Vec<String> = self.modules.iter().map(|m| m.package.clone()).collect();
        p.sort();
        p.dedup();
        p
    }

    /// The text of one line (1-based) of a loaded module.
    pub fn source_line(&self, file: &str, line: usize) -> Option<&str> {
        let (_, text) = self.sources.iter().find(|(f, _)| f == file)?;
        text.lines().nth(line.checked_sub(1)?)
    }

    /// A fresh evaluator sharing the compiled policies.
    pub fn evaluator(&self) -> Evaluator {
        if let Some(limit) = self.memory_limit {
            regorus::set_global_memory_limit(Some(limit));
        }
        Evaluator {
            engine: self.engine.clone(),
            base: self
                .sources
                .iter()
                .any(|(_, text)| text.contains("conftest"))
                .then(|| self.engine.clone()),
            builtin_errors: self.builtin_errors,
        }
    }
}

/// One thread's view of the policies: set the input, evaluate rules, collect `print` output.
pub struct Evaluator {
    engine: regorus::Engine,
    /// The engine before any per-file data, when policies read `data.conftest.file`.
    base: Option<regorus::Engine>,
    /// `--show-builtin-errors`: evaluation errors are reported as OPA's `built-in error`.
    builtin_errors: bool,
}

impl Evaluator {
    pub fn set_input(&mut self, input: Json) {
        self.engine.set_input(regorus::Value::from(input));
    }

    /// Sets an input already in regorus's representation (cheap to clone: shared, not copied).
    pub fn set_input_value(&mut self, input: regorus::Value) {
        self.engine.set_input(input);
    }

    /// Sets `data.conftest.file.name` and `.dir` for the file being evaluated (only when some
    /// policy mentions `conftest`; the engine is reset from a pristine copy for each file).
    pub fn set_file(&mut self, name: &str, dir: &str) -> Result<(), PolicyError> {
        let Some(base) = &self.base else {
            return Ok(());
        };
        self.engine = base.clone();
        let data = serde_json::json!({"conftest": {"file": {"name": name, "dir": dir}}});
        self.engine
            .add_data(regorus::Value::from(data))
            .map_err(|e| PolicyError::Usage(format!("setting data.conftest.file: {e}")))
    }

    /// Evaluates a rule path such as `data.main.deny` (undefined → `Json::Null` is never returned;
    /// undefined is `None`).
    pub fn eval_rule(&mut self, file: &str, path: &str) -> Result<Option<Json>, PolicyError> {
        let value = self
            .engine
            .eval_rule(path.to_string())
            .map_err(|e| self.eval_error(file, path, &e))?;
        if value == regorus::Value::Undefined {
            return Ok(None);
        }
        to_json(&value)
            .map(Some)
            .map_err(|message| PolicyError::Eval {
                file: file.to_string(),
                query: path.to_string(),
                message,
            })
    }

    /// Number of solutions of a query whose expressions are all true.
    pub fn count_true(&mut self, file: &str, query: &str) -> Result<usize, PolicyError> {
        let results = self
            .engine
            .eval_query(query.to_string(), false)
            .map_err(|e| self.eval_error(file, query, &e))?;
        Ok(results
            .result
            .iter()
            .filter(|r| {
                r.expressions
                    .iter()
                    .all(|e| e.value != regorus::Value::Bool(false))
            })
            .count())
    }

    /// `print()` output since the last call, as `file:line: text` lines.
    pub fn take_prints(&mut self) -> Vec<String> {
        self.engine.take_prints().unwrap_or_default()
    }

    /// Turns on line coverage (used to synthesize `--trace`).
    pub fn enable_coverage(&mut self) {
        self.engine.set_enable_coverage(true);
    }

    /// Covered lines per policy file since coverage was enabled, then resets them.
    pub fn take_coverage(&mut self) -> Vec<(String, Vec<u32>)> {
        let report = match self.engine.get_coverage_report() {
            Ok(r) => r,
            Err(_) => return Vec::new(),
        };
        self.engine.clear_coverage_data();
        report
            .files
            .into_iter()
            .map(|f| (f.path, f.covered.into_iter().collect()))
            .collect()
    }

    fn eval_error(&self, file: &str, query: &str, err: &anyhow::Error) -> PolicyError {
        match err.downcast_ref::<regorus::LimitError>() {
            Some(regorus::LimitError::TimeLimitExceeded { limit, .. }) => PolicyError::Timeout {
                file: file.to_string(),
                query: query.to_string(),
                limit_ms: limit.as_millis(),
            },
            Some(regorus::LimitError::MemoryLimitExceeded { limit, .. }) => PolicyError::Memory {
                file: file.to_string(),
                query: query.to_string(),
                limit_mb: limit / (1024 * 1024),
            },
            _ => match rego_error(file, err) {
                PolicyError::Rego {
                    message, position, ..
                } => {
                    let message = match position {
                        Some(p) => format!("{p}: {message}"),
                        None => message,
                    };
                    PolicyError::Eval {
                        file: file.to_string(),
                        query: query.to_string(),
                        message: if self.builtin_errors {
                            format!("built-in error: [{message}]")
                        } else {
                            message
                        },
                    }
                }
                other => other,
            },
        }
    }
}

/// Converts a regorus value to JSON (sets become arrays in regorus's sorted order).
pub(crate) fn to_json(value: &regorus::Value) -> Result<Json, String> {
    serde_json::to_value(value).map_err(|e| e.to_string())
}

/// `root` itself when it is a file, else every file below it (links followed, sorted by name).
fn files_under(root: &Path) -> Result<Vec<PathBuf>, PolicyError> {
    let meta = std::fs::metadata(root).map_err(|error| PolicyError::Io {
        path: root.to_path_buf(),
        error,
    })?;
    if meta.is_file() {
        return Ok(vec![root.to_path_buf()]);
    }
    Ok(walkdir::WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect())
}

fn collect_rego(root: &Path, out: &mut Vec<(String, String)>) -> Result<(), PolicyError> {
    let files = files_under(root)?;
    for path in files
        .into_iter()
        .filter(|p| p.extension().is_some_and(|x| x == "rego"))
    {
        let text = std::fs::read_to_string(&path).map_err(|source| PolicyError::Io {
            path: path.clone(),
            error: source,
        })?;
        out.push((path.display().to_string(), text));
    }
    Ok(())
}

/// OPA's data loader: each JSON/YAML document lands under its directory path relative to `root`.
fn load_data(engine: &mut regorus::Engine, root: &Path) -> Result<(), PolicyError> {
    let is_dir = root.is_dir();
    for path in files_under(root)? {
        let parser = match path.extension().and_then(|e| e.to_str()) {
            Some("json") => Parser::Json,
            Some("yaml" | "yml") => Parser::Yaml,
            _ => continue,
        };
        let bytes = std::fs::read(&path).map_err(|source| PolicyError::Io {
            path: path.clone(),
            error: source,
        })?;
        let mut value = parser::parse(parser, &path.display().to_string(), &bytes)?;
        if is_dir {
            let rel = path
                .parent()
                .and_then(|p| p.strip_prefix(root).ok())
                .map(Path::to_path_buf)
                .unwrap_or_default();
            let segments: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            for seg in segments.into_iter().rev() {
                value = serde_json::json!({ seg: value });
            }
        }
        if !value.is_object() {
            return Err(PolicyError::Usage(format!(
                "{}: data documents must be objects at the top level",
                path.display()
            )));
        }
        engine
            .add_data(regorus::Value::from(value))
            .map_err(|e| PolicyError::Usage(format!("{}: {e}", path.display())))?;
    }
    Ok(())
}

//! CODEOWNERS: parse GitHub's file and answer "who owns this path?".
//!
//! Syntax as GitHub documents it: one rule per line, a path pattern (see [`crate::pattern`])
//! followed by owners (`@user`, `@org/team` or an e-mail address); `#` starts a comment, at the
//! start of a line or as a separate word after the owners; blank lines are ignored; a pattern
//! without owners makes matching paths unowned. The **last** matching rule wins; owners of
//! earlier rules are not merged in.

use std::fmt;

use crate::Finding;
use crate::pattern::{PathPattern, PatternError};

/// A parsed CODEOWNERS file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CodeOwners {
    rules: Vec<OwnerRule>,
}

/// One non-comment line of a CODEOWNERS file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnerRule {
    /// 1-based line number in the file.
    pub line: usize,
    pub pattern: PathPattern,
    /// In file order; empty means "no owners".
    pub owners: Vec<String>,
}

/// A CODEOWNERS line that cannot be used; `Display` names the line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("CODEOWNERS line {line}: {kind}")]
pub struct CodeOwnersError {
    /// 1-based line number.
    pub line: usize,
    pub kind: CodeOwnersErrorKind,
}

/// What is wrong with a CODEOWNERS line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodeOwnersErrorKind {
    #[error(transparent)]
    Pattern(#[from] PatternError),
    #[error("`{0}` is not an owner: write `@user`, `@org/team` or an e-mail address")]
    InvalidOwner(String),
}

impl CodeOwners {
    /// Parses CODEOWNERS text. The first bad line is reported with its number.
    pub fn parse(text: &str) -> Result<Self, CodeOwnersError> {
        let mut rules = Vec::new();
        for (index, raw_line) in text.lines().enumerate() {
            let line = index + 1;
            let words = split_words(raw_line.trim());
            let Some((pattern, rest)) = words.split_first() else {
                continue;
            };
            if pattern.starts_with('#') {
                continue;
            }
            let error = |kind| CodeOwnersError { line, kind };
            let pattern = PathPattern::new(pattern).map_err(|e| error(e.into()))?;
            let mut owners = Vec::new();
            for word in rest.iter().take_while(|word| !word.starts_with('#')) {
                if !is_owner(word) {
                    return Err(error(CodeOwnersErrorKind::InvalidOwner(word.clone())));
                }
                owners.push(word.clone());
            }
            rules.push(OwnerRule {
                line,
                pattern,
                owners,
            });
        }
        Ok(Self { rules })
    }

    /// The rules in file order.
    pub fn rules(&self) -> &[OwnerRule] {
        &self.rules
    }

    /// The last rule matching `path`, if any.
    pub fn rule_for(&self, path: &str) -> Option<&OwnerRule> {
        self.rules
            .iter()
            .rev()
            .find(|rule| rule.pattern.matches(path))
    }

    /// The owners of `path` (relative, `/`-separated): those of the last matching rule, or none.
    pub fn owners_for(&self, path: &str) -> &[String] {
        self.rule_for(path)
            .map(|rule| rule.owners.as_slice())
            .unwrap_or_default()
    }

    /// Sets `owners` on every finding that has a path and no owners yet.
    pub fn assign(&self, findings: &mut [Finding]) {
        for finding in findings.iter_mut().filter(|f| f.owners.is_empty()) {
            if let Some(path) = &finding.location.path {
                finding.owners = self.owners_for(path).to_vec();
            }
        }
    }
}

impl fmt::Display for OwnerRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.pattern)?;
        for owner in &self.owners {
            write!(f, " {owner}")?;
        }
        Ok(())
    }
}

/// Splits on unescaped whitespace; escapes are kept for the pattern compiler.
fn split_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            current.push(c);
            if let Some(next) = chars.next() {
                current.push(next);
            }
        } else if c.is_whitespace() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
        } else {
            current.push(c);
        }
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// `@user`, `@org/team`, or `local@domain`.
fn is_owner(word: &str) -> bool {
    let valid_name = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
    };
    if let Some(handle) = word.strip_prefix('@') {
        return match handle.split_once('/') {
            Some((org, team)) => valid_name(org) && valid_name(team),
            None => valid_name(handle),
        };
    }
    match word.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.contains('@')
                && !word.contains('/')
        }
        None => false,
    }
}

//! Conftest's rule-name conventions: `deny`/`violation` are failures, `warn` warnings, each with
//! optional `_suffix` parts; `exception` rules exempt rules by suffix.

/// `deny`, `deny_x`, `violation_a_b`: failures.
pub fn is_failure(name: &str) -> bool {
    matches_prefix(name, "deny") || matches_prefix(name, "violation")
}

/// `warn`, `warn_x`: warnings.
pub fn is_warning(name: &str) -> bool {
    matches_prefix(name, "warn")
}

/// Rules whose results Conftest reports.
pub fn is_result_rule(name: &str) -> bool {
    is_failure(name) || is_warning(name)
}

/// The name an `exception` rule uses to exempt this rule: the part after `deny_`, `violation_`
/// or `warn_`, or `""` for the bare names.
pub fn exception_suffix(name: &str) -> &str {
    for prefix in ["deny", "violation", "warn"] {
        if let Some(rest) = name.strip_prefix(prefix) {
            return rest.strip_prefix('_').unwrap_or(rest);
        }
    }
    name
}

/// `^prefix(_[a-zA-Z0-9]+)*$`
fn matches_prefix(name: &str, prefix: &str) -> bool {
    let Some(rest) = name.strip_prefix(prefix) else {
        return false;
    };
    if rest.is_empty() {
        return true;
    }
    let Some(rest) = rest.strip_prefix('_') else {
        return false;
    };
    rest.split('_')
        .all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// Go's `path.Match` as Conftest applies it to namespaces (`.` is an ordinary character, so `*`
/// spans dots): `*`, `?`, `[abc]`, `[a-z]`, `[^a]`, `\` escapes.
pub fn glob_match(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    glob_at(&p, &n)
}

/// True if a namespace flag value is a glob rather than a literal package name.
pub fn is_glob(pattern: &str) -> bool {
    pattern.contains(['*', '?', '['])
}

fn glob_at(p: &[char], n: &[char]) -> bool {
    match p.split_first() {
        None => n.is_empty(),
        Some(('*', rest)) => {
            (0..=n.len()).any(|i| n.get(i..).is_some_and(|tail| glob_at(rest, tail)))
        }
        Some(('?', rest)) => n.split_first().is_some_and(|(_, tail)| glob_at(rest, tail)),
        Some(('[', rest)) => {
            let Some((c, tail)) = n.split_first() else {
                return false;
            };
            let (negate, body) = match rest.split_first() {
                Some(('^', b)) => (true, b),
                _ => (false, rest),
            };
            let Some(close) = body.iter().position(|&x| x == ']') else {
                return false;
            };
            let (class, after) = body.split_at(close);
            let mut hit = false;
            let mut i = 0;
            while let Some(&lo) = class.get(i) {
                if class.get(i + 1) == Some(&'-')
                    && let Some(&hi) = class.get(i + 2)
                {
                    hit |= lo <= *c && *c <= hi;
                    i += 3;
                } else {
                    hit |= lo == *c;
                    i += 1;
                }
            }
            hit != negate && glob_at(after.get(1..).unwrap_or_default(), tail)
        }
        Some(('\\', rest)) => match (rest.split_first(), n.split_first()) {
            (Some((pc, prest)), Some((nc, ntail))) => pc == nc && glob_at(prest, ntail),
            _ => false,
        },
        Some((pc, rest)) => n
            .split_first()
            .is_some_and(|(nc, tail)| pc == nc && glob_at(rest, tail)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_names_follow_conftest() {
        for name in ["deny", "deny_foo", "violation_a_b1", "warn", "warn_x"] {
            assert!(is_result_rule(name), "{name}");
        }
        for name in [
            "denyfoo",
            "deny_",
            "deny__x",
            "warning",
            "exception",
            "deny_foo-bar",
            "Deny",
        ] {
            assert!(!is_result_rule(name), "{name}");
        }
        assert!(is_failure("violation") && !is_failure("warn_x"));
        assert!(is_warning("warn_x") && !is_warning("deny"));
    }

    #[test]
    fn exception_suffixes() {
        assert_eq!(exception_suffix("deny_run_as_root"), "run_as_root");
        assert_eq!(exception_suffix("warn"), "");
        assert_eq!(exception_suffix("violation_x"), "x");
    }

    #[test]
    fn namespace_globs_span_dots() {
        assert!(glob_match("main.*", "main.gke"));
        assert!(glob_match("*", "a.b.c"));
        assert!(glob_match("group?", "group1"));
        assert!(glob_match("group[12]", "group2"));
        assert!(!glob_match("group[^12]", "group2"));
        assert!(glob_match("g[a-c]*", "gb.x"));
        assert!(!glob_match("main", "main.x"));
        assert!(!glob_match("[", "a"));
    }
}

//! SPDX licence identifiers (list 3.28, taken from the CycloneDX `spdx.schema.json` enum) and
//! the expression check both writers use to decide between an id, an expression and free text.

use std::collections::BTreeSet;
use std::sync::OnceLock;

static IDS: &str = include_str!("spdx-license-ids.txt");

fn ids() -> &'static BTreeSet<&'static str> {
    static SET: OnceLock<BTreeSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| IDS.lines().filter(|l| !l.is_empty()).collect())
}

/// Whether `id` is an SPDX licence id (exact case, as the schema's enum requires).
pub fn is_id(id: &str) -> bool {
    ids().contains(id)
}

/// The canonical-case id for `id` (`mit` → `MIT`), if it is one.
pub fn canonical_id(id: &str) -> Option<&'static str> {
    ids()
        .iter()
        .copied()
        .find(|known| known.eq_ignore_ascii_case(id))
}

/// Normalizes `text` into a valid SPDX expression of known ids joined by AND/OR (with
/// parentheses), or `None` when some token is not a known id. `WITH` exceptions are not
/// checked against a list, so they make the expression `None` too.
pub fn expression(text: &str) -> Option<String> {
    let spaced = text.replace('(', " ( ").replace(')', " ) ");
    let mut out = Vec::new();
    let mut operand_expected = true;
    let mut depth: i32 = 0;
    for tok in spaced.split_whitespace() {
        match tok {
            "(" if operand_expected => {
                depth += 1;
                out.push("(".to_owned());
            }
            ")" if !operand_expected && depth > 0 => {
                depth -= 1;
                out.push(")".to_owned());
            }
            t if !operand_expected
                && (t.eq_ignore_ascii_case("and") || t.eq_ignore_ascii_case("or")) =>
            {
                out.push(t.to_ascii_uppercase());
                operand_expected = true;
            }
            t if operand_expected => {
                let (base, plus) = t.strip_suffix('+').map_or((t, ""), |b| (b, "+"));
                let id = canonical_id(base)
                    .map(str::to_owned)
                    .or_else(|| base.starts_with("LicenseRef-").then(|| base.to_owned()))?;
                out.push(format!("{id}{plus}"));
                operand_expected = false;
            }
            _ => return None,
        }
    }
    (!operand_expected && depth == 0).then(|| out.join(" ").replace("( ", "(").replace(" )", ")"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expressions() {
        assert_eq!(expression("MIT"), Some("MIT".into()));
        assert_eq!(
            expression("mit or apache-2.0"),
            Some("MIT OR Apache-2.0".into())
        );
        assert_eq!(
            expression("(MIT OR Apache-2.0) AND BSD-3-Clause"),
            Some("(MIT OR Apache-2.0) AND BSD-3-Clause".into())
        );
        assert_eq!(expression("GPL-2.0+"), Some("GPL-2.0+".into()));
        assert_eq!(expression("Artistic"), None);
        assert_eq!(expression("MIT OR"), None);
        assert_eq!(expression(""), None);
    }
}

//! Maven versions, ordered by the POM reference's "Version Order Specification" (which Maven's
//! `ComparableVersion` implements and osv.dev follows).
//!
//! A version splits into tokens at `.` and `-` and at every digit/letter change (a change counts
//! as `-`); each token remembers its separator; an empty token is `0`. Trailing "null" tokens
//! (`0`, `""`, `final`, `ga`, `release`) are trimmed from the end and again before each remaining
//! `-`, so `1.0` = `1` and `1-ga-1` = `1-1`. The shorter version is padded with nulls. Tokens with
//! the same separator: numbers numerically; a (non-null) number is above any qualifier;
//! qualifiers `alpha < beta < milestone < rc = cr < snapshot < "" < sp`, then unknown ones
//! alphabetically; `a1`/`b1`/`m1` are `alpha1`/`beta1`/`milestone1`; case is ignored. Different
//! separators: `.qualifier` < `-qualifier` < `-number` < `.number`. Every string parses.

use std::cmp::Ordering;

use super::cmp_digits;

#[derive(Debug, Clone)]
struct Token {
    /// `true` for `-` (or a digit/letter change), `false` for `.` and the first token.
    dash: bool,
    value: String,
    numeric: bool,
    /// A padding token: a `0` that ranks like a missing part.
    null: bool,
}

const KEYWORDS: [&str; 7] = ["alpha", "beta", "milestone", "rc", "snapshot", "", "sp"];

fn keyword_rank(q: &str) -> usize {
    KEYWORDS
        .iter()
        .position(|k| *k == q)
        .unwrap_or(KEYWORDS.len())
}

impl Token {
    fn trimmable(&self) -> bool {
        self.value == "0" || self.value.is_empty()
    }

    fn kind_rank(&self) -> u8 {
        match (self.dash, self.numeric) {
            (false, false) => 0,
            (true, false) => 1,
            (true, true) => 2,
            (false, true) => 3,
        }
    }

    fn same(&self, other: &Token) -> bool {
        self.dash == other.dash
            && if self.numeric && other.numeric {
                cmp_digits(&self.value, &other.value).is_eq()
            } else {
                self.value == other.value
            }
    }

    fn less(&self, other: &Token) -> bool {
        if self.dash != other.dash {
            return self.kind_rank() < other.kind_rank();
        }
        if self.numeric && other.numeric {
            return cmp_digits(&self.value, &other.value).is_lt();
        }
        if self.numeric && !self.null {
            return false;
        }
        if other.numeric && !other.null {
            return true;
        }
        let (l, r) = (keyword_rank(&self.value), keyword_rank(&other.value));
        if l == KEYWORDS.len() && r == KEYWORDS.len() {
            self.value < other.value
        } else {
            l < r
        }
    }

    fn cmp(&self, other: &Token) -> Ordering {
        if self.same(other) {
            Ordering::Equal
        } else if self.less(other) {
            Ordering::Less
        } else {
            Ordering::Greater
        }
    }

    /// The null that pads the other version opposite `token`.
    fn null_for(token: &Token) -> Token {
        let value = if token.dash || token.value == "sp" {
            ""
        } else {
            "0"
        };
        Token {
            dash: token.dash,
            value: value.to_owned(),
            numeric: !value.is_empty(),
            null: true,
        }
    }
}

fn push_token(tokens: &mut Vec<Token>, dash: bool, raw: &str, followed_by_digit: bool) {
    let raw = if raw.is_empty() { "0" } else { raw };
    let numeric = raw.bytes().all(|b| b.is_ascii_digit());
    let value = if numeric {
        let t = raw.trim_start_matches('0');
        if t.is_empty() { "0" } else { t }
    } else {
        match (raw, followed_by_digit) {
            ("cr", _) => "rc",
            ("ga" | "final" | "release", _) => "",
            ("a", true) => "alpha",
            ("b", true) => "beta",
            ("m", true) => "milestone",
            (other, _) => other,
        }
    };
    tokens.push(Token {
        dash,
        value: value.to_owned(),
        numeric,
        null: false,
    });
}

fn parse(version: &str) -> Vec<Token> {
    let v = version.trim().to_lowercase();
    let mut tokens = Vec::new();
    let mut dash = false;
    for (n, part) in v.split(['.', '-']).enumerate() {
        if n > 0 {
            // The separator before this part is the character just before it.
            let offset: usize = v.split(['.', '-']).take(n).map(|p| p.len() + 1).sum();
            dash = v.as_bytes().get(offset - 1) == Some(&b'-');
        }
        // Split at digit/letter changes; each later piece counts as `-`.
        let mut start = 0;
        let bytes = part.as_bytes();
        for i in 1..=bytes.len() {
            let change = match (bytes.get(i - 1), bytes.get(i)) {
                (Some(a), Some(b)) => a.is_ascii_digit() != b.is_ascii_digit(),
                _ => true,
            };
            if change {
                let piece = part.get(start..i).unwrap_or("");
                let piece_dash = if start == 0 { dash } else { true };
                push_token(&mut tokens, piece_dash, piece, i < bytes.len());
                start = i;
            }
        }
        if bytes.is_empty() {
            push_token(&mut tokens, dash, "", false);
        }
    }
    // Trim nulls at the end and before each remaining `-`, from the end to the start.
    let mut i = tokens.len().saturating_sub(1);
    while i > 0 {
        if tokens.get(i).is_some_and(Token::trimmable) {
            tokens.remove(i);
            i -= 1;
            continue;
        }
        while tokens.get(i).is_some_and(|t| !t.dash) {
            if i == 0 {
                return tokens;
            }
            i -= 1;
        }
        if i == 0 {
            break;
        }
        i -= 1;
    }
    tokens
}

/// Maven's ordering of two version strings.
pub fn compare(a: &str, b: &str) -> Ordering {
    let (ta, tb) = (parse(a), parse(b));
    for i in 0..ta.len().max(tb.len()) {
        let o = match (ta.get(i), tb.get(i)) {
            (Some(l), Some(r)) => l.cmp(r),
            (Some(l), None) => l.cmp(&Token::null_for(l)),
            (None, Some(r)) => Token::null_for(r).cmp(r),
            (None, None) => Ordering::Equal,
        };
        if o.is_ne() {
            return o;
        }
    }
    Ordering::Equal
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::version::testutil::{check, check_sorted};

    #[test]
    fn comparable_version_order() {
        // The sequences Maven's own ComparableVersion documentation and tests walk through.
        check_sorted(
            "maven qualifiers",
            compare,
            &[
                "1-alpha2snapshot",
                "1-alpha2",
                "1-alpha-123",
                "1-beta-2",
                "1-beta123",
                "1-m2",
                "1-m11",
                "1-rc",
                "1-cr2",
                "1-rc123",
                "1-SNAPSHOT",
                "1",
                "1-sp",
                "1-sp2",
                "1-sp123",
                "1-abc",
                "1-def",
                "1-pom-1",
                "1-1-snapshot",
                "1-1",
                "1-2",
                "1-123",
            ],
        );
        check_sorted(
            "maven numbers",
            compare,
            &[
                "1", "1.1", "1.1.1", "1.2", "1.2.3", "1.10", "2", "2.0.1", "10",
            ],
        );
        check_sorted(
            "maven mixed",
            compare,
            &[
                "2.0", "2-1", "2.0.2", "2.0.123", "2.1.0", "2.1-a", "2.1b", "2.1-c", "2.1-1",
                "2.1.0.1", "2.2", "2.123", "11.a2", "11.a11", "11.b2", "11.b11", "11.m2", "11.m11",
                "11", "11.a", "11b", "11c", "11m",
            ],
        );
    }

    #[test]
    fn equalities_and_edges() {
        check(
            "maven",
            compare,
            &[
                ("1", "=", "1.0"),
                ("1", "=", "1.0.0"),
                ("1.0", "=", "1.0.0-ga"),
                ("1-final", "=", "1"),
                ("1.0.RELEASE", "=", "1.0"),
                ("1.0-GA", "=", "1.0"),
                ("1a1", "=", "1-alpha-1"),
                ("1b2", "=", "1-beta-2"),
                ("1m3", "=", "1-milestone-3"),
                ("1.0-cr1", "=", "1.0-rc1"),
                ("1.0-RC1", "=", "1.0-rc-1"),
                ("1X", "=", "1x"),
                ("1.0-SNAPSHOT", "<", "1.0"),
                ("1.0-alpha-1", "<", "1.0"),
                ("1.0.1", ">", "1.0"),
                ("1.0-sp1", ">", "1.0"),
                ("1.0-foo", ">", "1.0-sp1"),
                ("2.0.0.Final", "=", "2.0.0"),
                ("5.3.0.Beta1", "<", "5.3.0"),
                ("6.1.6", "<", "6.1.13"),
                ("6.1.14", ">", "6.1.13"),
                ("1.0.0.Alpha", "<", "1.0.0.Beta"),
                ("1.7", ">", "1.6.99"),
                ("99999999999999999999", ">", "9999999999999999999"),
                ("1a", "=", "1-a"),
                ("1.0.0x", "=", "1-x"),
                ("1", "=", "1."),
                ("1", "=", "1-"),
                ("1", "=", "001"),
                ("1.1", "=", "1.01"),
                ("1-foo", "=", "1.0.0-foo.0.0"),
                ("1", "=", "1.0.0-0.0.0"),
                ("1-c-1", "=", "1c1"),
                ("1-1", "=", "1-ga-1"),
                ("1m3", "=", "1MILESTONE3"),
                ("2.0-1", "<", "2.0.1"),
                ("2.0.1-xyz", "<", "2.0.1-123"),
                ("1.0-alpha-1-SNAPSHOT", "<", "1.0-alpha-1"),
                ("6.1.0rc3", "<", "6.1H.5-beta"),
                ("6.1.0", "<", "6.1H.5-beta"),
                (
                    "123456789012345.1H.5-beta",
                    "<",
                    "12345678901234567890.1H.5-beta",
                ),
                ("0.0.0-0.0.0", "=", "0-final-ga"),
                ("0.0.0-2021-05-17T01-01-51-5ec03a8b", "<", "20.0.0"),
            ],
        );
    }
}

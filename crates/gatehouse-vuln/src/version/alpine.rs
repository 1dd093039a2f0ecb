//! Alpine (apk) package versions, ordered as apk-tools 2 (Alpine up to 3.22) orders them.
//! apk-tools 3 compares a leading-zero component as a decimal fraction instead (`1.010` <
//! `1.09` there, `>` here); switch when the advisories target apk-tools 3 releases.
//!
//! `digits{.digits}[letter]{_suffix[N]}[-rN]`. Numbers compare numerically, except that a later
//! component with a leading zero compares as a fraction (`1.01` < `1.1`, `1.001` < `1.01`); a
//! letter raises a version (`1.2a` > `1.2`); pre-release suffixes `_alpha` < `_beta` < `_pre` <
//! `_rc` sort before the plain version, post-release suffixes `_cvs` < `_svn` < `_git` < `_hg` <
//! `_p` after it; `-rN` is the package revision. When one version runs out, the kinds of the next
//! tokens decide: more numbers win over a letter, a suffix or the end. Suffix words match as
//! prefixes (`_pre1` is `_pre` 1). Strings apk rejects sort as apk sorts them: the walk stops at
//! the first token apk would reject, and a version that stops there sorts after one that goes
//! on or ends cleanly, as apk's `TOKEN_INVALID` is its lowest token kind (`2.3.4` < `2.3.4-x` <
//! `2.3.5`, `1-r1` < `1--r1`); an unknown `_suffix` ranks with `_rc` instead.

use std::cmp::Ordering;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Tok {
    /// apk's `TOKEN_INVALID` (-1): below every other kind, so a version whose walk stops at a
    /// rejected token ranks above one that goes on or ends there (`1--x` > `1-r1` > `1`).
    Invalid,
    DigitOrZero,
    Digit,
    Letter,
    Suffix,
    SuffixNo,
    RevisionNo,
    End,
}

const PRE: [&str; 4] = ["alpha", "beta", "pre", "rc"];
const POST: [&str; 5] = ["cvs", "svn", "git", "hg", "p"];

struct Reader<'a> {
    s: &'a [u8],
    i: usize,
}

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn number(&mut self) -> i128 {
        let mut v: i128 = 0;
        while let Some(c) = self.peek().filter(u8::is_ascii_digit) {
            v = v.saturating_mul(10).saturating_add(i128::from(c - b'0'));
            self.i += 1;
        }
        v
    }

    /// Reads the token of kind `t`; returns its value and the kind of the next token.
    fn token(&mut self, t: Tok) -> (i128, Tok) {
        let value;
        let mut next = Tok::Invalid;
        match t {
            Tok::DigitOrZero if self.peek() == Some(b'0') => {
                let mut zeros = 0;
                while self.peek() == Some(b'0') {
                    zeros += 1;
                    self.i += 1;
                }
                return (-zeros, Tok::Digit);
            }
            Tok::DigitOrZero | Tok::Digit | Tok::SuffixNo | Tok::RevisionNo => {
                value = self.number();
            }
            Tok::Letter => {
                value = self.peek().map_or(0, i128::from);
                self.i += 1;
            }
            Tok::Suffix => {
                // apk matches the suffix words as prefixes, pre-release words first, and reads
                // only the matched word (`_pre1` is `pre` 1, `_patch` is `p` then garbage).
                let rest = self.s.get(self.i..).unwrap_or_default();
                let find = |words: &[&'static str]| {
                    words
                        .iter()
                        .zip(0i128..)
                        .find(|(w, _)| rest.starts_with(w.as_bytes()))
                        .map(|(w, n)| (w.len(), n))
                };
                if let Some((len, n)) = find(&PRE) {
                    value = n - 4;
                    self.i += len;
                } else if let Some((len, n)) = find(&POST) {
                    value = n;
                    self.i += len;
                } else {
                    // An unknown suffix ranks with `_rc` (-1) and ends the version.
                    return (-1, Tok::Invalid);
                }
            }
            Tok::End | Tok::Invalid => return (0, t),
        }
        // Which token comes next is decided by the separator after this one.
        match self.peek() {
            None => next = Tok::End,
            Some(b'.') if matches!(t, Tok::DigitOrZero | Tok::Digit) => {
                self.i += 1;
                next = Tok::DigitOrZero;
            }
            Some(c) if c.is_ascii_digit() && matches!(t, Tok::Suffix) => next = Tok::SuffixNo,
            Some(c) if c.is_ascii_digit() && matches!(t, Tok::Letter) => next = Tok::Digit,
            Some(c) if c.is_ascii_lowercase() && matches!(t, Tok::DigitOrZero | Tok::Digit) => {
                next = Tok::Letter;
            }
            Some(b'_') if t < Tok::RevisionNo => {
                self.i += 1;
                next = Tok::Suffix;
            }
            Some(b'-') if t < Tok::RevisionNo && self.s.get(self.i + 1) == Some(&b'r') => {
                self.i += 2;
                next = Tok::RevisionNo;
            }
            _ => {}
        }
        (value, next)
    }
}

/// apk-tools' ordering of two version strings.
pub fn compare(a: &str, b: &str) -> Ordering {
    let (a, b) = (a.trim(), b.trim());
    let mut ra = Reader {
        s: a.as_bytes(),
        i: 0,
    };
    let mut rb = Reader {
        s: b.as_bytes(),
        i: 0,
    };
    let (mut at, mut bt) = (Tok::Digit, Tok::Digit);
    while at == bt && at != Tok::End && at != Tok::Invalid {
        let (av, an) = ra.token(at);
        let (bv, bn) = rb.token(bt);
        if av != bv {
            return av.cmp(&bv);
        }
        at = an;
        bt = bn;
    }
    if at == bt {
        return Ordering::Equal;
    }
    // The versions agree so far; the kinds of the next tokens decide.
    if at == Tok::Suffix && ra.token(at).0 < 0 {
        return Ordering::Less;
    }
    if bt == Tok::Suffix && rb.token(bt).0 < 0 {
        return Ordering::Greater;
    }
    bt.cmp(&at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::version::testutil::{check, check_sorted};

    #[test]
    fn apk_ordering() {
        check(
            "alpine",
            compare,
            &[
                ("1.0", "<", "1.0.1"),
                ("1.0", "=", "1.0"),
                ("1.0-r0", ">", "1.0"),
                ("1.0-r1", ">", "1.0-r0"),
                ("1.0_alpha", "<", "1.0"),
                ("1.0_alpha1", "<", "1.0_alpha2"),
                ("1.0_alpha", "<", "1.0_beta"),
                ("1.0_beta", "<", "1.0_pre"),
                ("1.0_pre", "<", "1.0_rc"),
                ("1.0_rc1", "<", "1.0"),
                ("1.0", "<", "1.0_cvs"),
                ("1.0_p1", ">", "1.0"),
                ("1.0_p1", ">", "1.0_git20200101"),
                ("1.0a", ">", "1.0"),
                ("1.0a", "<", "1.0.1"),
                ("1.0a", "<", "1.0b"),
                ("1.01", "<", "1.1"),
                ("1.001", "<", "1.01"),
                ("1.10", ">", "1.9"),
                ("3.0.12-r0", ">", "3.0.8-r0"),
                ("2.4.57-r0", "<", "2.4.58-r0"),
                ("1.2.3_rc1-r0", "<", "1.2.3-r0"),
                ("1.2.3-r10", ">", "1.2.3-r9"),
                ("2.3.4-invalid", "<", "3.4.5-r1"),
                ("3.4.5-r1", "<", "10.1.1-invalid"),
                ("2.3.4-invalid", ">", "2.3.4"),
                ("2.3.4-invalid", "<", "2.3.5"),
                ("1-ruff2", "<", "1--ruff1"),
                ("1.0_rcx", ">", "1.0_rc"),
                ("1.0_patch", ">", "1.0_p"),
                ("1.0_rc", "<", "1.0_foo"),
                ("1-r1", "=", "1-r01"),
                ("1-r", "=", "1-r0"),
                ("1-r2", ">", "1-r-1"),
                ("1", "<", "1-ruff"),
                ("6.6.2p1", ">", "6.6.2_p1"),
                ("6.6.2p1", "<", "6.6.2p2"),
                ("1.2_blah", "<", "1.2"),
                ("1.2_svn1", ">", "1.2_csv2"),
                ("23_foo", ">", "4_beta"),
                ("1.0", "<", "1.0bc"),
                ("a", "<", "b"),
                (".1", "<", "1"),
                ("3.9_pre20060124", ">", "0.01"),
                ("0.1.0_alpha_pre2", "<", "0.1.0_alpha"),
                ("2.12r-r4", "<", "2.12r-r5"),
                ("1.3_pre1-r1", "<", "1.3.2"),
            ],
        );
        check_sorted(
            "alpine sorted",
            compare,
            &[
                "1.0_alpha",
                "1.0_beta2",
                "1.0_rc1",
                "1.0",
                "1.0-r1",
                "1.0_p1",
                "1.0a",
                "1.0.1",
            ],
        );
    }
}

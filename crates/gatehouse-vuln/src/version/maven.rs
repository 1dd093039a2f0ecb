//! Maven versions, ordered as Maven's own `ComparableVersion` (maven-artifact 3.8/3.9) orders
//! them; checked pair by pair against the real class.
//!
//! A version is split into items at `.` and `-` and at every digit/letter change; a `-`, a change
//! and a qualifier after `.` (`1.0.0.x1` = `1-x-1`) open a nested sub-list. Numbers compare
//! numerically and rank above qualifiers and sub-lists; qualifiers rank `alpha < beta <
//! milestone < rc = cr < snapshot < "" = ga = final = release < sp`, then unknown qualifiers
//! alphabetically (case-insensitive); `a1`/`b1`/`m1` are `alpha1`/`beta1`/`milestone1`. Trailing
//! "null" items (0, "", ga, final, release) are dropped from each list, so `1.0` = `1` =
//! `1.0.0-ga`; a sub-list compared with nothing counts all its items. Every string parses.
//!
//! Maven's class is not a total order on some malformed versions; this one is (see [`Group`]).
//!
//! Where the POM reference's prose specification and the implementation disagree, the
//! implementation wins: `1-ga-1` < `1-1` in Maven although osv-scanner's vectors say `=`.

use std::cmp::Ordering;

use super::cmp_digits;

#[derive(Debug, Clone)]
enum Item {
    Int(String),
    Str(String),
    List(Vec<Item>),
}

const QUALIFIERS: [&str; 7] = ["alpha", "beta", "milestone", "rc", "snapshot", "", "sp"];
const RELEASE_INDEX: &str = "5";

fn string_item(value: &str, followed_by_digit: bool) -> Item {
    let value = match (followed_by_digit, value) {
        (true, "a") => "alpha",
        (true, "b") => "beta",
        (true, "m") => "milestone",
        (_, "ga" | "final" | "release") => "",
        (_, "cr") => "rc",
        (_, other) => other,
    };
    Item::Str(value.to_owned())
}

fn comparable_qualifier(q: &str) -> String {
    match QUALIFIERS.iter().position(|x| *x == q) {
        Some(i) => i.to_string(),
        None => format!("{}-{q}", QUALIFIERS.len()),
    }
}

impl Item {
    fn is_null(&self) -> bool {
        match self {
            Item::Int(v) => v.trim_start_matches('0').is_empty(),
            Item::Str(s) => comparable_qualifier(s) == RELEASE_INDEX,
            Item::List(l) => l.is_empty(),
        }
    }
}

/// Where an item, or a missing one (`None`), stands in the order before its value is looked at.
///
/// Maven ranks numbers above sub-lists above qualifiers, but compares a missing item as the
/// null of whatever it meets (`0`, the release qualifier, an empty list). Those two rules are
/// not transitive: `1-beta` < `1` < `1.x.4` but `1-beta` > `1.x.4`, and `1.0.beta.4` < `1` <
/// `1-1` but `1.0.beta.4` > `1-1` in `ComparableVersion`. Here the missing item has one place:
/// after every qualifier and sub-list that Maven puts before a release, and before every one it
/// puts after it. A `0` ranks by what follows it, as Maven's comparison with a missing item
/// skips it: before the missing item (just above pre-release qualifiers and sub-lists) when the
/// next item that is not a `0` or a release qualifier is a pre-release one (`3.7.0.rc.3` <
/// `3.7.0`, as in Maven), else above everything but other numbers. Verdicts differ from
/// Maven's only where a qualifier stands between dots (`1.x.4` > `1-beta`, `1.0.beta.4` <
/// `1-1`), never for numbers, `-qualifier` or `-number` suffixes.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Group {
    QualifierBeforeRelease,
    ListBeforeRelease,
    /// A `0` whose next item, past `0`s and release qualifiers, ranks before a release.
    ZeroBeforeRelease,
    /// Missing, the release qualifiers (`""`, `ga`, `final`, `release`) and lists of them.
    Null,
    QualifierAfterRelease,
    ListAfterRelease,
    Zero,
    Number,
}

fn group(item: Option<&Item>) -> Group {
    match item {
        None => Group::Null,
        Some(Item::Int(v)) if v.trim_start_matches('0').is_empty() => Group::Zero,
        Some(Item::Int(_)) => Group::Number,
        Some(Item::Str(s)) => match comparable_qualifier(s).as_str().cmp(RELEASE_INDEX) {
            Ordering::Less => Group::QualifierBeforeRelease,
            Ordering::Equal => Group::Null,
            Ordering::Greater => Group::QualifierAfterRelease,
        },
        Some(Item::List(l)) => match cmp_lists(l, &[]) {
            Ordering::Less => Group::ListBeforeRelease,
            Ordering::Equal => Group::Null,
            Ordering::Greater => Group::ListAfterRelease,
        },
    }
}

/// The group of the item at `i` of `list` (missing past its end); a `0` looks ahead.
fn group_at(list: &[Item], i: usize) -> Group {
    match list.get(i) {
        Some(Item::Int(v)) if v.trim_start_matches('0').is_empty() => {
            let next = list
                .iter()
                .skip(i + 1)
                .map(|item| group(Some(item)))
                .find(|g| !matches!(g, Group::Zero | Group::Null));
            match next {
                Some(Group::QualifierBeforeRelease | Group::ListBeforeRelease) => {
                    Group::ZeroBeforeRelease
                }
                _ => Group::Zero,
            }
        }
        item => group(item),
    }
}

/// The items at `i` of two lists (either may be missing): by group, then numbers by value,
/// qualifiers by rank, lists item by item. A total order.
fn cmp_at(a: &[Item], b: &[Item], i: usize) -> Ordering {
    group_at(a, i)
        .cmp(&group_at(b, i))
        .then_with(|| match (a.get(i), b.get(i)) {
            (Some(Item::Int(x)), Some(Item::Int(y))) => cmp_digits(x, y),
            (Some(Item::Str(x)), Some(Item::Str(y))) => {
                comparable_qualifier(x).cmp(&comparable_qualifier(y))
            }
            (Some(Item::List(x)), Some(Item::List(y))) => cmp_lists(x, y),
            // The rest of one group is the Null group: all equal.
            _ => Ordering::Equal,
        })
}

fn cmp_lists(a: &[Item], b: &[Item]) -> Ordering {
    (0..a.len().max(b.len()))
        .map(|i| cmp_at(a, b, i))
        .find(|o| o.is_ne())
        .unwrap_or(Ordering::Equal)
}

fn normalize(list: &mut Vec<Item>) {
    let mut i = list.len();
    while i > 0 {
        i -= 1;
        match list.get(i) {
            Some(item) if item.is_null() => {
                list.remove(i);
            }
            Some(Item::List(_)) => {}
            _ => break,
        }
    }
}

/// Builder state: a stack of open lists; closing nests each into its parent.
struct Builder {
    stack: Vec<Vec<Item>>,
}

impl Builder {
    fn push(&mut self, item: Item) {
        if let Some(top) = self.stack.last_mut() {
            top.push(item);
        }
    }
    fn open(&mut self) {
        self.stack.push(Vec::new());
    }
    fn finish(mut self) -> Vec<Item> {
        while self.stack.len() > 1 {
            let mut inner = self.stack.pop().unwrap_or_default();
            normalize(&mut inner);
            self.push(Item::List(inner));
        }
        let mut root = self.stack.pop().unwrap_or_default();
        normalize(&mut root);
        root
    }
}

fn parse_item(buf: &str, is_digit: bool) -> Item {
    if is_digit {
        Item::Int(buf.to_owned())
    } else {
        string_item(buf, false)
    }
}

fn parse(version: &str) -> Vec<Item> {
    let v = version.trim().to_lowercase();
    let mut b = Builder {
        stack: vec![Vec::new()],
    };
    let mut is_digit = false;
    let mut start = 0;
    for (i, c) in v.char_indices() {
        let piece = v.get(start..i).unwrap_or("");
        if c == '.' {
            if piece.is_empty() {
                b.push(Item::Int("0".to_owned()));
            } else {
                b.push(parse_item(piece, is_digit));
            }
            start = i + 1;
        } else if c == '-' {
            if piece.is_empty() {
                b.push(Item::Int("0".to_owned()));
            } else {
                b.push(parse_item(piece, is_digit));
            }
            start = i + 1;
            b.open();
        } else if c.is_ascii_digit() {
            if !is_digit && !piece.is_empty() {
                // `.X1` is read as `-X1`, so `1.0.0.x1` = `1-x-1` as in Maven.
                if b.stack.last().is_some_and(|l| !l.is_empty()) {
                    b.open();
                }
                b.push(string_item(piece, true));
                start = i;
                b.open();
            }
            is_digit = true;
        } else {
            if is_digit && !piece.is_empty() {
                b.push(parse_item(piece, true));
                start = i;
                b.open();
            }
            is_digit = false;
        }
    }
    if let Some(rest) = v.get(start..).filter(|r| !r.is_empty()) {
        // A trailing `.X` qualifier is read as `-X`, so `1.0.0.x1` < `1.0.0-x2` as in Maven.
        if !is_digit && b.stack.last().is_some_and(|l| !l.is_empty()) {
            b.open();
        }
        b.push(parse_item(rest, is_digit));
    }
    b.finish()
}

/// Maven's ordering of two version strings.
pub fn compare(a: &str, b: &str) -> Ordering {
    cmp_lists(&parse(a), &parse(b))
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
                "2.0", "2.0.a", "2-1", "2.0.2", "2.0.123", "2.1.0", "2.1-a", "2.1b", "2.1-c",
                "2.1-1", "2.1.0.1", "2.2", "2.123", "11.a2", "11.a11", "11.b2", "11.b11", "11.m2",
                "11.m11", "11", "11.a", "11b", "11c", "11m",
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
                ("1-1", ">", "1-ga-1"), // Maven itself; the spec prose says `=`
                ("1-alpha-1", "=", "1.0.alpha1"),
                ("1-0", "<", "1.0-0.1"),
                ("1.0.0.x1", "<", "1-1"),
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

    #[test]
    fn cycles_of_comparable_version_are_broken() {
        // Maven: `1-beta` < `1` < `1.x.4` < `1-beta` (fuzz/artifacts-found/fuzz_versions/).
        check_sorted("maven cycle", compare, &["1-beta", "1", "1.x.4"]);
        // Maven: `1.0.beta.4` < `1` (0 = nothing, beta < release) < `1-1` < `1.0.beta.4`.
        // Real versions have the first shape (`3.7.0.rc.3` < `3.7.0`), so the last link breaks.
        check_sorted("maven zero cycle", compare, &["1.0.beta.4", "1", "1-1"]);
        check(
            "maven kept",
            compare,
            &[
                ("1.x.4", ">", "1"),
                ("1.sp.1", "<", "1.0.1"),
                ("1-1", "<", "1.0.1"),
                ("1.0.alpha.1", "<", "1.1"),
                // osv-scanner's generated vectors, as maven-artifact 3.8.7 orders them.
                ("3.7.0.rc.3", "<", "3.7.0"),
                ("3.0.0.alpha.5.0.5.1", "<", "3.0.0"),
                ("3.1.0", "<", "3.1.0.0.pre"),
                ("3.0.0.alpha.3", "<", "3.0.0.alpha.3.1.pre"),
                ("1.0.0.rc.1", "<", "1.0.0.sp.1"),
                ("1.0.0.alpha", "<", "1.0.0.0.1"),
                ("1.0.0.0.alpha", "<", "1.0.0.beta"),
                ("1.0.beta.4", "<", "1-1"), // Maven: `>`; see `Group`
                ("1.0.ga.alpha", "<", "1"),
            ],
        );
    }
}

//! NuGet versions, ordered as `NuGetVersion` orders them (SemVer 2.0 plus a fourth number).
//!
//! `major.minor.patch.revision` (missing numbers are 0, so `1.0` = `1.0.0.0`), a pre-release
//! sorts before its release, pre-release labels compare dot by dot (numeric below alphanumeric,
//! numbers numerically, labels *case-insensitively*), build metadata is ignored. A string without
//! a numeric core sorts as `0.0.0.0-<string>`.

use std::cmp::Ordering;

use super::semver::{self, Ident};

fn lower_pre(v: &semver::Version<'_>) -> Vec<(bool, String)> {
    v.pre
        .iter()
        .map(|id| match id {
            Ident::Num(n) => (false, (*n).to_owned()),
            Ident::Alpha(s) => (true, s.to_ascii_lowercase()),
        })
        .collect()
}

/// NuGet's ordering of two version strings.
pub fn compare(a: &str, b: &str) -> Ordering {
    let (pa, pb) = (semver::parse(a), semver::parse(b));
    let core = semver::cmp_core(&pa.core, &pb.core);
    if core.is_ne() {
        return core;
    }
    let (la, lb) = (lower_pre(&pa), lower_pre(&pb));
    let ia: Vec<Ident<'_>> = la
        .iter()
        .map(|(alpha, s)| {
            if *alpha {
                Ident::Alpha(s)
            } else {
                Ident::Num(s)
            }
        })
        .collect();
    let ib: Vec<Ident<'_>> = lb
        .iter()
        .map(|(alpha, s)| {
            if *alpha {
                Ident::Alpha(s)
            } else {
                Ident::Num(s)
            }
        })
        .collect();
    semver::cmp_pre(&ia, &ib)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::version::testutil::{check, check_sorted};

    #[test]
    fn nuget_versions() {
        check(
            "nuget",
            compare,
            &[
                ("1.0", "=", "1.0.0.0"),
                ("1.0.0-BETA", "=", "1.0.0-beta"),
                ("1.0.0-Beta.1", "=", "1.0.0-beta.1"),
                ("1.0.0+build", "=", "1.0.0"),
                ("1.0.0.1", ">", "1.0.0"),
                ("1.0.0.1-alpha", ">", "1.0.0"),
                ("1.0.0-alpha", "<", "1.0.0"),
                ("1.0.0-alpha.2", "<", "1.0.0-alpha.10"),
                ("1.0.0-alpha.10", "<", "1.0.0-alpha.beta"),
                ("1.0.0-beta01", "<", "1.0.0-beta02"),
                ("1.0.0-rc.1", ">", "1.0.0-BETA.11"),
                ("4.3.0", "<", "4.3.1"),
                ("13.0.1", ">", "9.0.1"),
                ("1.0.0-BETA.X.y.5.77.0+AA", "=", "1.0.0-beta.x.y.5.77.0+aa"),
                ("1.0.01", "=", "1.0.1.0"),
                ("1.0.0.1-1.2.A", "<", "1.0.0.1-1.2.a.A+A"),
                ("1.0.0-pre", "<", "1.0.0.1-alpha"),
                ("1.0.0-beta2", ">", "1.0.0-BETA"),
                (
                    "1.0.0-BETA.X.y.5.79.0+AA",
                    "<",
                    "1.0.0-beta.x.y.5.790.0+abc",
                ),
                (
                    "999999999999999999999999999991.1.1",
                    "<",
                    "999999999999999999999999999999.1.1",
                ),
            ],
        );
        check_sorted(
            "nuget sorted",
            compare,
            &[
                "1.0.0-alpha",
                "1.0.0-Alpha.1",
                "1.0.0-beta",
                "1.0.0",
                "1.0.0.1",
                "1.0.1",
                "1.1",
            ],
        );
    }
}

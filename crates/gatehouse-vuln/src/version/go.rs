//! Go module versions (OSV `Go`): SemVer with Go's spellings.
//!
//! OSV writes Go versions without the `v` (`1.2.3`); `go.mod` writes them with it. `+incompatible`
//! is build metadata and so ignored for ordering; pseudo-versions
//! (`v0.0.0-20191109021931-daa7c04131f5`, `vX.Y.Z-pre.0.yyyymmddhhmmss-abcdef`,
//! `vX.Y.(Z+1)-0.yyyymmddhhmmss-abcdef`) are pre-releases and sort by their timestamp through
//! ordinary SemVer precedence, which is exactly Go's own rule. Toolchain spellings `go1.21rc2`
//! and `go1.21` are accepted for the `stdlib`/`toolchain` pseudo-modules.

use std::cmp::Ordering;

use super::semver;

fn normalize(v: &str) -> String {
    let v = v.trim();
    let v = v.strip_prefix("go").unwrap_or(v);
    // `1.21rc2` → `1.21.0-rc2` would be wrong for `1.21.1rc2`; the loose SemVer parser already
    // reads the letters after the numeric core as a pre-release.
    v.to_owned()
}

/// Go's ordering of two module versions.
pub fn compare(a: &str, b: &str) -> Ordering {
    semver::compare(&normalize(a), &normalize(b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::version::testutil::{check, check_sorted};

    #[test]
    fn go_versions() {
        check(
            "go",
            compare,
            &[
                ("v1.2.3", "=", "1.2.3"),
                ("2.0.0+incompatible", "=", "2.0.0"),
                ("2.0.1+incompatible", ">", "2.0.0"),
                ("v0.0.0-20191109021931-daa7c04131f5", "<", "v0.0.1"),
                (
                    "v0.0.0-20191109021931-daa7c04131f5",
                    "<",
                    "v0.0.0-20200101000000-000000000000",
                ),
                ("v1.2.4-0.20191109021931-daa7c04131f5", ">", "v1.2.3"),
                ("v1.2.4-0.20191109021931-daa7c04131f5", "<", "v1.2.4"),
                (
                    "v1.2.3-pre.0.20191109021931-daa7c04131f5",
                    ">",
                    "v1.2.3-pre",
                ),
                ("go1.21rc2", "<", "go1.21.0"),
                ("go1.21", "=", "1.21.0"),
                ("1.21.0-0", "<", "1.21.0"),
            ],
        );
        check_sorted(
            "go sorted",
            compare,
            &[
                "0.0.0-20180101000000-aaaa",
                "0.1.0-rc.1",
                "0.1.0",
                "1.0.0",
                "1.10.0",
            ],
        );
    }
}

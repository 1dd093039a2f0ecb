//! OSV ecosystems and the version scheme each one orders versions with.
//!
//! OSV ecosystem strings may carry a release (`Debian:12`, `Alpine:v3.20`, `Ubuntu:22.04:LTS`);
//! the part before the first `:` picks the scheme. Ecosystems whose ordering gatehouse does not
//! implement get [`Scheme::Unknown`]: their explicit `versions` lists still match, their ranges
//! are reported as unresolvable instead of guessed.

use std::cmp::Ordering;
use std::fmt;

use crate::version;

/// A version ordering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scheme {
    /// SemVer 2.0 precedence (npm, crates.io, Hex, SwiftURL; OSV `SEMVER` ranges).
    SemVer,
    Go,
    Pep440,
    Maven,
    RubyGems,
    NuGet,
    Packagist,
    Debian,
    Alpine,
    Rpm,
    /// No ordering known: ranges cannot be evaluated.
    Unknown,
}

impl Scheme {
    /// Compares two versions; `None` for [`Scheme::Unknown`].
    pub fn compare(self, a: &str, b: &str) -> Option<Ordering> {
        let cmp = match self {
            Scheme::SemVer => version::semver::compare,
            Scheme::Go => version::go::compare,
            Scheme::Pep440 => version::pep440::compare,
            Scheme::Maven => version::maven::compare,
            Scheme::RubyGems => version::rubygems::compare,
            Scheme::NuGet => version::nuget::compare,
            Scheme::Packagist => version::packagist::compare,
            Scheme::Debian => version::debian::compare,
            Scheme::Alpine => version::alpine::compare,
            Scheme::Rpm => version::rpm::compare,
            Scheme::Unknown => return None,
        };
        Some(cmp(a, b))
    }
}

/// The base ecosystems gatehouse orders, with their OSV spelling, purl type and scheme.
pub const KNOWN: &[(&str, &str, Scheme)] = &[
    ("npm", "npm", Scheme::SemVer),
    ("crates.io", "cargo", Scheme::SemVer),
    ("Hex", "hex", Scheme::SemVer),
    ("SwiftURL", "swift", Scheme::SemVer),
    ("Go", "golang", Scheme::Go),
    ("PyPI", "pypi", Scheme::Pep440),
    ("Maven", "maven", Scheme::Maven),
    ("RubyGems", "gem", Scheme::RubyGems),
    ("NuGet", "nuget", Scheme::NuGet),
    ("Packagist", "composer", Scheme::Packagist),
    ("Debian", "deb", Scheme::Debian),
    ("Ubuntu", "deb", Scheme::Debian),
    ("Alpine", "apk", Scheme::Alpine),
    ("Wolfi", "apk", Scheme::Alpine),
    ("Chainguard", "apk", Scheme::Alpine),
    ("Red Hat", "rpm", Scheme::Rpm),
    ("Rocky Linux", "rpm", Scheme::Rpm),
    ("AlmaLinux", "rpm", Scheme::Rpm),
    ("SUSE", "rpm", Scheme::Rpm),
    ("openSUSE", "rpm", Scheme::Rpm),
    ("Mageia", "rpm", Scheme::Rpm),
    ("openEuler", "rpm", Scheme::Rpm),
];

/// An OSV ecosystem: the base name (canonical spelling when known) and an optional release.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Ecosystem {
    pub base: String,
    pub release: Option<String>,
}

impl Ecosystem {
    /// Parses an OSV ecosystem string (`PyPI`, `Debian:12`); known base names are matched
    /// case-insensitively and respelled canonically, as are purl types (`cargo`, `golang`).
    pub fn parse(s: &str) -> Ecosystem {
        let s = s.trim();
        let (base, release) = match s.split_once(':') {
            Some((b, r)) => (b, Some(r.to_owned()).filter(|r| !r.is_empty())),
            None => (s, None),
        };
        let canonical = KNOWN
            .iter()
            .find(|(name, _, _)| name.eq_ignore_ascii_case(base))
            .or_else(|| {
                KNOWN
                    .iter()
                    .find(|(_, purl, _)| purl.eq_ignore_ascii_case(base))
            })
            .map_or(base, |(name, _, _)| name);
        Ecosystem {
            base: canonical.to_owned(),
            release,
        }
    }

    /// The version scheme of this ecosystem.
    pub fn scheme(&self) -> Scheme {
        KNOWN
            .iter()
            .find(|(name, _, _)| *name == self.base)
            .map_or(Scheme::Unknown, |(_, _, scheme)| *scheme)
    }

    /// Whether gatehouse knows this ecosystem's ordering.
    pub fn is_known(&self) -> bool {
        self.scheme() != Scheme::Unknown
    }
}

impl fmt::Display for Ecosystem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.release {
            Some(r) => write!(f, "{}:{r}", self.base),
            None => f.write_str(&self.base),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_osv_names_releases_and_purl_types() {
        let e = Ecosystem::parse("Debian:12");
        assert_eq!(
            (e.base.as_str(), e.release.as_deref()),
            ("Debian", Some("12"))
        );
        assert_eq!(e.scheme(), Scheme::Debian);
        let u = Ecosystem::parse("Ubuntu:22.04:LTS");
        assert_eq!(u.release.as_deref(), Some("22.04:LTS"));
        assert_eq!(Ecosystem::parse("pypi").base, "PyPI");
        assert_eq!(Ecosystem::parse("cargo").base, "crates.io");
        assert_eq!(Ecosystem::parse("golang").scheme(), Scheme::Go);
        assert_eq!(Ecosystem::parse("Echo").scheme(), Scheme::Unknown);
        assert_eq!(Ecosystem::parse("Alpine:v3.20").to_string(), "Alpine:v3.20");
        assert_eq!(Scheme::Unknown.compare("1", "2"), None);
        assert_eq!(Scheme::Debian.compare("1:0", "2"), Some(Ordering::Greater));
    }
}

//! Catalogers: one module per lockfile or package-database format, each a pure function of the
//! file's bytes (plus, for a few formats, a sibling file), registered in [`CATALOGERS`].
//!
//! Each cataloger reports exactly what its format records: directness, dev/prod scope,
//! integrity hashes and dependency edges where the file has them, and nothing it does not.

pub mod apk;
pub mod cargo;
pub mod composer;
pub mod dpkg;
pub mod gem;
pub mod gobinary;
pub mod golang;
pub mod gradle;
pub mod maven;
pub mod npm;
pub mod npm_installed;
pub mod nuget;
pub mod os_release;
pub mod pipenv;
pub mod pnpm;
pub mod poetry;
pub mod python_metadata;
pub mod requirements;
pub mod rpm;
pub mod uv;
pub mod yarn;

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use crate::error::CatalogError;
use crate::model::{Component, Scope};

/// Reads a file next to the one being cataloged (by file name), if it exists.
pub type Sibling<'a> = &'a dyn Fn(&str) -> Option<Vec<u8>>;

/// A parse function: file path (for errors and locations), bytes, sibling access.
pub type ParseFn = fn(&str, &[u8], Sibling<'_>) -> Result<Vec<Component>, CatalogError>;

/// One registered cataloger.
#[derive(Debug)]
pub struct Cataloger {
    /// Short name, used in warnings and docs.
    pub name: &'static str,
    /// Whether the cataloger handles the file at this `/`-separated path.
    pub matches: fn(&str) -> bool,
    /// The parser.
    pub parse: ParseFn,
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

fn named(path: &str, name: &str) -> bool {
    file_name(path) == name
}

/// Every cataloger, one line each.
pub static CATALOGERS: &[Cataloger] = &[
    Cataloger {
        name: "npm",
        matches: |p| named(p, "package-lock.json") || named(p, "npm-shrinkwrap.json"),
        parse: npm::parse,
    },
    Cataloger {
        name: "npm-installed",
        matches: npm_installed::matches,
        parse: npm_installed::parse,
    },
    Cataloger {
        name: "yarn",
        matches: |p| named(p, "yarn.lock"),
        parse: yarn::parse,
    },
    Cataloger {
        name: "pnpm",
        matches: |p| named(p, "pnpm-lock.yaml"),
        parse: pnpm::parse,
    },
    Cataloger {
        name: "cargo",
        matches: |p| named(p, "Cargo.lock"),
        parse: cargo::parse,
    },
    Cataloger {
        name: "poetry",
        matches: |p| named(p, "poetry.lock"),
        parse: poetry::parse,
    },
    Cataloger {
        name: "pipenv",
        matches: |p| named(p, "Pipfile.lock"),
        parse: pipenv::parse,
    },
    Cataloger {
        name: "requirements",
        matches: requirements::matches,
        parse: requirements::parse,
    },
    Cataloger {
        name: "uv",
        matches: |p| named(p, "uv.lock"),
        parse: uv::parse,
    },
    Cataloger {
        name: "python-metadata",
        matches: python_metadata::matches,
        parse: python_metadata::parse,
    },
    Cataloger {
        name: "go.mod",
        matches: |p| named(p, "go.mod"),
        parse: golang::parse_mod,
    },
    Cataloger {
        name: "go.sum",
        matches: |p| named(p, "go.sum"),
        parse: golang::parse_sum,
    },
    Cataloger {
        name: "bundler",
        matches: |p| named(p, "Gemfile.lock") || named(p, "gems.locked"),
        parse: gem::parse,
    },
    Cataloger {
        name: "composer",
        matches: |p| named(p, "composer.lock"),
        parse: composer::parse,
    },
    Cataloger {
        name: "gradle",
        matches: |p| named(p, "gradle.lockfile"),
        parse: gradle::parse,
    },
    Cataloger {
        name: "maven",
        matches: |p| named(p, "pom.xml"),
        parse: maven::parse,
    },
    Cataloger {
        name: "nuget",
        matches: |p| named(p, "packages.lock.json"),
        parse: nuget::parse,
    },
    Cataloger {
        name: "dpkg",
        matches: dpkg::matches,
        parse: dpkg::parse,
    },
    Cataloger {
        name: "rpm",
        matches: rpm::matches,
        parse: rpm::parse,
    },
    Cataloger {
        name: "apk",
        matches: |p| p.ends_with("lib/apk/db/installed"),
        parse: apk::parse,
    },
];

/// The cataloger for `path`, if any.
pub fn find(path: &str) -> Option<&'static Cataloger> {
    CATALOGERS.iter().find(|c| (c.matches)(path))
}

/// Catalogs one file: `None` when no cataloger handles it. Every component gets `path` as a
/// location.
pub fn catalog_file(
    path: &str,
    bytes: &[u8],
    sibling: Sibling<'_>,
) -> Option<Result<Vec<Component>, CatalogError>> {
    let cataloger = find(path)?;
    Some((cataloger.parse)(path, bytes, sibling).map(|mut comps| {
        for c in &mut comps {
            c.locations.insert(path.to_owned());
        }
        comps
    }))
}

/// No sibling files (for tests and single-file input).
pub fn no_siblings(_: &str) -> Option<Vec<u8>> {
    None
}

/// The file as UTF-8 (a leading BOM is dropped), or an error at the first invalid byte.
pub(crate) fn text<'a>(path: &str, bytes: &'a [u8]) -> Result<&'a str, CatalogError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        let valid = bytes.get(..e.valid_up_to()).unwrap_or_default();
        let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
        let col = valid.iter().rev().take_while(|b| **b != b'\n').count() + 1;
        CatalogError::at(path, line, col, "not UTF-8 text; is this the right file?")
    })
}

/// Scope by reachability: a node reachable from a production root is `Required`, one reachable
/// only from dev roots is `Dev`, the rest stays as it is.
pub(crate) fn reach_scopes<K: Ord + Clone>(
    prod_roots: impl IntoIterator<Item = K>,
    dev_roots: impl IntoIterator<Item = K>,
    edges: &BTreeMap<K, BTreeSet<K>>,
) -> BTreeMap<K, Scope> {
    let mut scopes = BTreeMap::new();
    for (roots, scope) in [
        (prod_roots.into_iter().collect::<Vec<_>>(), Scope::Required),
        (dev_roots.into_iter().collect::<Vec<_>>(), Scope::Dev),
    ] {
        let mut queue: VecDeque<K> = roots.into_iter().collect();
        while let Some(k) = queue.pop_front() {
            if scopes.contains_key(&k) {
                continue;
            }
            scopes.insert(k.clone(), scope);
            for next in edges.get(&k).into_iter().flatten() {
                if !scopes.contains_key(next) {
                    queue.push_back(next.clone());
                }
            }
        }
    }
    scopes
}

/// PEP 503 normalized Python name (`Foo_Bar` → `foo-bar`).
pub fn pep503_name(name: &str) -> String {
    pep503(name)
}

/// PEP 503 normalized Python name.
pub(crate) fn pep503(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut last_sep = false;
    for ch in name.chars() {
        if matches!(ch, '-' | '_' | '.') {
            if !last_sep {
                out.push('-');
            }
            last_sep = true;
        } else {
            out.extend(ch.to_lowercase());
            last_sep = false;
        }
    }
    out
}

//! Properties of `gatehouse-sbom`'s untrusted-input parsers: the lockfile and package-database
//! catalogers (`catalog::CATALOGERS`) and the CycloneDX/SPDX JSON readers (`format::read`).

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

use gatehouse_sbom::catalog::{CATALOGERS, Cataloger};
use gatehouse_sbom::format::{self, WriteOptions, cyclonedx, licenses, spdx};
use gatehouse_sbom::{CatalogError, Component, Hash, Sbom, Scope, Subject, purl};

/// A path each cataloger handles; every cataloger must match one (checked on use).
const PATHS: &[&str] = &[
    "app/package-lock.json",
    "app/node_modules/pkg/package.json",
    "app/yarn.lock",
    "app/pnpm-lock.yaml",
    "app/Cargo.lock",
    "app/poetry.lock",
    "app/Pipfile.lock",
    "app/requirements.txt",
    "app/uv.lock",
    "site-packages/pkg-1.0.dist-info/METADATA",
    "app/go.mod",
    "app/go.sum",
    "app/Gemfile.lock",
    "app/composer.lock",
    "app/gradle.lockfile",
    "app/pom.xml",
    "app/packages.lock.json",
    "var/lib/dpkg/status",
    "usr/lib/sysimage/rpm/rpmdb.sqlite",
    "lib/apk/db/installed",
];

/// The cataloger the first input byte selects (modulo the table's length).
pub fn cataloger(selector: u8) -> &'static Cataloger {
    let index = usize::from(selector) % CATALOGERS.len();
    &CATALOGERS[index]
}

/// A path `cataloger` matches.
pub fn path_for(cataloger: &Cataloger) -> &'static str {
    PATHS
        .iter()
        .find(|p| (cataloger.matches)(p))
        .unwrap_or_else(|| {
            panic!(
                "no path in fuzz PATHS matches cataloger `{}`: add one",
                cataloger.name
            )
        })
}

/// Runs `cataloger` on `bytes` (a sibling file read returns the same bytes, so includes and
/// `go.sum`/`package.json` lookups run too) and checks:
/// - no panic, and the same result twice (catalogers are pure functions of their input);
/// - an error names the file (the cataloged one, or an included sibling), its Display starts
///   with that name, its line and column are 1-based, it has no column without a line, and its
///   line is inside the input;
/// - components have a purl, and an SBOM of them survives CycloneDX write + read
///   ([`check_round_trip`]).
pub fn check_lockfile(cataloger: &Cataloger, bytes: &[u8]) {
    let path = path_for(cataloger);
    let requested = RefCell::new(Vec::<String>::new());
    let sibling = |name: &str| {
        requested.borrow_mut().push(name.to_owned());
        Some(bytes.to_vec())
    };
    let first = (cataloger.parse)(path, bytes, &sibling);
    let again = (cataloger.parse)(path, bytes, &sibling);
    assert!(
        first == again,
        "{}: two runs on the same input differ",
        cataloger.name
    );
    match first {
        Ok(components) => {
            for c in &components {
                assert!(!c.purl().is_empty(), "{}: empty purl", cataloger.name);
            }
            let sbom = Sbom::new(Subject::default(), components);
            check_round_trip(&sbom);
        }
        Err(e) => check_catalog_error(cataloger.name, path, &requested.borrow(), bytes, &e),
    }
}

fn check_catalog_error(
    name: &str,
    path: &str,
    siblings: &[String],
    bytes: &[u8],
    e: &CatalogError,
) {
    let shown = e.to_string();
    assert!(
        e.file == path || siblings.iter().any(|s| e.file.ends_with(s.as_str())),
        "{name}: error names `{}`, not `{path}`: {shown}",
        e.file
    );
    assert!(
        shown.starts_with(&format!("`{}`", e.file)),
        "{name}: error does not start with the file name: {shown}"
    );
    assert!(
        e.line != Some(0),
        "{name}: line 0 (lines are 1-based): {shown}"
    );
    assert!(
        e.column != Some(0),
        "{name}: column 0 (columns are 1-based): {shown}"
    );
    assert!(
        e.column.is_none() || e.line.is_some(),
        "{name}: column without a line: {e:?}"
    );
    // Some formats (YAML) also break lines at a lone CR.
    let lines = bytes.iter().filter(|b| matches!(b, b'\n' | b'\r')).count() + 1;
    if let Some(line) = e.line {
        assert!(
            line <= lines,
            "{name}: line {line} is past the end of the input ({lines} lines at most): {shown}"
        );
    }
}

/// `format::read` on arbitrary text: no panic; a document that reads is checked with
/// [`check_round_trip`].
pub fn check_document(bytes: &[u8]) {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    if let Ok(sbom) = format::read(text) {
        check_round_trip(&sbom);
    }
}

/// What a component means, compared across a round trip: its purl (the identity; ecosystem,
/// namespace, name, version, qualifiers and subpath are all in it) and every other field.
type View = (
    String,
    Scope,
    Option<bool>,
    BTreeSet<Hash>,
    BTreeSet<String>,
    BTreeSet<String>,
    BTreeSet<String>,
    BTreeSet<String>,
    BTreeMap<String, String>,
);

fn view(c: &Component) -> View {
    (
        c.purl(),
        c.scope,
        c.direct,
        c.hashes.clone(),
        written_licenses(&c.licenses),
        c.dependencies.clone(),
        c.locations.clone(),
        c.layers.clone(),
        c.properties.clone(),
    )
}

/// Licences as the CycloneDX writer spells them: one compound expression normalized, SPDX ids
/// in their canonical case (`mit` → `MIT`), other names as they are. The reader keeps what a
/// document says, so this is the one change a round trip may make.
fn written_licenses(ls: &BTreeSet<String>) -> BTreeSet<String> {
    if let [only] = ls.iter().collect::<Vec<_>>().as_slice()
        && let Some(expr) = licenses::expression(only)
        && expr.contains(' ')
    {
        return BTreeSet::from([expr]);
    }
    ls.iter()
        .map(|l| licenses::canonical_id(l).map_or_else(|| l.clone(), str::to_owned))
        .collect()
}

/// `sbom` written as CycloneDX JSON reads back (through `format::read`) to the same components,
/// field by field (licences as the writer normalizes them); written as SPDX JSON it reads back
/// to the same set of purls, less those that do not parse (a nameless `pkg:generic/` from a
/// CycloneDX component without name or purl: SPDX packages are read by their purl).
pub fn check_round_trip(sbom: &Sbom) {
    let opts = WriteOptions::default();
    let written = cyclonedx::to_string(sbom, &opts);
    let back = format::read(&written)
        .unwrap_or_else(|e| panic!("our CycloneDX output does not read back: {e}\n{written}"));
    let before: Vec<View> = sbom.components.iter().map(view).collect();
    let after: Vec<View> = back.components.iter().map(view).collect();
    assert!(
        before.len() == after.len(),
        "CycloneDX round trip: {} components became {}\nbefore: {before:#?}\nafter: {after:#?}",
        before.len(),
        after.len()
    );
    for (b, a) in before.iter().zip(&after) {
        assert!(
            b == a,
            "CycloneDX round trip changed a component\nbefore: {b:#?}\nafter: {a:#?}"
        );
    }

    let written = spdx::to_string(sbom, &opts);
    let back = format::read(&written)
        .unwrap_or_else(|e| panic!("our SPDX output does not read back: {e}\n{written}"));
    let before: BTreeSet<String> = sbom
        .components
        .iter()
        .map(Component::purl)
        .filter(|p| purl::parse(p).is_some())
        .collect();
    let after: BTreeSet<String> = back.components.iter().map(Component::purl).collect();
    assert!(
        before == after,
        "SPDX round trip changed the purls\nbefore: {before:#?}\nafter: {after:#?}"
    );
}

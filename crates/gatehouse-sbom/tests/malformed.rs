//! Bad input: every cataloger names the file and the position; truncated files and hostile
//! image tarballs give an error or a warning, never a panic or a write outside the output.

mod common;

use std::io::Write as _;

use gatehouse_sbom::catalog::{catalog_file, no_siblings};
use gatehouse_sbom::{ScanOptions, scan_path};

fn error(path: &str, text: &str) -> String {
    match catalog_file(path, text.as_bytes(), &no_siblings) {
        Some(Err(e)) => e.to_string(),
        Some(Ok(c)) => panic!("{path}: expected an error, got {} components", c.len()),
        None => panic!("{path}: no cataloger"),
    }
}

#[test]
fn errors_name_file_and_position() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "app/package-lock.json",
            "{\n  \"packages\": {\n    \"node_modules/a\": {\"version\": \"1\",,}\n",
            "`app/package-lock.json`: line 3, column",
        ),
        (
            "yarn.lock",
            "# yarn lockfile v1\n\nleft-pad@^1.0.0:\n  version \"1.3.0\"\nthis is not yarn\n",
            "`yarn.lock`: line 5: expected `descriptor",
        ),
        (
            "yarn.lock",
            "__metadata:\n  version: 6\n\"a@npm:1\": [\n",
            "`yarn.lock`: line 4, column 1",
        ),
        (
            "pnpm-lock.yaml",
            "lockfileVersion: '9.0'\npackages:\n  a@1.0.0: {resolution: {integrity: x}\n",
            "`pnpm-lock.yaml`: line 4, column 1: while parsing a flow mapping",
        ),
        (
            "Cargo.lock",
            "version = 4\n\n[[package]]\nname = \n",
            "`Cargo.lock`: line 4, column",
        ),
        (
            "poetry.lock",
            "[[package]]\nname = \"a\"\nversion = 1.0.0\n",
            "`poetry.lock`: line 3, column",
        ),
        (
            "uv.lock",
            "version = 1\n[[package]]\nversion = \"1\"\n",
            "`uv.lock`: [[package]] number 1 has no name",
        ),
        (
            "Pipfile.lock",
            "{\"default\": {\"a\": {\"version\": \"==1\"}}\n",
            "`Pipfile.lock`: line 2, column",
        ),
        (
            "requirements.txt",
            "flask==2.0\n==1.0\n",
            "`requirements.txt`: line 2: cannot read a package name",
        ),
        (
            "go.mod",
            "module x\n\nrequire (\n\tgithub.com/a/b\n)\n",
            "`go.mod`: line 4: `require github.com/a/b` needs a module path and a version",
        ),
        (
            "Gemfile.lock",
            "GEM\n  remote: https://rubygems.org/\n  specs:\n    rails 7.0\n",
            "`Gemfile.lock`: line 4: expected `name (version)`",
        ),
        (
            "composer.lock",
            "{\"packages\": [{\"name\": \"a/b\"}]}",
            "`composer.lock`: an entry in `packages` has no name or version",
        ),
        (
            "gradle.lockfile",
            "# comment\ncom.a:b=compileClasspath\n",
            "`gradle.lockfile`: line 2: expected `group:artifact:version",
        ),
        (
            "pom.xml",
            "<project>\n  <dependencies>\n    <dependency></project>\n",
            "`pom.xml`: line 3, column",
        ),
        (
            "packages.lock.json",
            "{\"version\": 1, \"dependencies\": {\"net8.0\": {\"A\": {\"type\": \"Direct\"}}}}",
            "`packages.lock.json`: `net8.0` › `A` has no `resolved` version",
        ),
        (
            "var/lib/dpkg/status",
            "Package: a\nStatus: install ok installed\nno colon here\n",
            "`var/lib/dpkg/status`: line 3: expected `Field: value`",
        ),
        (
            "lib/apk/db/installed",
            "P:a\nV:1\n\nP:b\nnonsense\n",
            "`lib/apk/db/installed`: line 5: expected `X:value`",
        ),
    ];
    for (path, text, expected) in cases {
        let e = error(path, text);
        assert!(
            e.starts_with(expected),
            "{path}:\n  got:      {e}\n  expected: {expected}…"
        );
    }
}

#[test]
fn invalid_utf8_is_reported_at_its_position() {
    let e = match catalog_file("Cargo.lock", b"version = 3\n# \xff\n", &no_siblings) {
        Some(Err(e)) => e.to_string(),
        other => panic!("{other:?}"),
    };
    assert_eq!(
        e,
        "`Cargo.lock`: line 2, column 3: not UTF-8 text; is this the right file?"
    );
}

/// Every fixture lockfile cut at many points: an error or fewer components, never a panic.
#[test]
fn truncated_lockfiles_never_panic() {
    let root = common::fixture("lockfiles");
    for entry in walkdir::WalkDir::new(&root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
    {
        let rel = entry
            .path()
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let bytes = std::fs::read(entry.path()).unwrap();
        if gatehouse_sbom::catalog::find(&rel).is_none() {
            continue;
        }
        let step = (bytes.len() / 40).max(1);
        let mut cuts: Vec<usize> = (0..bytes.len()).step_by(step).collect();
        cuts.extend(0..bytes.len().min(64));
        for cut in cuts {
            let _ = catalog_file(&rel, &bytes[..cut], &no_siblings);
        }
    }
}

fn write_temp(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let p = dir.path().join(name);
    std::fs::File::create(&p).unwrap().write_all(bytes).unwrap();
    p
}

#[test]
fn truncated_image_tarball_is_an_error() {
    let bytes = std::fs::read(common::fixture("images/alpine-npm.docker-save.tar")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    for cut in [bytes.len() / 2, bytes.len() / 3, 1024] {
        let p = write_temp(&dir, "cut.tar", &bytes[..cut]);
        let result = scan_path(&p, &ScanOptions::default());
        assert!(
            result.is_err(),
            "cut at {cut}: {:?}",
            result.map(|s| s.components.len())
        );
    }
}

#[test]
fn decompression_budget_stops_huge_layers() {
    let opts = ScanOptions {
        max_image_bytes: 100_000,
        ..ScanOptions::default()
    };
    let e = scan_path(&common::fixture("images/alpine-npm.oci"), &opts)
        .unwrap_err()
        .to_string();
    assert!(e.contains("decompression"), "{e}");
}

/// A layer tar entry with a raw name (bypassing the tar crate's own path checks).
fn raw_entry(
    builder: &mut tar::Builder<Vec<u8>>,
    name: &[u8],
    kind: tar::EntryType,
    link: Option<&[u8]>,
    data: &[u8],
) {
    let mut h = tar::Header::new_old();
    {
        let old = h.as_old_mut();
        old.name[..name.len()].copy_from_slice(name);
        if let Some(l) = link {
            old.linkname[..l.len()].copy_from_slice(l);
        }
    }
    h.set_entry_type(kind);
    h.set_size(data.len() as u64);
    h.set_mode(0o644);
    h.set_cksum();
    builder.append(&h, data).unwrap();
}

#[test]
fn hostile_layer_paths_are_contained() {
    let apk = b"P:musl\nV:1.2.2-r3\nA:x86_64\n\n";
    let mut layer = tar::Builder::new(Vec::new());
    raw_entry(
        &mut layer,
        b"../../escape/lib/apk/db/installed",
        tar::EntryType::Regular,
        None,
        apk,
    );
    raw_entry(
        &mut layer,
        b"/abs/lib/apk/db/installed",
        tar::EntryType::Regular,
        None,
        apk,
    );
    raw_entry(
        &mut layer,
        b"loop/lib/apk/db/installed",
        tar::EntryType::Symlink,
        Some(b"loop/lib/apk/db/installed"),
        b"",
    );
    raw_entry(
        &mut layer,
        b"hard/lib/apk/db/installed",
        tar::EntryType::Link,
        Some(b"abs/lib/apk/db/installed"),
        b"",
    );
    let layer = layer.into_inner().unwrap();
    let config = br#"{"rootfs":{"type":"layers","diff_ids":["sha256:0000000000000000000000000000000000000000000000000000000000000000"]}}"#;
    let manifest =
        br#"[{"Config":"config.json","RepoTags":["hostile:latest"],"Layers":["l/layer.tar"]}]"#;
    let mut image = tar::Builder::new(Vec::new());
    for (name, data) in [
        ("config.json", &config[..]),
        ("l/layer.tar", &layer[..]),
        ("manifest.json", &manifest[..]),
    ] {
        let mut h = tar::Header::new_ustar();
        h.set_path(name).unwrap();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        h.set_cksum();
        image.append(&h, data).unwrap();
    }
    let dir = tempfile::tempdir().unwrap();
    let p = write_temp(&dir, "hostile.tar", &image.into_inner().unwrap());
    let sbom = scan_path(&p, &ScanOptions::default()).unwrap();
    // The `..` entry is skipped with a warning; the absolute path is read relative to the
    // image root; the symlink is not followed; the hard link resolves inside the image.
    assert!(
        sbom.warnings.iter().any(|w| w.contains("escapes the root")),
        "{:?}",
        sbom.warnings
    );
    let locations: Vec<&String> = sbom.components.iter().flat_map(|c| &c.locations).collect();
    assert_eq!(
        locations,
        ["abs/lib/apk/db/installed", "hard/lib/apk/db/installed"]
    );
    assert!(!dir.path().join("escape").exists() && !std::path::Path::new("/abs").exists());
    let files: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(files.len(), 1, "nothing but the input in the temp dir");
}

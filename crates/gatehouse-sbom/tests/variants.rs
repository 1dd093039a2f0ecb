//! Format variants the real-world fixtures do not cover: npm lockfile v1, pnpm v5, Cargo.lock
//! v1, Poetry 1.x `[metadata.files]`, yarn with a package.json, requirements includes, go.mod
//! `replace`, dist-info METADATA, distroless dpkg `status.d`. Small inputs written after each
//! tool's documented format.

use gatehouse_sbom::catalog::{catalog_file, no_siblings};
use gatehouse_sbom::{Component, Scope};

fn parse(path: &str, text: &str) -> Vec<Component> {
    parse_with(path, text, &no_siblings)
}

fn parse_with(path: &str, text: &str, sib: &dyn Fn(&str) -> Option<Vec<u8>>) -> Vec<Component> {
    match catalog_file(path, text.as_bytes(), sib) {
        Some(Ok(c)) => c,
        Some(Err(e)) => panic!("{e}"),
        None => panic!("no cataloger for {path}"),
    }
}

fn find<'a>(comps: &'a [Component], purl: &str) -> &'a Component {
    comps.iter().find(|c| c.purl() == purl).unwrap_or_else(|| {
        panic!(
            "{purl} not in {:?}",
            comps.iter().map(Component::purl).collect::<Vec<_>>()
        )
    })
}

#[test]
fn npm_lockfile_v1_nested_and_aliases() {
    let text = r#"{
      "name": "app", "version": "1.0.0", "lockfileVersion": 1, "requires": true,
      "dependencies": {
        "a": { "version": "1.0.0", "resolved": "https://registry.npmjs.org/a/-/a-1.0.0.tgz",
               "integrity": "sha512-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==",
               "requires": { "b": "^2.0.0" },
               "dependencies": { "b": { "version": "2.0.0", "dev": true } } },
        "b": { "version": "1.0.0" },
        "@s/c": { "version": "npm:real-c@3.0.0", "optional": true }
      }
    }"#;
    let comps = parse("package-lock.json", text);
    assert_eq!(comps.len(), 4);
    let a = find(&comps, "pkg:npm/a@1.0.0");
    assert_eq!(a.scope, Scope::Required);
    assert_eq!(a.hashes.len(), 1);
    // `a` requires `b`: the nested copy (2.0.0) wins over the hoisted one.
    assert_eq!(
        a.dependencies.iter().collect::<Vec<_>>(),
        ["pkg:npm/b@2.0.0"]
    );
    assert_eq!(find(&comps, "pkg:npm/b@2.0.0").scope, Scope::Dev);
    assert_eq!(find(&comps, "pkg:npm/real-c@3.0.0").scope, Scope::Optional);
}

#[test]
fn pnpm_v5_slash_keys_and_peer_suffixes() {
    let text = "lockfileVersion: 5.4\n\nspecifiers:\n  a: ^1.0.0\n  d: ^1.0.0\n\ndependencies:\n  a: 1.0.0_react@17.0.2\n\ndevDependencies:\n  d: 1.0.0\n\npackages:\n\n  /a/1.0.0_react@17.0.2:\n    resolution: {integrity: sha512-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==}\n    dependencies:\n      '@s/b': 2.0.0\n    dev: false\n\n  /@s/b/2.0.0:\n    resolution: {integrity: sha512-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==}\n    dev: false\n\n  /d/1.0.0:\n    resolution: {integrity: sha512-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==}\n    dev: true\n";
    let comps = parse("pnpm-lock.yaml", text);
    assert_eq!(comps.len(), 3);
    let a = find(&comps, "pkg:npm/a@1.0.0");
    assert_eq!((a.scope, a.direct), (Scope::Required, Some(true)));
    assert_eq!(
        a.dependencies.iter().collect::<Vec<_>>(),
        ["pkg:npm/%40s/b@2.0.0"]
    );
    let b = find(&comps, "pkg:npm/%40s/b@2.0.0");
    assert_eq!((b.scope, b.direct), (Scope::Required, Some(false)));
    let d = find(&comps, "pkg:npm/d@1.0.0");
    assert_eq!((d.scope, d.direct), (Scope::Dev, Some(true)));
}

#[test]
fn cargo_lock_v1_metadata_checksums() {
    let sum = "a".repeat(64);
    let text = format!(
        "[[package]]\nname = \"app\"\nversion = \"0.1.0\"\ndependencies = [\n \"libc 0.2.1 (registry+https://github.com/rust-lang/crates.io-index)\",\n]\n\n[[package]]\nname = \"libc\"\nversion = \"0.2.1\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n\n[metadata]\n\"checksum libc 0.2.1 (registry+https://github.com/rust-lang/crates.io-index)\" = \"{sum}\"\n"
    );
    let comps = parse("Cargo.lock", &text);
    let libc = find(&comps, "pkg:cargo/libc@0.2.1");
    assert_eq!(
        libc.hashes.iter().next().map(|h| h.value.clone()),
        Some(sum)
    );
    assert_eq!(libc.direct, Some(true));
    assert_eq!(find(&comps, "pkg:cargo/app@0.1.0").dependencies.len(), 1);
}

#[test]
fn poetry_1_metadata_files_and_dev_category() {
    let h = "b".repeat(64);
    let text = format!(
        "[[package]]\nname = \"Requests\"\nversion = \"2.31.0\"\ncategory = \"main\"\noptional = false\n\n[package.dependencies]\nurllib3 = \">=1.21.1\"\n\n[[package]]\nname = \"urllib3\"\nversion = \"2.0.0\"\ncategory = \"main\"\noptional = false\n\n[[package]]\nname = \"pytest\"\nversion = \"7.0.0\"\ncategory = \"dev\"\noptional = false\n\n[metadata.files]\nrequests = [\n    {{file = \"requests-2.31.0.tar.gz\", hash = \"sha256:{h}\"}},\n]\n"
    );
    let comps = parse("poetry.lock", &text);
    let r = find(&comps, "pkg:pypi/requests@2.31.0");
    assert_eq!(
        r.dependencies.iter().collect::<Vec<_>>(),
        ["pkg:pypi/urllib3@2.0.0"]
    );
    assert_eq!(find(&comps, "pkg:pypi/pytest@7.0.0").scope, Scope::Dev);
    assert!(find(&comps, "pkg:pypi/urllib3@2.0.0").hashes.is_empty());
    // `[metadata.files]` keys are matched by normalized name (`Requests` ↔ `requests`).
    assert_eq!(find(&comps, "pkg:pypi/requests@2.31.0").hashes.len(), 1);
}

#[test]
fn yarn_v1_with_package_json_marks_direct_and_dev() {
    let lock = "# yarn lockfile v1\n\n\nleft-pad@^1.0.0:\n  version \"1.3.0\"\n  resolved \"https://registry.yarnpkg.com/left-pad/-/left-pad-1.3.0.tgz#5b8a3a7765dfe001261dde915589e782f8c94d1e\"\n  dependencies:\n    \"@x/util\" \"~2.0.0\"\n\n\"@x/util@~2.0.0\":\n  version \"2.0.1\"\n\njest@^29.0.0:\n  version \"29.7.0\"\n";
    let manifest =
        br#"{"dependencies": {"left-pad": "^1.0.0"}, "devDependencies": {"jest": "^29.0.0"}}"#
            .to_vec();
    let sib = move |n: &str| (n == "package.json").then(|| manifest.clone());
    let comps = parse_with("yarn.lock", lock, &sib);
    let lp = find(&comps, "pkg:npm/left-pad@1.3.0");
    assert_eq!((lp.scope, lp.direct), (Scope::Required, Some(true)));
    assert_eq!(
        lp.hashes
            .iter()
            .map(|h| h.alg.cyclonedx())
            .collect::<Vec<_>>(),
        ["SHA-1"]
    );
    assert_eq!(
        lp.dependencies.iter().collect::<Vec<_>>(),
        ["pkg:npm/%40x/util@2.0.1"]
    );
    let util = find(&comps, "pkg:npm/%40x/util@2.0.1");
    assert_eq!((util.scope, util.direct), (Scope::Required, Some(false)));
    assert_eq!(find(&comps, "pkg:npm/jest@29.7.0").scope, Scope::Dev);
}

#[test]
fn requirements_includes_markers_extras_and_unpinned() {
    let base = b"six==1.16.0\n".to_vec();
    let sib = move |n: &str| (n == "base.txt").then(|| base.clone());
    let text = "-r base.txt\n-c constraints.txt\nrequests[socks]==2.31.0 ; python_version >= \"3.8\" \\\n    --hash=sha256:58cd2187c01e70e6e26505bca751777aa9f2ee0b7f4300988b709f44e013003f\nflask>=2.0  # unpinned\n-e ./local\nhttps://example.com/pkg.whl\n";
    let comps = parse_with("requirements-dev.txt", text, &sib);
    let names: Vec<String> = comps.iter().map(Component::purl).collect();
    assert_eq!(
        names,
        [
            "pkg:pypi/six@1.16.0",
            "pkg:pypi/requests@2.31.0",
            "pkg:pypi/flask"
        ]
    );
    assert_eq!(find(&comps, "pkg:pypi/requests@2.31.0").hashes.len(), 1);
    assert_eq!(
        find(&comps, "pkg:pypi/six@1.16.0")
            .locations
            .iter()
            .next()
            .map(String::as_str),
        Some("requirements-dev.txt")
    );
}

#[test]
fn go_mod_replace_and_indirect() {
    let text = "module example.com/app\n\ngo 1.22\n\nrequire (\n\tgithub.com/Foo/bar v1.0.0\n\tgolang.org/x/text v0.3.0 // indirect\n\texample.com/local v0.0.0\n)\n\nreplace github.com/Foo/bar => github.com/fork/bar v1.0.1\nreplace example.com/local => ../local\n";
    let comps = parse("go.mod", text);
    let purls: Vec<String> = comps.iter().map(Component::purl).collect();
    assert_eq!(
        purls,
        [
            "pkg:golang/github.com/fork/bar@v1.0.1",
            "pkg:golang/golang.org/x/text@v0.3.0",
            "pkg:golang/example.com/local@v0.0.0"
        ]
    );
    assert_eq!(
        comps.iter().map(|c| c.direct).collect::<Vec<_>>(),
        [Some(true), Some(false), Some(true)]
    );
    assert_eq!(
        comps
            .last()
            .and_then(|c| c.properties.get("gatehouse:replaced-by"))
            .map(String::as_str),
        Some("../local")
    );
}

#[test]
fn dist_info_metadata() {
    let text = "Metadata-Version: 2.1\nName: Jinja2\nVersion: 3.1.2\nLicense: BSD-3-Clause\nRequires-Dist: MarkupSafe (>=2.0)\nRequires-Dist: Babel (>=2.7) ; extra == 'i18n'\n\nJinja is a template engine. License: not this one\n";
    let comps = parse(
        "usr/lib/python3/site-packages/Jinja2-3.1.2.dist-info/METADATA",
        text,
    );
    let j = find(&comps, "pkg:pypi/jinja2@3.1.2");
    assert_eq!(j.licenses.iter().collect::<Vec<_>>(), ["BSD-3-Clause"]);
    assert_eq!(
        j.properties
            .get("gatehouse:requires-dist")
            .map(String::as_str),
        Some("markupsafe")
    );
}

#[test]
fn distroless_status_d() {
    let text =
        "Package: libssl3\nVersion: 3.0.11-1~deb12u2\nArchitecture: amd64\nSource: openssl\n";
    let comps = parse("var/lib/dpkg/status.d/libssl3", text);
    let c = find(&comps, "pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64");
    assert_eq!(
        c.properties
            .get("gatehouse:source-package")
            .map(String::as_str),
        Some("openssl")
    );
    assert!(catalog_file("var/lib/dpkg/status.d/libssl3.md5sums", b"", &no_siblings).is_none());
}

#[test]
fn site_packages_edges_and_direct_references() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("usr/lib/python3/site-packages");
    for (dist, meta) in [
        (
            "Jinja2-3.1.2.dist-info",
            "Name: Jinja2\nVersion: 3.1.2\nRequires-Dist: MarkupSafe (>=2.0)\n",
        ),
        (
            "MarkupSafe-2.1.3.dist-info",
            "Name: MarkupSafe\nVersion: 2.1.3\n",
        ),
    ] {
        std::fs::create_dir_all(site.join(dist)).unwrap();
        std::fs::write(site.join(dist).join("METADATA"), meta).unwrap();
    }
    let sbom =
        gatehouse_sbom::scan_path(dir.path(), &gatehouse_sbom::ScanOptions::default()).unwrap();
    let jinja = find(&sbom.components, "pkg:pypi/jinja2@3.1.2");
    assert_eq!(
        jinja.dependencies.iter().collect::<Vec<_>>(),
        ["pkg:pypi/markupsafe@2.1.3"]
    );

    let comps = parse(
        "requirements.txt",
        "pip @ https://example.com/pip-24.0-py3-none-any.whl ; python_version > '3'\n",
    );
    assert_eq!(comps[0].purl(), "pkg:pypi/pip");
    assert_eq!(
        comps[0]
            .properties
            .get("gatehouse:resolved")
            .map(String::as_str),
        Some("https://example.com/pip-24.0-py3-none-any.whl")
    );
}

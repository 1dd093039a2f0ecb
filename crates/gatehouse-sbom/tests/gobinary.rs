//! Go binaries found by content in directory trees (fixtures: the build-info bytes of two real
//! binaries, see `fixtures/go-binary/ORIGIN.md`).

mod common;

use gatehouse_sbom::catalog::gobinary;
use gatehouse_sbom::{ScanOptions, scan_path};

#[test]
fn kubectl_build_info() {
    let bytes = std::fs::read(common::fixture("go-binary/kubectl-1.33.buildinfo.elf")).unwrap();
    let comps = gobinary::parse("usr/bin/kubectl", &bytes).unwrap();
    let purls: Vec<String> = comps.iter().map(|c| c.purl()).collect();
    assert_eq!(comps.len(), 1 + 1 + 81, "stdlib + main module + 81 deps");
    assert_eq!(purls[0], "pkg:golang/stdlib@1.24.2");
    assert_eq!(purls[1], "pkg:golang/k8s.io/kubernetes@v1.33.1");
    assert!(purls.contains(&"pkg:golang/github.com/MakeNowJust/heredoc@v1.0.0".to_owned()));
}

#[test]
fn local_replacement_keeps_the_required_module() {
    let bytes = std::fs::read(common::fixture("go-binary/go-app-stager.buildinfo.elf")).unwrap();
    let comps = gobinary::parse("go-app-stager", &bytes).unwrap();
    let purls: Vec<String> = comps.iter().map(|c| c.purl()).collect();
    // The main module is `(devel)` (built from a checkout): not a versioned component.
    assert_eq!(
        purls,
        [
            "pkg:golang/stdlib@1.22-20231128-RC02",
            "pkg:golang/gopkg.in/yaml.v2@v2.2.2"
        ]
    );
    assert_eq!(
        comps[1]
            .properties
            .get("gatehouse:replaced-by")
            .map(String::as_str),
        Some("./gopkg.in/yaml")
    );
}

#[test]
fn directory_walk_finds_executables_by_content() {
    let sbom = scan_path(&common::fixture("go-binary"), &ScanOptions::default()).unwrap();
    assert_eq!(sbom.counts().get("golang"), Some(&(83 + 2)));
    let c = sbom
        .components
        .iter()
        .find(|c| c.name == "heredoc")
        .unwrap();
    assert_eq!(
        c.locations.iter().collect::<Vec<_>>(),
        ["kubectl-1.33.buildinfo.elf"]
    );
    assert!(gobinary::parse("x", b"not a binary").unwrap().is_empty());
}

#[test]
fn truncated_build_info_never_panics() {
    let bytes = std::fs::read(common::fixture("go-binary/kubectl-1.33.buildinfo.elf")).unwrap();
    for cut in 0..bytes.len() {
        let _ = gobinary::parse("kubectl", &bytes[..cut]);
        let _ = gobinary::extract(&bytes[..cut]);
    }
}

//! Writes a keyless signature made with the test PKI (`gatehouse_attest::test_pki`) for other
//! Sigstore verifiers to check, offline: `root.json` (the CA and log key), `artifact.txt`,
//! `artifact.sigstore.json` (a bundle v0.3: DSSE statement about the artifact, Fulcio-style
//! certificate, Rekor v1 entry with SET, inclusion proof and checkpoint), `identity` and
//! `issuer`. Used by `scripts/interop.sh` (sigstore-js); not a test by itself.
//!
//!     cargo run -p gatehouse-attest --features test-support --example keyless_fixture -- DIR

use gatehouse_attest::intoto::{Statement, Subject};
use gatehouse_attest::test_pki::{Identity, TestPki};
use sha2::{Digest as _, Sha256};

fn main() {
    let dir =
        std::path::PathBuf::from(std::env::args().nth(1).expect("usage: keyless_fixture DIR"));
    let identity = "https://github.com/team/app/.github/workflows/release.yml@refs/heads/main";
    let issuer = "https://token.actions.githubusercontent.com";
    let artifact = b"release 1.0\n";
    let pki = TestPki::new();
    let signer = pki.issue(&Identity::Uri(identity.into()), issuer);
    let statement = Statement::new(
        vec![Subject::sha256(
            "artifact.txt",
            &Sha256::digest(artifact).into(),
        )],
        "https://slsa.dev/provenance/v1",
        serde_json::json!({"buildDefinition": {"buildType": "https://example.com/build", "externalParameters": {}}, "runDetails": {"builder": {"id": "https://example.com/builder"}}}),
    );
    let write = |name: &str, bytes: &[u8]| {
        std::fs::write(dir.join(name), bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
    };
    write("root.json", pki.trusted_root_json().as_bytes());
    write("artifact.txt", artifact);
    write(
        "artifact.sigstore.json",
        pki.attest(&signer, &statement).as_bytes(),
    );
    write("identity", identity.as_bytes());
    write("issuer", issuer.as_bytes());
}

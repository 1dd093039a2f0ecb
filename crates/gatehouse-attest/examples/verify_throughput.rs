//! Verification throughput: verifies Sigstore bundles N times each (default 1,000) and prints
//! bundles per second per kind. Run by `bench/attest.sh` (release build); not a test.
//!
//!     cargo run --release -p gatehouse-attest --example verify_throughput -- [N [DIR]]
//!
//! With DIR, the key-signed bundle and its public key are written there (`key.sigstore.json`,
//! `key.pub`) so that a peer verifier can be timed on the same bundle.

use std::path::Path;
use std::time::Instant;

use gatehouse_attest::KeyPair;
use gatehouse_attest::sign::sign_blob;
use gatehouse_attest::verify::{
    ArtifactInput, IdentityMatch, Options, SignerPolicy, TrustRoot, verify_bundle_with,
};

const IDENTITY: &str = "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main";
const ISSUER: &str = "https://token.actions.githubusercontent.com";

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1000);
    let suite = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sigstore-conformance");
    let read = |p: &str| std::fs::read_to_string(suite.join(p)).expect("fixture");
    let a_txt = std::fs::read(suite.join("bundle-verify/a.txt")).expect("a.txt");
    let keyless = SignerPolicy::Identity {
        identity: IdentityMatch::Exact(IDENTITY.into()),
        issuer: ISSUER.into(),
    };

    let prod = TrustRoot::from_json(&read("prod_trusted_root.json")).expect("root");
    let rekor2_root =
        TrustRoot::from_json(&read("bundle-verify/rekor2-happy-path/trusted_root.json"))
            .expect("root");
    let key = KeyPair::generate().expect("rng");
    let own = sign_blob(&key, &a_txt).expect("sign");
    if let Some(dir) = std::env::args().nth(2) {
        let dir = Path::new(&dir);
        std::fs::write(dir.join("key.sigstore.json"), &own.bundle_json).expect("write bundle");
        let pem = key.public_key().to_pem().expect("pem");
        std::fs::write(dir.join("key.pub"), pem).expect("write key");
    }
    let by_key = SignerPolicy::Key(key.public_key());
    let lax = Options {
        insecure_ignore_tlog: true,
        ..Options::default()
    };
    let empty = TrustRoot::empty().expect("root");

    let cases: Vec<(&str, &TrustRoot, String, &SignerPolicy, Options)> = vec![
        (
            "keyless v0.3, Rekor v1 (SET + inclusion proof + checkpoint)",
            &prod,
            read("bundle-verify/happy-path-v0.3/bundle.sigstore.json"),
            &keyless,
            Options::default(),
        ),
        (
            "keyless v0.3, DSSE in-toto, Rekor v1",
            &prod,
            read("bundle-verify/happy-path-intoto-in-dsse-v3/bundle.sigstore.json"),
            &keyless,
            Options::default(),
        ),
        (
            "keyless v0.3, Rekor v2 + RFC 3161 timestamp",
            &rekor2_root,
            read("bundle-verify/rekor2-happy-path/bundle.sigstore.json"),
            &keyless,
            Options::default(),
        ),
        (
            "key, gatehouse sign-blob (no tlog, --insecure-ignore-tlog)",
            &empty,
            own.bundle_json.clone(),
            &by_key,
            lax,
        ),
    ];
    println!("{n} verifications per kind (parse bundle + verify, artifact bytes in memory)");
    println!("{:<62} {:>12} {:>12}", "bundle", "bundles/s", "µs each");
    for (name, root, bundle, policy, options) in cases {
        let artifact = ArtifactInput::Bytes(a_txt.clone());
        verify_bundle_with(root, &bundle, &artifact, policy, options).expect("valid bundle");
        let start = Instant::now();
        for _ in 0..n {
            verify_bundle_with(root, &bundle, &artifact, policy, options).expect("valid bundle");
        }
        let secs = start.elapsed().as_secs_f64();
        println!(
            "{name:<62} {:>12.0} {:>12.1}",
            n as f64 / secs,
            secs * 1e6 / n as f64
        );
    }
    let start = Instant::now();
    for _ in 0..n {
        sign_blob(&key, &a_txt).expect("sign");
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{:<62} {:>12.0} {:>12.1}",
        "sign-blob (ECDSA P-256, bundle JSON)",
        n as f64 / secs,
        secs * 1e6 / n as f64
    );
}

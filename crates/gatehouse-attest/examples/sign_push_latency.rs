//! Sign + push latency against a registry on loopback: pushes a small image, then signs it N
//! times (referrer manifest + bundle blob + fallback-index update each) and verifies it, printing
//! p50/p95/max. Run by `bench/attest.sh` with the anonymous registry of
//! `scripts/start-registry.sh`; not a test.
//!
//!     cargo run --release -p gatehouse-attest --example sign_push_latency -- HOST:PORT [N]

use std::time::{Duration, Instant};

use gatehouse_attest::KeyPair;
use gatehouse_attest::oci::{COSIGN_SIGN_PREDICATE, Registry, parse_reference};
use gatehouse_attest::verify::{Options, SignerPolicy, TrustRoot};
use gatehouse_oci::test_support::push_image;
use gatehouse_oci::{ImageRef, RegistryOptions};

fn summary(name: &str, mut times: Vec<Duration>) {
    times.sort();
    let at = |q: f64| times[((times.len() as f64 - 1.0) * q).round() as usize];
    println!(
        "{name:<44} {:>5} runs  p50 {:>7.2} ms  p95 {:>7.2} ms  max {:>7.2} ms",
        times.len(),
        at(0.5).as_secs_f64() * 1e3,
        at(0.95).as_secs_f64() * 1e3,
        at(1.0).as_secs_f64() * 1e3
    );
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let mut args = std::env::args().skip(1);
    let host = args.next().expect("usage: sign_push_latency HOST:PORT [N]");
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(100);
    let repo = format!("bench/latency-{}", std::process::id());

    // A one-layer image to sign.
    let tagged = ImageRef::parse(&format!("{host}/{repo}:v1")).expect("reference");
    let client = gatehouse_oci::Registry::new(RegistryOptions::default());
    let digest = push_image(&client, &tagged, b"bench layer").await;
    let reference = parse_reference(&format!("{host}/{repo}@{digest}")).expect("ref");
    let registry = Registry::anonymous();
    let image = registry.pin(&reference, false).await.expect("pin");
    let key = KeyPair::generate().expect("key");
    println!("{host}, image {}, {n} signatures", image.digest);
    let mut sign = Vec::new();
    for _ in 0..n {
        let start = Instant::now();
        registry.sign(&image, &key).await.expect("sign");
        sign.push(start.elapsed());
    }
    summary("sign + push (referrer + fallback index)", sign);
    let mut legacy = Vec::new();
    for _ in 0..n.min(50) {
        let start = Instant::now();
        registry
            .sign_legacy(&image, &key)
            .await
            .expect("sign legacy");
        legacy.push(start.elapsed());
    }
    summary("sign + push (legacy .sig layer)", legacy);
    let root = TrustRoot::empty().expect("root");
    let policy = SignerPolicy::Key(key.public_key());
    let options = Options {
        insecure_ignore_tlog: true,
        ..Options::default()
    };
    let (mut verify, mut distinct) = (Vec::new(), 0);
    for _ in 0..10 {
        let start = Instant::now();
        let found = registry
            .verify(&image, COSIGN_SIGN_PREDICATE, &root, &policy, options)
            .await
            .expect("verify");
        verify.push(start.elapsed());
        distinct = found.len();
    }
    // Signing is deterministic (RFC 6979) and the referrer's `created` annotation has
    // one-second resolution, so signatures made within the same second are one referrer.
    summary(
        &format!("verify all {distinct} distinct referrers (list + fetch + verify)"),
        verify,
    );
}

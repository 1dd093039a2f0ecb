//! Gatehouse signing and attestation: cosign-compatible keys, Sigstore bundles (sign and
//! verify), DSSE envelopes, in-toto statements and SLSA provenance. The only crate that does
//! cryptography (see ARCHITECTURE.md).

mod cosign_v2;
pub mod dsse;
pub mod intoto;
pub mod keys;
pub mod oci;
pub mod sign;
pub mod slsa;
#[cfg(feature = "test-support")]
pub mod test_pki;
pub mod verify;
mod verify_offline;

pub use keys::{KeyError, KeyPair, PublicKey};

/// Compares two secrets (passwords, MACs) in time independent of where they differ.
pub fn secrets_equal(a: &[u8], b: &[u8]) -> bool {
    use subtle::ConstantTimeEq as _;
    a.len() == b.len() && bool::from(a.ct_eq(b))
}

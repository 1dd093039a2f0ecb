//! One module per scanner format; each exposes a unit struct implementing [`crate::Parser`].

pub mod anchore_grype;
pub mod bandit;
pub mod checkov;
pub mod cyclonedx;
pub mod dependency_check;
pub mod gatehouse;
pub mod generic;
pub mod gitleaks;
pub mod gosec;
pub mod hadolint;
pub mod kics;
pub mod npm_audit;
pub mod nuclei;
pub mod osv_scanner;
pub mod sarif;
pub mod semgrep;
pub mod snyk;
pub mod terrascan;
pub mod tfsec;
pub mod trivy;
pub mod trufflehog;
pub mod zap;

//! Matching a package to advisories (filled in below).

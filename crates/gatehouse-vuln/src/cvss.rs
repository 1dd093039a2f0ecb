//! CVSS (filled in below).

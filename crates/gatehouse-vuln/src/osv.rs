//! OSV record model (filled in below).

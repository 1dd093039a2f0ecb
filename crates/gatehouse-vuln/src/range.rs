//! OSV range evaluation (filled in below).

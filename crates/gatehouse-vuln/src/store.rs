//! The local advisory store (filled in below).

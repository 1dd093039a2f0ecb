//! Report formats: typed structures and writers that turn findings into output documents.

pub mod sarif;

//! XML reading helpers (filled in by the XML parsers).

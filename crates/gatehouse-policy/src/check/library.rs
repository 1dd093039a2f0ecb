//! The built-in rule library, embedded in the binary: one `.rego` file per rule family, each
//! registered by one line here. Helper packages live under `lib/`; `*_test.rego` files hold each
//! family's Rego unit tests (run by `gatehouse policy verify -p crates/gatehouse-policy/rules`).

/// `(path relative to rules/, source)` of every built-in module, tests excluded.
pub const MODULES: &[(&str, &str)] = &[
    (
        "lib/terraform.rego",
        include_str!("../../rules/lib/terraform.rego"),
    ),
    (
        "terraform/azure_storage.rego",
        include_str!("../../rules/terraform/azure_storage.rego"),
    ),
];

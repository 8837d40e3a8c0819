//! Every integration test but the process-killing one, in one test binary.
//!
//! Each file under `tests/` used to be its own binary, and a release build
//! compiled and linked the whole server into each of them: most of the
//! suite's time. A new test file must be named here (the test at the end
//! fails when one is not), or it would not be compiled at all.

// `on_both_engines!` and the other test macros reach every module below.
#[macro_use]
mod common;

mod abuse;
mod admin;
mod arrival_checks;
mod authorization;
mod callbacks;
mod complaints;
mod customers;
mod dashboard;
mod demo;
mod desk;
mod hardening;
mod malformed_input;
mod metrics;
mod migrations;
mod offline_sync;
mod prediction;
mod sessions;
mod startup;
mod store;
mod unsigned_closes;
mod visit_records;
mod visit_work;
mod work_orders;

/// `scale_out.rs` is a binary of its own: it kills server processes on a
/// schedule and should not share two cores with the rest of the suite.
const OWN_BINARIES: [&str; 2] = ["suite", "scale_out"];

#[test]
fn every_test_file_is_in_the_suite() {
    let tests_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let suite = include_str!("suite.rs");
    let mut missing = Vec::new();
    for entry in std::fs::read_dir(&tests_dir).expect("read the tests folder") {
        let path = entry.expect("a tests folder entry").path();
        if path.extension().and_then(|e| e.to_str()) != Some("rs") {
            continue;
        }
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        if !OWN_BINARIES.contains(&name) && !suite.contains(&format!("\nmod {name};\n")) {
            missing.push(name.to_owned());
        }
    }
    assert!(
        missing.is_empty(),
        "test files not in tests/suite.rs: {missing:?}"
    );
}

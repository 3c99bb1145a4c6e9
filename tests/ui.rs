//! Compile-time guarantees: a required param cannot be left out, ids of different kinds cannot
//! be swapped, a `Client` is not a `Handle`, a bad catalogue or a bad argument to the macro
//! fails the build saying what and where, and catalogue names that clash with generated locals
//! compile.

#[test]
fn ui() {
    // The cases are built in a crate of trybuild's, wherever the target directory is
    // (`CARGO_TARGET_DIR` included): their catalogues are found through this variable, which
    // the macro expands.
    std::env::set_var(
        "CHATRACE_UI_DIR",
        concat!(env!("CARGO_MANIFEST_DIR"), "/tests/ui"),
    );
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/missing_required_param.rs");
    cases.compile_fail("tests/ui/swapped_ids.rs");
    cases.compile_fail("tests/ui/no_deref.rs");
    cases.compile_fail("tests/ui/bad_catalogue.rs");
    cases.compile_fail("tests/ui/bad_macro_arguments.rs");
    cases.pass("tests/ui/odd_names.rs");
}

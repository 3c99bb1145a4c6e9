//! Compile-time guarantees: a required param cannot be left out, and a bad catalogue fails
//! the build with its file and line.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/missing_required_param.rs");
    cases.compile_fail("tests/ui/bad_catalogue.rs");
}

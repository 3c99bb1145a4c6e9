//! Compile-time guarantees: a required param cannot be left out, a bad catalogue fails the
//! build with its file and line, and catalogue names that clash with generated locals compile.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/missing_required_param.rs");
    cases.compile_fail("tests/ui/bad_catalogue.rs");
    cases.pass("tests/ui/odd_names.rs");
}

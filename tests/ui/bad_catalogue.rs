// A catalogue with a misspelt key and an undeclared type fails the build, naming the file and
// line of each problem. (trybuild builds this file from target/tests/trybuild/chatrace.)
chatrace_macros::generate!("$CHATRACE_UI_DIR/bad_catalogue.yaml");

fn main() {}

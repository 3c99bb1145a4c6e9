// Each wrong argument to the macro fails the build with what is wrong and where: an option that
// does not exist, an API without its feature, a malformed `feature = "..."`, a path that is not
// a string, and a `$VARIABLE` in the path that is not set.
chatrace_macros::generate!("$CHATRACE_UI_DIR/odd_names.yaml", servr);
chatrace_macros::generate!("$CHATRACE_UI_DIR/odd_names.yaml", mobile);
chatrace_macros::generate!("$CHATRACE_UI_DIR/odd_names.yaml", server(featur = "x"));
chatrace_macros::generate!("$CHATRACE_UI_DIR/odd_names.yaml", server(feature = 1));
chatrace_macros::generate!(42);
chatrace_macros::generate!("$CHATRACE_UI_NOT_SET/api-spec.yaml");

fn main() {}

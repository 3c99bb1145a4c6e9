// `Client` is not a `Handle`: its rustdoc lists the operations and the session methods alone,
// and the runtime's internals are reached through `handle()` on purpose.
fn main() {
    let client = chatrace::Client::builder()
        .base_url("http://127.0.0.1:1/")
        .build()
        .unwrap();
    let _handle: &chatrace::Handle = &client;
}

// `get_order` needs the order id: leaving it out does not compile.
fn main() {
    let client = chatrace::Client::builder()
        .base_url("http://127.0.0.1:1/")
        .build()
        .unwrap();
    let _request = client.get_order();
}

// Ids of different kinds are different types: passing a contact id where a step id is
// expected, as the wrong order of two ids would, does not compile.
use chatrace::types::{Channel, ContactId, StepId};

fn main() {
    let client = chatrace::Client::builder()
        .base_url("http://127.0.0.1:1/")
        .build()
        .unwrap();
    let contact = ContactId::new(100000000001u64);
    let step = StepId::new(1234u64);
    let _request = client.send_step(contact, step, Channel::Messenger);
}

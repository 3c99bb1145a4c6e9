//! Forms the vendor's web inbox (`original /inbox.js` at cc56335) uses beyond the collection's
//! examples: a system field set through `set_custom_field`, and the contact's last interaction
//! read beside a page of messages.

use crate::common::{client, Answer, Recorder};
use chatrace::types::*;
use chatrace::Operation as _;
use serde_json::{json, Value};

#[tokio::test]
async fn a_system_field_is_set_as_the_web_inbox_sets_a_contacts_first_name() {
    // inbox.js: {op: 'users', op1: 'custom-field', op2: 'set', ms_id: .., field_type: -1,
    // field_id: -1, value: data.first_name}
    let server = Recorder::start(Answer::json(r#"{"status":"OK"}"#)).await;
    client(&server.url)
        .set_custom_field(
            ContactId::new(2_850_008_055_041_461_u64),
            CustomFieldId::new(-1),
            CustomFieldType::System,
            "Robin",
        )
        .send()
        .await
        .expect("set");
    let body = server.last().json();
    // The collection's example sends both as text ("field_type":"0"); the values are the web
    // inbox's.
    assert_eq!(body["field_type"], json!("-1"), "{body}");
    assert_eq!(body["field_id"], json!("-1"), "{body}");
    assert_eq!(body["value"], json!("Robin"), "{body}");
    assert_eq!(CustomFieldType::from_wire(-1), CustomFieldType::System);
}

#[tokio::test]
async fn the_last_interaction_beside_a_page_of_messages_is_read() {
    // The collection's example answer of list_messages, with the key the web inbox reads beside
    // `data` (`json[0].lastInteraction`), as text and as a number.
    let example = chatrace::operations::ListMessagesRequest::META.examples[0]
        .response
        .expect("the collection's example answer");
    let example: Value = serde_json::from_str(example).expect("JSON");
    let messages = example["data"].as_array().expect("data").len();
    for sent in [json!("1688201188610"), json!(1_688_201_188_610_u64)] {
        let mut answer = example.clone();
        answer["lastInteraction"] = sent.clone();
        let server = Recorder::start(Answer::json(answer.to_string())).await;
        let page = client(&server.url)
            .list_messages(ContactId::new(2_850_008_055_041_461_u64))
            .send()
            .await
            .expect("decoded");
        let last = page.last_interaction.as_ref().expect("lastInteraction");
        assert_eq!(last.as_i64(), Some(1_688_201_188_610), "{sent}");
        assert_eq!(page.messages.as_ref().map(Vec::len), Some(messages));
        assert!(page.extra.is_empty(), "{:?}", page.extra);
    }
}

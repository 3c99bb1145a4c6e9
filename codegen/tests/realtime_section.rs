//! The catalogue's `realtime:` section: read into the model, checked with file:line errors for
//! each kind of mistake, and written back by `emit` unchanged.

use chatrace_codegen::emit::{emit, emit_over, without_positions};
use chatrace_codegen::{load_file, load_str};
use serde_json::json;

fn api_spec_text() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../api-spec.yaml"))
        .expect("the catalogue")
}

/// The project's catalogue with one edit, loaded: the errors' text.
fn errors_after(from: &str, to: &str) -> String {
    let text = api_spec_text();
    assert_eq!(
        text.matches(from).count(),
        1,
        "`{from}` is in the catalogue once"
    );
    match load_str(&text.replacen(from, to, 1), "api-spec.yaml") {
        Ok(_) => String::new(),
        Err(error) => error.to_string(),
    }
}

#[test]
fn the_section_reads_into_the_model() {
    let catalogue =
        load_file(concat!(env!("CARGO_MANIFEST_DIR"), "/../api-spec.yaml")).expect("valid");
    let realtime = catalogue
        .realtime
        .expect("the catalogue describes the socket");
    assert_eq!(realtime.url.operation, "get_whitelabel");
    assert_eq!(realtime.url.paths, ["websocket", "wsurl"]);
    assert_eq!(realtime.user.paths, ["me.fb_id"]);
    assert_eq!(realtime.contact.param, "ms_id");
    assert_eq!(
        realtime.upload.as_ref().map(|u| u.url.as_str()),
        Some("url")
    );
    assert!(realtime.reply_windows.contains(&(5, 24)));
    assert!(realtime.reply_windows.contains(&(15, 0)));
    let ways: Vec<(i64, &str)> = realtime
        .past_window
        .iter()
        .map(|w| (w.channel, w.operation.as_str()))
        .collect();
    assert_eq!(ways, [(5, "send_whatsapp_template")]);
    let names: Vec<&str> = realtime.frames.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["authenticate", "subscribe", "send"]);
    let send = realtime.frame("send").unwrap();
    assert_eq!(send.action, json!(0));
    assert_eq!(send.template["message"], json!("{parts}"));
    assert_eq!(realtime.frame("subscribe").unwrap().action, json!(-1));
    assert_eq!(realtime.part("text").unwrap()["text"], json!("{text}"));
    assert_eq!(realtime.events.at, "data");
    assert_eq!(realtime.events.ty, "InboxEvent");
}

#[test]
fn each_kind_of_mistake_is_reported_where_it_is() {
    for (from, to, expected) in [
        (
            "url: { operation: get_whitelabel,",
            "url: { operation: get_whitelable,",
            "`get_whitelable` is not an operation of the catalogue",
        ),
        (
            "user: { operation: get_current_user,",
            "user: { operation: get_contact,",
            "`get_contact` has required params",
        ),
        (
            "contact: { operation: get_contact, param: ms_id,",
            "contact: { operation: get_contact, param: contact_id,",
            "must take the contact as its only required param `contact_id`",
        ),
        (
            "hash: hash, channel: channel, last_interaction: t_last_interaction }",
            "hash: conversation_hash, channel: channel, last_interaction: t_last_interaction }",
            "`get_contact`'s answer has no field `conversation_hash`",
        ),
        (
            "user: { operation: get_current_user, path: me.fb_id }",
            "user: { operation: get_current_user, path: me.fb_idd }",
            "`get_current_user`'s answer has no `me.fb_idd`: `AdminProfile` has no field `fb_idd`",
        ),
        (
            "url: { operation: get_whitelabel, fields: [websocket, wsurl] }",
            "url: { operation: get_whitelabel, fields: [websocket, active] }",
            "`active` of `get_whitelabel`'s answer must be a string",
        ),
        (
            "channel: channel, last_interaction: t_last_interaction }",
            "channel: channel, last_interaction: email_verified }",
            "`email_verified` must be a time since 1970",
        ),
        (
            "file: file, name: file_name, url: url }",
            "file: file, name: file_name, url: link }",
            "`upload_file`'s answer has no `link`: `UploadedFile` has no field `link`",
        ),
        (
            "file: file, name: file_name, url: url }",
            "file: file, name: file_title, url: url }",
            "`upload_file` has no param `file_title`",
        ),
        (
            "    subscribe:\n      action: -1",
            "    subscrib:\n      action: -1",
            "the frame `subscribe` is missing",
        ),
        (
            "template: { platform: \"{platform}\", account_id: \"{account}\", user_id: \"{user}\", token: \"{token}\" }",
            "template: { platform: \"{platform}\", account: \"{account}\", user_id: \"{user}\", token: \"{token}\" }",
            "the template sends `account`, which `AuthenticateData` does not declare",
        ),
        (
            "text: { type: text, text: \"{text}\", dir: 0,",
            "text: { type: text, text: \"{body}\", dir: 0,",
            "unknown placeholder `{body}`",
        ),
        (
            "past_window: { \"5\": send_whatsapp_template }",
            "past_window: { \"5\": send_whatsapp_templat }",
            "`send_whatsapp_templat` is not an operation of the catalogue",
        ),
        (
            "past_window: { \"5\": send_whatsapp_template }",
            "past_window: { \"5\": list_whatsapp_templates }",
            "`list_whatsapp_templates` is a read",
        ),
        (
            "past_window: { \"5\": send_whatsapp_template }",
            "past_window: { \"15\": send_whatsapp_template }",
            "channel 15 has no reply window in `reply_windows` to be past",
        ),
        (
            "past_window: { \"5\": send_whatsapp_template }",
            "past_window: { five: send_whatsapp_template }",
            "each entry is a channel's wire value and an operation's name",
        ),
        (
            "events: { at: data, type: InboxEvent }",
            "events: { at: data, type: Channel }",
            "`Channel` is not a union or struct type",
        ),
    ] {
        let errors = errors_after(from, to);
        assert!(errors.contains(expected), "`{to}`: expected `{expected}` in:\n{errors}");
        assert!(
            errors.lines().all(|l| l.starts_with("api-spec.yaml:")),
            "every error has its file and line:\n{errors}"
        );
    }
}

#[test]
fn emit_writes_the_section_back() {
    let text = api_spec_text();
    let catalogue = load_str(&text, "api-spec.yaml").expect("valid");
    // Unchanged, the file is written back as it is, comments and all.
    assert_eq!(emit_over(&catalogue, &text), text);
    // Written from scratch, the section reads back as the same model.
    let fresh = emit(&catalogue);
    let again = load_str(&fresh, "emitted").unwrap_or_else(|e| panic!("{e}\n{fresh}"));
    assert_eq!(
        without_positions(&again).realtime,
        without_positions(&catalogue).realtime
    );
}

//! The generated SDK on the wire, against recording servers: every operation of the vendor's
//! collection, loose answers, the web inbox's forms, WhatsApp templates (with the sandbox and its socket), errors, hooks, secrets; and the checks that the metadata, the
//! README and the dependencies tell the truth. One test binary, so that the SDK is linked once.

mod common;
#[path = "common/loose.rs"]
mod loose;
#[path = "../realtime_common/mod.rs"]
mod realtime_common;
#[path = "../sandbox_common/mod.rs"]
mod sandbox_common;

mod collection_wire;
mod dependencies;
mod drift;
mod errors;
mod expansion;
mod fuzz_answers;
mod hooks;
mod operations_meta;
mod public_wire;
mod readme;
mod secrets;
mod swagger_page;
mod web_inbox;
mod whatsapp_templates;

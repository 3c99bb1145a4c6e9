//! What each operation does to the state, one module per family. [`dispatch`] matches the
//! typed request (the SDK's own `AnyRequest`) to its handler; an operation without a handler
//! answers its documented example ([`example_answer`]).

mod appointments;
mod auth;
mod catalogue;
mod contacts;
mod conversations;
mod files;
mod filters;
mod notes;
mod orders;
pub(crate) mod public;
mod saved_replies;
mod sends;
mod templates;

use chatrace::types::ContactId;
use chatrace::{AnyRequest, OperationMeta, PagingMeta};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::codes;
use crate::state::{Account, ContactRecord, State};

/// A file part the server received with the request, measured as it streamed by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ReceivedFile {
    /// The form field's name.
    pub field: String,
    /// The file name the part carried.
    pub file_name: Option<String>,
    /// The part's `Content-Type`.
    pub content_type: Option<String>,
    /// How many bytes arrived.
    pub length: u64,
    /// The FNV-1a 64 of the bytes.
    pub checksum: u64,
}

/// One call, past the session and account checks: the state, who calls, and for which
/// account.
pub(crate) struct Call<'a> {
    pub state: &'a mut State,
    /// The logged user's admin id (`None` for operations that need no session).
    pub admin_id: Option<u64>,
    /// The account of the call: the one the body names for account-scoped operations (checked
    /// to be one the user may open), the session's open account for the others.
    pub account_id: Option<u64>,
    /// The `X-ACCESS-TOKEN` the call came with.
    pub token: Option<String>,
    /// The file parts of a multipart request.
    pub files: Vec<ReceivedFile>,
    /// The server's base URL, for URLs of uploaded files.
    pub base_url: String,
    /// What the call changed in conversations, for the realtime sockets subscribed to them
    /// (sent once the call succeeds).
    pub pushes: Vec<Push>,
}

/// A change of a conversation that the realtime sockets subscribed to it hear.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Push {
    /// The contact whose conversation changed.
    pub contact_id: ContactId,
    /// What changed.
    pub change: Change,
}

/// What changed in a conversation.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Change {
    /// A new message: the conversation's newest (a flow, a step, products sent over HTTP).
    Message,
    /// A state change, as one part of a `message` event (`assign`, `live_chat`, `followup`,
    /// `archived`, `note`), made by `by` at `at_ms`.
    State {
        part: Map<String, Value>,
        by: u64,
        at_ms: i64,
    },
}

/// A successful answer.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Reply {
    /// `{"status":"OK"}` with these keys beside `status` (`data`, or `rid`, `url`...).
    Ok(Map<String, Value>),
    /// A documented example answer, as the catalogue has it (its own `status` included).
    Example(Map<String, Value>),
}

/// An error answer: `{"status":"ERROR","code":N}`. The reason is for the sandbox's traces only:
/// the real server sends no message, and neither does the sandbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ApiError {
    pub code: u16,
    pub reason: String,
    /// A code a test switched on ([`crate::PlayedErrors`]): its whole envelope is answered.
    pub played: Option<i64>,
}

impl ApiError {
    fn new(code: u16, reason: impl Into<String>) -> Self {
        ApiError {
            code,
            reason: reason.into(),
            played: None,
        }
    }

    /// The error a test switched on.
    pub fn played(code: i64) -> Self {
        ApiError {
            code: u16::try_from(code).unwrap_or(u16::MAX),
            reason: format!("error {code} switched on by a test"),
            played: Some(code),
        }
    }
    /// [`codes::INVALID_SESSION`].
    pub fn invalid_session(reason: impl Into<String>) -> Self {
        ApiError::new(codes::INVALID_SESSION, reason)
    }
    /// [`codes::REFUSED`].
    pub fn refused(reason: impl Into<String>) -> Self {
        ApiError::new(codes::REFUSED, reason)
    }
    /// [`codes::NOT_FOUND`].
    pub fn not_found(reason: impl Into<String>) -> Self {
        ApiError::new(codes::NOT_FOUND, reason)
    }
    /// [`codes::NOT_FOUND`] too: the sandbox could not complete the request (it cannot encode
    /// its own answer, or a documented example is broken).
    pub fn failed(reason: impl Into<String>) -> Self {
        ApiError::new(codes::NOT_FOUND, reason)
    }
    /// [`codes::NOT_CONNECTED`].
    pub fn not_connected(reason: impl Into<String>) -> Self {
        ApiError::new(codes::NOT_CONNECTED, reason)
    }
    /// [`codes::LOGIN_REFUSED`].
    pub fn login_refused(reason: impl Into<String>) -> Self {
        ApiError::new(codes::LOGIN_REFUSED, reason)
    }
    /// [`codes::ACCOUNT_FORBIDDEN`].
    pub fn account_forbidden(reason: impl Into<String>) -> Self {
        ApiError::new(codes::ACCOUNT_FORBIDDEN, reason)
    }
}

/// The result of a handler.
pub(crate) type Outcome = Result<Reply, ApiError>;

/// `{"status":"OK"}`.
pub(crate) fn done() -> Outcome {
    Ok(Reply::Ok(Map::new()))
}

/// `{"status":"OK","data":...}`.
pub(crate) fn data(value: &impl Serialize) -> Outcome {
    let value = serde_json::to_value(value)
        .map_err(|e| ApiError::failed(format!("cannot encode the answer: {e}")))?;
    let mut beside = Map::new();
    beside.insert("data".to_owned(), value);
    Ok(Reply::Ok(beside))
}

/// `{"status":"OK", ...}` with the keys of `value` (an object) beside `status`, for the
/// operations whose answer is the envelope itself.
pub(crate) fn envelope(value: &impl Serialize) -> Outcome {
    match serde_json::to_value(value) {
        Ok(Value::Object(map)) => Ok(Reply::Ok(map)),
        Ok(other) => Err(ApiError::failed(format!(
            "an envelope answer must be an object, not {other}"
        ))),
        Err(e) => Err(ApiError::failed(format!("cannot encode the answer: {e}"))),
    }
}

/// The answer of an operation without a handler: its first documented example answer, as the
/// catalogue has it; `{"status":"OK"}` when it documents none.
pub(crate) fn example_answer(meta: &OperationMeta) -> Outcome {
    let Some(text) = meta.examples.first().and_then(|example| example.response) else {
        return done();
    };
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(map)) => Ok(Reply::Example(map)),
        _ => Err(ApiError::failed(format!(
            "the documented answer of {} is not a JSON object",
            meta.name
        ))),
    }
}

impl Call<'_> {
    /// The logged user's admin id.
    pub fn admin_id(&self) -> Result<u64, ApiError> {
        self.admin_id
            .ok_or_else(|| ApiError::invalid_session("this operation needs a session"))
    }

    /// The account of the call.
    pub fn account(&self) -> Result<&Account, ApiError> {
        let id = self.account_id.ok_or_else(|| {
            ApiError::account_forbidden("the call has no account: log in, or send `account_id`")
        })?;
        self.state
            .accounts
            .get(&id)
            .ok_or_else(|| ApiError::account_forbidden(format!("no account {id}")))
    }

    /// The account of the call, to change it.
    pub fn account_mut(&mut self) -> Result<&mut Account, ApiError> {
        let id = self.account_id.ok_or_else(|| {
            ApiError::account_forbidden("the call has no account: log in, or send `account_id`")
        })?;
        self.state
            .accounts
            .get_mut(&id)
            .ok_or_else(|| ApiError::account_forbidden(format!("no account {id}")))
    }

    /// A contact of the account.
    pub fn contact(&self, id: &ContactId) -> Result<&ContactRecord, ApiError> {
        self.account()?
            .contacts
            .get(id.as_str())
            .ok_or_else(|| contact_not_found(id))
    }

    /// Tells the sockets of the account that `contact_id`'s conversation changed: `part` is the
    /// state change, its value nested in `data` as the vendor sends it
    /// (`{"type": "assign", "data": {"fb_id": ...}}`), to which the contact, the logged admin
    /// and the time of the change are added as `ms_id`, `from` and `timestamp`.
    pub fn push_change(&mut self, contact_id: &ContactId, part: Value) {
        let Value::Object(part) = part else {
            return;
        };
        self.pushes.push(Push {
            contact_id: contact_id.clone(),
            change: Change::State {
                part,
                by: self.admin_id.unwrap_or(0),
                at_ms: self.state.clock.saturating_mul(1000),
            },
        });
    }

    /// Tells the sockets subscribed to `contact_id`'s conversation of its newest message.
    pub fn push_message(&mut self, contact_id: &ContactId) {
        self.pushes.push(Push {
            contact_id: contact_id.clone(),
            change: Change::Message,
        });
    }

    /// A contact of the account, to change it, and the time of the change: the clock moves
    /// (only once the contact is known to exist, so a refused write leaves it where it was).
    pub fn contact_mut(&mut self, id: &ContactId) -> Result<(&mut ContactRecord, i64), ApiError> {
        self.contact(id)?;
        let now = self.state.tick();
        let contact = self
            .account_mut()?
            .contacts
            .get_mut(id.as_str())
            .ok_or_else(|| contact_not_found(id))?;
        Ok((contact, now))
    }
}

fn contact_not_found(id: &ContactId) -> ApiError {
    ApiError::not_found(format!("contact {id} not found"))
}

/// Refuses an empty (or blank) text param.
pub(crate) fn non_empty(name: &str, text: &str) -> Result<(), ApiError> {
    if text.trim().is_empty() {
        return Err(ApiError::refused(format!("`{name}` must not be empty")));
    }
    Ok(())
}

/// One page of `items`, as `offset` and `limit` ask (the operation's paging gives the default
/// and the largest page size; a page past the end is empty).
pub(crate) fn page<T: Clone>(
    items: &[T],
    offset: Option<i64>,
    limit: Option<i64>,
    paging: Option<PagingMeta>,
) -> Result<Vec<T>, ApiError> {
    let (default_limit, max_limit) = paging.map_or((20, 100), |p| {
        (i64::from(p.default_limit), i64::from(p.max_limit))
    });
    let offset = offset.unwrap_or(0);
    if offset < 0 {
        return Err(ApiError::refused(format!(
            "`offset` must be 0 or more, not {offset}"
        )));
    }
    let limit = limit.unwrap_or(default_limit);
    if limit < 1 {
        return Err(ApiError::refused(format!(
            "`limit` must be 1 or more, not {limit}"
        )));
    }
    let limit = limit.min(max_limit);
    let start = usize::try_from(offset)
        .unwrap_or(usize::MAX)
        .min(items.len());
    let end = start
        .saturating_add(usize::try_from(limit).unwrap_or(usize::MAX))
        .min(items.len());
    Ok(items[start..end].to_vec())
}

/// Whether the operation may be called without a session although it sends the token when it
/// has one: the white-label's settings, which the app reads before login.
pub(crate) fn open_before_login(request: &AnyRequest) -> bool {
    matches!(request, AnyRequest::GetWhitelabel(_))
}

/// Runs the request's operation on the state.
pub(crate) fn dispatch(call: &mut Call<'_>, request: AnyRequest) -> Outcome {
    use AnyRequest as R;
    match request {
        R::GetWhitelabel(r) => auth::get_whitelabel(call, r),
        R::RequestEmailOtp(r) => auth::request_email_otp(call, r),
        R::ValidateEmailOtp(r) => auth::validate_email_otp(call, r),
        R::LoginWithGoogle(r) => auth::login_with_google(call, r),
        R::LoginWithMicrosoft(r) => auth::login_with_microsoft(call, r),
        R::LoginWithApple(r) => auth::login_with_apple(call, r),
        R::LoginWithFacebook(r) => auth::login_with_facebook(call, r),
        R::Logout(r) => auth::logout(call, r),
        R::GetCurrentUser(r) => auth::get_current_user(call, r),
        R::RegisterDevice(r) => auth::register_device(call, r),
        R::ListConversations(r) => conversations::list_conversations(call, r),
        R::GetContact(r) => contacts::get_contact(call, r),
        R::ListMessages(r) => conversations::list_messages(call, r),
        R::ListAdmins(r) => catalogue::list_admins(call, r),
        R::ListTeams(r) => catalogue::list_teams(call, r),
        R::AssignConversation(r) => conversations::assign_conversation(call, r),
        R::ListFlows(r) => catalogue::list_flows(call, r),
        R::ListFlowSteps(r) => catalogue::list_flow_steps(call, r),
        R::SendFlow(r) => sends::send_flow(call, r),
        R::SendStep(r) => sends::send_step(call, r),
        R::ListProducts(r) => catalogue::list_products(call, r),
        R::SendProducts(r) => sends::send_products(call, r),
        R::MoveConversation(r) => conversations::move_conversation(call, r),
        R::UnassignConversation(r) => conversations::unassign_conversation(call, r),
        R::ArchiveConversation(r) => conversations::archive_conversation(call, r),
        R::FollowConversation(r) => conversations::follow_conversation(call, r),
        R::BlockConversation(r) => conversations::block_conversation(call, r),
        R::MarkConversationRead(r) => conversations::mark_conversation_read(call, r),
        R::ListTags(r) => catalogue::list_tags(call, r),
        R::RemoveTag(r) => contacts::remove_tag(call, r),
        R::ListDripCampaigns(r) => catalogue::list_drip_campaigns(call, r),
        R::ListCustomFields(r) => catalogue::list_custom_fields(call, r),
        R::CreateCustomField(r) => catalogue::create_custom_field(call, r),
        R::SetCustomField(r) => contacts::set_custom_field(call, r),
        R::DeleteCustomFieldValue(r) => contacts::delete_custom_field_value(call, r),
        R::GenerateAiResponse(r) => conversations::generate_ai_response(call, r),
        R::AddNote(r) => notes::add_note(call, r),
        R::UpdateNote(r) => notes::update_note(call, r),
        R::DeleteNote(r) => notes::delete_note(call, r),
        R::DeleteContact(r) => contacts::delete_contact(call, r),
        R::ListSavedReplies(r) => saved_replies::list_saved_replies(call, r),
        R::AddSavedReply(r) => saved_replies::add_saved_reply(call, r),
        R::UpdateSavedReply(r) => saved_replies::update_saved_reply(call, r),
        R::DeleteSavedReply(r) => saved_replies::delete_saved_reply(call, r),
        R::UploadFile(r) => files::upload_file(call, r),
        R::ListMessengerLists(r) => catalogue::list_messenger_lists(call, r),
        R::ListCalendars(r) => catalogue::list_calendars(call, r),
        R::ListAppointments(r) => appointments::list_appointments(call, r),
        R::CancelAppointment(r) => appointments::cancel_appointment(call, r),
        R::DeleteAppointment(r) => appointments::delete_appointment(call, r),
        R::ListOrders(r) => orders::list_orders(call, r),
        R::GetOrder(r) => orders::get_order(call, r),
        R::UpdateOrder(r) => orders::update_order(call, r),
        R::ListGbmLocations(r) => catalogue::list_gbm_locations(call, r),
        R::ListWhatsappTemplates(r) => templates::list_whatsapp_templates(call, r),
        R::ListWhatsappTemplateNames(r) => templates::list_whatsapp_template_names(call, r),
        R::SendWhatsappTemplate(r) => templates::send_whatsapp_template(call, r),
        // Reached by an operation the catalogue gained after these handlers were written: it
        // answers its documented example, so that the sandbox keeps building and answering.
        #[allow(unreachable_patterns)]
        other => example_answer(other.meta()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chatrace::{
        Auth, BodyEncoding, ExampleMeta, OperationKind, Provenance, ResponseIn, Scope, WireAs,
    };
    use serde_json::json;

    /// An operation the sandbox has no handler for, with `examples`.
    fn meta(examples: &'static [ExampleMeta]) -> OperationMeta {
        OperationMeta {
            name: "list_widgets",
            title: "Get list of widgets",
            summary: "Lists the widgets.",
            api: chatrace::Api::Mobile,
            http: None,
            provenance: Provenance::Collection,
            inferred: &[],
            kind: OperationKind::Read,
            discriminators: &[("op", "widgets"), ("op1", "get")],
            auth: Auth::Token,
            scope: Scope::Account,
            account_as: WireAs::Number,
            session: None,
            body: BodyEncoding::Json,
            retry_safe: true,
            constants: &[],
            params: &[],
            paging: None,
            response: Some(chatrace::TypeShape::List(&chatrace::TypeShape::Struct {
                name: "Widget",
            })),
            response_in: ResponseIn::Data,
            examples,
        }
    }

    fn example(response: Option<&'static str>) -> ExampleMeta {
        ExampleMeta {
            name: "Example",
            headers: &[],
            request: r#"{"op":"widgets","op1":"get"}"#,
            response,
            renamed: &[],
        }
    }

    #[test]
    fn an_operation_without_a_handler_answers_its_first_example() {
        static TWO: [ExampleMeta; 2] = [
            ExampleMeta {
                name: "First",
                headers: &[],
                request: "{}",
                response: Some(r#"{ "status": "OK", "data": [ {"id": "7", "name": "Dial"} ] }"#),
                renamed: &[],
            },
            ExampleMeta {
                name: "Second",
                headers: &[],
                request: "{}",
                response: Some(r#"{"status":"OK","data":[]}"#),
                renamed: &[],
            },
        ];
        let answer = example_answer(&meta(&TWO)).unwrap();
        let expected = json!({"status": "OK", "data": [{"id": "7", "name": "Dial"}]});
        assert_eq!(
            answer,
            Reply::Example(expected.as_object().unwrap().clone())
        );
    }

    #[test]
    fn the_fallback_without_an_answer_is_ok_and_a_broken_one_an_error() {
        assert_eq!(example_answer(&meta(&[])), done());
        static NONE: [ExampleMeta; 1] = [ExampleMeta {
            name: "No answer",
            headers: &[],
            request: "{}",
            response: None,
            renamed: &[],
        }];
        assert_eq!(example_answer(&meta(&NONE)), done());
        let broken = Box::leak(Box::new([example(Some("<html>"))]));
        assert_eq!(
            example_answer(&meta(broken)).map_err(|e| e.code),
            Err(codes::NOT_FOUND)
        );
    }

    #[test]
    fn every_operation_of_the_catalogue_has_an_example_answer_to_fall_back_on() {
        // An inferred operation has no vendor example; it has a handler instead.
        let documented = chatrace::OPERATIONS
            .iter()
            .filter(|meta| meta.provenance != Provenance::Inferred);
        for meta in documented {
            match example_answer(meta) {
                Ok(Reply::Example(map)) => {
                    assert_eq!(map.get("status"), Some(&json!("OK")), "{}", meta.name)
                }
                other => panic!("{}: {other:?}", meta.name),
            }
        }
    }

    #[test]
    fn pages_clamp_and_refuse_nonsense() {
        let items: Vec<u32> = (0..45).collect();
        let paging = Some(PagingMeta {
            offset: "offset",
            limit: "limit",
            items: None,
            default_limit: 20,
            max_limit: 30,
        });
        assert_eq!(page(&items, None, None, paging).map(|p| p.len()), Ok(20));
        assert_eq!(
            page(&items, Some(40), None, paging),
            Ok(vec![40, 41, 42, 43, 44])
        );
        assert_eq!(page(&items, Some(99), Some(5), paging), Ok(vec![]));
        assert_eq!(
            page(&items, None, Some(500), paging).map(|p| p.len()),
            Ok(30)
        );
        assert_eq!(
            page(&items, Some(-1), None, paging).map_err(|e| e.code),
            Err(codes::REFUSED)
        );
        assert_eq!(
            page(&items, None, Some(0), paging).map_err(|e| e.code),
            Err(codes::REFUSED)
        );
    }
}

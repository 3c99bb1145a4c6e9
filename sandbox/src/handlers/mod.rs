//! What each operation does to the state, one module per family. [`dispatch`] matches the
//! typed request (the SDK's own `AnyRequest`) to its handler.

mod appointments;
mod auth;
mod catalogue;
mod contacts;
mod conversations;
mod files;
mod notes;
mod orders;
mod saved_replies;

use chatrace::{AnyRequest, PagingMeta};
use serde::Serialize;
use serde_json::Value;

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

/// One call, authenticated: the state, who calls, and for which account.
pub(crate) struct Call<'a> {
    pub state: &'a mut State,
    /// The logged user (`None` for operations without auth).
    pub user_id: Option<u64>,
    /// The account of account-scoped operations (already checked to be the user's).
    pub account_id: Option<u64>,
    /// The session token the call came with.
    pub token: Option<String>,
    /// The file parts of a multipart request.
    pub files: Vec<ReceivedFile>,
    /// The server's base URL, for URLs of uploaded files.
    pub base_url: String,
}

/// A successful answer.
#[derive(Debug)]
pub(crate) enum Reply {
    /// `{"status":"OK"}`.
    Done,
    /// `{"status":"OK","data":...}`.
    Data(Value),
}

impl Reply {
    /// `data` holding `value`.
    pub fn data(value: &impl Serialize) -> Result<Reply, ApiError> {
        serde_json::to_value(value)
            .map(Reply::Data)
            .map_err(|e| ApiError::internal(format!("cannot encode the answer: {e}")))
    }
}

/// An error envelope: `{"status":"ERROR","code":...,"message":...}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ApiError {
    pub code: u16,
    pub message: String,
}

impl ApiError {
    pub fn new(code: u16, message: impl Into<String>) -> Self {
        ApiError {
            code,
            message: message.into(),
        }
    }
    /// 400: the request does not make sense.
    pub fn bad_request(message: impl Into<String>) -> Self {
        ApiError::new(400, message)
    }
    /// 401: no session, or not a live one.
    pub fn unauthorized(message: impl Into<String>) -> Self {
        ApiError::new(401, message)
    }
    /// 403: the user may not do this.
    pub fn forbidden(message: impl Into<String>) -> Self {
        ApiError::new(403, message)
    }
    /// 404: no such thing.
    pub fn not_found(message: impl Into<String>) -> Self {
        ApiError::new(404, message)
    }
    /// 500: the sandbox failed.
    pub fn internal(message: impl Into<String>) -> Self {
        ApiError::new(500, message)
    }
}

/// The result of a handler.
pub(crate) type Outcome = Result<Reply, ApiError>;

impl Call<'_> {
    /// The account of the call.
    pub fn account(&self) -> Result<&Account, ApiError> {
        let id = self
            .account_id
            .ok_or_else(|| ApiError::bad_request("`account_id` is required"))?;
        self.state
            .accounts
            .get(&id)
            .ok_or_else(|| ApiError::forbidden(format!("no access to account {id}")))
    }

    /// The logged user.
    pub fn user(&self) -> Result<&crate::state::User, ApiError> {
        let id = self.user_id()?;
        self.state
            .users
            .get(&id)
            .ok_or_else(|| ApiError::unauthorized("the session's user no longer exists"))
    }

    /// The account of the call, to change it.
    pub fn account_mut(&mut self) -> Result<&mut Account, ApiError> {
        let id = self
            .account_id
            .ok_or_else(|| ApiError::bad_request("`account_id` is required"))?;
        self.state
            .accounts
            .get_mut(&id)
            .ok_or_else(|| ApiError::forbidden(format!("no access to account {id}")))
    }

    /// The logged user's id.
    pub fn user_id(&self) -> Result<u64, ApiError> {
        self.user_id
            .ok_or_else(|| ApiError::unauthorized("this operation needs a session"))
    }

    /// A contact of the account.
    pub fn contact(&self, id: u64) -> Result<&ContactRecord, ApiError> {
        self.account()?
            .contacts
            .get(&id)
            .ok_or_else(|| contact_not_found(id))
    }

    /// A contact of the account, to change it; the clock moves (a write).
    pub fn contact_mut(&mut self, id: u64) -> Result<(&mut ContactRecord, i64), ApiError> {
        // Check first, so that a failed write does not move the clock.
        self.contact(id)?;
        let now = self.state.tick();
        let contact = self
            .account_mut()?
            .contacts
            .get_mut(&id)
            .ok_or_else(|| contact_not_found(id))?;
        Ok((contact, now))
    }
}

fn contact_not_found(id: u64) -> ApiError {
    ApiError::not_found(format!("contact {id} not found"))
}

/// One page of `items`, as `offset` and `limit` ask (the operation's paging gives the default
/// and the largest page size).
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
        return Err(ApiError::bad_request(format!(
            "`offset` must be 0 or more, not {offset}"
        )));
    }
    let limit = limit.unwrap_or(default_limit);
    if limit < 1 {
        return Err(ApiError::bad_request(format!(
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
        R::SendFlow(r) => conversations::send_flow(call, r),
        R::SendStep(r) => conversations::send_step(call, r),
        R::ListProducts(r) => catalogue::list_products(call, r),
        R::SendProducts(r) => conversations::send_products(call, r),
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
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_clamp_and_refuse_nonsense() {
        let items: Vec<u32> = (0..45).collect();
        let paging = Some(PagingMeta {
            offset: "offset",
            limit: "limit",
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
            Err(400)
        );
        assert_eq!(
            page(&items, None, Some(0), paging).map_err(|e| e.code),
            Err(400)
        );
    }
}

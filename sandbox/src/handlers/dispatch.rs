//! Which handler runs a request: [`dispatch`] matches the typed request (the SDK's own
//! `AnyRequest`) to its handler; an operation without a handler answers its documented
//! example ([`example_answer`]).

use chatrace::{AnyRequest, OperationMeta};
use serde_json::Value;

use super::{
    appointments, auth, catalogue, contacts, conversations, files, notes, orders, saved_replies,
    sends, templates,
};
use crate::call::{done, ApiError, Call, Outcome, Reply};

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
    use crate::codes;
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
}

//! The realtime module (`Client::realtime`), from the catalogue's `realtime` section: it
//! declares the catalogue's side of the runtime's session (frame markers, templates, reply
//! windows, the lookups as typed calls of the client) and the public `Realtime` and
//! `RealtimeBuilder`, whose methods each make one call into the runtime's session.

use super::docs::doc_attr;
use super::tokens::{ident, rust_type_in};
use crate::model::*;
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

/// The type of the field that a template fills with the placeholder `{name}`, in the struct
/// type `data` (a whole-value placeholder on a member).
fn template_field_type<'a>(
    catalogue: &'a Catalogue,
    template: &serde_json::Value,
    data: &str,
    name: &str,
) -> Option<&'a TypeRef> {
    let wanted = format!("{{{name}}}");
    let (key, _) = template
        .as_object()?
        .iter()
        .find(|(_, value)| value.as_str() == Some(wanted.as_str()))?;
    match &catalogue.type_named(data)?.kind {
        TypeKind::Struct { fields } => fields.iter().find(|f| &f.wire == key).map(|f| &f.ty),
        _ => None,
    }
}

/// The struct type of a union's variant named by a part template's tag.
fn part_variant_type<'a>(
    catalogue: &'a Catalogue,
    union_name: &str,
    template: &serde_json::Value,
) -> Option<&'a str> {
    let TypeKind::Union(union) = &catalogue.type_named(union_name)?.kind else {
        return None;
    };
    let tag = match template.get(&union.tag) {
        Some(tag) => tag.as_str()?,
        None => union.untagged_variant(|member| template.get(member).is_some())?,
    };
    union
        .variants
        .iter()
        .find(|v| v.tag_value == tag)
        .map(|v| v.ty.as_str())
}

/// An expression of type `Option<&T>`: the value at the dotted wire `path` of `answer`, a value
/// of type `ty`, read through the typed fields (`None` when a step is absent). A path that
/// does not resolve (the catalogue's checks refuse it) reads as `None`.
fn field_access(
    catalogue: &Catalogue,
    ty: &TypeRef,
    path: &str,
    answer: &TokenStream,
) -> TokenStream {
    let Ok(fields) = catalogue.field_path(ty, path) else {
        return quote!(None);
    };
    let mut access: Option<TokenStream> = None;
    for field in fields {
        let rust = ident(&field.rust);
        access = Some(match (access, field.required) {
            (None, true) => quote!(Some(&#answer.#rust)),
            (None, false) => quote!(#answer.#rust.as_ref()),
            (Some(at), true) => quote!(#at.map(|value| &value.#rust)),
            (Some(at), false) => quote!(#at.and_then(|value| value.#rust.as_ref())),
        });
    }
    access.unwrap_or_else(|| quote!(None))
}

/// The Rust type at the dotted wire `path` of a value of type `ty`, if it resolves.
fn path_type(catalogue: &Catalogue, ty: &TypeRef, path: &str) -> Option<TokenStream> {
    let fields = catalogue.field_path(ty, path).ok()?;
    fields.last().map(|f| rust_type_in(&f.ty, &quote!(types)))
}

/// The realtime module: the catalogue's side of the runtime's session, and the public
/// connection and builder that wrap it. What a frame holds comes from the catalogue's
/// templates; what the lookups answer is read through the typed fields of their answers.
pub(super) fn realtime_module(
    catalogue: &Catalogue,
    realtime: &Realtime,
    cfg: TokenStream,
) -> TokenStream {
    let module_doc = doc_attr(&format!(
        // A module's outer docs resolve links in the parent module: hence `realtime::`.
        "{}\n\nMade by [`Client::realtime`](super::Client::realtime): it finds the socket's URL, \
         authenticates with the client's session, and gives a [`Realtime`](realtime::Realtime) \
         connection that sends messages to contacts and a stream of what happens in the inbox. \
         It reconnects after a drop (and says so in its events), re-authenticates and \
         re-subscribes; a message that cannot be confirmed is reported, never sent twice.",
        realtime.doc.trim()
    ));
    let event_ty = ident(&realtime.events.ty);
    let at = &realtime.events.at;
    let frame_marker = |frame: RealtimeFrame| format_ident!("{}Frame", frame.variant_name());
    let frames = realtime.frames.iter().filter_map(|frame| {
        let marker = frame_marker(RealtimeFrame::from_spelling(&frame.name)?);
        let action = frame.action.to_string();
        let name = &frame.name;
        let template = frame.template.to_string();
        let data = ident(&frame.data);
        let doc = format!(
            "The `{name}` frame: `{{\"action\": {action}, \"data\": ...}}`, its data checked as [`{0}`](super::types::{0}).",
            frame.data
        );
        Some(quote! {
            #[doc = #doc]
            enum #marker {}

            impl rt::FrameSpec for #marker {
                const NAME: &'static str = #name;
                const ACTION: &'static str = #action;
                const TEMPLATE: &'static str = #template;
                type Data = types::#data;
            }
        })
    });
    let frame_types = RealtimeFrame::ALL.iter().map(|&frame| {
        let (assoc, marker) = (
            format_ident!("{}Frame", frame.variant_name()),
            frame_marker(frame),
        );
        quote!(type #assoc = #marker;)
    });
    let parts = realtime.parts.iter().filter_map(|(name, template)| {
        let part = format_ident!("{}", RealtimePart::from_spelling(name)?.variant_name());
        let text = template.to_string();
        Some(quote!((rt::RealtimePart::#part, #text)))
    });
    let windows = realtime.reply_windows.iter().map(|(channel, hours)| {
        let channel = Literal::i64_unsuffixed(*channel);
        quote!((#channel, #hours))
    });
    let past_window = realtime.past_window.iter().map(|way| {
        let (channel, operation) = (Literal::i64_unsuffixed(way.channel), &way.operation);
        quote!((#channel, #operation))
    });
    let auth_frame = realtime.frame(RealtimeFrame::Authenticate.spelling());
    // The builder's platform: the type of the field the authenticate template fills with it.
    let platform_ty = auth_frame
        .and_then(|f| template_field_type(catalogue, &f.template, &f.data, "platform"))
        .map(|ty| rust_type_in(ty, &quote!(types)));
    let platform_setter = platform_ty.as_ref().map(|ty| {
        quote! {
            /// The platform the app runs on, sent when authenticating and with each message
            /// (not sent when not set).
            #[inline]
            pub fn platform(self, platform: #ty) -> Self {
                RealtimeBuilder(self.0.platform(platform))
            }
        }
    });
    let platform_ty = platform_ty.unwrap_or_else(|| quote!(::serde_json::Value));
    // The contact's id type and the channel's type, from the contact operation.
    let contact_op = catalogue.operation_named(&realtime.contact.operation);
    let contact_param = contact_op.and_then(|op| op.param(&realtime.contact.param));
    let contact_ty = contact_param
        .map(|p| rust_type_in(&p.ty, &quote!(types)))
        .unwrap_or_else(|| quote!(runtime::Id));
    let contact_method = contact_op.map(|op| ident(&op.name));
    let contact_response = contact_op.and_then(|op| op.response.as_ref());
    let contact_field = |wire: &str| -> Option<&Field> {
        match &catalogue.type_named(contact_response?.named()?)?.kind {
            TypeKind::Struct { fields } => fields.iter().find(|f| f.wire == wire),
            _ => None,
        }
    };
    let channel_ty = contact_field(&realtime.contact.channel)
        .map(|f| rust_type_in(&f.ty, &quote!(types)))
        .unwrap_or_else(|| quote!(::serde_json::Value));
    // The module's example: the send/watch loop, in the catalogue's own types.
    let example_doc = {
        let in_crate = quote!(chatrace::types);
        let contact_path = contact_param
            .map(|p| rust_type_in(&p.ty, &in_crate).to_string())
            .unwrap_or_else(|| "chatrace::Id".to_owned());
        let channel_path = contact_field(&realtime.contact.channel)
            .map(|f| rust_type_in(&f.ty, &in_crate).to_string())
            .unwrap_or_else(|| "serde_json::Value".to_owned());
        let send = if realtime.part("text").is_some() {
            "realtime.send_text(&contact, channel, \"Your order shipped!\").await?;\n"
        } else {
            ""
        };
        doc_attr(&format!(
            "\n# Example\n\nSubscribe to a contact's conversation, send them a text, and print \
             what happens:\n\n```no_run\n\
             # async fn run(client: chatrace::Client, contact: {contact_path}, channel: {channel_path}) \
             -> Result<(), chatrace::realtime::RealtimeError> {{\n\
             use chatrace::realtime::RealtimeEvent;\nuse futures::StreamExt;\n\n\
             let realtime = client.realtime().connect().await?; // finds the socket, authenticates\n\
             let mut events = realtime.events();\n\
             realtime.subscribe(&contact).await?; // sent again after each reconnect\n\
             {send}\
             while let Some(event) = events.next().await {{\n\
             \x20   match event {{\n\
             \x20       RealtimeEvent::Event(event) => println!(\"{{event:?}}\"), // messages, changes, seen...\n\
             \x20       other => eprintln!(\"{{other:?}}\"), // disconnected, reconnected...\n\
             \x20   }}\n\
             }}\n\
             # Ok(()) }}\n```"
        ))
    };
    // The lookups, each one call of the client and a read of the typed answer.
    let answer = quote!(answer);
    let answer_of = |op: Option<&Operation>| op.and_then(|op| op.response.clone());
    let url_op = catalogue.operation_named(&realtime.url.operation);
    let url_method = ident(&realtime.url.operation);
    let url_reads = answer_of(url_op).map(|ty| {
        let reads = realtime
            .url
            .paths
            .iter()
            .map(|path| field_access(catalogue, &ty, path, &answer));
        quote!(rt::first_text::<String>([#(#reads),*]))
    });
    let user_op = catalogue.operation_named(&realtime.user.operation);
    let user_method = ident(&realtime.user.operation);
    let user_path = realtime.user.paths.first().cloned().unwrap_or_default();
    let user_ty = answer_of(user_op)
        .and_then(|ty| path_type(catalogue, &ty, &user_path))
        .unwrap_or_else(|| quote!(::serde_json::Value));
    let user_read = answer_of(user_op).map(|ty| field_access(catalogue, &ty, &user_path, &answer));
    let contact_reads = contact_response.map(|ty| {
        let contact = &realtime.contact;
        let [hash, channel, last] = [&contact.hash, &contact.channel, &contact.last_interaction]
            .map(|wire| field_access(catalogue, ty, wire, &answer));
        quote!(|answer| rt::ContactFacts::read(#hash, #channel, #last))
    });
    // The type of the parts a message holds: the list the send template fills with `{parts}`.
    let part_union = realtime
        .frame(RealtimeFrame::Send.spelling())
        .and_then(|f| template_field_type(catalogue, &f.template, &f.data, "parts"))
        .and_then(|ty| match ty {
            TypeRef::List(inner) => inner.named().map(str::to_owned),
            _ => None,
        });
    let part_ty = part_union
        .as_deref()
        .map(ident)
        .unwrap_or_else(|| ident("MessagePart"));
    let part_errors = doc_attr(
        "# Errors\n\n\
         The contact cannot be looked up, is outside the channel's reply window (nothing\n\
         is sent), the message does not fit the catalogue's types, or the send is not\n\
         confirmed (it is not sent again).",
    );
    let send_text = realtime.part("text").map(|_| {
        quote! {
            /// Sends a text to a contact on a channel.
            ///
            #part_errors
            #[inline]
            pub async fn send_text(&self, contact: &#contact_ty, channel: #channel_ty, text: &str) -> Result<(), rt::RealtimeError> {
                self.0.send_text(contact, &channel, text).await
            }
        }
    });
    let reply_ty = realtime
        .part("reply")
        .zip(part_union.as_deref())
        .and_then(|(template, union)| {
            let variant = part_variant_type(catalogue, union, template)?;
            template_field_type(catalogue, template, variant, "replying_to")
        })
        .map(|ty| rust_type_in(ty, &quote!(types)))
        .unwrap_or_else(|| quote!(runtime::Id));
    let send_reply = realtime.part("reply").map(|_| {
        quote! {
            /// Sends a text that answers one of the conversation's messages.
            ///
            #part_errors
            #[inline]
            pub async fn reply(&self, contact: &#contact_ty, channel: #channel_ty, replying_to: &#reply_ty, text: &str) -> Result<(), rt::RealtimeError> {
                self.0.reply(contact, &channel, replying_to, text).await
            }
        }
    });
    let upload = realtime.upload.as_ref().zip(realtime.part("file")).and_then(|(upload, _)| {
        let op = catalogue.operation_named(&upload.operation)?;
        let method = ident(&op.name);
        let kind_ty = rust_type_in(&op.param(&upload.kind)?.ty, &quote!(types));
        // The file's own name goes in the param that takes it, when the upload names one.
        let name_param = upload.name.as_ref().and_then(|name| op.param(name));
        let args = op.params.iter().filter(|p| p.required).map(|p| {
            if p.wire == upload.kind {
                quote!(kind.clone())
            } else if p.wire == upload.contact {
                quote!(contact.clone())
            } else if name_param.is_some_and(|name| name.wire == p.wire) {
                quote!(name.clone().unwrap_or_default())
            } else {
                quote!(file)
            }
        });
        let name = name_param.map(|_| quote! { let name = file.file_name().map(String::from); });
        let set_name = name_param.filter(|p| !p.required).map(|p| {
            let setter = ident(&p.rust);
            quote! { let call = match name { Some(name) => call.#setter(name), None => call }; }
        });
        let url = field_access(catalogue, op.response.as_ref()?, &upload.url, &answer);
        let spec = quote! {
            impl rt::Uploads for Spec {
                type Kind = #kind_ty;

                #[inline]
                async fn upload(&self, contact: &#contact_ty, kind: &#kind_ty, file: runtime::FileUpload) -> Result<Option<String>, runtime::Error> {
                    #name
                    let call = self.0.#method(#(#args),*);
                    #set_name
                    call.send().await.map(|answer| rt::first_text::<String>([#url]))
                }
            }
        };
        let method = quote! {
            /// Sends a file to a contact: uploads it with the upload operation, then sends a
            /// file part with its URL.
            ///
            /// # Errors
            ///
            /// As [`send_text`](Self::send_text), and the upload's errors.
            #[inline]
            pub async fn send_file(&self, contact: &#contact_ty, channel: #channel_ty, kind: #kind_ty, file: runtime::FileUpload) -> Result<(), rt::RealtimeError> {
                self.0.send_file(contact, &channel, &kind, file).await
            }
        };
        Some((spec, method))
    });
    let (upload_spec, send_file) = upload.unzip();
    let prelude = super::tokens::module_prelude();
    let events_doc = doc_attr(&format!(
        "What happens from now on: messages, state changes, seen and delivered (as \
         [`types::{0}`](super::types::{0})), and the connection's own news (dropped, reconnected).",
        realtime.events.ty
    ));
    quote! {
        #cfg
        #module_doc
        #example_doc
        pub mod realtime {
            #prelude
            use super::{types, Client};
            use ::chatrace_runtime::realtime as rt;

            // What the signatures below name, so that a user of this crate alone can name it.
            pub use ::chatrace_runtime::realtime::{Connection, RealtimeError, RealtimeEvent, RealtimeOptions};

            impl rt::EventFrame for types::#event_ty {
                const AT: &'static str = #at;
            }

            #(#frames)*

            /// The catalogue's side of the runtime's session: its types, templates and reply
            /// windows, and its lookups as calls of the client.
            #[derive(Debug)]
            struct Spec(Client);

            impl rt::Inbox for Spec {
                type Contact = #contact_ty;
                type Channel = #channel_ty;
                type User = #user_ty;
                type Platform = #platform_ty;
                type Part = types::#part_ty;
                type Event = types::#event_ty;
                #(#frame_types)*

                const PARTS: &'static [(rt::RealtimePart, &'static str)] = &[#(#parts),*];
                /// Hours a contact stays reachable after they last wrote, by channel wire value,
                /// and the operation that still reaches them past the window.
                const REPLY_WINDOWS: rt::ReplyWindows = rt::ReplyWindows {
                    hours: &[#(#windows),*],
                    past_window: &[#(#past_window),*],
                };

                #[inline]
                fn handle(&self) -> &runtime::Handle {
                    self.0.handle()
                }

                #[inline]
                async fn socket_url(&self) -> Result<Option<String>, runtime::Error> {
                    self.0.#url_method().send().await.map(|answer| #url_reads)
                }

                #[inline]
                async fn logged_user(&self) -> Result<Option<#user_ty>, runtime::Error> {
                    self.0.#user_method().send().await.map(|answer| #user_read.cloned())
                }

                #[inline]
                async fn contact(&self, contact: &#contact_ty) -> Result<rt::ContactFacts, rt::RealtimeError> {
                    self.0.#contact_method(contact.clone()).send().await.map_err(rt::RealtimeError::call).and_then(#contact_reads)
                }
            }

            #upload_spec

            impl Client {
                /// The inbox's realtime socket: sends messages to contacts, and hears new
                /// messages and changes as they happen. `connect().await` finds the socket,
                /// authenticates with this client's session (log in first) and its default
                /// account.
                #[inline]
                pub fn realtime(&self) -> RealtimeBuilder {
                    RealtimeBuilder(rt::SessionBuilder::new(Spec(self.clone())))
                }
            }

            /// Connects to the realtime socket; made by [`Client::realtime`].
            #[derive(Debug)]
            #[must_use = "nothing connects until `connect().await`"]
            pub struct RealtimeBuilder(rt::SessionBuilder<Spec>);

            impl RealtimeBuilder {
                #platform_setter

                /// The connection's options: reconnection, timeouts, event buffer.
                #[inline]
                pub fn options(self, options: rt::RealtimeOptions) -> Self {
                    RealtimeBuilder(self.0.options(options))
                }

                /// Finds the socket's URL, the logged user and the account, connects and
                /// authenticates.
                ///
                /// # Errors
                ///
                /// A lookup call fails, the client has no session or no default account, or the
                /// socket cannot be reached.
                #[inline]
                pub async fn connect(self) -> Result<Realtime, rt::RealtimeError> {
                    self.0.connect().await.map(Realtime)
                }
            }

            /// A live connection to the realtime socket: cheap to clone; every clone sends on
            /// the same socket. Made by [`RealtimeBuilder::connect`].
            #[derive(Clone)]
            pub struct Realtime(rt::Session<Spec>);

            impl ::std::fmt::Debug for Realtime {
                #[inline]
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    ::std::fmt::Debug::fmt(&self.0, f)
                }
            }

            impl Realtime {
                #events_doc
                #[inline]
                pub fn events(&self) -> impl runtime::Stream<Item = rt::RealtimeEvent<types::#event_ty>> + Send + Unpin {
                    self.0.events()
                }

                /// The connection itself, for frames the catalogue describes and this API does
                /// not wrap.
                #[inline]
                pub fn connection(&self) -> &rt::Connection<types::#event_ty> {
                    self.0.connection()
                }

                /// Hears a conversation: looks the contact up, then subscribes (and subscribes
                /// again after each reconnect).
                ///
                /// # Errors
                ///
                /// The contact cannot be looked up, or the subscription is not sent.
                #[inline]
                pub async fn subscribe(&self, contact: &#contact_ty) -> Result<(), rt::RealtimeError> {
                    self.0.subscribe(contact).await
                }

                #send_text
                #send_reply
                #send_file

                /// Sends a message of parts built by the caller.
                ///
                /// # Errors
                ///
                /// As [`send_text`](Self::send_text).
                #[inline]
                pub async fn send_parts(
                    &self,
                    contact: &#contact_ty,
                    channel: #channel_ty,
                    parts: Vec<types::#part_ty>,
                ) -> Result<(), rt::RealtimeError> {
                    self.0.send_parts(contact, &channel, &parts).await
                }

                /// Closes the socket; no reconnection follows.
                #[inline]
                pub async fn close(&self) {
                    self.0.close().await
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::test_support::{catalogue, compact};

    fn answer_types() -> Catalogue {
        catalogue(
            r#"
types:
  Answer:
    doc: An answer.
    fields:
      me: { type: Profile, rust: profile, doc: The user. }
      url: { type: string, required: true, doc: A URL. }
  Profile:
    doc: A profile.
    fields:
      fb_id: { type: id, required: true, rust: admin_id, doc: The id. }
      nick: { type: string, doc: A nickname. }
      home: { type: Profile, required: true, doc: Another profile. }
operations:
  - name: get_answer
    title: Get the answer
    summary: Reads the answer.
    provenance: inferred
    kind: read
    discriminators: { op: answer, op1: get }
    response: Answer
"#,
        )
    }

    #[test]
    fn a_lookup_reads_the_typed_fields_its_wire_path_names() {
        let catalogue = answer_types();
        let answer = TypeRef::Named("Answer".into());
        let read = |path: &str| compact(&field_access(&catalogue, &answer, path, &quote!(a)));
        assert_eq!(read("url"), "Some(&a.url)");
        assert_eq!(
            read("me.fb_id"),
            "a.profile.as_ref().map(|value|&value.admin_id)"
        );
        assert_eq!(
            read("me.home.nick"),
            "a.profile.as_ref().map(|value|&value.home).and_then(|value|value.nick.as_ref())"
        );
        assert_eq!(read("me.missing"), "None");
        assert_eq!(
            path_type(&catalogue, &answer, "me.fb_id").map(|t| compact(&t)),
            Some("runtime::Id".to_owned())
        );
    }

    #[test]
    fn the_module_declares_and_the_runtime_acts() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../api-spec.yaml");
        let catalogue = crate::load_file(path).expect("the project's catalogue");
        let realtime = catalogue.realtime.as_ref().expect("a realtime section");
        let module = compact(&realtime_module(&catalogue, realtime, TokenStream::new()));
        // No JSON round trip of a typed answer, no session state: the runtime's session has it.
        for absent in ["to_value", "unwrap_or_default", "Mutex", "lookup("] {
            assert!(
                !module.contains(absent),
                "`{absent}` in the module: {module}"
            );
        }
        // The lookups read typed fields of the typed answers.
        assert!(
            module.contains(
                "rt::first_text::<String>([answer.websocket_url.as_ref(),answer.ws_url.as_ref()])"
            ),
            "{module}"
        );
        assert!(
            module.contains("answer.profile.as_ref().map(|value|&value.admin_id)"),
            "{module}"
        );
        // Each public method is one call into the session.
        assert!(
            module.contains("{self.0.send_text(contact,&channel,text).await}"),
            "{module}"
        );
        assert!(module.contains("typeUser=types::AdminId;"), "{module}");
    }
}

//! The realtime module (`Client::realtime`): the frames' types, the builder, the session and
//! the connection, from the catalogue's `realtime` section.

use super::docs::doc_attr;
use super::tokens::{ident, rust_type_in};
use crate::model::*;
use crate::names::pascal_case;
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
    let tag = template
        .get(&union.tag)
        .and_then(|t| t.as_str())
        .or(union.default.as_deref())?;
    union
        .variants
        .iter()
        .find(|v| v.tag_value == tag)
        .map(|v| v.ty.as_str())
}

/// The realtime module: the frames' types, the builder `Client::realtime` returns, and the
/// connection that sends and hears. Everything a frame holds comes from the catalogue's
/// templates; what the operations answer is read by wire path.
pub(super) fn realtime_module(
    catalogue: &Catalogue,
    realtime: &Realtime,
    cfg: TokenStream,
) -> TokenStream {
    let module_doc = doc_attr(&format!(
        "{}\n\nMade by [`Client::realtime`](super::Client::realtime): it finds the socket's URL, \
         authenticates with the client's session, and gives a [`Realtime`] connection that \
         sends messages to contacts and a stream of what happens in the inbox. It reconnects \
         after a drop (and says so in its events), re-authenticates and re-subscribes; a message \
         that cannot be confirmed is reported, never sent twice.",
        realtime.doc.trim()
    ));
    let event_ty = ident(&realtime.events.ty);
    let at = &realtime.events.at;
    let frame_ident = |name: &str| format_ident!("{}Frame", pascal_case(name));
    let frames = realtime.frames.iter().map(|frame| {
        let name = frame_ident(&frame.name);
        let action = frame.action.to_string();
        let frame_name = &frame.name;
        let doc = format!(
            "The `{}` frame: `{{\"action\": {action}, \"data\": ...}}`, its data checked as [`{}`](super::types::{}).",
            frame.name, frame.data, frame.data
        );
        quote! {
            #[doc = #doc]
            struct #name(::serde_json::Value);

            impl ::serde::Serialize for #name {
                fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                    ::serde::Serialize::serialize(&self.0, serializer)
                }
            }

            impl rt::Action for #name {
                const ACTION: &'static str = #action;
                const NAME: &'static str = #frame_name;
            }
        }
    });
    // Each template is parsed once, at its first use.
    let template_const = |name: &str, value: &serde_json::Value| {
        let ident = format_ident!("{}", name.to_ascii_uppercase());
        let text = value.to_string();
        quote! { static #ident: template::Template = template::Template::new(#text); }
    };
    let frame_consts = realtime
        .frames
        .iter()
        .map(|f| template_const(&format!("frame_{}", f.name), &f.template));
    let part_consts = realtime
        .parts
        .iter()
        .map(|(name, t)| template_const(&format!("part_{name}"), t));
    let windows = realtime.reply_windows.iter().map(|(channel, hours)| {
        let channel = Literal::i64_unsuffixed(*channel);
        quote!((#channel, #hours))
    });
    let past_window = realtime.past_window.iter().map(|way| {
        let (channel, operation) = (Literal::i64_unsuffixed(way.channel), &way.operation);
        quote!((#channel, #operation))
    });
    let data_ty = |frame: &str| {
        realtime
            .frame(frame)
            .map(|f| ident(&f.data))
            .unwrap_or_else(|| ident("Unknown"))
    };
    let (auth_data, subscribe_data, send_data) = (
        data_ty("authenticate"),
        data_ty("subscribe"),
        data_ty("send"),
    );
    let auth_frame = realtime.frame("authenticate");
    // The builder's platform: the type of the field the authenticate template fills with it.
    let platform_setter = auth_frame
        .and_then(|f| template_field_type(catalogue, &f.template, &f.data, "platform"))
        .map(|ty| {
            let ty = rust_type_in(ty, &quote!(types));
            quote! {
                /// The platform the app runs on, sent when authenticating and with each message
                /// (not sent when not set).
                pub fn platform(mut self, platform: #ty) -> Self {
                    self.platform = ::serde_json::to_value(&platform).ok();
                    self
                }
            }
        });
    // The contact's id type and the channel's type, from the contact operation.
    let contact_op = catalogue.operation_named(&realtime.contact.operation);
    let contact_param = contact_op.and_then(|op| op.param(&realtime.contact.param));
    let contact_ty = contact_param
        .map(|p| rust_type_in(&p.ty, &quote!(types)))
        .unwrap_or_else(|| quote!(::chatrace_runtime::Id));
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
    let last_in_seconds = contact_field(&realtime.contact.last_interaction)
        .is_some_and(|f| f.ty == TypeRef::Scalar(Scalar::Seconds));
    let (hash_path, channel_path, last_path) = (
        &realtime.contact.hash,
        &realtime.contact.channel,
        &realtime.contact.last_interaction,
    );
    let url_method = ident(&realtime.url.operation);
    let url_paths = &realtime.url.paths;
    let user_method = ident(&realtime.user.operation);
    let user_path = realtime.user.paths.first().cloned().unwrap_or_default();
    // The type of the parts a message holds: the list the send template fills with `{parts}`.
    let part_union = realtime
        .frame("send")
        .and_then(|f| template_field_type(catalogue, &f.template, &f.data, "parts"))
        .and_then(|ty| match ty {
            TypeRef::List(inner) => inner.named().map(str::to_owned),
            _ => None,
        });
    let part_ty = part_union
        .as_deref()
        .map(ident)
        .unwrap_or_else(|| ident("MessagePart"));
    let part_method = |name: &str, args: TokenStream, doc: &str, values: TokenStream| {
        realtime.part(name).map(|_| {
            let method = ident(&format!("send_{name}"));
            let method = if name == "reply" { ident("reply") } else { method };
            let constant = format_ident!("PART_{}", name.to_ascii_uppercase());
            quote! {
                #[doc = #doc]
                ///
                /// # Errors
                ///
                /// The contact cannot be looked up, is outside the channel's reply window (nothing
                /// is sent), the part does not fit the catalogue's types, or the send is not
                /// confirmed (it is not sent again).
                pub async fn #method(&self, contact: &#contact_ty, channel: #channel_ty, #args) -> ::std::result::Result<(), rt::RealtimeError> {
                    self.send_part(contact, channel, &#constant, #values).await
                }
            }
        })
    };
    let reply_ty = realtime
        .part("reply")
        .zip(part_union.as_deref())
        .and_then(|(template, union)| {
            let variant = part_variant_type(catalogue, union, template)?;
            template_field_type(catalogue, template, variant, "replying_to")
        })
        .map(|ty| rust_type_in(ty, &quote!(types)))
        .unwrap_or_else(|| quote!(::chatrace_runtime::Id));
    let send_text = part_method(
        "text",
        quote!(text: &str),
        "Sends a text to a contact on a channel.",
        quote!(vec![("text", ::serde_json::Value::from(text))]),
    );
    let send_reply = part_method(
        "reply",
        quote!(replying_to: &#reply_ty, text: &str),
        "Sends a text that answers one of the conversation's messages.",
        quote!(vec![
            ("text", ::serde_json::Value::from(text)),
            (
                "replying_to",
                ::serde_json::Value::from(replying_to.to_string())
            ),
        ]),
    );
    let send_file = realtime.upload.as_ref().zip(realtime.part("file")).and_then(|(upload, _)| {
        let op = catalogue.operation_named(&upload.operation)?;
        let method = ident(&op.name);
        let kind_param = op.param(&upload.kind)?;
        let kind_ty = rust_type_in(&kind_param.ty, &quote!(types));
        let args = op.params.iter().filter(|p| p.required).map(|p| {
            if p.wire == upload.kind {
                quote!(kind.clone())
            } else if p.wire == upload.contact {
                quote!(contact.clone())
            } else {
                quote!(file)
            }
        });
        let url_path = &upload.url;
        Some(quote! {
            /// Sends a file to a contact: uploads it with the upload operation, then sends a
            /// file part with its URL.
            ///
            /// # Errors
            ///
            /// As [`send_text`](Self::send_text), and the upload's errors.
            pub async fn send_file(
                &self,
                contact: &#contact_ty,
                channel: #channel_ty,
                kind: #kind_ty,
                file: ::chatrace_runtime::FileUpload,
            ) -> ::std::result::Result<(), rt::RealtimeError> {
                // The reply window is checked before the file goes anywhere.
                let channel_value = ::serde_json::to_value(&channel).unwrap_or_default();
                let facts = self.session.reachable(contact, &channel_value).await?;
                let name = file.file_name().map(::std::borrow::ToOwned::to_owned);
                let length = file.length().await;
                let uploaded = self.session.client.#method(#(#args),*).send().await.map_err(rt::RealtimeError::call)?;
                let answer = ::serde_json::to_value(&uploaded).unwrap_or_default();
                let url = template::lookup(&answer, #url_path)
                    .cloned()
                    .ok_or_else(|| rt::RealtimeError::lookup("the uploaded file's URL", "the upload's answer has none"))?;
                let mut values = vec![("url", url), ("kind", ::serde_json::to_value(&kind).unwrap_or_default())];
                if let ::std::option::Option::Some(name) = name {
                    values.push(("file_name", ::serde_json::Value::from(name)));
                }
                if let ::std::option::Option::Some(length) = length {
                    values.push(("length", ::serde_json::Value::from(length)));
                }
                self.send_part(contact, channel, &PART_FILE, values).await
            }
        })
    });
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
            use super::{types, Client};
            use ::chatrace_runtime::realtime as rt;
            use ::chatrace_runtime::template;

            // What the signatures below name, so that a user of this crate alone can name it.
            pub use ::chatrace_runtime::realtime::{Connection, RealtimeError, RealtimeEvent, RealtimeOptions};

            impl rt::EventFrame for types::#event_ty {
                const AT: &'static str = #at;
            }

            #(#frames)*
            #(#frame_consts)*
            #(#part_consts)*

            /// Hours a contact stays reachable after they last wrote, by channel wire value,
            /// and the operation that still reaches them past the window.
            const REPLY_WINDOWS: rt::ReplyWindows = rt::ReplyWindows {
                hours: &[#(#windows),*],
                past_window: &[#(#past_window),*],
            };

            impl Client {
                /// The inbox's realtime socket: sends messages to contacts, and hears new
                /// messages and changes as they happen. `connect().await` finds the socket,
                /// authenticates with this client's session (log in first) and its default
                /// account.
                pub fn realtime(&self) -> RealtimeBuilder {
                    RealtimeBuilder {
                        client: self.clone(),
                        platform: ::std::option::Option::None,
                        options: ::std::default::Default::default(),
                    }
                }
            }

            /// Connects to the realtime socket; made by [`Client::realtime`].
            #[derive(Debug)]
            #[must_use = "nothing connects until `connect().await`"]
            pub struct RealtimeBuilder {
                client: Client,
                platform: ::std::option::Option<::serde_json::Value>,
                options: rt::RealtimeOptions,
            }

            impl RealtimeBuilder {
                #platform_setter

                /// The connection's options: reconnection, timeouts, event buffer.
                pub fn options(mut self, options: rt::RealtimeOptions) -> Self {
                    self.options = options;
                    self
                }

                /// Finds the socket's URL, the logged user and the account, connects and
                /// authenticates.
                ///
                /// # Errors
                ///
                /// A lookup call fails, the client has no session or no default account, or the
                /// socket cannot be reached.
                pub async fn connect(self) -> ::std::result::Result<Realtime, rt::RealtimeError> {
                    let error_codes = self.client.handle().error_codes();
                    let token = self.client.token().ok_or_else(|| {
                        rt::RealtimeError::lookup("the session", "the client has no session token: log in first")
                    })?;
                    let account = self.client.default_account_id().ok_or_else(|| {
                        rt::RealtimeError::lookup("the account", "the client has no default account")
                    })?;
                    let found = self.client.#url_method().send().await.map_err(rt::RealtimeError::call)?;
                    let found = ::serde_json::to_value(&found).unwrap_or_default();
                    let url = [#(#url_paths),*]
                        .iter()
                        .find_map(|path| template::lookup(&found, path))
                        .and_then(::serde_json::Value::as_str)
                        .map(::std::borrow::ToOwned::to_owned)
                        .ok_or_else(|| rt::RealtimeError::lookup("the socket's URL", "the white-label names none"))?;
                    let me = self.client.#user_method().send().await.map_err(rt::RealtimeError::call)?;
                    let me = ::serde_json::to_value(&me).unwrap_or_default();
                    let user = template::lookup(&me, #user_path)
                        .cloned()
                        .ok_or_else(|| rt::RealtimeError::lookup("the logged user", "the answer names none"))?;
                    let session = Session {
                        client: self.client,
                        account,
                        user,
                        token: token.clone(),
                        platform: self.platform,
                        contacts: ::std::default::Default::default(),
                        checked: ::std::default::Default::default(),
                    };
                    let authenticate = session.fill::<types::#auth_data>("authenticate", &FRAME_AUTHENTICATE, ::std::vec::Vec::new())?;
                    let mut options = self.options.with_redact_token(token);
                    if options.error_codes.is_empty() {
                        options.error_codes = error_codes;
                    }
                    let connection = rt::Connection::connect(&url, AuthenticateFrame(authenticate), options).await?;
                    ::std::result::Result::Ok(Realtime {
                        connection,
                        session: ::std::sync::Arc::new(session),
                    })
                }
            }

            /// What a realtime connection knows of the session and of the contacts it wrote to.
            struct Session {
                client: Client,
                account: u64,
                user: ::serde_json::Value,
                token: ::chatrace_runtime::SecretToken,
                platform: ::std::option::Option<::serde_json::Value>,
                contacts: ::std::sync::Mutex<::std::collections::HashMap<::std::string::String, rt::ContactFacts>>,
                /// The (part template, contact) pairs whose `send` frame was checked against the
                /// catalogue's types (see `Realtime::send_message`).
                checked: ::std::sync::Mutex<::std::collections::HashSet<(usize, ::std::string::String)>>,
            }

            impl Session {
                /// A template filled with the session's values and `extra`, checked against the
                /// type it must decode as.
                fn fill<T: ::serde::de::DeserializeOwned>(
                    &self,
                    frame: &'static str,
                    template: &'static template::Template,
                    extra: ::std::vec::Vec<(&'static str, ::serde_json::Value)>,
                ) -> ::std::result::Result<::serde_json::Value, rt::RealtimeError> {
                    let template = template
                        .parsed()
                        .map_err(|e| rt::RealtimeError::frame(frame, e))?;
                    let filled = template::fill(template, &|name| {
                        if let ::std::option::Option::Some((_, value)) = extra.iter().find(|(n, _)| *n == name) {
                            return ::std::option::Option::Some(value.clone());
                        }
                        match name {
                            "account" => ::std::option::Option::Some(::serde_json::Value::from(self.account)),
                            "user" => ::std::option::Option::Some(self.user.clone()),
                            "token" => ::std::option::Option::Some(::serde_json::Value::from(self.token.expose())),
                            "platform" => self.platform.clone(),
                            "now" => ::std::option::Option::Some(::serde_json::Value::from(rt::now_ms())),
                            _ => ::std::option::Option::None,
                        }
                    });
                    // Read in place (`&Value` is a deserializer): the check copies nothing.
                    <T as ::serde::Deserialize>::deserialize(&filled)
                        .map_err(|e| rt::RealtimeError::frame(frame, e.to_string()))?;
                    ::std::result::Result::Ok(filled)
                }

                /// What sending to `contact` needs to know: read once, then kept.
                async fn contact(&self, contact: &#contact_ty) -> ::std::result::Result<rt::ContactFacts, rt::RealtimeError> {
                    let key = contact.to_string();
                    if let ::std::option::Option::Some(facts) = self.contacts.lock().unwrap_or_else(::std::sync::PoisonError::into_inner).get(&key) {
                        return ::std::result::Result::Ok(facts.clone());
                    }
                    self.read_contact(contact).await
                }

                /// The facts of `contact` for a send on `channel`, whose reply window must be
                /// open. The kept facts can be stale (the contact may have written since they
                /// were read), so a window they say is closed is checked again on fresh ones.
                async fn reachable(
                    &self,
                    contact: &#contact_ty,
                    channel: &::serde_json::Value,
                ) -> ::std::result::Result<rt::ContactFacts, rt::RealtimeError> {
                    let facts = self.contact(contact).await?;
                    if rt::check_reply_window(REPLY_WINDOWS, channel, facts.last_interaction_ms).is_ok() {
                        return ::std::result::Result::Ok(facts);
                    }
                    let facts = self.read_contact(contact).await?;
                    rt::check_reply_window(REPLY_WINDOWS, channel, facts.last_interaction_ms)?;
                    ::std::result::Result::Ok(facts)
                }

                /// Reads `contact` from the server and keeps what sending needs.
                async fn read_contact(&self, contact: &#contact_ty) -> ::std::result::Result<rt::ContactFacts, rt::RealtimeError> {
                    let key = contact.to_string();
                    let answer = self.client.#contact_method(contact.clone()).send().await.map_err(rt::RealtimeError::call)?;
                    let answer = ::serde_json::to_value(&answer).unwrap_or_default();
                    let facts = rt::ContactFacts {
                        hash: template::lookup(&answer, #hash_path).cloned(),
                        channel: template::lookup(&answer, #channel_path).cloned(),
                        last_interaction_ms: template::lookup(&answer, #last_path)
                            .and_then(|value| template::time_ms(value, #last_in_seconds)),
                    };
                    self.contacts
                        .lock()
                        .unwrap_or_else(::std::sync::PoisonError::into_inner)
                        .insert(key, facts.clone());
                    ::std::result::Result::Ok(facts)
                }

                fn contact_values(
                    contact: &#contact_ty,
                    facts: &rt::ContactFacts,
                    channel: ::std::option::Option<::serde_json::Value>,
                ) -> ::std::vec::Vec<(&'static str, ::serde_json::Value)> {
                    let mut values = vec![("contact", template::id_json(&contact.to_string()))];
                    if let ::std::option::Option::Some(hash) = &facts.hash {
                        values.push(("hash", hash.clone()));
                    }
                    if let ::std::option::Option::Some(channel) = channel.or_else(|| facts.channel.clone()) {
                        values.push(("channel", channel));
                    }
                    values
                }
            }

            /// A live connection to the realtime socket: cheap to clone; every clone sends on
            /// the same socket. Made by [`RealtimeBuilder::connect`].
            #[derive(Clone)]
            pub struct Realtime {
                connection: rt::Connection<types::#event_ty>,
                session: ::std::sync::Arc<Session>,
            }

            impl ::std::fmt::Debug for Realtime {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.debug_struct("Realtime").field("account", &self.session.account).finish_non_exhaustive()
                }
            }

            impl Realtime {
                #events_doc
                pub fn events(&self) -> impl ::chatrace_runtime::Stream<Item = rt::RealtimeEvent<types::#event_ty>> + Send + Unpin {
                    self.connection.events()
                }

                /// The connection itself, for frames the catalogue describes and this API does
                /// not wrap.
                pub fn connection(&self) -> &rt::Connection<types::#event_ty> {
                    &self.connection
                }

                /// Hears a conversation: looks the contact up, then subscribes (and subscribes
                /// again after each reconnect).
                ///
                /// # Errors
                ///
                /// The contact cannot be looked up, or the subscription is not sent.
                pub async fn subscribe(&self, contact: &#contact_ty) -> ::std::result::Result<(), rt::RealtimeError> {
                    let facts = self.session.contact(contact).await?;
                    let data = self.session.fill::<types::#subscribe_data>(
                        "subscribe",
                        &FRAME_SUBSCRIBE,
                        Session::contact_values(contact, &facts, ::std::option::Option::None),
                    )?;
                    self.connection.subscribe(contact.to_string(), SubscribeFrame(data)).await
                }

                #send_text
                #send_reply
                #send_file

                /// Sends a message of parts built by the caller.
                ///
                /// # Errors
                ///
                /// As [`send_text`](Self::send_text).
                pub async fn send_parts(
                    &self,
                    contact: &#contact_ty,
                    channel: #channel_ty,
                    parts: ::std::vec::Vec<types::#part_ty>,
                ) -> ::std::result::Result<(), rt::RealtimeError> {
                    let channel = ::serde_json::to_value(&channel).unwrap_or_default();
                    let facts = self.session.reachable(contact, &channel).await?;
                    let parts = ::serde_json::to_value(&parts)
                        .map_err(|e| rt::RealtimeError::frame("send", e.to_string()))?;
                    self.send_message(contact, &facts, channel, parts, ::std::option::Option::None).await
                }

                /// Fills a part template, checks the reply window, and sends the message.
                async fn send_part(
                    &self,
                    contact: &#contact_ty,
                    channel: #channel_ty,
                    template: &'static template::Template,
                    mut values: ::std::vec::Vec<(&'static str, ::serde_json::Value)>,
                ) -> ::std::result::Result<(), rt::RealtimeError> {
                    let channel = ::serde_json::to_value(&channel).unwrap_or_default();
                    let facts = self.session.reachable(contact, &channel).await?;
                    values.push(("channel", channel.clone()));
                    // Checked as a part of the message with the whole frame, below.
                    let part = self.session.fill::<::serde::de::IgnoredAny>("send", template, values)?;
                    self.send_message(contact, &facts, channel, ::serde_json::Value::Array(vec![part]), ::std::option::Option::Some(template)).await
                }

                /// Fills the `send` frame and sends it once. The frame is checked against the
                /// catalogue's types; for a message of one of the catalogue's `part` templates,
                /// once per contact: later ones differ from the first only in the caller's typed
                /// values (a text, an id, a number), which fit the same types.
                async fn send_message(
                    &self,
                    contact: &#contact_ty,
                    facts: &rt::ContactFacts,
                    channel: ::serde_json::Value,
                    parts: ::serde_json::Value,
                    part: ::std::option::Option<&'static template::Template>,
                ) -> ::std::result::Result<(), rt::RealtimeError> {
                    let mut values = Session::contact_values(contact, facts, ::std::option::Option::Some(channel));
                    values.push(("parts", parts));
                    let key = part.map(|part| (::std::ptr::from_ref(part) as usize, contact.to_string()));
                    let known = key.as_ref().is_some_and(|key| {
                        self.session.checked.lock().unwrap_or_else(::std::sync::PoisonError::into_inner).contains(key)
                    });
                    let data = if known {
                        self.session.fill::<::serde::de::IgnoredAny>("send", &FRAME_SEND, values)?
                    } else {
                        let data = self.session.fill::<types::#send_data>("send", &FRAME_SEND, values)?;
                        if let ::std::option::Option::Some(key) = key {
                            self.session.checked.lock().unwrap_or_else(::std::sync::PoisonError::into_inner).insert(key);
                        }
                        data
                    };
                    self.connection.send(&SendFrame(data)).await
                }

                /// Closes the socket; no reconnection follows.
                pub async fn close(&self) {
                    self.connection.close().await
                }
            }
        }
    }
}

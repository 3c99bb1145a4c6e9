//! WhatsApp templates: the account's approved templates, by version and by name, and sending
//! one to a contact. A template is what still reaches a WhatsApp contact past the 24-hour
//! window, so sending one is never refused for the time since the contact last wrote.

use chatrace::operations::{
    ListWhatsappTemplateNamesRequest, ListWhatsappTemplatesRequest, SendWhatsappTemplateRequest,
};
use chatrace::types::{
    AdminId, Channel, MessageDirection, MessagePart, WhatsAppHeaderFormat, WhatsAppMediaLink,
    WhatsAppTemplateComponent, WhatsAppTemplateComponents, WhatsAppTemplateLanguage,
    WhatsAppTemplateLayout, WhatsAppTemplateMessage, WhatsAppTemplateParameter,
    WhatsAppTemplatePart, WhatsAppTemplateSummary, WhatsAppTemplateValue,
};

use super::sends::deliver;
use crate::call::{data, done, ApiError, Call, Outcome};

pub(super) fn list_whatsapp_templates(
    call: &mut Call<'_>,
    _r: ListWhatsappTemplatesRequest,
) -> Outcome {
    let templates: Vec<_> = call
        .account()?
        .whatsapp_templates
        .iter()
        .map(|record| record.template.clone())
        .collect();
    data(&templates)
}

pub(super) fn list_whatsapp_template_names(
    call: &mut Call<'_>,
    _r: ListWhatsappTemplateNamesRequest,
) -> Outcome {
    // One entry per template, its languages in the order its versions are kept.
    let mut names: Vec<WhatsAppTemplateSummary> = Vec::new();
    for record in &call.account()?.whatsapp_templates {
        let language = record.template.language.clone().unwrap_or_default();
        match names.iter_mut().find(|n| n.id == record.template.id) {
            Some(entry) => entry.languages.get_or_insert_with(Vec::new).push(language),
            None => {
                let mut entry = WhatsAppTemplateSummary::new(record.template.id.clone());
                entry.name = Some(record.name.clone());
                entry.languages = Some(vec![language]);
                names.push(entry);
            }
        }
    }
    data(&names)
}

pub(super) fn send_whatsapp_template(
    call: &mut Call<'_>,
    r: SendWhatsappTemplateRequest,
) -> Outcome {
    let id = &r.template_id;
    let language = r.language.trim();
    let versions: Vec<_> = call
        .account()?
        .whatsapp_templates
        .iter()
        .filter(|record| record.template.id == *id)
        .collect();
    if versions.is_empty() {
        return Err(ApiError::not_found(format!(
            "no approved WhatsApp template {id}"
        )));
    }
    let layout = versions
        .iter()
        .find(|record| record.template.language.as_deref() == Some(language))
        .ok_or_else(|| {
            ApiError::not_found(format!(
                "WhatsApp template {id} is not approved in `{language}`"
            ))
        })?
        .template
        .layout
        .clone()
        .unwrap_or_default();
    if layout.namespace.as_deref() != Some(r.namespace.trim()) {
        return Err(ApiError::refused(format!(
            "`namespace` is not the one of template {id}: read it from its layout"
        )));
    }
    let components = filled_components(&layout, &r.components)?;
    let sent_by = call.admin_id()?;
    let part = MessagePart::WhatsAppTemplate({
        let mut template = WhatsAppTemplateMessage::default();
        template.template_id = Some(id.clone());
        template.language = Some({
            let mut built = WhatsAppTemplateLanguage::default();
            built.code = Some(language.to_owned());
            built
        });
        template.components = Some(components);
        let mut built = WhatsAppTemplatePart::default();
        built.template = Some(template);
        built.channel = Some(Channel::Whatsapp);
        built.direction = Some(MessageDirection::ToContact);
        built.sent_by = Some(AdminId::new(sent_by));
        built
    });
    deliver(call, &r.contact_id, &Channel::Whatsapp, sent_by, vec![part])?;
    done()
}

/// The components WhatsApp gets (its own form: a `header` and a `body` with their
/// `parameters`) from the values the request sends (the web inbox's form), checked against
/// the layout: as many values as placeholders, none empty, and a media header's file.
fn filled_components(
    layout: &WhatsAppTemplateLayout,
    sent: &WhatsAppTemplateComponents,
) -> Result<Vec<WhatsAppTemplateComponent>, ApiError> {
    let mut components = Vec::new();
    if let Some(header) = &layout.header {
        let values = sent.header.as_ref();
        let parameters = match header.format.as_ref() {
            None | Some(WhatsAppHeaderFormat::Text) => texts(
                "header",
                header.placeholder_count.unwrap_or(0),
                values.and_then(|h| h.values.as_deref()),
            )?,
            Some(format) => {
                let url = values
                    .and_then(|h| h.url.as_deref())
                    .map(str::trim)
                    .filter(|url| !url.is_empty())
                    .ok_or_else(|| {
                        ApiError::refused(
                            "the template's header is a file: upload it, then send its `url`",
                        )
                    })?;
                vec![media(format, url)]
            }
        };
        if !parameters.is_empty() {
            components.push(component("header", parameters));
        }
    }
    let body = layout.body.as_ref().and_then(|b| b.placeholder_count);
    let parameters = texts(
        "body",
        body.unwrap_or(0),
        sent.body.as_ref().and_then(|b| b.values.as_deref()),
    )?;
    if !parameters.is_empty() {
        components.push(component("body", parameters));
    }
    Ok(components)
}

/// The text parameters of `placeholders` placeholders, from their values in order.
fn texts(
    what: &str,
    placeholders: i64,
    values: Option<&[WhatsAppTemplateValue]>,
) -> Result<Vec<WhatsAppTemplateParameter>, ApiError> {
    let values = values.unwrap_or_default();
    if i64::try_from(values.len()) != Ok(placeholders) {
        return Err(ApiError::refused(format!(
            "the template's {what} has {placeholders} placeholder(s), and {} value(s) were sent",
            values.len()
        )));
    }
    values
        .iter()
        .enumerate()
        .map(|(n, value)| {
            let label = format!("{{{{{}}}}}", n + 1);
            if value.label.as_deref().is_some_and(|l| l.trim() != label) {
                return Err(ApiError::refused(format!(
                    "the {what}'s value number {} is labelled `{}`, not `{label}`",
                    n + 1,
                    value.label.as_deref().unwrap_or_default()
                )));
            }
            let text = value.value.as_deref().unwrap_or_default();
            if text.trim().is_empty() {
                return Err(ApiError::refused(format!(
                    "the {what}'s placeholder {label} has no value"
                )));
            }
            let mut built = WhatsAppTemplateParameter::default();
            built.kind = Some("text".to_owned());
            built.text = Some(text.to_owned());
            Ok(built)
        })
        .collect()
}

/// The parameter of a media header's file.
fn media(format: &WhatsAppHeaderFormat, url: &str) -> WhatsAppTemplateParameter {
    let link = {
        let mut built = WhatsAppMediaLink::default();
        built.link = Some(url.to_owned());
        Some(built)
    };
    let mut built = WhatsAppTemplateParameter::default();
    // A format the sandbox does not know is sent as a picture, WhatsApp's most common header.
    let kind = match format {
        WhatsAppHeaderFormat::Video => {
            built.video = link;
            "video"
        }
        WhatsAppHeaderFormat::Document => {
            built.document = link;
            "document"
        }
        _ => {
            built.image = link;
            "image"
        }
    };
    built.kind = Some(kind.to_owned());
    built
}

fn component(kind: &str, parameters: Vec<WhatsAppTemplateParameter>) -> WhatsAppTemplateComponent {
    let mut built = WhatsAppTemplateComponent::default();
    built.kind = Some(kind.to_owned());
    built.parameters = Some(parameters);
    built
}

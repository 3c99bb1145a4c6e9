//! The seed's approved WhatsApp templates: a text header, a media header, buttons, a footer,
//! and one template approved in two languages, so that every part of a layout is exercised.

use chatrace::types::{
    WhatsAppHeaderFormat, WhatsAppTemplate, WhatsAppTemplateButton, WhatsAppTemplateButtons,
    WhatsAppTemplateHeader, WhatsAppTemplateId, WhatsAppTemplateLayout, WhatsAppTemplateText,
};

use crate::state::WhatsAppTemplateRecord;

/// The namespace WhatsApp gave the demo account's templates.
const NAMESPACE: &str = "c2a7e94b_51d0_4f6b_8e3a_0d9b6f2c71e5";

/// A text with `placeholders` placeholders.
fn text(text: &str, placeholders: i64) -> WhatsAppTemplateText {
    let mut built = WhatsAppTemplateText::default();
    built.text = Some(text.to_owned());
    built.placeholder_count = Some(placeholders);
    built
}

/// A header: text with its placeholders, or a media format without text.
fn header(format: WhatsAppHeaderFormat, text: Option<(&str, i64)>) -> WhatsAppTemplateHeader {
    let mut built = WhatsAppTemplateHeader::default();
    built.format = Some(format);
    if let Some((text, placeholders)) = text {
        built.text = Some(text.to_owned());
        built.placeholder_count = Some(placeholders);
    }
    built
}

/// Buttons of `(kind, label)`.
fn buttons(buttons: &[(&str, &str)]) -> WhatsAppTemplateButtons {
    let mut built = WhatsAppTemplateButtons::default();
    built.buttons = Some(
        buttons
            .iter()
            .map(|(kind, label)| {
                let mut button = WhatsAppTemplateButton::default();
                button.kind = Some((*kind).to_owned());
                button.text = Some((*label).to_owned());
                button
            })
            .collect(),
    );
    built
}

/// What one version of a template is made of.
struct Version {
    id: &'static str,
    language: &'static str,
    header: Option<WhatsAppTemplateHeader>,
    body: WhatsAppTemplateText,
    footer: Option<&'static str>,
    buttons: Option<WhatsAppTemplateButtons>,
}

fn record(version: Version) -> WhatsAppTemplateRecord {
    let layout = {
        let mut built = WhatsAppTemplateLayout::default();
        built.namespace = Some(NAMESPACE.to_owned());
        built.header = version.header;
        built.body = Some(version.body);
        built.footer = version.footer.map(|footer| text(footer, 0));
        built.buttons = version.buttons;
        built
    };
    let mut template = WhatsAppTemplate::new(WhatsAppTemplateId::new(version.id));
    template.language = Some(version.language.to_owned());
    template.layout = Some(layout);
    // The web inbox matches a template's id with its name at WhatsApp: the seed uses that
    // name for both.
    WhatsAppTemplateRecord {
        name: version.id.to_owned(),
        template,
    }
}

/// The demo account's approved templates.
pub(super) fn demo_templates() -> Vec<WhatsAppTemplateRecord> {
    let track = || Some(buttons(&[("QUICK_REPLY", "Track my order")]));
    vec![
        record(Version {
            id: "order_shipped",
            language: "en_US",
            header: None,
            body: text("Hi {{1}}, your order {{2}} is on its way.", 2),
            footer: Some("Morgan Coffee Roasters"),
            buttons: track(),
        }),
        record(Version {
            id: "order_shipped",
            language: "es_MX",
            header: None,
            body: text("Hola {{1}}, tu pedido {{2}} va en camino.", 2),
            footer: Some("Morgan Coffee Roasters"),
            buttons: track(),
        }),
        record(Version {
            id: "we_miss_you",
            language: "en_US",
            header: Some(header(WhatsAppHeaderFormat::Text, Some(("Hello {{1}}", 1)))),
            body: text(
                "It has been a while. Answer this message and we will pick up where we left off.",
                0,
            ),
            footer: None,
            buttons: None,
        }),
        record(Version {
            id: "tasting_invite",
            language: "en_US",
            header: Some(header(WhatsAppHeaderFormat::Image, None)),
            body: text(
                "Join us for a tasting on {{1}}: this season's beans, on us.",
                1,
            ),
            footer: None,
            buttons: Some(buttons(&[("URL", "Book a seat")])),
        }),
    ]
}

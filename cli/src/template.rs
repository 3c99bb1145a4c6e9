//! `chatrace send --template`: an approved WhatsApp template, the one message that still
//! reaches a WhatsApp contact past the 24-hour window. It goes over HTTP: the command reads the
//! account's templates, fills the chosen one's placeholders from `--param` (the body) and
//! `--header-param` or `--header-url` (the header), and sends it.

use chatrace::types::{
    ContactId, WhatsAppHeaderFormat, WhatsAppTemplate, WhatsAppTemplateComponents,
    WhatsAppTemplateHeaderValues, WhatsAppTemplateLayout, WhatsAppTemplateValue,
    WhatsAppTemplateValues,
};
use chatrace::Client;
use clap::{Arg, ArgAction, ArgMatches};
use serde_json::json;

use crate::error::{CliError, Exit};
use crate::output::{sent_line, Lines};
use crate::settings::Settings;

/// The flags of `send` that choose and fill a template.
pub fn template_args() -> [Arg; 5] {
    [
        Arg::new("template")
            .long("template")
            .value_name("NAME")
            .conflicts_with_all(["text", "file", "channel", "wait_reply"])
            .help("Send this approved WhatsApp template (its id), which reaches the contact past the 24-hour window"),
        Arg::new("language")
            .long("language")
            .value_name("CODE")
            .requires("template")
            .help("The template's language, such as en_US (default: the first it is approved in)"),
        Arg::new("param")
            .long("param")
            .value_name("VALUE")
            .action(ArgAction::Append)
            .requires("template")
            .help("The value of the template body's next placeholder ({{1}} first); repeat for each"),
        Arg::new("header_param")
            .long("header-param")
            .value_name("VALUE")
            .action(ArgAction::Append)
            .requires("template")
            .conflicts_with("header_url")
            .help("The value of a text header's next placeholder; repeat for each"),
        Arg::new("header_url")
            .long("header-url")
            .value_name("URL")
            .requires("template")
            .help("A media header's file, uploaded first (upload-file answers its url)"),
    ]
}

/// What the flags give to fill a template.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Fill {
    /// The body's values, in order.
    pub body: Vec<String>,
    /// A text header's values, in order.
    pub header: Vec<String>,
    /// A media header's file.
    pub header_url: Option<String>,
}

/// The placeholders' values as `send_whatsapp_template` sends them, checked against the
/// template's layout: as many values as placeholders, and a media header's file.
///
/// # Errors
///
/// What does not fit, naming the flag to give.
pub fn components(
    template: &str,
    layout: &WhatsAppTemplateLayout,
    fill: &Fill,
) -> Result<WhatsAppTemplateComponents, String> {
    let mut components = WhatsAppTemplateComponents::default();
    if let Some(header) = &layout.header {
        let mut values = WhatsAppTemplateHeaderValues::default();
        values.format = header.format.clone();
        match header.format.as_ref() {
            None | Some(WhatsAppHeaderFormat::Text) => {
                let count = header.placeholder_count.unwrap_or(0);
                values.values = Some(placeholder_values(
                    template,
                    "header",
                    "--header-param",
                    count,
                    &fill.header,
                )?);
            }
            Some(format) => {
                let url = fill.header_url.as_deref().ok_or_else(|| {
                    format!(
                        "template {template}'s header is a file ({}): upload it, then give its url with --header-url",
                        format.as_str()
                    )
                })?;
                values.url = Some(url.to_owned());
            }
        }
        components.header = Some(values);
    }
    let count = layout
        .body
        .as_ref()
        .and_then(|b| b.placeholder_count)
        .unwrap_or(0);
    let mut body = WhatsAppTemplateValues::default();
    body.values = Some(placeholder_values(
        template, "body", "--param", count, &fill.body,
    )?);
    components.body = Some(body);
    Ok(components)
}

/// One value per placeholder, labelled `{{1}}`, `{{2}}`…
fn placeholder_values(
    template: &str,
    what: &str,
    flag: &str,
    count: i64,
    given: &[String],
) -> Result<Vec<WhatsAppTemplateValue>, String> {
    if i64::try_from(given.len()) != Ok(count) {
        return Err(format!(
            "template {template}'s {what} has {count} placeholder(s): give {flag} {count} time(s), not {}",
            given.len()
        ));
    }
    Ok(given
        .iter()
        .enumerate()
        .map(|(n, value)| {
            let mut built = WhatsAppTemplateValue::default();
            built.label = Some(format!("{{{{{}}}}}", n + 1));
            built.value = Some(value.clone());
            built
        })
        .collect())
}

/// The version of `name` in `language` (or its first), from the account's templates.
fn version<'a>(
    templates: &'a [WhatsAppTemplate],
    name: &str,
    language: Option<&str>,
) -> Result<&'a WhatsAppTemplate, String> {
    let versions: Vec<_> = templates.iter().filter(|t| t.id.as_str() == name).collect();
    let Some(first) = versions.first() else {
        let mut known: Vec<_> = templates.iter().map(|t| t.id.as_str()).collect();
        known.dedup();
        return Err(format!(
            "no approved WhatsApp template `{name}`; the account has: {}",
            if known.is_empty() {
                "none".to_owned()
            } else {
                known.join(", ")
            }
        ));
    };
    let Some(language) = language else {
        return Ok(first);
    };
    versions
        .iter()
        .find(|t| t.language.as_deref() == Some(language))
        .copied()
        .ok_or_else(|| {
            let languages: Vec<_> = versions
                .iter()
                .filter_map(|t| t.language.as_deref())
                .collect();
            format!(
                "template `{name}` is not approved in `{language}`; it is in: {}",
                languages.join(", ")
            )
        })
}

/// `chatrace send --template NAME`: reads the templates, fills one, sends it, prints a line.
///
/// # Errors
///
/// A template, language or value that does not fit (exit 1: the account's data says no), or
/// what the calls fail with.
pub async fn send_template(
    command: &str,
    matches: &ArgMatches,
    client: &Client,
    contact: ContactId,
    settings: &Settings,
) -> Result<(), CliError> {
    let text = |id: &str| matches.try_get_one::<String>(id).ok().flatten().cloned();
    let all = |id: &str| -> Vec<String> {
        matches
            .try_get_many::<String>(id)
            .ok()
            .flatten()
            .map(|values| values.cloned().collect())
            .unwrap_or_default()
    };
    let name = text("template").unwrap_or_default();
    let name = name.trim();
    let templates = client
        .list_whatsapp_templates()
        .send()
        .await
        .map_err(|e| CliError::from_sdk(command, &e))?;
    let refused = |message: String| CliError::new(Exit::Api, format!("{command}: {message}"));
    let version =
        version(&templates, name, text("language").as_deref().map(str::trim)).map_err(refused)?;
    let layout = version.layout.clone().unwrap_or_default();
    let fill = Fill {
        body: all("param"),
        header: all("header_param"),
        header_url: text("header_url"),
    };
    let components = components(name, &layout, &fill).map_err(CliError::usage)?;
    let language = version.language.clone().unwrap_or_default();
    client
        .send_whatsapp_template(
            contact.clone(),
            version.id.clone(),
            &language,
            components,
            layout.namespace.clone().unwrap_or_default(),
        )
        .send()
        .await
        .map_err(|e| CliError::from_sdk(command, &e))?;
    let report = json!({
        "event": "sent",
        "contact": contact.as_str(),
        "channel": 5,
        "template": version.id.as_str(),
        "language": language,
    });
    Lines::new(settings.output).print(&report, &sent_line(&report));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chatrace::types::{WhatsAppTemplateHeader, WhatsAppTemplateId, WhatsAppTemplateText};

    fn layout(header: Option<(WhatsAppHeaderFormat, i64)>, body: i64) -> WhatsAppTemplateLayout {
        let mut built = WhatsAppTemplateLayout::default();
        built.header = header.map(|(format, count)| {
            let mut header = WhatsAppTemplateHeader::default();
            header.format = Some(format);
            header.placeholder_count = Some(count);
            header
        });
        built.body = Some({
            let mut text = WhatsAppTemplateText::default();
            text.placeholder_count = Some(body);
            text
        });
        built
    }

    fn fill(body: &[&str], header: &[&str], url: Option<&str>) -> Fill {
        Fill {
            body: body.iter().map(|s| (*s).to_owned()).collect(),
            header: header.iter().map(|s| (*s).to_owned()).collect(),
            header_url: url.map(str::to_owned),
        }
    }

    #[test]
    fn values_are_labelled_in_order_as_the_web_inbox_sends_them() {
        let filled = components("t", &layout(None, 2), &fill(&["Ana", "#42"], &[], None)).unwrap();
        assert_eq!(
            serde_json::to_value(&filled).unwrap(),
            json!({"body": {"pers": [{"label": "{{1}}", "value": "Ana"}, {"label": "{{2}}", "value": "#42"}]}})
        );
        let filled = components(
            "t",
            &layout(Some((WhatsAppHeaderFormat::Text, 1)), 0),
            &fill(&[], &["Ana"], None),
        )
        .unwrap();
        assert_eq!(
            serde_json::to_value(&filled).unwrap(),
            json!({"header": {"format": "TEXT", "pers": [{"label": "{{1}}", "value": "Ana"}]}, "body": {"pers": []}})
        );
    }

    #[test]
    fn a_count_that_does_not_fit_names_the_flag() {
        let error = components(
            "order_shipped",
            &layout(None, 2),
            &fill(&["Ana"], &[], None),
        )
        .unwrap_err();
        assert_eq!(
            error,
            "template order_shipped's body has 2 placeholder(s): give --param 2 time(s), not 1"
        );
        let media = layout(Some((WhatsAppHeaderFormat::Image, 0)), 0);
        let error = components("t", &media, &fill(&[], &[], None)).unwrap_err();
        assert!(error.contains("--header-url"), "{error}");
        let filled = components("t", &media, &fill(&[], &[], Some("https://x/a.jpg"))).unwrap();
        assert_eq!(
            filled.header.and_then(|h| h.url).as_deref(),
            Some("https://x/a.jpg")
        );
    }

    #[test]
    fn versions_are_found_by_name_and_language() {
        let template = |id: &str, language: &str| {
            let mut built = WhatsAppTemplate::new(WhatsAppTemplateId::new(id));
            built.language = Some(language.to_owned());
            built
        };
        let all = [
            template("a", "en_US"),
            template("a", "es_MX"),
            template("b", "en_US"),
        ];
        assert_eq!(
            version(&all, "a", None).unwrap().language.as_deref(),
            Some("en_US")
        );
        assert_eq!(
            version(&all, "a", Some("es_MX"))
                .unwrap()
                .language
                .as_deref(),
            Some("es_MX")
        );
        assert_eq!(
            version(&all, "a", Some("fr_FR")).unwrap_err(),
            "template `a` is not approved in `fr_FR`; it is in: en_US, es_MX"
        );
        assert_eq!(
            version(&all, "c", None).unwrap_err(),
            "no approved WhatsApp template `c`; the account has: a, b"
        );
    }
}

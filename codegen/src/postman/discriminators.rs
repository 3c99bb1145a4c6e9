//! The discriminators of a request (`op`, `op1`, ...): which the body template always sends,
//! and the one the caller chooses from the words it lists.

use super::body::parse_body;
use super::json::Ordered;
use super::template::{Choice, TemplateValue};
use crate::model::BodyEncoding;
use serde_json::Value as Json;

/// The keys that name the server operation.
pub(super) const DISCRIMINATOR_KEYS: [&str; 4] = ["op", "op1", "op2", "op3"];

/// The discriminators of a template: `op`, then `op1`, `op2`, `op3` while present.
fn template_discriminators(template: &Ordered) -> Result<Vec<(String, String)>, String> {
    let mut discriminators = Vec::new();
    for key in DISCRIMINATOR_KEYS {
        match template.get(key) {
            Some(Ordered::Scalar(Json::String(value))) => {
                discriminators.push((key.to_string(), value.clone()))
            }
            Some(_) => return Err(format!("the body's `{key}` is not a string")),
            None if key == "op" => {
                return Err("the body has no `op`: it is not a ChatRace call".into())
            }
            None => break,
        }
    }
    for key in &DISCRIMINATOR_KEYS[1..] {
        if template.get(key).is_some() && !discriminators.iter().any(|(k, _)| k == key) {
            return Err(format!(
                "the body sends `{key}` without the discriminators before it"
            ));
        }
    }
    Ok(discriminators)
}

/// The discriminators of an operation: those it always sends, and the one the caller chooses
/// (an `op1`..`op3` whose template lists words, `"image|video|audio"`) with the words listed.
pub(super) struct Discriminators {
    /// The keys and values always sent.
    pub(super) fixed: Vec<(String, String)>,
    /// The key the caller chooses, with the words it may take.
    pub(super) chosen: Option<(String, Vec<String>)>,
}

impl Discriminators {
    fn of(template: &Ordered) -> Result<Discriminators, String> {
        let all = template_discriminators(template)?;
        let chosen = all.iter().skip(1).find_map(|(key, value)| {
            match TemplateValue::of(&Ordered::Scalar(Json::String(value.clone()))) {
                TemplateValue::Choice(Choice::Words(words)) => Some((key.clone(), words)),
                _ => None,
            }
        });
        let fixed = all
            .into_iter()
            .filter(|(key, _)| chosen.as_ref().is_none_or(|(k, _)| k != key))
            .collect();
        Ok(Discriminators { fixed, chosen })
    }

    /// The first discriminator key an example sends otherwise than the template says, if any.
    pub(super) fn disagreement(&self, body: &Ordered) -> Option<&'static str> {
        let sends = |key: &str| match body.get(key) {
            Some(Ordered::Scalar(Json::String(v))) => Some(v.as_str()),
            _ => None,
        };
        DISCRIMINATOR_KEYS.into_iter().find(|key| {
            if self.chosen.as_ref().is_some_and(|(k, _)| k == key) {
                return sends(key).is_none();
            }
            let expected = self
                .fixed
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.as_str());
            sends(key) != expected
        })
    }
}

/// The body template of a request, with its discriminators: what makes it a ChatRace call
/// (a JSON object with `op`; a form also uploads a file).
pub(super) fn read_template(
    body: &str,
    encoding: BodyEncoding,
    file_parts: &[String],
) -> Result<(Ordered, Discriminators), String> {
    let template = parse_body(body)?;
    let discriminators = Discriminators::of(&template)?;
    if encoding == BodyEncoding::Multipart && file_parts.is_empty() {
        return Err(
            "the form has no file part: a multipart ChatRace call uploads a file beside its `param` field"
                .into(),
        );
    }
    Ok((template, discriminators))
}

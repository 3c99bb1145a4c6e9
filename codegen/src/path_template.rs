//! REST path templates (`/contacts/{contact_id}/tags/{tag_id}`): their segments, the params
//! they name, and the shape two templates are compared by.

/// One segment of a path template, between two `/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// Text matched as it is (`contacts`).
    Literal(String),
    /// A whole segment filled with a path param's value (`{contact_id}`), by its wire name.
    Param(String),
}

/// A parsed path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathTemplate {
    /// The segments, in order.
    pub segments: Vec<Segment>,
    /// Whether the template ends with `/` (`/pipelines/`), kept as written.
    pub trailing_slash: bool,
}

impl PathTemplate {
    /// Parses a template: it starts with `/`; each segment is literal (letters, digits, `_`,
    /// `-`, `.`) or a whole `{name}`; only the last may be empty (a trailing `/`).
    pub fn parse(path: &str) -> Result<PathTemplate, String> {
        let Some(rest) = path.strip_prefix('/') else {
            return Err(format!("the path `{path}` must start with `/`"));
        };
        let mut parts: Vec<&str> = rest.split('/').collect();
        let trailing_slash = parts.len() > 1 && parts.last() == Some(&"");
        if trailing_slash || rest.is_empty() {
            parts.pop();
        }
        let segments = parts
            .into_iter()
            .map(|part| Segment::parse(part, path))
            .collect::<Result<_, _>>()?;
        Ok(PathTemplate {
            segments,
            trailing_slash,
        })
    }

    /// The wire names of the params the template names, in order.
    pub fn params(&self) -> impl Iterator<Item = &str> {
        self.segments.iter().filter_map(|segment| match segment {
            Segment::Param(name) => Some(name.as_str()),
            Segment::Literal(_) => None,
        })
    }

    /// What tells two templates apart: their literal segments and where their params are,
    /// whatever the params' names and with no trailing `/` (`/contacts/{}/tags/{}`).
    pub fn shape(&self) -> String {
        let mut shape = String::new();
        for segment in &self.segments {
            shape.push('/');
            match segment {
                Segment::Literal(text) => shape.push_str(text),
                Segment::Param(_) => shape.push_str("{}"),
            }
        }
        if shape.is_empty() {
            shape.push('/');
        }
        shape
    }
}

impl Segment {
    fn parse(part: &str, path: &str) -> Result<Segment, String> {
        if part.is_empty() {
            return Err(format!(
                "the path `{path}` has an empty segment (`//`): only its end may be a `/`"
            ));
        }
        if let Some(inner) = part.strip_prefix('{') {
            let name = inner.strip_suffix('}').unwrap_or_default();
            let valid = !name.is_empty()
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                && !name.starts_with(|c: char| c.is_ascii_digit());
            return if valid {
                Ok(Segment::Param(name.to_string()))
            } else {
                Err(format!(
                    "`{part}` in the path `{path}` is not a `{{param}}`: a param is a whole segment, a name of letters, digits and `_` in braces"
                ))
            };
        }
        if part
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
        {
            Ok(Segment::Literal(part.to_string()))
        } else {
            Err(format!(
                "`{part}` in the path `{path}` is neither literal (letters, digits, `_`, `-`, `.`) nor a whole `{{param}}`"
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_and_params_are_read() {
        let template = PathTemplate::parse("/contacts/{contact_id}/tags/{tag_id}").unwrap();
        assert_eq!(
            template.params().collect::<Vec<_>>(),
            ["contact_id", "tag_id"]
        );
        assert_eq!(template.shape(), "/contacts/{}/tags/{}");
        assert!(!template.trailing_slash);
    }

    #[test]
    fn a_trailing_slash_is_kept_but_not_part_of_the_shape() {
        let template = PathTemplate::parse("/pipelines/").unwrap();
        assert!(template.trailing_slash);
        assert_eq!(template.shape(), "/pipelines");
        assert_eq!(PathTemplate::parse("/").unwrap().shape(), "/");
    }

    #[test]
    fn literal_segments_tell_templates_apart() {
        let flow = PathTemplate::parse("/contacts/{contact_id}/send/{flow_id}").unwrap();
        let text = PathTemplate::parse("/contacts/{id}/send/text").unwrap();
        assert_ne!(flow.shape(), text.shape());
        let renamed = PathTemplate::parse("/contacts/{id}/send/{flow}").unwrap();
        assert_eq!(flow.shape(), renamed.shape());
    }

    #[test]
    fn malformed_templates_are_refused() {
        for bad in [
            "contacts",
            "/contacts//tags",
            "/contacts/{}",
            "/contacts/{id",
            "/contacts/x{id}",
            "/contacts/a b",
            "/contacts/{1id}",
        ] {
            assert!(PathTemplate::parse(bad).is_err(), "{bad}");
        }
    }
}

//! Which public API operation a request is: its method and path matched against the routes of
//! the catalogue (`chatrace::PUBLIC_OPERATIONS`), segment by segment, a literal segment
//! winning over a param (`POST /contacts/7/send/text` is `send_text_to_contact`, not
//! `send_flow_to_contact` with the flow `text`).

use chatrace::{HttpMethod, OperationMeta, Spelled, PUBLIC_OPERATIONS};
use percent_encoding::percent_decode_str;

/// What a method and a path name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Routed {
    /// The operation, and its path params by wire name, decoded.
    Operation {
        meta: &'static OperationMeta,
        path_params: Vec<(&'static str, String)>,
    },
    /// The path is a route, but not of this method.
    WrongMethod,
    /// No route has this path.
    Unknown,
}

/// The operation `method` and `path` (relative to the API's base, with or without its leading
/// `/`, still percent-escaped) name.
pub(crate) fn route(method: &str, path: &str) -> Routed {
    let routes = PUBLIC_OPERATIONS
        .iter()
        .filter_map(|meta| meta.http.map(|http| (http.method, http.path)));
    match best_route(routes, method, path) {
        Matched::Route(index, path_params) => Routed::Operation {
            meta: PUBLIC_OPERATIONS[index],
            path_params,
        },
        Matched::WrongMethod => Routed::WrongMethod,
        Matched::None => Routed::Unknown,
    }
}

/// What [`best_route`] found.
/// The path params of a route: each param's name in the template, and its decoded value.
type PathParams<'t> = Vec<(&'t str, String)>;

/// How a template fits a path: one flag per segment (`true` for a literal one), and the params.
type Fit<'t> = (Vec<bool>, PathParams<'t>);

#[derive(Debug, PartialEq, Eq)]
enum Matched<'t> {
    /// The index of the route in the list, and its path params.
    Route(usize, PathParams<'t>),
    WrongMethod,
    None,
}

/// The best of `routes` (method, path template) for `method` and `path`: of those whose
/// template fits the path, the one with the method whose first literal segment comes earliest
/// where the templates differ.
fn best_route<'t>(
    routes: impl Iterator<Item = (HttpMethod, &'t str)>,
    method: &str,
    path: &str,
) -> Matched<'t> {
    let mut best: Option<(Vec<bool>, usize, PathParams<'t>)> = None;
    let mut path_fits = false;
    for (index, (route_method, template)) in routes.enumerate() {
        let Some((literals, params)) = fit(template, path) else {
            continue;
        };
        path_fits = true;
        if route_method.spelling() != method {
            continue;
        }
        // `Vec<bool>` orders as wanted: `true` (a literal) beats `false` at the first place
        // where two templates differ.
        if best.as_ref().is_none_or(|(most, _, _)| literals > *most) {
            best = Some((literals, index, params));
        }
    }
    match best {
        Some((_, index, params)) => Matched::Route(index, params),
        None if path_fits => Matched::WrongMethod,
        None => Matched::None,
    }
}

/// Whether `path` has the shape of `template`: one flag per segment (`true` for a literal one)
/// and the params' values, decoded. A trailing `/` is ignored on both; an empty segment never
/// fits a param.
fn fit<'t>(template: &'t str, path: &str) -> Option<Fit<'t>> {
    let wanted: Vec<&str> = segments(template);
    let given: Vec<&str> = segments(path);
    if wanted.len() != given.len() {
        return None;
    }
    let mut literals = Vec::with_capacity(wanted.len());
    let mut params = Vec::new();
    for (want, got) in wanted.into_iter().zip(given) {
        match want.strip_prefix('{').and_then(|w| w.strip_suffix('}')) {
            Some(name) => {
                let value = percent_decode_str(got).decode_utf8().ok()?;
                if value.is_empty() {
                    return None;
                }
                params.push((name, value.into_owned()));
                literals.push(false);
            }
            None if want == got => literals.push(true),
            None => return None,
        }
    }
    Some((literals, params))
}

/// The segments of a path, without its leading and trailing `/`.
fn segments(path: &str) -> Vec<&str> {
    let inner = path.strip_prefix('/').unwrap_or(path);
    let inner = inner.strip_suffix('/').unwrap_or(inner);
    if inner.is_empty() {
        Vec::new()
    } else {
        inner.split('/').collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROUTES: [(HttpMethod, &str); 5] = [
        (HttpMethod::Post, "/contacts/{contact_id}/send/{flow_id}"),
        (HttpMethod::Post, "/contacts/{contact_id}/send/text"),
        (HttpMethod::Get, "/contacts/{contact_id}"),
        (HttpMethod::Get, "/contacts/find_by_custom_field"),
        (HttpMethod::Get, "/pipelines/"),
    ];

    fn best(method: &str, path: &str) -> Matched<'static> {
        best_route(ROUTES.into_iter(), method, path)
    }

    #[test]
    fn a_literal_segment_beats_a_param_whatever_the_order_of_the_routes() {
        assert_eq!(
            best("POST", "/contacts/7/send/text"),
            Matched::Route(1, vec![("contact_id", "7".to_owned())])
        );
        assert_eq!(
            best_route(ROUTES.into_iter().rev(), "POST", "/contacts/7/send/text"),
            Matched::Route(3, vec![("contact_id", "7".to_owned())])
        );
        assert_eq!(
            best("POST", "/contacts/7/send/1234"),
            Matched::Route(
                0,
                vec![
                    ("contact_id", "7".to_owned()),
                    ("flow_id", "1234".to_owned())
                ]
            )
        );
        assert_eq!(
            best("GET", "/contacts/find_by_custom_field"),
            Matched::Route(3, vec![])
        );
    }

    #[test]
    fn params_are_decoded_and_trailing_slashes_ignored() {
        assert_eq!(
            best("GET", "contacts/a%20b%2Fc"),
            Matched::Route(2, vec![("contact_id", "a b/c".to_owned())])
        );
        assert_eq!(best("GET", "/pipelines"), Matched::Route(4, vec![]));
        assert_eq!(best("GET", "/pipelines/"), Matched::Route(4, vec![]));
        assert_eq!(best("GET", "/contacts/7/"), best("GET", "/contacts/7"));
    }

    #[test]
    fn a_path_of_another_method_or_of_no_route_is_told_apart() {
        assert_eq!(best("DELETE", "/contacts/7"), Matched::WrongMethod);
        assert_eq!(best("GET", "/contacts/7/tags/9"), Matched::None);
        assert_eq!(best("GET", "/contacts//"), Matched::None);
        assert_eq!(best("GET", "/"), Matched::None);
        assert_eq!(best("GET", "/contacts/%FF"), Matched::None, "not UTF-8");
    }

    #[test]
    fn the_catalogues_routes_are_found() {
        let routed = route("POST", "/contacts/15551234567/send/text");
        assert!(
            matches!(&routed, Routed::Operation { meta, path_params }
                if meta.name == "send_text_to_contact"
                    && path_params == &[("contact_id", "15551234567".to_owned())]),
            "{routed:?}"
        );
        let routed = route("GET", "accounts/tags/name/VIP%20club");
        assert!(
            matches!(&routed, Routed::Operation { meta, path_params }
                if meta.name == "get_tag_by_name"
                    && path_params == &[("tag_name", "VIP club".to_owned())]),
            "{routed:?}"
        );
        for meta in PUBLIC_OPERATIONS {
            let http = meta.http.expect("a REST operation has a route");
            let path = http.path.replace('{', "x").replace('}', "");
            match route(http.method.spelling(), &path) {
                Routed::Operation { meta: found, .. } => {
                    assert_eq!(found.name, meta.name, "{}", http.path)
                }
                other => panic!("{}: {other:?}", http.path),
            }
        }
    }
}

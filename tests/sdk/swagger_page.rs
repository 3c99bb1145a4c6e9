//! The public API's routes and params against the vendor's own Swagger page, read from its text
//! (`tests/fixtures/public_api.swagger.txt`, unchanged): every endpoint of the page is an
//! operation of `PUBLIC_OPERATIONS` with its method and path, and every path, query and form
//! parameter of the page is a param of that operation with the same name, place and
//! requiredness; a `(body)` parameter is a JSON body. And the reverse: every operation the
//! catalogue says comes from the page is on it.

use std::collections::BTreeSet;

use chatrace::{BodyEncoding, ParamLocation, Provenance, Spelled, PUBLIC_OPERATIONS};

const PAGE: &str = include_str!("../fixtures/public_api.swagger.txt");

/// One parameter as the page lists it.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct PageParam {
    name: String,
    required: bool,
    /// `path`, `query`, `formData` or `body`.
    place: String,
}

/// One endpoint of the page.
#[derive(Debug)]
struct Endpoint {
    method: String,
    path: String,
    params: BTreeSet<PageParam>,
}

const METHODS: [&str; 5] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/// A type line of a parameter (`integer`, `string`, `integer($int64)`, ...), which stands
/// between its name and its place.
fn is_type_line(line: &str) -> bool {
    let base = line.split('(').next().unwrap_or(line).trim();
    ["integer", "number", "string", "boolean", "file", "object"].contains(&base)
        || base.starts_with("array")
}

/// The endpoints of the page: a method line, then the path line, then its text up to the next
/// endpoint, where each parameter is a name line (`contact_id *` when required), an optional
/// type line and a place line (`(path)`).
fn endpoints() -> Vec<Endpoint> {
    let lines: Vec<&str> = PAGE.lines().map(str::trim_end).collect();
    let mut found: Vec<Endpoint> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if METHODS.contains(line) && lines.get(i + 1).is_some_and(|next| next.starts_with('/')) {
            found.push(Endpoint {
                method: (*line).to_owned(),
                path: lines[i + 1].to_owned(),
                params: BTreeSet::new(),
            });
            continue;
        }
        let place = match line.strip_prefix('(').and_then(|l| l.strip_suffix(')')) {
            Some(place) if ["path", "query", "formData", "body"].contains(&place) => place,
            _ => continue,
        };
        let mut name_line = lines[i - 1];
        if is_type_line(name_line) {
            name_line = lines[i - 2];
        }
        let (name, required) = match name_line.strip_suffix(" *") {
            Some(name) => (name, true),
            None => (name_line, false),
        };
        let endpoint = found.last_mut().expect("a parameter follows an endpoint");
        endpoint.params.insert(PageParam {
            name: name.trim().to_owned(),
            required,
            place: place.to_owned(),
        });
    }
    found
}

/// A path with its params' names left out, so that `/contacts/{id}` and
/// `/contacts/{contact_id}` compare as the same route (the name is not on the wire).
fn route_shape(path: &str) -> String {
    let mut shape = String::new();
    let mut in_param = false;
    for c in path.trim_end_matches('/').chars() {
        match c {
            '{' => {
                in_param = true;
                shape.push_str("{}");
            }
            '}' => in_param = false,
            _ if !in_param => shape.push(c),
            _ => {}
        }
    }
    shape
}

#[test]
fn the_page_lists_the_52_endpoints() {
    let endpoints = endpoints();
    assert_eq!(endpoints.len(), 52);
    let params: usize = endpoints.iter().map(|e| e.params.len()).sum();
    assert_eq!(params, 84, "path, query, formData and body parameters");
}

#[test]
fn every_endpoint_of_the_swagger_page_is_an_operation_with_its_params() {
    let mut problems = Vec::new();
    let mut matched = BTreeSet::new();
    for endpoint in endpoints() {
        let route = format!("{} {}", endpoint.method, endpoint.path);
        let Some(meta) = PUBLIC_OPERATIONS.iter().find(|meta| {
            meta.http.is_some_and(|http| {
                http.method.spelling() == endpoint.method
                    && route_shape(http.path) == route_shape(&endpoint.path)
            })
        }) else {
            problems.push(format!("{route}: no operation has this route"));
            continue;
        };
        matched.insert(meta.name);
        if meta.provenance != Provenance::Swagger {
            problems.push(format!(
                "{route} ({}): provenance is not swagger",
                meta.name
            ));
        }
        for param in &endpoint.params {
            if param.place == "body" {
                // The page's one body parameter is the whole JSON object; the catalogue
                // declares its members.
                if meta.body != BodyEncoding::Json {
                    problems.push(format!(
                        "{route} ({}): the page sends a JSON body",
                        meta.name
                    ));
                }
                continue;
            }
            let location = match param.place.as_str() {
                "path" => ParamLocation::Path,
                "query" => ParamLocation::Query,
                _ => ParamLocation::Form,
            };
            let declared = meta
                .params
                .iter()
                .find(|p| p.location == location && p.wire == param.name);
            match declared {
                // A path param's name is not on the wire: its place in the path is.
                None if location == ParamLocation::Path => {}
                None => problems.push(format!(
                    "{route} ({}): no {} param `{}`",
                    meta.name, param.place, param.name
                )),
                Some(p) if p.required != param.required => problems.push(format!(
                    "{route} ({}): `{}` required {} on the page, {} in the catalogue",
                    meta.name, param.name, param.required, p.required
                )),
                Some(_) => {}
            }
        }
        let path_params = meta
            .params
            .iter()
            .filter(|p| p.location == ParamLocation::Path)
            .count();
        // One param per `{..}` of the page's path, whether or not the page lists it (it
        // forgets one: `/pipelines/{pipeline_id}/custom_fields`, which the catalogue marks
        // inferred).
        let in_path = endpoint.path.matches('{').count();
        if path_params != in_path {
            problems.push(format!(
                "{route} ({}): {in_path} params in the page's path, {path_params} declared",
                meta.name
            ));
        }
    }
    for meta in PUBLIC_OPERATIONS.iter() {
        if meta.provenance == Provenance::Swagger && !matched.contains(meta.name) {
            problems.push(format!(
                "{}: provenance swagger, but its route is not on the page",
                meta.name
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

//! REST operations of the public API in the catalogue: a valid one loads into the model, and
//! every kind of mistake in one is reported with its file, line and column.

mod common;

use chatrace_codegen::load_file;
use chatrace_codegen::model::{Api, HttpMethod, Location, Provenance};
use chatrace_codegen::path_template::{PathTemplate, Segment};
use common::{assert_count, assert_reports_at};
use std::path::PathBuf;

/// A fixture of this file's folder.
fn fixture(name: &str) -> PathBuf {
    common::fixture(&format!("rest/{name}"))
}

fn errors_of(name: &str) -> chatrace_codegen::CatalogueError {
    common::errors_of(&format!("rest/{name}"))
}

#[test]
fn a_valid_rest_catalogue_loads_into_the_model() {
    let catalogue = load_file(fixture("valid.yaml")).expect("valid.yaml is valid");
    let public_api = catalogue.public_api.as_ref().expect("public_api is read");
    assert_eq!(public_api.base_url, "https://api.example.com/");
    assert_eq!(public_api.auth_header, "X-ACCESS-TOKEN");
    let error = public_api.error.as_ref().expect("the error object is read");
    assert_eq!(
        (error.at.as_str(), error.ty.as_str()),
        ("error", "ApiError")
    );

    let mobile = catalogue.operation_named("get_me").unwrap();
    assert_eq!(mobile.api, Api::Mobile);
    assert!(mobile.http.is_none() && !mobile.is_rest());

    let get = catalogue.operation_named("get_contact_record").unwrap();
    assert!(get.is_rest());
    assert_eq!(get.provenance, Provenance::Swagger);
    assert!(get.discriminators.is_empty());
    let http = get.http.as_ref().unwrap();
    assert_eq!(
        (http.method, http.path.as_str()),
        (HttpMethod::Get, "/contacts/{contact_id}")
    );
    assert_eq!(get.param("contact_id").unwrap().location, Location::Path);
    assert_eq!(get.http_errors.len(), 1);
    assert_eq!(get.http_errors[0].status, 404);
    assert_eq!(get.examples[0].request, None);
    assert_eq!(get.examples[0].response.as_deref(), Some("{ \"id\": 0 }\n"));

    let find = catalogue.operation_named("find_contacts").unwrap();
    assert_eq!(find.param("value").unwrap().location, Location::Query);
    assert_eq!(find.paging.as_ref().unwrap().items.as_deref(), Some("data"));
    let set = catalogue.operation_named("set_field").unwrap();
    assert_eq!(set.param("value").unwrap().location, Location::Form);
    let send = catalogue.operation_named("send_text").unwrap();
    assert_eq!(send.param("text").unwrap().location, Location::Body);
    assert!(send.examples[0].request.is_some());
}

#[test]
fn the_generator_makes_a_public_client_of_the_rest_operations() {
    let catalogue = load_file(fixture("valid.yaml")).unwrap();
    let code = chatrace_codegen::generate::generate(
        &catalogue,
        None,
        chatrace_codegen::generate::Options::default(),
    )
    .to_string();
    // The mobile operation on `Client`, the REST ones on `PublicClient`, with their routes.
    assert!(code.contains("pub struct Client"), "{code}");
    assert!(code.contains("pub struct PublicClient"), "{code}");
    assert!(code.contains("fn send_text"), "{code}");
    assert!(
        code.contains("\"/contacts/{contact_id}/send/text\""),
        "{code}"
    );
    assert!(code.contains("PUBLIC_OPERATIONS"), "{code}");
}

#[test]
fn path_templates_are_read_segment_by_segment() {
    let template = PathTemplate::parse("/contacts/{contact_id}/send/text").unwrap();
    assert_eq!(
        template.segments,
        [
            Segment::Literal("contacts".into()),
            Segment::Param("contact_id".into()),
            Segment::Literal("send".into()),
            Segment::Literal("text".into()),
        ]
    );
    assert_eq!(template.shape(), "/contacts/{}/send/text");
}

#[test]
fn rest_operations_need_the_public_api_header() {
    let error = errors_of("no_public_api.yaml");
    assert_reports_at(
        &error,
        5,
        5,
        &[
            "operation `get_account`",
            "needs the catalogue's `public_api`",
        ],
    );
    assert_count(&error, 1);
}

#[test]
fn a_bad_public_api_header_is_named() {
    let error = errors_of("bad_public_api.yaml");
    assert_reports_at(
        &error,
        6,
        3,
        &[
            "public_api",
            "`base_url` must be an absolute URL",
            "api.example.com",
        ],
    );
    assert_reports_at(
        &error,
        8,
        10,
        &["public_api error", "`ErrorCode` is not a struct type"],
    );
    assert_count(&error, 2);
}

#[test]
fn routes_are_checked() {
    let error = errors_of("routes.yaml");
    assert_reports_at(
        &error,
        17,
        21,
        &[
            "operation `fetch_contact`",
            "`method` must be one of GET, POST, PUT, PATCH, DELETE, found `FETCH`",
        ],
    );
    assert_reports_at(&error, 24, 21, &["operation `lower_case`", "found `get`"]);
    assert_reports_at(
        &error,
        31,
        26,
        &[
            "operation `relative_path`",
            "`contacts/all` must start with `/`",
        ],
    );
    assert_reports_at(
        &error,
        38,
        26,
        &[
            "operation `undeclared_param`",
            "names `{contact_id}`, which is not an `in: path` param",
        ],
    );
    assert_reports_at(
        &error,
        47,
        7,
        &[
            "operation `unused_param` param `contact_id`",
            "must be named in the path",
        ],
    );
    assert_reports_at(
        &error,
        54,
        26,
        &["operation `twice`", "names `{contact_id}` twice"],
    );
    assert_reports_at(
        &error,
        72,
        26,
        &[
            "operation `get_contact_again`",
            "`GET /contacts/{id}/` is the route of `get_contact` (line 57)",
        ],
    );
    // `delete_contact` has `get_contact`'s path with another method: no error.
    assert_count(&error, 7);
}

#[test]
fn the_keys_of_one_api_are_refused_on_the_other() {
    let error = errors_of("keys.yaml");
    assert_reports_at(
        &error,
        9,
        5,
        &[
            "operation `rest_with_mobile_keys`",
            "`provenance: collection` is the mobile API's",
        ],
    );
    for (line, key) in [(16, "discriminators"), (17, "scope"), (18, "body")] {
        assert_reports_at(
            &error,
            line,
            5,
            &[
                "operation `rest_with_mobile_keys`",
                &format!("`{key}` is a key of mobile operations"),
            ],
        );
    }
    assert_reports_at(
        &error,
        19,
        5,
        &[
            "operation `mobile_with_rest_keys`",
            "`provenance: swagger` is for REST operations",
        ],
    );
    for (line, key) in [(25, "http"), (26, "http_errors")] {
        assert_reports_at(
            &error,
            line,
            5,
            &[&format!(
                "`{key}` is a key of REST operations: add `api: public`"
            )],
        );
    }
    assert_reports_at(
        &error,
        28,
        9,
        &[
            "operation `rest_without_http`",
            "missing required key `http`",
        ],
    );
    assert_reports_at(
        &error,
        42,
        11,
        &["operation `bad_errors`", "400 to 599; 200 is not one"],
    );
    assert_reports_at(&error, 44, 11, &["the status 404 is listed twice"]);
    assert_count(&error, 10);
}

#[test]
fn params_of_rest_operations_are_checked() {
    let error = errors_of("params.yaml");
    let path_param = "operation `mixed_body` param `contact_id`";
    assert_reports_at(&error, 23, 7, &[path_param, "must be `required: true`"]);
    assert_reports_at(&error, 23, 7, &[path_param, "has no `default`"]);
    assert_reports_at(
        &error,
        25,
        7,
        &[
            "operation `mixed_body`",
            "`value` goes in a form and `text` in a JSON body",
        ],
    );
    for (line, param) in [(34, "a"), (35, "b")] {
        assert_reports_at(
            &error,
            line,
            7,
            &[
                &format!("operation `wrong_locations` param `{param}`"),
                "are for mobile operations",
            ],
        );
    }
    assert_reports_at(
        &error,
        36,
        10,
        &[
            "operation `wrong_locations` param `c`",
            "missing required key `in`",
        ],
    );
    assert_reports_at(
        &error,
        45,
        7,
        &["param `ids`", "`list<string>` is not written as text"],
    );
    assert_reports_at(
        &error,
        46,
        7,
        &["param `item`", "`Item` is not written as text"],
    );
    assert_reports_at(&error, 47, 7, &["param `n`", "`as` chooses a JSON form"]);
    assert_reports_at(
        &error,
        55,
        7,
        &[
            "operation `mobile_with_rest_location` param `q`",
            "is for REST operations",
        ],
    );
    assert_reports_at(
        &error,
        64,
        7,
        &[
            "operation `bad_paging` paging",
            "`offset` must be an optional query `integer`",
        ],
    );
    assert_count(&error, 11);
}

#[test]
fn examples_of_rest_operations_must_agree_with_their_params() {
    let error = errors_of("examples.yaml");
    // (line, column, the example of `send_text`, what is wrong with it)
    let expected = [
        (20, 7, "Missing text", "required param `text` is missing"),
        (
            21,
            7,
            "Wrong form",
            "sends `count` as a string, but the param sends a number",
        ),
        (23, 9, "Not JSON", "the example request is not JSON"),
        (26, 9, "Not an object", "is not a JSON object"),
        (
            29,
            9,
            "Undeclared key",
            "sends `channel`, which is not a `body` param",
        ),
        (38, 9, "Bad answer", "the example response is not JSON"),
        (41, 9, "Empty", "shows a `request`, a `response` or both"),
    ];
    for (line, column, example, problem) in expected {
        let context = format!("operation `send_text` example `{example}`");
        assert_reports_at(&error, line, column, &[&context, problem]);
    }
    assert_reports_at(
        &error,
        52,
        9,
        &[
            "operation `create_tag` example `Example Value`",
            "no `body` params, so no JSON body",
        ],
    );
    assert_count(&error, 8);
}

#[test]
fn params_of_a_rest_operation_written_as_a_list_are_one_error() {
    // No param is read: neither the path's `{contact_id}` nor the example's body is also said
    // to name a param the operation does not have.
    let error = errors_of("params_as_list.yaml");
    assert!(error.file.ends_with("params_as_list.yaml"), "{error}");
    assert_reports_at(
        &error,
        19,
        7,
        &[
            "operation `send_text`",
            "expected a mapping, found a sequence",
        ],
    );
    assert_count(&error, 1);
}

#[test]
fn the_project_catalogue_holds_every_public_endpoint() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../api-spec.yaml");
    let catalogue = load_file(path).expect("api-spec.yaml is valid");
    let rest: Vec<_> = catalogue
        .operations
        .iter()
        .filter(|op| op.is_rest())
        .collect();
    let from_swagger = rest
        .iter()
        .filter(|op| op.provenance == Provenance::Swagger)
        .count();
    assert_eq!(from_swagger, 52, "the Swagger page's endpoints");
    assert_eq!(
        rest.len(),
        55,
        "and the three the integration catalogue adds"
    );
    assert_eq!(
        catalogue.operations.len() - rest.len(),
        57,
        "the mobile API's operations are all still there: the collection's 54 and the web inbox's 3"
    );
    let routes: Vec<String> = rest
        .iter()
        .map(|op| {
            let http = op.http.as_ref().unwrap();
            format!("{} {}", http.method, http.path)
        })
        .collect();
    for route in [
        "GET /contacts/find_by_custom_field",
        "POST /contacts/{contact_id}/send/{flow_id}",
        "POST /contacts/{contact_id}/send/text",
        "GET /pipelines/",
        "DELETE /pipelines/{pipeline_id}/opportunities/{opportunity_id}/comments/{comment_id}",
        "GET /calendars/{calendar_id}",
        "GET /accounts/integrations",
    ] {
        assert!(routes.iter().any(|r| r == route), "{route} is missing");
    }
}

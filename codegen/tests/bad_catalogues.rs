//! Every kind of bad catalogue gives an error that names the file, the line and the problem.

mod common;

use chatrace_codegen::{load_file, load_str};
use common::{assert_count, assert_reports, assert_reports_at, errors_of, fixture};

#[test]
fn the_valid_fixture_loads() {
    let catalogue = load_file(fixture("valid.yaml")).expect("valid.yaml is valid");
    assert_eq!(catalogue.operations.len(), 2);
    assert_eq!(catalogue.types.len(), 1);
}

#[test]
fn syntax_error_names_its_line() {
    let error = errors_of("syntax_error.yaml");
    assert!(error.file.ends_with("syntax_error.yaml"));
    let first = error.first().expect("one diagnostic");
    assert!(first.message.contains("YAML syntax error"), "{error}");
    assert!((6..=8).contains(&first.pos.line), "{error}");
}

#[test]
fn unknown_key_suggests_the_known_one() {
    let error = errors_of("unknown_key.yaml");
    assert_reports(
        &error,
        12,
        &[
            "unknown_key.yaml:12:",
            "operation `get_thing` param `id`",
            "unknown key `requird`",
            "did you mean `required`?",
        ],
    );
}

#[test]
fn undeclared_type_is_named() {
    let error = errors_of("undeclared_type.yaml");
    assert_reports(
        &error,
        5,
        &["operation `get_thing`", "type `Thingy` is not declared"],
    );
}

#[test]
fn duplicate_operation_points_at_the_second() {
    let error = errors_of("duplicate_operation.yaml");
    assert_reports(
        &error,
        11,
        &[
            "duplicate operation name `get_thing`",
            "first declared on line 5",
        ],
    );
}

#[test]
fn operations_that_cannot_be_told_apart_are_refused() {
    let error = errors_of("indistinguishable.yaml");
    assert_reports(
        &error,
        13,
        &[
            "operation `find_thing`",
            "same discriminators (op=things, op1=get)",
            "`get_thing` (line 5)",
            "nothing tells them apart",
        ],
    );
}

#[test]
fn operations_sharing_discriminators_but_not_required_params_are_fine() {
    let catalogue = load_file(fixture("valid.yaml")).expect("valid");
    assert_eq!(
        catalogue.operations[0].discriminators,
        catalogue.operations[1].discriminators
    );
}

#[test]
fn invalid_identifier_is_refused() {
    let error = errors_of("bad_identifier.yaml");
    assert_reports(
        &error,
        5,
        &["`getThing` is not a valid snake_case identifier"],
    );
}

#[test]
fn a_type_named_as_a_standard_type_is_refused() {
    // The generated modules import `Result`, `Option`, `String`, ... by name.
    let error = errors_of("std_type_name.yaml");
    assert_reports(
        &error,
        5,
        &[
            "type `Result`",
            "a name the generated code takes from Rust's standard library",
        ],
    );
    assert_count(&error, 1);
}

#[test]
fn unescaped_keyword_is_refused() {
    let error = errors_of("keyword.yaml");
    assert_reports(&error, 12, &["param `type`", "Rust keyword", "r#type"]);
}

#[test]
fn an_operation_from_the_collection_needs_its_examples() {
    let error = errors_of("collection_without_examples.yaml");
    assert_reports_at(
        &error,
        5,
        5,
        &[
            "operation `get_thing`",
            "an operation from the collection must carry its `examples`",
        ],
    );
    assert_count(&error, 1);
}

#[test]
fn empty_file_is_refused() {
    let error = errors_of("empty.yaml");
    assert_reports(&error, 1, &["the catalogue is empty"]);
}

#[test]
fn catalogue_without_operations_is_refused() {
    let error = errors_of("no_operations.yaml");
    assert_reports_at(&error, 4, 1, &["declares no operations"]);
    assert_count(&error, 1);
}

#[test]
fn every_error_of_a_file_is_reported_at_once() {
    let error = errors_of("many_errors.yaml");
    assert!(error.diagnostics.len() >= 4, "{error}");
    assert_reports(&error, 12, &["unknown key `requird`"]);
    assert_reports(&error, 5, &["type `Thingy` is not declared"]);
    assert_reports(
        &error,
        14,
        &["`getOther` is not a valid snake_case identifier"],
    );
    assert_reports(&error, 14, &["must carry its `examples`"]);
    let lines: Vec<u32> = error.diagnostics.iter().map(|d| d.pos.line).collect();
    let mut sorted = lines.clone();
    sorted.sort();
    assert_eq!(lines, sorted, "diagnostics are in file order");
}

#[test]
fn a_missing_file_is_an_error_not_a_panic() {
    let error = errors_of("does-not-exist.yaml");
    assert!(error.to_string().contains("cannot read the catalogue"));
}

#[test]
fn wrong_kinds_of_values_are_reported() {
    let source = "format: 1\napi:\n  title: T\noperations:\n  - name: a\n    title: A\n    summary: S\n    provenance: maybe\n    kind: read\n    discriminators: { op: x }\n    params: [1, 2]\n";
    let error = load_str(source, "inline.yaml").unwrap_err();
    assert_reports(
        &error,
        8,
        &["`provenance` must be one of collection, swagger, inferred, found `maybe`"],
    );
    assert_reports(&error, 11, &["expected a mapping, found a sequence"]);
}

// ---------------------------------------------------------------------------------------------
// The format's keys for the vendor's collection: constants, defaults, a discriminator the caller
// chooses, unions, `response_in`, paging `items`, examples, `encoded<T>`, `as`.

#[test]
fn a_default_on_a_required_param_is_refused() {
    let error = errors_of("default_on_required.yaml");
    assert_reports_at(
        &error,
        12,
        7,
        &[
            "operation `get_thing` param `id`",
            "a required param cannot have a `default`",
        ],
    );
    // The optional `filter` may have one.
    assert_count(&error, 1);
}

#[test]
fn a_constant_that_is_also_a_param_is_refused() {
    let error = errors_of("constant_is_param.yaml");
    assert_reports_at(
        &error,
        11,
        18,
        &[
            "operation `get_me` constant `me`",
            "this key is also a param",
        ],
    );
    assert_reports_at(
        &error,
        20,
        18,
        &[
            "operation `unassign` constant `data.fb_id`",
            "this key is also a param",
        ],
    );
    assert_count(&error, 2);
}

#[test]
fn an_account_id_constant_needs_scope_none() {
    let error = errors_of("account_id_constant.yaml");
    assert_reports_at(
        &error,
        11,
        18,
        &[
            "operation `get_me` constant `account_id`",
            "`account_id` can be a constant only with `scope: none`",
        ],
    );
    // `get_me_anywhere` has `scope: none`: its `account_id: null` is fine.
    assert_count(&error, 1);
}

#[test]
fn a_caller_discriminator_must_be_a_required_string_enum() {
    let error = errors_of("caller_discriminator_not_enum.yaml");
    let needle = "a param named `op2` carries the discriminator the caller chooses: it must be a required string enum";
    // A string, an optional string enum, an integer enum.
    assert_reports_at(
        &error,
        24,
        7,
        &["operation `upload_text` param `op2`", needle],
    );
    assert_reports_at(
        &error,
        32,
        7,
        &["operation `upload_optional` param `op2`", needle],
    );
    assert_reports_at(
        &error,
        40,
        7,
        &["operation `upload_sized` param `op2`", needle],
    );
    assert_count(&error, 3);
}

#[test]
fn a_caller_discriminator_may_not_duplicate_or_skip_a_discriminator() {
    let error = errors_of("caller_discriminator_duplicate.yaml");
    assert_reports_at(
        &error,
        19,
        7,
        &[
            "operation `upload_file` param `op2`",
            "`op2` is both a discriminator and a param",
        ],
    );
    assert_reports_at(
        &error,
        27,
        7,
        &[
            "operation `upload_skipping` param `op3`",
            "`op3` is chosen by the caller, but `op2` is not given",
        ],
    );
    assert_count(&error, 2);
}

#[test]
fn a_union_variant_must_be_a_struct() {
    let error = errors_of("union_variant_not_struct.yaml");
    assert_reports_at(
        &error,
        23,
        9,
        &[
            "type `Part` variant `kind`",
            "`PartKind` is not a struct type",
        ],
    );
    assert_reports_at(
        &error,
        24,
        9,
        &[
            "type `Part` variant `link`",
            "`PartId` is not a struct type",
        ],
    );
    assert_reports_at(
        &error,
        25,
        9,
        &[
            "type `Part` variant `list`",
            "type `list<TextPart>` is not declared",
        ],
    );
    assert_count(&error, 3);
}

#[test]
fn a_union_variant_may_not_declare_the_tag() {
    let error = errors_of("union_tag_field.yaml");
    assert_reports_at(
        &error,
        15,
        9,
        &[
            "type `Part` variant `text`",
            "`TextPart` declares the tag `type` as a field",
        ],
    );
    assert_count(&error, 1);
}

#[test]
fn a_union_tells_untagged_objects_by_members_of_its_variants() {
    let error = errors_of("union_by_member.yaml");
    assert_reports_at(
        &error,
        9,
        3,
        &[
            "type `Part`",
            "`by_member` tells `text` by `attachment`, which `TextPart` does not declare",
        ],
    );
    assert_reports_at(
        &error,
        9,
        3,
        &["`by_member` names `video` for `payload`, which is not a variant"],
    );
    assert_count(&error, 2);
}

#[test]
fn a_union_default_must_be_a_variant() {
    let error = errors_of("union_unknown_default.yaml");
    assert_reports_at(
        &error,
        9,
        3,
        &[
            "type `Part`",
            "`default` names `video`, which is not a variant",
        ],
    );
    assert_count(&error, 1);
}

#[test]
fn response_in_envelope_needs_a_struct_response() {
    let error = errors_of("envelope_not_struct.yaml");
    let needle = "`response_in: envelope` needs a `response` that is a struct type";
    // A list, and no response at all; `get_thing` (a struct) is fine.
    assert_reports_at(&error, 10, 5, &["operation `list_things`", needle]);
    assert_reports_at(&error, 18, 5, &["operation `ping`", needle]);
    assert_count(&error, 2);
}

#[test]
fn paging_items_must_name_a_list_field() {
    let error = errors_of("paging_items_not_list.yaml");
    assert_reports_at(
        &error,
        26,
        13,
        &[
            "operation `list_things` paging",
            "`items` names `total`, which is not a list field of the response",
        ],
    );
    assert_reports_at(
        &error,
        38,
        13,
        &[
            "operation `search_things` paging",
            "`items` names `rows`, which is not a list field of the response",
        ],
    );
    // `find_things` names its list field `things`.
    assert_count(&error, 2);
}

#[test]
fn an_example_must_send_each_constant() {
    let error = errors_of("example_missing_constant.yaml");
    assert_reports_at(
        &error,
        11,
        18,
        &[
            "operation `get_current_user` example `Example`",
            "the example does not send the constant `me`",
        ],
    );
    assert_count(&error, 1);
}

#[test]
fn an_example_must_send_each_constant_s_value() {
    let error = errors_of("example_wrong_constant.yaml");
    assert_reports_at(
        &error,
        11,
        18,
        &[
            "operation `unassign_conversation` example `Example`",
            "the example sends `data.fb_id: 5`, not the constant 0",
        ],
    );
    // A string is not the boolean `true`.
    assert_reports_at(
        &error,
        11,
        33,
        &["the example sends `inbox: \"true\"`, not the constant true"],
    );
    assert_count(&error, 2);
}

#[test]
fn an_example_sending_a_number_for_a_string_param_is_refused() {
    let error = errors_of("example_number_for_string.yaml");
    assert_reports_at(
        &error,
        16,
        7,
        &[
            "operation `delete_contact` example `Example`",
            "the example sends `contact_id` as a number, but the param sends a string (set `as: number`)",
        ],
    );
    assert_count(&error, 1);
}

#[test]
fn an_example_sending_a_string_for_a_number_param_is_refused() {
    let error = errors_of("example_string_for_number.yaml");
    // An id type without `as` is sent as a number; so is an integer.
    assert_reports_at(
        &error,
        16,
        7,
        &[
            "operation `get_order` example `Example`",
            "the example sends `id` as a string, but the param sends a number (set `as: string`)",
        ],
    );
    assert_reports_at(
        &error,
        17,
        7,
        &["the example sends `status` as a string, but the param sends a number"],
    );
    assert_count(&error, 2);
}

#[test]
fn an_example_s_renamed_keys_must_be_sent_and_be_params() {
    let error = errors_of("example_unknown_renamed.yaml");
    assert_reports_at(
        &error,
        14,
        9,
        &[
            "operation `send_flow` example `The vendor's key is not sent`",
            "`renamed` names `ms_id`, which the example request does not send",
        ],
    );
    assert_reports_at(
        &error,
        18,
        9,
        &[
            "operation `send_flow` example `The renamed key is not a param`",
            "`renamed` renames `msId` to `ms_id`, which is not a param",
        ],
    );
}

#[test]
fn operations_with_the_same_discriminators_constants_and_required_params_are_refused() {
    let error = errors_of("duplicate_with_constants.yaml");
    // The constants are the same (in another order), and the optional `fields` tells nothing.
    assert_reports_at(
        &error,
        13,
        5,
        &[
            "operation `get_me`",
            "same discriminators (op=admins, op1=get) as `get_current_user` (line 5)",
            "nothing tells them apart",
        ],
    );
    assert_count(&error, 1);
}

#[test]
fn operations_told_apart_by_a_constant_are_fine() {
    let catalogue =
        load_file(fixture("told_apart_by_constants.yaml")).expect("told apart by constants");
    let op = |name: &str| catalogue.operation_named(name).expect(name);
    // get_current_user / list_admins: `me: true` / `basic_info: true`.
    assert_eq!(
        op("get_current_user").discriminators,
        op("list_admins").discriminators
    );
    // assign / unassign: a required `data.fb_id` / the constant `data.fb_id: 0`.
    assert_eq!(
        op("assign_conversation").discriminators,
        op("unassign_conversation").discriminators
    );
    assert_eq!(
        op("assign_conversation").required_paths(),
        ["contact_id", "data.fb_id"]
    );
    assert_eq!(op("unassign_conversation").required_paths(), ["contact_id"]);
    // mark_read / mark_unread: the same key, two values.
    assert_eq!(
        op("mark_read").discriminators,
        op("mark_unread").discriminators
    );
    assert_eq!(
        op("mark_read").required_paths(),
        op("mark_unread").required_paths()
    );
}

#[test]
fn encoded_items_of_a_list_are_refused() {
    let error = errors_of("encoded_in_list.yaml");
    let needle = "`encoded<T>` is for a field or param itself, not the items of a list";
    assert_reports_at(&error, 12, 7, &["type `Message` field `parts`", needle]);
    // Deeper too: a list of lists of encoded values.
    assert_reports_at(&error, 14, 7, &["type `Message` field `pages`", needle]);
    assert_reports_at(
        &error,
        23,
        7,
        &["operation `send_message` param `batches`", needle],
    );
    // `body` and `message` are an `encoded<list<Part>>` themselves: fine.
    assert_count(&error, 3);
}

#[test]
fn lists_of_lists_of_scalars_in_a_struct_are_refused() {
    let error = errors_of("nested_scalar_lists.yaml");
    let needle = "a list of lists of scalars is not supported in a struct field";
    assert_reports_at(&error, 14, 7, &["type `Sheet` field `grid`", needle]);
    // A list of lists of structs is read strictly, and a param is written, not read: fine.
    assert_count(&error, 1);
}

#[test]
fn as_number_on_a_string_is_refused() {
    let error = errors_of("as_number_on_string.yaml");
    assert_reports_at(
        &error,
        13,
        7,
        &[
            "type `Label` field `text`",
            "`as: number` is for numbers, booleans, ids and times; a `string` cannot be sent as a number",
        ],
    );
    assert_reports_at(
        &error,
        23,
        7,
        &[
            "operation `paint` param `name`",
            "`as: number` is for numbers, booleans, ids and times; a `string` cannot be sent as a number",
        ],
    );
    assert_reports_at(
        &error,
        24,
        7,
        &["param `color`", "a `Color` cannot be sent as a number"],
    );
    // An integer, a time and a boolean can be; an integer field can be written as a string.
    assert_count(&error, 3);
}

#[test]
fn a_misspelt_required_key_is_one_error() {
    let error = errors_of("typo_required_key.yaml");
    assert_reports_at(
        &error,
        7,
        5,
        &[
            "operation `get_thing`",
            "unknown key `summry`; did you mean `summary`?",
        ],
    );
    assert_count(&error, 1);

    // The operation cannot be read without its provenance: that is not "no operations".
    let error = errors_of("typo_provenance.yaml");
    assert_reports_at(
        &error,
        8,
        5,
        &["unknown key `provenence`; did you mean `provenance`?"],
    );
    assert_count(&error, 1);
}

#[test]
fn params_written_as_a_list_are_one_error() {
    // No param is read: the example's keys (`msId` renamed to `contact_id`, `data.text`) are
    // not also said to be undeclared.
    let error = errors_of("params_as_list.yaml");
    assert!(error.file.ends_with("params_as_list.yaml"), "{error}");
    assert_reports_at(
        &error,
        16,
        7,
        &[
            "operation `add_note`",
            "expected a mapping, found a sequence",
        ],
    );
    assert_count(&error, 1);
}

/// A catalogue using every kind of type, for the misspellings below.
const SMALL: &str = "format: 1
api:
  title: Tiny API
types:
  Thing:
    doc: A thing.
    fields:
      id: { type: id, required: true }
  Color:
    doc: A color.
    enum: string
    values:
      - { value: red, name: red }
  Part:
    doc: A part.
    union:
      tag: type
      variants:
        thing: { type: Thing }
operations:
  - name: get_thing
    title: Get a thing
    summary: Reads one thing.
    provenance: inferred
    kind: read
    discriminators: { op: things, op1: get }
    params:
      color: { type: Color }
      part: { type: Part }
    response: Thing
";

#[test]
fn every_misspelt_required_key_is_exactly_one_error() {
    load_str(SMALL, "small.yaml").expect("the unchanged catalogue is valid");
    for (from, to, typo) in [
        ("format:", "fromat:", "fromat"),
        ("api:\n", "apy:\n", "apy"),
        ("  title: Tiny", "  titel: Tiny", "titel"),
        ("operations:", "operation:", "operation"),
        ("    doc: A thing.", "    dco: A thing.", "dco"),
        ("    fields:", "    feilds:", "feilds"),
        ("id: { type: id", "id: { tpye: id", "tpye"),
        ("    values:", "    valeus:", "valeus"),
        ("{ value: red,", "{ valeu: red,", "valeu"),
        ("      tag: type", "      tga: type", "tga"),
        ("      variants:", "      varaints:", "varaints"),
        ("thing: { type: Thing }", "thing: { tpye: Thing }", "tpye"),
        ("  - name: get_thing", "  - nmae: get_thing", "nmae"),
        ("    title: Get", "    tilte: Get", "tilte"),
        ("    summary:", "    summry:", "summry"),
        ("    provenance:", "    provenence:", "provenence"),
        ("    kind:", "    knd:", "knd"),
        ("    discriminators:", "    discriminator:", "discriminator"),
        ("{ op: things,", "{ opp: things,", "opp"),
    ] {
        assert_eq!(SMALL.matches(from).count(), 1, "`{from}` must occur once");
        let text = SMALL.replacen(from, to, 1);
        let error = load_str(&text, "small.yaml").expect_err(typo);
        assert_eq!(
            error.diagnostics.len(),
            1,
            "`{typo}` gives one error; got:\n{error}"
        );
        let message = &error.diagnostics[0].message;
        assert!(
            message.starts_with(&format!("unknown key `{typo}`; did you mean `")),
            "`{typo}`: {message}"
        );
    }
}

#[test]
fn a_discriminator_given_without_the_one_before_it_is_one_error() {
    let text = SMALL.replacen("{ op: things, op1: get }", "{ op1: get }", 1);
    let error = load_str(&text, "small.yaml").unwrap_err();
    assert_reports_at(
        &error,
        26,
        21,
        &[
            "operation `get_thing`",
            "discriminator `op1` is given without `op`",
        ],
    );
    assert_count(&error, 1);
}

#[test]
fn an_enum_without_values_and_a_union_without_variants_are_refused() {
    let text = SMALL
        .replacen(
            "    values:\n      - { value: red, name: red }\n",
            "    values: []\n",
            1,
        )
        .replacen(
            "      variants:\n        thing: { type: Thing }\n",
            "      variants: {}\n",
            1,
        );
    let error = load_str(&text, "small.yaml").unwrap_err();
    assert_reports_at(
        &error,
        12,
        13,
        &["type `Color`", "an enum needs at least one value"],
    );
    assert_reports_at(
        &error,
        17,
        17,
        &["type `Part`", "a union needs at least one variant"],
    );
    assert_count(&error, 2);
}

#[test]
fn a_known_key_near_a_missing_one_is_not_taken_for_its_misspelling() {
    // `note` is two letters from `name`, but it is a key of its own: `name` is missing.
    let error = errors_of("example_without_name.yaml");
    assert_reports_at(
        &error,
        12,
        13,
        &[
            "operation `get_thing` example",
            "missing required key `name`",
        ],
    );
    assert_count(&error, 1);
}

// ---------------------------------------------------------------------------------------------
// `row`: the fields of a struct that make its row in a table.

#[test]
fn a_row_names_fields_of_its_struct_each_once() {
    let source = "format: 1\napi:\n  title: T\noperations:\n  - name: get_thing\n    title: G\n    summary: S.\n    provenance: inferred\n    kind: read\n    discriminators: { op: things }\n    response: Thing\ntypes:\n  Tag:\n    doc: A tag.\n    row: [name, idd, name]\n    fields:\n      id: { type: id, required: true }\n      name: { type: string }\n  Color:\n    doc: A colour.\n    row: [name]\n    enum: string\n    values:\n      - { value: red, name: red }\n  Thing:\n    doc: A thing.\n    row: name\n    fields:\n      name: { type: string }\n";
    let error = load_str(source, "rows.yaml").unwrap_err();
    assert_reports_at(
        &error,
        15,
        17,
        &[
            "type `Tag`",
            "`row` names `idd`, which is not a field of the type (its fields: id, name)",
        ],
    );
    assert_reports_at(&error, 15, 22, &["`row` names the field `name` twice"]);
    assert_reports(&error, 21, &["type `Color`", "unknown key `row`"]);
    assert_reports_at(
        &error,
        27,
        10,
        &["`row` must be a sequence of field names, found a scalar"],
    );
    assert_count(&error, 4);
    let fixed = source
        .replace("[name, idd, name]", "[name, id]")
        .replace("    row: [name]\n    enum", "    enum")
        .replace("row: name", "row: [name]");
    let catalogue = load_str(&fixed, "rows.yaml").unwrap_or_else(|e| panic!("{e}"));
    let rows: Vec<Vec<&str>> = catalogue
        .types
        .iter()
        .map(|t| t.row.iter().map(|f| f.wire.as_str()).collect())
        .collect();
    assert_eq!(rows, [vec!["name", "id"], vec![], vec!["name"]]);
}

#[test]
fn first_page_only_names_optional_params_other_than_the_pages() {
    let error = errors_of("paging_first_page_only.yaml");
    let needle = "an optional param other than the offset and the page size is needed";
    assert_reports_at(
        &error,
        17,
        7,
        &[
            "operation `list_things` paging",
            "`first_page_only` names `offset`",
            needle,
        ],
    );
    assert_reports_at(&error, 19, 7, &["`first_page_only` names `kind`", needle]);
    assert_reports_at(
        &error,
        22,
        13,
        &["`first_page_only` names the param `extras`, which the operation does not declare"],
    );
    // `expand` is an optional param: fine.
    assert_count(&error, 3);
}

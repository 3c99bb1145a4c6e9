//! Writes a catalogue model back as YAML, in the house style of `api-spec.yaml`: flow mappings
//! for params, fields and enum values (`{ type: id, required: true, in: top }`), literal block
//! scalars (`|`) for examples, folded scalars (`>-`) for long docs, and quotes only where YAML
//! needs them.
//!
//! [`emit`] writes a catalogue from scratch. [`emit_over`] rewrites an existing file: every
//! item (the header, a type, an operation) whose content did not change keeps its original
//! text, comments included, and a changed operation keeps the text of each of its keys,
//! params and examples that did not change, so that a merge shows in review as the lines it
//! changed and nothing else.
//!
//! The parts: `scalar` (how one value is written), `entries` (the header, a type, an operation,
//! the realtime section), `layout` (an existing file cut into items, and an operation patched
//! in place), `positions` (catalogues compared by content).

mod entries;
mod layout;
mod positions;
mod scalar;

pub use entries::{emit_operation, emit_realtime, emit_type};
pub use positions::{operation_without_positions, type_without_positions, without_positions};

use crate::model::*;
use entries::{emit_errors, emit_head};
use layout::Layout;
use positions::{
    errors_without_positions, public_api_without_positions, realtime_without_positions,
};

/// The catalogue as YAML text, from scratch (no comments).
pub fn emit(catalogue: &Catalogue) -> String {
    assemble(catalogue, None)
}

/// The catalogue as YAML text, keeping the text of `original` (the file it was read from or is
/// merged into) for every item that did not change: its header and comments, and each type and
/// operation whose content is the same (positions aside). A changed operation keeps the text
/// of every key, param and example that did not change (comments among them included) and has
/// the others written afresh; a changed type is written afresh; comments directly above an item
/// are kept. New items come last in their section. When `original` cannot be read or is not laid out as
/// `format`/`api`/`types`/`operations` in that order, this is [`emit`].
pub fn emit_over(catalogue: &Catalogue, original: &str) -> String {
    let Some(layout) = Layout::of(original) else {
        return emit(catalogue);
    };
    let text = assemble(catalogue, Some(&layout));
    // The copied text is only trusted if it reads back as the model.
    if reads_back_as(&text, catalogue) {
        text
    } else {
        emit(catalogue)
    }
}

/// Whether `text` reads back as `catalogue` (positions aside).
fn reads_back_as(text: &str, catalogue: &Catalogue) -> bool {
    let Ok(Some(root)) = crate::yaml::parse(text) else {
        return false;
    };
    let mut diags = crate::diag::Diagnostics::default();
    match crate::load::read_catalogue(&root, &mut diags) {
        Some(read) => without_positions(&read) == without_positions(catalogue),
        None => false,
    }
}

// ---------------------------------------------------------------------------------------------
// Assembly: header, types section, operations section.

fn assemble(catalogue: &Catalogue, layout: Option<&Layout>) -> String {
    let mut out = String::new();
    let public_api = catalogue
        .public_api
        .as_ref()
        .map(public_api_without_positions);
    let errors = errors_without_positions(&catalogue.errors);
    match layout {
        Some(l) if l.api == catalogue.api && l.public_api == public_api && l.errors == errors => {
            out.push_str(&l.head)
        }
        Some(l) => {
            out.push_str(&l.header_comments);
            out.push_str(&emit_head(catalogue));
            out.push_str(&emit_errors(&catalogue.errors));
        }
        None => {
            out.push_str(&emit_head(catalogue));
            out.push_str(&emit_errors(&catalogue.errors));
        }
    }
    if !catalogue.types.is_empty() {
        out.push('\n');
        out.push_str(layout.map_or("types:\n", |l| &l.types_preamble));
        let pieces: Vec<String> = catalogue
            .types
            .iter()
            .map(
                |ty| match layout.and_then(|l| l.types.iter().find(|s| s.name == ty.name)) {
                    Some(seg) if seg.type_def.as_ref() == Some(&type_without_positions(ty)) => {
                        seg.text.clone()
                    }
                    Some(seg) => seg.rewrite(&emit_type(ty)),
                    None => emit_type(ty),
                },
            )
            .collect();
        out.push_str(&pieces.join("\n"));
    }
    if let Some(realtime) = &catalogue.realtime {
        out.push('\n');
        match layout.and_then(|l| l.realtime.as_ref()) {
            Some((text, read)) if *read == realtime_without_positions(realtime) => {
                out.push_str(text)
            }
            _ => out.push_str(&emit_realtime(realtime)),
        }
    }
    out.push('\n');
    out.push_str(layout.map_or("operations:\n", |l| &l.operations_preamble));
    let pieces: Vec<String> = catalogue
        .operations
        .iter()
        .map(
            |op| match layout.and_then(|l| l.operations.iter().find(|s| s.name == op.name)) {
                Some(seg) if seg.operation.as_ref() == Some(&operation_without_positions(op)) => {
                    seg.text.clone()
                }
                Some(seg) => seg.rewrite(&seg.patch_operation(op)),
                None => emit_operation(op),
            },
        )
        .collect();
    out.push_str(&pieces.join("\n"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api_spec() -> (String, Catalogue) {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../api-spec.yaml");
        let text = std::fs::read_to_string(path).expect("api-spec.yaml");
        let catalogue = crate::load_str(&text, "api-spec.yaml").expect("api-spec.yaml is valid");
        (text, catalogue)
    }

    #[test]
    fn api_spec_round_trips_through_a_fresh_emit() {
        let (_, catalogue) = api_spec();
        let text = emit(&catalogue);
        let again = crate::load_str(&text, "emitted.yaml")
            .unwrap_or_else(|e| panic!("the emitted catalogue is invalid:\n{e}\n{text}"));
        assert_eq!(without_positions(&again), without_positions(&catalogue));
        // Emitting is a fixpoint.
        assert_eq!(emit(&again), text);
    }

    #[test]
    fn emit_over_an_unchanged_file_gives_it_back() {
        let (text, catalogue) = api_spec();
        assert_eq!(emit_over(&catalogue, &text), text);
    }

    #[test]
    fn a_changed_operation_keeps_the_text_of_what_did_not_change() {
        let (text, _) = api_spec();
        // A comment inside the operation, and a hand-written quote the emitter would not write.
        let text = text.replacen(
            "    discriminators: { op: ecommerce, op1: orders, op2: get }\n    params:\n      id:",
            "    discriminators: { op: ecommerce, op1: orders, op2: get }\n    # The order's id.\n    params:\n      id:",
            1,
        );
        let mut catalogue = crate::load_str(&text, "api-spec.yaml").expect("valid");
        let get_order = catalogue
            .operations
            .iter_mut()
            .find(|o| o.name == "get_order")
            .unwrap();
        get_order.params[0].doc = Some("The order to fetch.".into());
        get_order.idempotent = true;
        let out = emit_over(&catalogue, &text);
        let again = crate::load_str(&out, "out.yaml").expect("valid");
        assert_eq!(without_positions(&again), without_positions(&catalogue));
        // Only get_order's lines changed, and of those only the two that say something new;
        // the comment inside it stays.
        let segment = |text: &str| -> String {
            let start = text.find("  - name: get_order\n").unwrap();
            let end = start + text[start..].find("  - name: update_order\n").unwrap();
            text[start..end].to_string()
        };
        let outside = |text: &str| text.replacen(&segment(text), "", 1);
        assert!(
            outside(&out) == outside(&text),
            "other operations untouched"
        );
        let expected = segment(&text)
            .replacen(
                "    kind: read\n",
                "    kind: read\n    idempotent: true\n",
                1,
            )
            .replacen("doc: The order to read. }", "doc: The order to fetch. }", 1);
        assert_eq!(segment(&out), expected);
        assert!(expected.contains("    # The order's id.\n"));
    }

    #[test]
    fn emit_over_rewrites_only_what_changed() {
        let (text, mut catalogue) = api_spec();
        catalogue.operations[0].summary = "A new summary.".into();
        let first = catalogue.operations[0].name.clone();
        let last = catalogue.operations.last().unwrap().name.clone();
        let second = format!("  - name: {}\n", catalogue.operations[1].name);
        let mut added = catalogue.operations[1].clone();
        added.name = "brand_new".into();
        added.discriminators = vec![("op".into(), "brand".into())];
        // The copied examples send the other discriminators: the new one is not from the
        // collection.
        added.provenance = Provenance::Inferred;
        added.examples.clear();
        catalogue.operations.push(added);
        let out = emit_over(&catalogue, &text);
        let again = crate::load_str(&out, "out.yaml").expect("valid");
        assert_eq!(without_positions(&again), without_positions(&catalogue));
        assert!(out.starts_with("# The ChatRace"), "header comments kept");
        assert!(out.contains("    summary: A new summary.\n"));
        let new_at = out
            .find("  - name: brand_new\n")
            .expect("new operation written");
        assert!(
            new_at > out.find(&format!("  - name: {last}\n")).unwrap(),
            "new operation last"
        );
        // Everything before the first operation and after it is the original text.
        assert_eq!(
            &out[..out.find("  - name: ").unwrap()],
            &text[..text.find("  - name: ").unwrap()]
        );
        let rest_out = &out[out.find(&second).unwrap()..new_at];
        let rest_in = format!("{}\n\n", &text[text.find(&second).unwrap()..].trim_end());
        assert!(rest_out == rest_in, "{first} only changed");
        let comment = rest_in
            .lines()
            .find(|l| l.trim_start().starts_with("# "))
            .expect("api-spec.yaml has comments between its operations");
        assert!(out.contains(comment), "comments above operations kept");
    }
}

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

use crate::diag::Pos;
use crate::model::*;
use crate::names::snake_case;
use crate::yaml::{Node, Value};

/// The widest line the emitter writes when it has the choice (long flow mappings may exceed it).
const WIDTH: usize = 100;

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

/// The catalogue with every position zeroed: two catalogues with the same content compare equal.
pub fn without_positions(catalogue: &Catalogue) -> Catalogue {
    let mut c = catalogue.clone();
    for ty in &mut c.types {
        ty.pos = Pos::default();
        match &mut ty.kind {
            TypeKind::Struct { fields } => fields.iter_mut().for_each(|f| f.pos = Pos::default()),
            TypeKind::Enum { values, .. } => values.iter_mut().for_each(|v| v.pos = Pos::default()),
            TypeKind::Union(union) => union
                .variants
                .iter_mut()
                .for_each(|v| v.pos = Pos::default()),
            TypeKind::Id => {}
        }
    }
    for op in &mut c.operations {
        *op = operation_without_positions(op);
    }
    c.realtime = c.realtime.as_ref().map(realtime_without_positions);
    c
}

/// One operation with every position zeroed.
pub fn operation_without_positions(op: &Operation) -> Operation {
    let mut op = op.clone();
    op.pos = Pos::default();
    op.params.iter_mut().for_each(|p| p.pos = Pos::default());
    op.constants.iter_mut().for_each(|c| c.pos = Pos::default());
    if let Some(paging) = &mut op.paging {
        paging.pos = Pos::default();
    }
    op.examples.iter_mut().for_each(|e| e.pos = Pos::default());
    op
}

/// The realtime section with every position zeroed.
fn realtime_without_positions(realtime: &Realtime) -> Realtime {
    let mut r = realtime.clone();
    r.pos = Pos::default();
    r.url.pos = Pos::default();
    r.user.pos = Pos::default();
    r.contact.pos = Pos::default();
    if let Some(upload) = &mut r.upload {
        upload.pos = Pos::default();
    }
    r.frames.iter_mut().for_each(|f| f.pos = Pos::default());
    r.events.pos = Pos::default();
    r
}

/// The `realtime:` section, as the format writes it.
pub fn emit_realtime(realtime: &Realtime) -> String {
    let mut out = String::from("realtime:\n");
    block_entry(&mut out, 2, "doc", &realtime.doc);
    let list = |paths: &[String]| {
        let items: Vec<String> = paths.iter().map(|p| flow_scalar(p)).collect();
        format!("[{}]", items.join(", "))
    };
    out.push_str(&format!(
        "  url: {}\n",
        flow_map(&[
            ("operation", flow_scalar(&realtime.url.operation)),
            ("fields", list(&realtime.url.paths)),
        ])
    ));
    out.push_str(&format!(
        "  user: {}\n",
        flow_map(&[
            ("operation", flow_scalar(&realtime.user.operation)),
            (
                "path",
                realtime
                    .user
                    .paths
                    .first()
                    .map_or_else(String::new, |p| flow_scalar(p))
            ),
        ])
    ));
    let c = &realtime.contact;
    out.push_str(&format!(
        "  contact: {}\n",
        flow_map(&[
            ("operation", flow_scalar(&c.operation)),
            ("param", flow_scalar(&c.param)),
            ("hash", flow_scalar(&c.hash)),
            ("channel", flow_scalar(&c.channel)),
            ("last_interaction", flow_scalar(&c.last_interaction)),
        ])
    ));
    if let Some(u) = &realtime.upload {
        out.push_str(&format!(
            "  upload: {}\n",
            flow_map(&[
                ("operation", flow_scalar(&u.operation)),
                ("kind", flow_scalar(&u.kind)),
                ("contact", flow_scalar(&u.contact)),
                ("file", flow_scalar(&u.file)),
                ("url", flow_scalar(&u.url)),
            ])
        ));
    }
    if !realtime.reply_windows.is_empty() {
        let windows: Vec<String> = realtime
            .reply_windows
            .iter()
            .map(|(channel, hours)| format!("\"{channel}\": {hours}"))
            .collect();
        out.push_str(&format!("  reply_windows: {{ {} }}\n", windows.join(", ")));
    }
    out.push_str("  frames:\n");
    for frame in &realtime.frames {
        out.push_str(&format!("    {}:\n", key(&frame.name)));
        out.push_str(&format!("      action: {}\n", flow_json(&frame.action)));
        out.push_str(&format!("      data: {}\n", flow_scalar(&frame.data)));
        if let Some(doc) = &frame.doc {
            block_entry(&mut out, 6, "doc", doc);
        }
        out.push_str(&format!("      template: {}\n", flow_json(&frame.template)));
    }
    if !realtime.parts.is_empty() {
        out.push_str("  parts:\n");
        for (name, template) in &realtime.parts {
            out.push_str(&format!("    {}: {}\n", key(name), flow_json(template)));
        }
    }
    let mut events = vec![("type", flow_scalar(&realtime.events.ty))];
    if !realtime.events.at.is_empty() {
        events.insert(0, ("at", flow_scalar(&realtime.events.at)));
    }
    out.push_str(&format!("  events: {}\n", flow_map(&events)));
    out
}

/// One type with every position zeroed.
pub fn type_without_positions(ty: &TypeDef) -> TypeDef {
    let mut c = Catalogue {
        api: ApiInfo::default(),
        types: vec![ty.clone()],
        operations: Vec::new(),
        realtime: None,
    };
    c = without_positions(&c);
    c.types.remove(0)
}

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
    match layout {
        Some(l) if l.api == catalogue.api => out.push_str(&l.head),
        Some(l) => {
            out.push_str(&l.header_comments);
            out.push_str(&emit_head(&catalogue.api));
        }
        None => out.push_str(&emit_head(&catalogue.api)),
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

/// An existing file cut into the pieces [`emit_over`] reuses.
struct Layout {
    /// The lines before `format:` (the file's header comments).
    header_comments: String,
    /// Everything before the `types:` section (or `operations:`), trailing blank lines removed.
    head: String,
    /// The `api` the head declares.
    api: ApiInfo,
    /// From the comments above `types:` to the first type.
    types_preamble: String,
    /// The `realtime:` section's text (from the comments above it), and what it reads as.
    realtime: Option<(String, Realtime)>,
    /// From the comments above `operations:` to the first operation.
    operations_preamble: String,
    types: Vec<Segment>,
    operations: Vec<Segment>,
}

/// The text of one type or operation, from the comments above it to its last line.
struct Segment {
    name: String,
    /// Its original text, trailing blank lines removed.
    text: String,
    /// The comment lines directly above it.
    leading: String,
    /// The comment lines after its last line (before the next item).
    trailing: String,
    /// Its own lines, from its first line to its last (no comments around it).
    body: String,
    /// The item as it was read (positions zeroed), when it could be.
    type_def: Option<TypeDef>,
    operation: Option<Operation>,
}

impl Segment {
    /// The segment with its content replaced by `fresh`, keeping its surrounding comments.
    fn rewrite(&self, fresh: &str) -> String {
        format!("{}{fresh}{}", self.leading, self.trailing)
    }

    /// The text of `op`, a changed version of this segment's operation: the original text of
    /// every key, param and example that did not change (comments inside them included), the
    /// others written afresh. When that text does not read back as `op`, all of it is fresh.
    fn patch_operation(&self, op: &Operation) -> String {
        let fresh = emit_operation(op);
        let Some(before) = &self.operation else {
            return fresh;
        };
        match patch_blocks(&self.body, &emit_operation(before), &fresh) {
            Some(patched) if reads_back_as_operation(&patched, op) => patched,
            _ => fresh,
        }
    }
}

/// An operation's text cut at its top-level keys (`name` on the `  - ` line, then each key at
/// four spaces), each block with the lines under it; `None` when it is not laid out so.
fn key_blocks(text: &str) -> Option<Vec<(String, String)>> {
    let mut blocks: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        let key = if let Some(rest) = line.strip_prefix("  - ") {
            if !blocks.is_empty() {
                return None;
            }
            Some(rest)
        } else {
            line.strip_prefix("    ")
                .filter(|rest| !rest.starts_with([' ', '#']) && !rest.is_empty())
        };
        match key.and_then(|k| k.split_once(':')) {
            Some((key, _)) => blocks.push((key.trim().to_string(), format!("{line}\n"))),
            None => {
                let (_, block) = blocks.last_mut()?;
                block.push_str(line);
                block.push('\n');
            }
        }
    }
    (!blocks.is_empty()).then_some(blocks)
}

/// The entries of a `params:` or `examples:` block: its first line, then one text per entry
/// (a line at six spaces, with the deeper lines under it).
fn entry_blocks(block: &str) -> Option<(String, Vec<String>)> {
    let mut lines = block.lines();
    let head = format!("{}\n", lines.next()?);
    let mut entries: Vec<String> = Vec::new();
    for line in lines {
        let starts_entry = line
            .strip_prefix("      ")
            .is_some_and(|rest| !rest.starts_with([' ', '#']) && !rest.is_empty());
        if starts_entry {
            entries.push(String::new());
        }
        let entry = entries.last_mut()?;
        entry.push_str(line);
        entry.push('\n');
    }
    Some((head, entries))
}

/// `fresh` (the new operation, emitted), with the text of `original` wherever the emitted old
/// operation (`old`) and `fresh` agree: key by key, and entry by entry in `params` and
/// `examples`. New keys go after the key that comes before them in `fresh`.
fn patch_blocks(original: &str, old: &str, fresh: &str) -> Option<String> {
    let original = key_blocks(original)?;
    let old = key_blocks(old)?;
    let fresh = key_blocks(fresh)?;
    let find = |blocks: &[(String, String)], key: &str| {
        blocks
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, text)| text.clone())
    };
    let mut out: Vec<(String, String)> = Vec::new();
    for (key, text) in &original {
        let (before, after) = (find(&old, key), find(&fresh, key));
        match (before, after) {
            (before, after) if before == after => out.push((key.clone(), text.clone())),
            (_, None) => {}
            (Some(before), Some(after)) if key == "params" || key == "examples" => {
                out.push((key.clone(), patch_entries(text, &before, &after)?))
            }
            (_, Some(after)) => out.push((key.clone(), after)),
        }
    }
    for (index, (key, text)) in fresh.iter().enumerate() {
        if original.iter().any(|(k, _)| k == key) {
            continue;
        }
        let at = fresh[..index]
            .iter()
            .rev()
            .find_map(|(k, _)| out.iter().position(|(o, _)| o == k))
            .map_or(out.len(), |p| p + 1);
        out.insert(at, (key.clone(), text.clone()));
    }
    Some(out.into_iter().map(|(_, text)| text).collect())
}

/// A `params:` or `examples:` block of `fresh` with the original text of each entry the old
/// operation had unchanged.
fn patch_entries(original: &str, old: &str, fresh: &str) -> Option<String> {
    let (head, original) = entry_blocks(original)?;
    let (_, old) = entry_blocks(old)?;
    let (_, fresh) = entry_blocks(fresh)?;
    if original.len() != old.len() {
        return None;
    }
    let mut used = vec![false; old.len()];
    let mut out = head;
    for entry in &fresh {
        let same = (0..old.len()).find(|&i| !used[i] && old[i] == *entry);
        match same {
            Some(i) => {
                used[i] = true;
                out.push_str(&original[i]);
            }
            None => out.push_str(entry),
        }
    }
    Some(out)
}

/// Whether the text of one operation reads back as `op`.
fn reads_back_as_operation(text: &str, op: &Operation) -> bool {
    let document = format!("format: 1\napi:\n  title: x\noperations:\n{text}");
    let Ok(Some(root)) = crate::yaml::parse(&document) else {
        return false;
    };
    let mut diags = crate::diag::Diagnostics::default();
    match crate::load::read_catalogue(&root, &mut diags) {
        Some(read) => {
            read.operations.len() == 1
                && operation_without_positions(&read.operations[0])
                    == operation_without_positions(op)
        }
        None => false,
    }
}

fn is_comment(line: &str) -> bool {
    line.trim_start().starts_with('#')
}

fn is_blank(line: &str) -> bool {
    line.trim().is_empty()
}

/// `lines[from..to]` joined, each line ending with a newline.
fn join_lines(lines: &[&str], from: usize, to: usize) -> String {
    let mut out = String::new();
    for line in &lines[from.min(to)..to] {
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// The index of the first line of the comment run directly above line `at` (0-based).
fn comment_start(lines: &[&str], at: usize) -> usize {
    let mut start = at;
    while start > 0 && is_comment(lines[start - 1]) {
        start -= 1;
    }
    start
}

/// `text` without its trailing blank lines, ending with one newline.
fn trim_blank_tail(text: &str) -> String {
    let mut out = text.trim_end_matches(['\n', ' ', '\t']).to_string();
    out.push('\n');
    out
}

impl Layout {
    fn of(source: &str) -> Option<Layout> {
        let root = crate::yaml::parse(source).ok()??;
        let Value::Map(entries) = &root.value else {
            return None;
        };
        let key_line = |name: &str| {
            entries
                .iter()
                .find(|(k, _)| k.as_scalar() == Some(name))
                .filter(|(k, _)| k.pos.column == 1)
                .map(|(k, v)| ((k.pos.line as usize).saturating_sub(1), v))
        };
        let (format_line, _) = key_line("format")?;
        let (api_line, _) = key_line("api")?;
        let (ops_line, ops_node) = key_line("operations")?;
        let types = key_line("types");
        let realtime_line = key_line("realtime").map(|(line, _)| line);
        let keys: Vec<&str> = entries.iter().filter_map(|(k, _)| k.as_scalar()).collect();
        let expected: Vec<&str> = ["format", "api"]
            .into_iter()
            .chain(types.is_some().then_some("types"))
            .chain(realtime_line.is_some().then_some("realtime"))
            .chain(["operations"])
            .collect();
        if keys != expected || format_line >= api_line || api_line >= ops_line {
            return None;
        }
        let lines: Vec<&str> = source.lines().collect();
        let original = {
            let mut diags = crate::diag::Diagnostics::default();
            crate::load::read_catalogue(&root, &mut diags)?
        };

        let ops_start = comment_start(&lines, ops_line);
        // The `realtime:` section sits between the types and the operations.
        let realtime_start = realtime_line.map(|line| comment_start(&lines, line));
        let realtime = match (realtime_start, &original.realtime) {
            (Some(start), Some(read)) => Some((
                trim_blank_tail(&join_lines(&lines, start, ops_start)),
                realtime_without_positions(read),
            )),
            (None, None) => None,
            _ => return None,
        };
        let types_end = realtime_start.unwrap_or(ops_start);
        let (head_end, types_preamble, type_segments) = match types {
            Some((types_line, types_node)) => {
                let types_start = comment_start(&lines, types_line);
                let Value::Map(type_entries) = &types_node.value else {
                    return None;
                };
                let starts: Vec<(String, usize)> = type_entries
                    .iter()
                    .map(|(k, _)| {
                        Some((
                            k.as_scalar()?.to_string(),
                            (k.pos.line as usize).saturating_sub(1),
                        ))
                    })
                    .collect::<Option<_>>()?;
                let first = starts.first().map_or(types_end, |(_, line)| {
                    comment_start(&lines, *line).max(types_line + 1)
                });
                let preamble = join_lines(&lines, types_start, first);
                let segments = segments(&lines, &starts, types_end, |name| {
                    original
                        .types
                        .iter()
                        .find(|t| t.name == name)
                        .map(type_without_positions)
                        .map(|t| (Some(t), None))
                })?;
                (types_start, preamble, segments)
            }
            None => (types_end, "types:\n".to_string(), Vec::new()),
        };
        let Value::Seq(items) = &ops_node.value else {
            return None;
        };
        let mut starts = Vec::new();
        for item in items {
            let line = (item.pos.line as usize).saturating_sub(1);
            if !lines.get(line)?.trim_start().starts_with('-') {
                return None;
            }
            starts.push((operation_name(item)?, line));
        }
        let first = starts.first().map_or(lines.len(), |(_, line)| {
            comment_start(&lines, *line).max(ops_line + 1)
        });
        let operations_preamble = join_lines(&lines, ops_start, first);
        let op_segments = segments(&lines, &starts, lines.len(), |name| {
            original
                .operations
                .iter()
                .find(|o| o.name == name)
                .map(|o| (None, Some(operation_without_positions(o))))
        })?;
        let mut names: Vec<&str> = type_segments.iter().map(|s| s.name.as_str()).collect();
        names.sort_unstable();
        let mut op_names: Vec<&str> = op_segments.iter().map(|s| s.name.as_str()).collect();
        op_names.sort_unstable();
        if names.windows(2).any(|w| w[0] == w[1]) || op_names.windows(2).any(|w| w[0] == w[1]) {
            return None;
        }
        Some(Layout {
            header_comments: join_lines(&lines, 0, format_line),
            head: trim_blank_tail(&join_lines(&lines, 0, head_end)),
            api: original.api.clone(),
            types_preamble,
            realtime,
            operations_preamble,
            types: type_segments,
            operations: op_segments,
        })
    }
}

type Read = (Option<TypeDef>, Option<Operation>);

/// Cuts `lines` into one segment per item starting at `starts` (0-based anchor lines), the last
/// one ending at `end`.
fn segments(
    lines: &[&str],
    starts: &[(String, usize)],
    end: usize,
    read: impl Fn(&str) -> Option<Read>,
) -> Option<Vec<Segment>> {
    let mut out = Vec::new();
    for (i, (name, anchor)) in starts.iter().enumerate() {
        let start = comment_start(lines, *anchor);
        let stop = match starts.get(i + 1) {
            Some((_, next)) => comment_start(lines, *next),
            None => end,
        };
        if stop <= *anchor {
            return None;
        }
        // The body ends at its last line that is neither blank nor a comment.
        let mut body_end = stop;
        while body_end > *anchor + 1
            && (is_blank(lines[body_end - 1]) || is_comment(lines[body_end - 1]))
        {
            body_end -= 1;
        }
        let (type_def, operation) = read(name)?;
        out.push(Segment {
            name: name.clone(),
            text: trim_blank_tail(&join_lines(lines, start, stop)),
            leading: join_lines(lines, start, *anchor),
            body: join_lines(lines, *anchor, body_end),
            trailing: {
                let tail = join_lines(lines, body_end, stop);
                if tail.trim().is_empty() {
                    String::new()
                } else {
                    trim_blank_tail(&tail)
                }
            },
            type_def,
            operation,
        });
    }
    Some(out)
}

fn operation_name(item: &Node) -> Option<String> {
    let Value::Map(entries) = &item.value else {
        return None;
    };
    entries
        .iter()
        .find(|(k, _)| k.as_scalar() == Some("name"))
        .and_then(|(_, v)| v.as_scalar())
        .map(str::to_string)
}

// ---------------------------------------------------------------------------------------------
// Items.

fn emit_head(api: &ApiInfo) -> String {
    let mut out = String::from("format: 1\napi:\n");
    block_entry(&mut out, 2, "title", &api.title);
    if let Some(source) = &api.source {
        block_entry(&mut out, 2, "source", source);
    }
    if let Some(doc) = &api.doc {
        block_entry(&mut out, 2, "doc", doc);
    }
    out
}

/// A shared type, indented under `types:`.
pub fn emit_type(ty: &TypeDef) -> String {
    let mut out = format!("  {}:\n", key(&ty.name));
    block_entry(&mut out, 4, "doc", &ty.doc);
    match &ty.kind {
        TypeKind::Struct { fields } => {
            if fields.is_empty() {
                out.push_str("    fields: {}\n");
            } else {
                out.push_str("    fields:\n");
            }
            for field in fields {
                let mut entries = vec![("type", field.ty.to_string())];
                if field.required {
                    entries.push(("required", "true".into()));
                }
                if field.rust != snake_case(&field.wire) {
                    entries.push(("rust", flow_scalar(&field.rust)));
                }
                if let Some(doc) = &field.doc {
                    entries.push(("doc", flow_scalar(doc)));
                }
                if field.inferred {
                    entries.push(("inferred", "true".into()));
                }
                if field.secret {
                    entries.push(("secret", "true".into()));
                }
                out.push_str(&format!(
                    "      {}: {}\n",
                    key(&field.wire),
                    flow_map(&entries)
                ));
            }
        }
        TypeKind::Enum { repr, values } => {
            out.push_str(&format!("    enum: {repr}\n    values:\n"));
            for value in values {
                let literal = match &value.value {
                    EnumLiteral::Integer(i) => i.to_string(),
                    EnumLiteral::String(s) => flow_scalar(s),
                };
                let mut entries = vec![("value", literal), ("name", flow_scalar(&value.name))];
                if let Some(doc) = &value.doc {
                    entries.push(("doc", flow_scalar(doc)));
                }
                if value.inferred {
                    entries.push(("inferred", "true".into()));
                }
                out.push_str(&format!("      - {}\n", flow_map(&entries)));
            }
        }
        TypeKind::Id => out.push_str("    id: true\n"),
        TypeKind::Union(union) => {
            out.push_str(&format!(
                "    union:\n      tag: {}\n",
                block_scalar_inline(&union.tag)
            ));
            if let Some(default) = &union.default {
                out.push_str(&format!(
                    "      default: {}\n",
                    block_scalar_inline(default)
                ));
            }
            out.push_str("      variants:\n");
            for variant in &union.variants {
                let mut entries = vec![("type", flow_scalar(&variant.ty))];
                if variant.name != snake_case(&variant.tag_value) {
                    entries.push(("name", flow_scalar(&variant.name)));
                }
                if let Some(doc) = &variant.doc {
                    entries.push(("doc", flow_scalar(doc)));
                }
                out.push_str(&format!(
                    "        {}: {}\n",
                    key(&variant.tag_value),
                    flow_map(&entries)
                ));
            }
        }
    }
    out
}

/// An operation, as an item of the `operations:` sequence.
pub fn emit_operation(op: &Operation) -> String {
    let mut out = format!("  - name: {}\n", block_scalar_inline(&op.name));
    block_entry(&mut out, 4, "title", &op.title);
    block_entry(&mut out, 4, "summary", &op.summary);
    if let Some(area) = &op.area {
        block_entry(&mut out, 4, "area", area);
    }
    out.push_str(&format!("    provenance: {}\n", op.provenance));
    if !op.inferred.is_empty() {
        out.push_str("    inferred:\n");
        for sentence in &op.inferred {
            block_entry_item(&mut out, 6, sentence);
        }
    }
    out.push_str(&format!("    kind: {}\n", op.kind));
    if op.idempotent {
        out.push_str("    idempotent: true\n");
    }
    if op.auth == Auth::None {
        out.push_str("    auth: none\n");
    }
    if op.scope == Scope::None {
        out.push_str("    scope: none\n");
    }
    if op.account_as == WireAs::String {
        out.push_str("    account_as: string\n");
    }
    if let Some(session) = op.session {
        out.push_str(&format!("    session: {session}\n"));
    }
    if op.body == BodyEncoding::Multipart {
        out.push_str("    body: multipart\n");
    }
    let discriminators: Vec<(&str, String)> = op
        .discriminators
        .iter()
        .map(|(k, v)| (k.as_str(), flow_scalar(v)))
        .collect();
    out.push_str(&format!(
        "    discriminators: {}\n",
        flow_map(&discriminators)
    ));
    if !op.constants.is_empty() {
        let constants: Vec<(&str, String)> = op
            .constants
            .iter()
            .map(|c| (c.path.as_str(), flow_json(&c.value)))
            .collect();
        out.push_str(&format!("    constants: {}\n", flow_map(&constants)));
    }
    if !op.params.is_empty() {
        out.push_str("    params:\n");
        for param in &op.params {
            out.push_str(&format!(
                "      {}: {}\n",
                key(&param.wire),
                flow_map(&param_entries(param))
            ));
        }
    }
    if let Some(response) = &op.response {
        out.push_str(&format!("    response: {response}\n"));
    }
    if op.response_in == ResponseIn::Envelope {
        out.push_str("    response_in: envelope\n");
    }
    if let Some(paging) = &op.paging {
        let mut entries = vec![
            ("offset", flow_scalar(&paging.offset)),
            ("limit", flow_scalar(&paging.limit)),
        ];
        if let Some(items) = &paging.items {
            entries.push(("items", flow_scalar(items)));
        }
        entries.push(("default_limit", paging.default_limit.to_string()));
        entries.push(("max_limit", paging.max_limit.to_string()));
        out.push_str(&format!("    paging: {}\n", flow_map(&entries)));
    }
    if !op.examples.is_empty() {
        out.push_str("    examples:\n");
    }
    for example in &op.examples {
        out.push_str(&format!(
            "      - name: {}\n",
            block_scalar_inline(&example.name)
        ));
        if !example.headers.is_empty() {
            out.push_str("        headers:\n");
            for (name, value) in &example.headers {
                out.push_str(&format!(
                    "          {}: {}\n",
                    key(name),
                    block_scalar_inline(value)
                ));
            }
        }
        block_entry(&mut out, 8, "request", &example.request);
        if let Some(response) = &example.response {
            block_entry(&mut out, 8, "response", response);
        }
        if !example.renamed.is_empty() {
            let renamed: Vec<(&str, String)> = example
                .renamed
                .iter()
                .map(|(from, to)| (from.as_str(), flow_scalar(to)))
                .collect();
            out.push_str(&format!("        renamed: {}\n", flow_map(&renamed)));
        }
        if let Some(note) = &example.note {
            block_entry(&mut out, 8, "note", note);
        }
    }
    out
}

/// A sequence item of text at `indent`: `- text`, quoted when it must be.
fn block_entry_item(out: &mut String, indent: usize, text: &str) {
    let pad = " ".repeat(indent);
    out.push_str(&format!("{pad}- {}\n", block_scalar_inline(text)));
}

/// A JSON value as a YAML flow value that reads back as the same JSON.
fn flow_json(value: &serde_json::Value) -> String {
    use serde_json::Value as Json;
    match value {
        Json::Null => "null".into(),
        Json::Bool(b) => b.to_string(),
        Json::Number(n) => n.to_string(),
        Json::String(s) => double_quoted(s),
        Json::Array(items) => {
            let inner: Vec<String> = items.iter().map(flow_json).collect();
            format!("[{}]", inner.join(", "))
        }
        Json::Object(map) => {
            let inner: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{}: {}", double_quoted(k), flow_json(v)))
                .collect();
            format!("{{{}}}", inner.join(", "))
        }
    }
}

fn param_entries(param: &Param) -> Vec<(&'static str, String)> {
    let mut entries = vec![("type", param.ty.to_string())];
    if param.required {
        entries.push(("required", "true".into()));
    }
    // `data` is the default place of a param.
    if param.location != Location::Data {
        entries.push(("in", param.location.to_string()));
    }
    if let Some(wire_as) = param.wire_as {
        entries.push(("as", wire_as.to_string()));
    }
    if let Some(default) = &param.default {
        entries.push(("default", flow_json(default)));
    }
    if param.rust != snake_case(&param.wire) {
        entries.push(("rust", flow_scalar(&param.rust)));
    }
    if let Some(doc) = &param.doc {
        entries.push(("doc", flow_scalar(doc)));
    }
    if param.inferred {
        entries.push(("inferred", "true".into()));
    }
    if param.secret {
        entries.push(("secret", "true".into()));
    }
    entries
}

// ---------------------------------------------------------------------------------------------
// Scalars.

/// `{ a: b, c: d }`.
fn flow_map(entries: &[(&str, String)]) -> String {
    let inner: Vec<String> = entries.iter().map(|(k, v)| format!("{k}: {v}")).collect();
    format!("{{ {} }}", inner.join(", "))
}

/// A mapping key: plain when it can be, else double-quoted.
fn key(text: &str) -> String {
    flow_scalar(text)
}

/// A scalar inside a flow mapping: plain when YAML reads it back as the same text, else quoted.
fn flow_scalar(text: &str) -> String {
    if plain_ok(text, true) {
        text.to_string()
    } else {
        double_quoted(text)
    }
}

/// A single-line scalar after `key: ` in block context.
fn block_scalar_inline(text: &str) -> String {
    if plain_ok(text, false) {
        text.to_string()
    } else {
        double_quoted(text)
    }
}

/// Writes `key: value` at `indent`, choosing the style: plain or quoted on one line when it
/// fits, folded (`>-`) when a long single line does not, literal (`|`) for multi-line text.
fn block_entry(out: &mut String, indent: usize, key_name: &str, text: &str) {
    let pad = " ".repeat(indent);
    if text.contains('\n') {
        if let Some(block) = literal_block(text, indent + 2) {
            out.push_str(&format!("{pad}{key_name}: {block}"));
        } else {
            out.push_str(&format!("{pad}{key_name}: {}\n", double_quoted(text)));
        }
        return;
    }
    let inline = block_scalar_inline(text);
    if indent + key_name.len() + 2 + inline.len() <= WIDTH {
        out.push_str(&format!("{pad}{key_name}: {inline}\n"));
    } else if let Some(block) = folded_block(text, indent + 2) {
        out.push_str(&format!("{pad}{key_name}: {block}"));
    } else {
        out.push_str(&format!("{pad}{key_name}: {inline}\n"));
    }
}

fn forbidden_char(c: char) -> bool {
    (c.is_control() && c != '\n') || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}')
}

/// Whether `text` can be written as a plain scalar and read back as the same text, by this
/// crate's loader and by other YAML tools (no word that YAML would read as a null, boolean or
/// number).
fn plain_ok(text: &str, in_flow: bool) -> bool {
    let Some(first) = text.chars().next() else {
        return false;
    };
    if text != text.trim() || text.chars().any(|c| forbidden_char(c) || c == '\n') {
        return false;
    }
    if "-?:,[]{}#&*!|>'\"%@`".contains(first) {
        return false;
    }
    if text.contains(": ") || text.contains(" #") || text.ends_with(':') {
        return false;
    }
    if in_flow && text.contains([',', '[', ']', '{', '}']) {
        return false;
    }
    !looks_typed(text)
}

/// Whether a plain scalar would be read as something other than text by YAML 1.1 or 1.2.
fn looks_typed(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    matches!(
        lower.as_str(),
        "~" | "null" | "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n"
    ) || text.parse::<f64>().is_ok()
        || lower.starts_with("0x")
        || lower.starts_with("0o")
        || lower.starts_with(".inf")
        || lower.starts_with(".nan")
        || lower.starts_with("+.inf")
}

/// `"..."` with YAML's escapes.
fn double_quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if forbidden_char(c) => {
                let code = c as u32;
                if code <= 0xff {
                    out.push_str(&format!("\\x{code:02x}"));
                } else {
                    out.push_str(&format!("\\u{code:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `|` (text ending with one newline) or `|-` (no final newline) with its lines at `indent`,
/// when the text can be written so; `None` sends the caller to a quoted scalar.
fn literal_block(text: &str, indent: usize) -> Option<String> {
    let (body, indicator) = match text.strip_suffix('\n') {
        Some(body) if !body.ends_with('\n') => (body, "|"),
        Some(_) => return None,
        None => (text, "|-"),
    };
    let first = body.lines().next()?;
    if first.is_empty() || first.starts_with(' ') {
        return None;
    }
    if body.chars().any(|c| forbidden_char(c) || c == '\t') {
        return None;
    }
    // A line of spaces only is ambiguous in a block scalar.
    if body
        .split('\n')
        .any(|l| !l.is_empty() && l.trim().is_empty())
    {
        return None;
    }
    let pad = " ".repeat(indent);
    let mut out = format!("{indicator}\n");
    for line in body.split('\n') {
        if !line.is_empty() {
            out.push_str(&pad);
            out.push_str(line);
        }
        out.push('\n');
    }
    Some(out)
}

/// `>-` with the text wrapped at single spaces to fit [`WIDTH`], when it can be folded back
/// into the same text.
fn folded_block(text: &str, indent: usize) -> Option<String> {
    if text != text.trim() || text.chars().any(forbidden_char) || text.contains('\n') {
        return None;
    }
    let chars: Vec<char> = text.chars().collect();
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut word = String::new();
    let room = WIDTH.saturating_sub(indent).max(20);
    for (i, &c) in chars.iter().enumerate() {
        // Only a single space between two non-spaces may become a line break.
        let breakable =
            c == ' ' && i > 0 && chars[i - 1] != ' ' && chars.get(i + 1).is_some_and(|n| *n != ' ');
        if breakable {
            if !current.is_empty() && current.chars().count() + 1 + word.chars().count() > room {
                lines.push(std::mem::take(&mut current));
            }
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(&std::mem::take(&mut word));
        } else {
            word.push(c);
        }
    }
    if !current.is_empty() && current.chars().count() + 1 + word.chars().count() > room {
        lines.push(std::mem::take(&mut current));
    }
    if !current.is_empty() {
        current.push(' ');
    }
    current.push_str(&word);
    lines.push(current);
    let pad = " ".repeat(indent);
    let mut out = String::from(">-\n");
    for line in lines {
        out.push_str(&pad);
        out.push_str(&line);
        out.push('\n');
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Catalogue {
        let root = crate::yaml::parse(text).unwrap().unwrap();
        let mut diags = crate::diag::Diagnostics::default();
        crate::load::read_catalogue(&root, &mut diags).expect("reads")
    }

    #[test]
    fn plain_scalars_are_chosen_only_when_safe() {
        assert_eq!(flow_scalar("ecommerce"), "ecommerce");
        assert_eq!(flow_scalar("live-chat"), "live-chat");
        assert_eq!(flow_scalar("a, b"), "\"a, b\"");
        assert_eq!(flow_scalar("{{token}}"), "\"{{token}}\"");
        assert_eq!(flow_scalar("true"), "\"true\"");
        assert_eq!(flow_scalar("12"), "\"12\"");
        assert_eq!(flow_scalar("a: b"), "\"a: b\"");
        assert_eq!(flow_scalar(""), "\"\"");
        assert_eq!(block_scalar_inline("a, b"), "a, b");
        assert_eq!(double_quoted("say \"hi\"\\\n"), r#""say \"hi\"\\\n""#);
    }

    #[test]
    fn folding_keeps_the_text() {
        let text = "word ".repeat(60).trim().to_string() + "  two  spaces stay";
        let mut out = String::from("format: 1\napi:\n");
        block_entry(&mut out, 2, "title", &text);
        out.push_str("operations: []\n");
        assert!(out.contains(">-"), "{out}");
        assert!(out.lines().all(|l| l.len() <= WIDTH), "{out}");
        assert_eq!(read(&out).api.title, text);
    }

    #[test]
    fn literal_blocks_keep_the_text() {
        for text in [
            "{  \n  \"a\": 1,\n\n  \"b\": \"#x: y\"\n}\n",
            "{\n  \"a\": 1\n}",
            "  leading spaces\n",
            "trailing blank lines\n\n\n",
            "tab\there\n",
            "spaces-only line\n   \nafter\n",
        ] {
            let mut out = String::from("format: 1\napi:\n");
            block_entry(&mut out, 2, "title", text);
            out.push_str("operations: []\n");
            assert_eq!(read(&out).api.title, text, "{out}");
        }
    }

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

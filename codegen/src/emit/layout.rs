//! The layout-preserving patcher: an existing file cut into its items, and an operation's text
//! patched key by key and entry by entry, so that unchanged text (comments included) is kept.

use super::entries::emit_operation;
use super::positions::{
    errors_without_positions, operation_without_positions, public_api_without_positions,
    realtime_without_positions, type_without_positions,
};
use crate::model::*;
use crate::yaml::{Node, Value};

/// An existing file cut into the pieces [`emit_over`](super::emit_over) reuses.
pub(super) struct Layout {
    /// The lines before `format:` (the file's header comments).
    pub(super) header_comments: String,
    /// Everything before the `types:` section (or `operations:`), trailing blank lines removed.
    pub(super) head: String,
    /// The `api` the head declares.
    pub(super) api: ApiInfo,
    /// The `public_api` the head declares (positions zeroed).
    pub(super) public_api: Option<PublicApi>,
    /// The error table the head declares (positions zeroed).
    pub(super) errors: Vec<ErrorCode>,
    /// From the comments above `types:` to the first type.
    pub(super) types_preamble: String,
    /// The `realtime:` section's text (from the comments above it), and what it reads as.
    pub(super) realtime: Option<(String, Realtime)>,
    /// From the comments above `operations:` to the first operation.
    pub(super) operations_preamble: String,
    pub(super) types: Vec<Segment>,
    pub(super) operations: Vec<Segment>,
}

/// The text of one type or operation, from the comments above it to its last line.
pub(super) struct Segment {
    pub(super) name: String,
    /// Its original text, trailing blank lines removed.
    pub(super) text: String,
    /// The comment lines directly above it.
    pub(super) leading: String,
    /// The comment lines after its last line (before the next item).
    pub(super) trailing: String,
    /// Its own lines, from its first line to its last (no comments around it).
    pub(super) body: String,
    /// The item as it was read (positions zeroed), when it could be.
    pub(super) type_def: Option<TypeDef>,
    pub(super) operation: Option<Operation>,
}

impl Segment {
    /// The segment with its content replaced by `fresh`, keeping its surrounding comments.
    pub(super) fn rewrite(&self, fresh: &str) -> String {
        format!("{}{fresh}{}", self.leading, self.trailing)
    }

    /// The text of `op`, a changed version of this segment's operation: the original text of
    /// every key, param and example that did not change (comments inside them included), the
    /// others written afresh. When that text does not read back as `op`, all of it is fresh.
    pub(super) fn patch_operation(&self, op: &Operation) -> String {
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
    pub(super) fn of(source: &str) -> Option<Layout> {
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
        let public_api = key_line("public_api").is_some();
        let (ops_line, ops_node) = key_line("operations")?;
        let types = key_line("types");
        let realtime_line = key_line("realtime").map(|(line, _)| line);
        let keys: Vec<&str> = entries.iter().filter_map(|(k, _)| k.as_scalar()).collect();
        let errors_present = key_line("errors").is_some();
        let expected: Vec<&str> = ["format", "api"]
            .into_iter()
            .chain(public_api.then_some("public_api"))
            .chain(errors_present.then_some("errors"))
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
            public_api: original
                .public_api
                .as_ref()
                .map(public_api_without_positions),
            errors: errors_without_positions(&original.errors),
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

//! Types from example values: the shape of what the collection shows under a key, joined over
//! every example (a number in one answer and a string of digits in another is still a
//! number), and the catalogue types made from it (structs for answers' objects, enums for the
//! values a template lists).

use super::json::Ordered;
use super::template::{
    id_like, ids_like, is_placeholder_text, names_a_secret, placeholder_names_id,
};
use crate::diag::Pos;
use crate::model::*;
use crate::names::{is_keyword, pascal_case, snake_case};
use std::collections::{BTreeMap, HashMap, HashSet};

/// What the values seen under one key have in common.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Shape {
    /// Nothing known: only `null`, or no value at all.
    Unknown,
    /// Only a placeholder for text (`"..."`, `"[timestanp]"`) or an empty text: text, unless
    /// another value says more.
    Placeholder,
    /// `true`/`false`.
    Boolean,
    /// An integer, or a string of digits in an answer.
    Integer,
    /// A number with a fraction.
    Number,
    /// Text.
    Text,
    /// An id: under an id-like key (`id`, `*_id`), or a placeholder that names one.
    Id,
    /// A time in seconds: ten digits.
    Seconds,
    /// A time in milliseconds: thirteen digits.
    Millis,
    /// `YYYY-MM-DD HH:MM:SS`.
    DateTime,
    /// A list of values of one shape.
    List(Box<Shape>),
    /// An object, its keys in the order first seen.
    Object(Vec<(String, Shape)>),
    /// A string holding the JSON of a list or an object.
    Encoded(Box<Shape>),
    /// Values that disagree: any JSON.
    Mixed,
}

impl Shape {
    /// The shape of a value an answer holds under `key`.
    pub(super) fn of_answer(key: &str, value: &Ordered) -> Shape {
        use serde_json::Value as Json;
        match value {
            Ordered::Scalar(Json::Null) => Shape::Unknown,
            Ordered::Scalar(Json::Bool(_)) => Shape::Boolean,
            Ordered::Scalar(Json::Number(n)) if id_like(key) && !n.is_f64() => Shape::Id,
            Ordered::Scalar(Json::Number(n)) => number_shape(n),
            Ordered::Scalar(Json::String(text)) => text_shape(key, text),
            Ordered::Scalar(_) => Shape::Mixed,
            Ordered::Array(items) => {
                let item_key = if ids_like(key) { "id" } else { "" };
                Shape::List(Box::new(join_all(
                    items.iter().map(|item| Shape::of_answer(item_key, item)),
                )))
            }
            Ordered::Object(entries) => {
                let mut fields: Vec<(String, Shape)> = Vec::new();
                for (k, v) in entries {
                    add_field(&mut fields, k, Shape::of_answer(k, v));
                }
                Shape::Object(fields)
            }
        }
    }

    /// The shape of a value a request sends; `names_id`: the key or the template's
    /// placeholder names an id. Text stays text (a string of digits a caller sends is a
    /// string), and an object is any JSON.
    pub(super) fn of_param(value: &Ordered, names_id: bool) -> Shape {
        use serde_json::Value as Json;
        match value {
            Ordered::Scalar(Json::Null) => Shape::Unknown,
            Ordered::Scalar(Json::Bool(_)) => Shape::Boolean,
            Ordered::Scalar(Json::Number(n)) if names_id && !n.is_f64() => Shape::Id,
            Ordered::Scalar(Json::Number(n)) => number_shape(n),
            Ordered::Scalar(Json::String(_)) if names_id => Shape::Id,
            Ordered::Scalar(Json::String(text)) if is_placeholder_text(text) => Shape::Placeholder,
            Ordered::Scalar(Json::String(text)) if is_datetime(text) => Shape::DateTime,
            Ordered::Scalar(Json::String(_)) => Shape::Text,
            Ordered::Scalar(_) => Shape::Mixed,
            Ordered::Array(items) => Shape::List(Box::new(join_all(
                items.iter().map(|item| Shape::of_param(item, names_id)),
            ))),
            Ordered::Object(_) => Shape::Mixed,
        }
    }

    /// What two shapes have in common.
    pub(super) fn join(self, other: Shape) -> Shape {
        use Shape::*;
        match (self, other) {
            (Unknown, x) | (x, Unknown) | (Placeholder, x) | (x, Placeholder) => x,
            (a, b) if a == b => a,
            (Integer, Number) | (Number, Integer) => Number,
            (time @ (Seconds | Millis), Integer) | (Integer, time @ (Seconds | Millis)) => time,
            (Seconds, Millis) | (Millis, Seconds) => Integer,
            (Id, x) | (x, Id) if x.is_text_or_number() => Id,
            (Text, x) | (x, Text) if x.is_text_or_number() || matches!(x, Encoded(_)) => Text,
            (List(a), List(b)) => List(Box::new(a.join(*b))),
            (Encoded(a), Encoded(b)) => Encoded(Box::new(a.join(*b))),
            (Object(mut a), Object(b)) => {
                for (key, shape) in b {
                    add_field(&mut a, &key, shape);
                }
                Object(a)
            }
            _ => Mixed,
        }
    }

    fn is_text_or_number(&self) -> bool {
        matches!(
            self,
            Shape::Integer
                | Shape::Number
                | Shape::Text
                | Shape::Id
                | Shape::Seconds
                | Shape::Millis
                | Shape::DateTime
        )
    }

    /// The shape a param's type is made from: objects and lists of objects are any JSON.
    pub(super) fn param_type(&self) -> TypeRef {
        match self {
            Shape::List(inner) => match param_scalar(inner) {
                Some(scalar) => TypeRef::List(Box::new(TypeRef::Scalar(scalar))),
                None => TypeRef::Scalar(Scalar::Json),
            },
            other => TypeRef::Scalar(param_scalar(other).unwrap_or(Scalar::Json)),
        }
    }
}

fn param_scalar(shape: &Shape) -> Option<Scalar> {
    Some(match shape {
        Shape::Unknown | Shape::Mixed => Scalar::Json,
        Shape::Placeholder | Shape::Text => Scalar::String,
        Shape::Boolean => Scalar::Boolean,
        Shape::Integer => Scalar::Integer,
        Shape::Number => Scalar::Number,
        Shape::Id => Scalar::Id,
        Shape::Seconds => Scalar::Seconds,
        Shape::Millis => Scalar::Millis,
        Shape::DateTime => Scalar::DateTime,
        Shape::List(_) | Shape::Object(_) | Shape::Encoded(_) => return None,
    })
}

fn join_all(shapes: impl Iterator<Item = Shape>) -> Shape {
    shapes.fold(Shape::Unknown, Shape::join)
}

fn add_field(fields: &mut Vec<(String, Shape)>, key: &str, shape: Shape) {
    match fields.iter_mut().find(|(k, _)| k == key) {
        Some((_, existing)) => {
            let joined = std::mem::replace(existing, Shape::Unknown).join(shape);
            *existing = joined;
        }
        None => fields.push((key.to_string(), shape)),
    }
}

/// A number by its size: ten digits are a time in seconds, thirteen in milliseconds.
fn number_shape(n: &serde_json::Number) -> Shape {
    match n.as_i64() {
        Some(i) if (1_000_000_000..10_000_000_000).contains(&i) => Shape::Seconds,
        Some(i) if (1_000_000_000_000..10_000_000_000_000).contains(&i) => Shape::Millis,
        Some(_) => Shape::Integer,
        None if n.is_u64() => Shape::Integer,
        None => Shape::Number,
    }
}

/// A string an answer holds, read loosely: digits are a number (or a time, or an id under an
/// id-like key), `YYYY-MM-DD HH:MM:SS` a time, the text of a JSON list or object `encoded`.
fn text_shape(key: &str, text: &str) -> Shape {
    if id_like(key) {
        return Shape::Id;
    }
    if text.is_empty() {
        return Shape::Placeholder;
    }
    if is_placeholder_text(text) {
        return if placeholder_names_id(text) {
            Shape::Id
        } else {
            Shape::Placeholder
        };
    }
    let digits = text.strip_prefix('-').unwrap_or(text);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        if digits.len() > 1 && digits.starts_with('0') {
            return Shape::Text;
        }
        return match text.parse::<i64>() {
            Ok(i) => number_shape(&serde_json::Number::from(i)),
            Err(_) => Shape::Text,
        };
    }
    if let Some((whole, fraction)) = digits.split_once('.') {
        let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if all_digits(whole) && all_digits(fraction) {
            return Shape::Number;
        }
    }
    if is_datetime(text) {
        return Shape::DateTime;
    }
    let looks_encoded = (text.starts_with('[') && text.ends_with(']'))
        || (text.starts_with('{') && text.ends_with('}'));
    if looks_encoded {
        if let Ok(inner) = Ordered::parse(text) {
            let has_content = match &inner {
                Ordered::Array(items) => !items.is_empty(),
                Ordered::Object(entries) => !entries.is_empty(),
                Ordered::Scalar(_) => false,
            };
            if has_content {
                return Shape::Encoded(Box::new(Shape::of_answer("", &inner)));
            }
        }
    }
    Shape::Text
}

/// `YYYY-MM-DD HH:MM:SS`.
fn is_datetime(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 19
        && bytes.iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            10 => *b == b' ',
            13 | 16 => *b == b':',
            _ => b.is_ascii_digit(),
        })
}

/// What a Rust name is for: each has its own words to keep clear of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum NameFor {
    /// A header param: `X-PLATFORM` is `platform`.
    Header,
    /// A body param: not a builder method's name.
    Param,
    /// A struct field: not `extra`, which holds the fields the catalogue does not know.
    Field,
}

/// A Rust name for a wire name: snake_case, made an identifier, and kept clear of keywords
/// and of the names the generated code uses itself.
pub(super) fn rust_name(wire: &str, usage: NameFor) -> String {
    let mut name: String = snake_case(wire)
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    if usage == NameFor::Header {
        if let Some(rest) = name.strip_prefix("x_").filter(|r| !r.is_empty()) {
            name = rest.to_string();
        }
    }
    let trimmed = name.trim_matches('_');
    name = if trimmed.is_empty() {
        "value".to_string()
    } else {
        trimmed.to_string()
    };
    while name.contains("__") {
        name = name.replace("__", "_");
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name = format!("n{name}");
    }
    let reserved = match usage {
        NameFor::Field => name == "extra",
        NameFor::Header | NameFor::Param => {
            crate::validate::RESERVED_PARAM_NAMES.contains(&name.as_str())
        }
    };
    if is_keyword(&name) || reserved {
        name.push_str("_value");
    }
    name
}

/// `name`, or `name_2`, `name_3`... whichever `taken` does not hold yet (it is added).
pub(super) fn unique_in(taken: &mut HashSet<String>, name: String) -> String {
    let mut candidate = name.clone();
    let mut n = 2;
    while !taken.insert(candidate.clone()) {
        candidate = format!("{name}_{n}");
        n += 1;
    }
    candidate
}

/// Type names the generated code must not shadow: the Rust prelude's and serde's, besides
/// those the catalogue check refuses ([`crate::names::IMPORTED_TYPE_NAMES`]).
const AVOIDED_TYPE_NAMES: &[&str] = &[
    "Box",
    "Ok",
    "Err",
    "Self",
    "Default",
    "Clone",
    "Copy",
    "Send",
    "Sync",
    "Sized",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "Iterator",
    "IntoIterator",
    "Into",
    "From",
    "ToString",
    "ToOwned",
    "Eq",
    "PartialEq",
    "Ord",
    "PartialOrd",
    "Debug",
    "Hash",
    "Display",
    "Serialize",
    "Deserialize",
];

/// Makes the shared types of an import: structs for the answers' objects, enums for the values
/// a template lists. Names never clash with the catalogue's (in a merge) or with each other.
pub(super) struct TypeBuilder {
    /// Names used: the catalogue's, the builder's, and those the generated code must not shadow.
    taken: HashSet<String>,
    /// The types made, in the order they were made (a struct before the structs of its fields).
    types: Vec<TypeDef>,
    /// The Rust name of the param each enum was made for (an enum is shared only by params of
    /// that name).
    enum_keys: HashMap<String, String>,
}

impl TypeBuilder {
    /// A builder whose types keep clear of `taken` (the catalogue's type names).
    pub(super) fn new(taken: impl IntoIterator<Item = String>) -> TypeBuilder {
        let mut all: HashSet<String> = taken.into_iter().collect();
        all.extend(
            AVOIDED_TYPE_NAMES
                .iter()
                .chain(crate::names::IMPORTED_TYPE_NAMES)
                .map(|n| n.to_string()),
        );
        TypeBuilder {
            taken: all,
            types: Vec::new(),
            enum_keys: HashMap::new(),
        }
    }

    /// `base`, or `base2`, `base3`... whichever is free; it is taken.
    fn fresh_name(&mut self, base: &str) -> String {
        let mut candidate = base.to_string();
        let mut n = 2;
        while !self.taken.insert(candidate.clone()) {
            candidate = format!("{base}{n}");
            n += 1;
        }
        candidate
    }

    /// The type of the values an answer showed: objects become structs named `name` (their
    /// own objects `name` + the field's name), every field optional.
    pub(super) fn answer_type(&mut self, shape: &Shape, name: &str, doc: &str) -> TypeRef {
        match shape {
            Shape::List(inner) => {
                TypeRef::List(Box::new(self.answer_type(&unencoded(inner), name, doc)))
            }
            Shape::Encoded(inner) => {
                TypeRef::Encoded(Box::new(self.answer_type(&unencoded(inner), name, doc)))
            }
            Shape::Object(fields) if !fields.is_empty() => {
                TypeRef::Named(self.struct_type(fields, name, doc))
            }
            Shape::Object(_) => TypeRef::Scalar(Scalar::Json),
            scalar => TypeRef::Scalar(param_scalar(scalar).unwrap_or(Scalar::Json)),
        }
    }

    fn struct_type(&mut self, shapes: &[(String, Shape)], name: &str, doc: &str) -> String {
        let type_name = self.fresh_name(name);
        let index = self.types.len();
        self.types.push(TypeDef {
            name: type_name.clone(),
            doc: doc.to_string(),
            kind: TypeKind::Struct { fields: Vec::new() },
            row: Vec::new(),
            pos: Pos::default(),
        });
        let mut rust_names = HashSet::new();
        let mut fields = Vec::new();
        for (wire, shape) in shapes {
            let rust = unique_in(&mut rust_names, rust_name(wire, NameFor::Field));
            let ty = self.answer_type(
                shape,
                &format!("{type_name}{}", pascal_case(&rust)),
                &format!("`{wire}` of [`{type_name}`], as the collection's examples show it."),
            );
            fields.push(Field {
                wire: wire.clone(),
                rust,
                ty,
                required: false,
                doc: None,
                inferred: false,
                secret: names_a_secret(wire),
                wire_as: None,
                pos: Pos::default(),
            });
        }
        self.types[index].kind = TypeKind::Struct { fields };
        type_name
    }

    /// An enum of `values` for the param `param_rust`: the enum made earlier for a param of
    /// that name with the same values, or a new one named `name`.
    pub(super) fn enum_type(
        &mut self,
        name: &str,
        param_rust: &str,
        repr: EnumRepr,
        values: &[EnumLiteral],
        doc: String,
    ) -> String {
        let same = |t: &&TypeDef| match &t.kind {
            TypeKind::Enum { repr: r, values: v } => {
                *r == repr && v.iter().map(|v| &v.value).eq(values.iter())
            }
            _ => false,
        };
        if let Some(existing) = self
            .types
            .iter()
            .filter(same)
            .find(|t| self.enum_keys.get(&t.name).map(String::as_str) == Some(param_rust))
        {
            return existing.name.clone();
        }
        let type_name = self.fresh_name(name);
        let mut names = HashSet::new();
        let values = values
            .iter()
            .map(|value| EnumValue {
                value: value.clone(),
                name: unique_in(&mut names, value_name(value)),
                doc: None,
                inferred: false,
                pos: Pos::default(),
            })
            .collect();
        self.types.push(TypeDef {
            name: type_name.clone(),
            doc,
            kind: TypeKind::Enum { repr, values },
            row: Vec::new(),
            pos: Pos::default(),
        });
        self.enum_keys
            .insert(type_name.clone(), param_rust.to_string());
        type_name
    }

    /// Whether `name` is an integer enum the builder made.
    pub(super) fn is_integer_enum(&self, name: &str) -> bool {
        self.types.iter().any(|t| {
            t.name == name
                && matches!(
                    t.kind,
                    TypeKind::Enum {
                        repr: EnumRepr::Integer,
                        ..
                    }
                )
        })
    }

    /// The fields of a struct the builder made, to change.
    pub(super) fn fields_mut(&mut self, name: &str) -> Option<&mut Vec<Field>> {
        self.types
            .iter_mut()
            .find(|t| t.name == name)
            .and_then(|t| match &mut t.kind {
                TypeKind::Struct { fields } => Some(fields),
                _ => None,
            })
    }

    /// The fields of a struct the builder made.
    pub(super) fn fields(&self, name: &str) -> Option<&[Field]> {
        self.types
            .iter()
            .find(|t| t.name == name)
            .and_then(|t| match &t.kind {
                TypeKind::Struct { fields } => Some(fields.as_slice()),
                _ => None,
            })
    }

    /// The types `operations` use, in the order they were made, and the renames made. An enum
    /// that params of one name share across operations is named after the param (`Platform`)
    /// when that name is free; the operations are updated.
    pub(super) fn finish(
        mut self,
        operations: &mut [Operation],
    ) -> (Vec<TypeDef>, Vec<(String, String)>) {
        let renames = self.shared_enum_names(operations);
        for (from, to) in &renames {
            for ty in &mut self.types {
                if &ty.name == from {
                    ty.name = to.clone();
                }
                if let TypeKind::Struct { fields } = &mut ty.kind {
                    for field in fields {
                        rename_type(&mut field.ty, from, to);
                    }
                }
            }
            for op in operations.iter_mut() {
                for param in &mut op.params {
                    rename_type(&mut param.ty, from, to);
                }
                if let Some(response) = &mut op.response {
                    rename_type(response, from, to);
                }
            }
        }
        let used = self.used_by(operations);
        self.types.retain(|t| used.contains(&t.name));
        (self.types, renames)
    }

    /// The new names of the enums that params of one name share across operations.
    fn shared_enum_names(&mut self, operations: &[Operation]) -> Vec<(String, String)> {
        let mut users: BTreeMap<String, EnumUsers> = BTreeMap::new();
        for op in operations {
            for param in &op.params {
                let Some(name) = param.ty.named() else {
                    continue;
                };
                if self.enum_keys.contains_key(name) {
                    let entry = users.entry(name.to_string()).or_default();
                    entry.operations.insert(op.name.clone());
                    entry.params.insert(param.rust.clone());
                }
            }
        }
        let mut renames = Vec::new();
        for (name, users) in users {
            let [param] = users.params.iter().collect::<Vec<_>>()[..] else {
                continue;
            };
            let candidate = pascal_case(param);
            if users.operations.len() < 2 || candidate.is_empty() || self.taken.contains(&candidate)
            {
                continue;
            }
            self.taken.insert(candidate.clone());
            renames.push((name, candidate));
        }
        renames
    }

    /// The names of the builder's types that `operations` use, directly or through fields.
    fn used_by(&self, operations: &[Operation]) -> HashSet<String> {
        let mut used: HashSet<String> = HashSet::new();
        let mut pending: Vec<String> = operations
            .iter()
            .flat_map(|op| {
                op.params
                    .iter()
                    .map(|p| &p.ty)
                    .chain(op.response.as_ref())
                    .filter_map(|t| t.named().map(str::to_string))
            })
            .collect();
        while let Some(name) = pending.pop() {
            if !used.insert(name.clone()) {
                continue;
            }
            if let Some(fields) = self.fields(&name) {
                pending.extend(
                    fields
                        .iter()
                        .filter_map(|f| f.ty.named().map(str::to_string)),
                );
            }
        }
        used
    }
}

/// The operations and the params (by Rust name) that use one enum.
#[derive(Default)]
struct EnumUsers {
    operations: HashSet<String>,
    params: HashSet<String>,
}

/// The items of a list or the content of an encoded string cannot themselves be encoded
/// (docs/catalogue.md): such values are kept as text.
fn unencoded(shape: &Shape) -> Shape {
    match shape {
        Shape::Encoded(_) => Shape::Text,
        other => other.clone(),
    }
}

/// Writes the new names of renamed types into the report's notes.
pub(super) fn rename_in_notes(notes: &mut [super::Note], renames: &[(String, String)]) {
    for note in notes {
        for (from, to) in renames {
            note.detail = replace_word(&note.detail, from, to);
        }
    }
}

/// `text` with every `from` that stands as a whole word (not inside a longer name) replaced.
fn replace_word(text: &str, from: &str, to: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let part_of_name = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
    while let Some(at) = rest.find(from) {
        let before = rest[..at].chars().next_back();
        let after = rest[at + from.len()..].chars().next();
        out.push_str(&rest[..at]);
        if part_of_name(before) || part_of_name(after) {
            out.push_str(from);
        } else {
            out.push_str(to);
        }
        rest = &rest[at + from.len()..];
    }
    out.push_str(rest);
    out
}

fn rename_type(ty: &mut TypeRef, from: &str, to: &str) {
    match ty {
        TypeRef::Named(name) if name == from => *name = to.to_string(),
        TypeRef::List(inner) | TypeRef::Encoded(inner) => rename_type(inner, from, to),
        _ => {}
    }
}

/// The variant name of an enum value: `value_4`, `value_minus_1`, `ios`.
fn value_name(value: &EnumLiteral) -> String {
    match value {
        EnumLiteral::Integer(i) if *i < 0 => format!("value_minus_{}", i.unsigned_abs()),
        EnumLiteral::Integer(i) => format!("value_{i}"),
        EnumLiteral::String(text) => {
            let name = rust_name(text, NameFor::Field);
            if name == "unknown" {
                "unknown_value".to_string()
            } else {
                name
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(key: &str, text: &str) -> Shape {
        Shape::of_answer(key, &Ordered::parse(text).unwrap())
    }

    #[test]
    fn answers_are_read_loosely() {
        assert_eq!(answer("live_chat", r#""1""#), Shape::Integer);
        assert_eq!(answer("total", "20000"), Shape::Integer);
        assert_eq!(answer("price", r#""12.50""#), Shape::Number);
        assert_eq!(answer("ms_id", r#""2850008055041461""#), Shape::Id);
        assert_eq!(answer("id", r#""m_PGup8V""#), Shape::Id);
        assert_eq!(answer("timestamp", r#""1688201188610""#), Shape::Millis);
        assert_eq!(answer("last_active", r#""1688459542""#), Shape::Seconds);
        assert_eq!(answer("dt", r#""2023-05-22 17:57:43""#), Shape::DateTime);
        assert_eq!(answer("zip", r#""01234""#), Shape::Text);
        assert_eq!(answer("own", r#""[Admin_ID]""#), Shape::Id);
        assert_eq!(answer("icon", r#""...""#), Shape::Placeholder);
        assert_eq!(answer("voice", "null"), Shape::Unknown);
        assert_eq!(
            answer("message", r#""[{\"text\":\"Hi\",\"dir\":0}]""#),
            Shape::Encoded(Box::new(Shape::List(Box::new(Shape::Object(vec![
                ("text".into(), Shape::Text),
                ("dir".into(), Shape::Integer)
            ])))))
        );
        assert_eq!(
            answer("product_ids", "[1, 2]"),
            Shape::List(Box::new(Shape::Id))
        );
    }

    #[test]
    fn shapes_join_to_what_every_value_fits() {
        use Shape::*;
        assert_eq!(Integer.join(Number), Number);
        assert_eq!(Seconds.join(Integer), Seconds);
        assert_eq!(Placeholder.join(Millis), Millis);
        assert_eq!(Unknown.join(Text), Text);
        assert_eq!(Id.join(Integer), Id);
        assert_eq!(Text.join(Integer), Text);
        assert_eq!(Boolean.join(Integer), Mixed);
        assert_eq!(
            Object(vec![("a".into(), Integer)])
                .join(Object(vec![("a".into(), Number), ("b".into(), Text)])),
            Object(vec![("a".into(), Number), ("b".into(), Text)])
        );
    }

    #[test]
    fn rust_names_are_identifiers() {
        assert_eq!(rust_name("X-PLATFORM", NameFor::Header), "platform");
        assert_eq!(rust_name("idToken", NameFor::Param), "id_token");
        assert_eq!(rust_name("type", NameFor::Param), "type_value");
        assert_eq!(rust_name("request", NameFor::Param), "request_value");
        assert_eq!(rust_name("request", NameFor::Field), "request");
        assert_eq!(rust_name("extra", NameFor::Field), "extra_value");
        assert_eq!(rust_name("fn", NameFor::Field), "fn_value");
        assert_eq!(rust_name("2nd", NameFor::Param), "n2nd");
        assert_eq!(rust_name("a--b", NameFor::Param), "a_b");
        assert_eq!(
            value_name(&EnumLiteral::Integer(-1)),
            "value_minus_1".to_string()
        );
    }

    #[test]
    fn renames_replace_whole_names_only() {
        assert_eq!(
            replace_word("A, list<A>, A2 and BA", "A", "Z"),
            "Z, list<Z>, A2 and BA"
        );
    }

    #[test]
    fn answers_become_structs_with_optional_fields() {
        let mut types = TypeBuilder::new(["Taken".to_string()]);
        let shape = answer(
            "data",
            r#"{"id": "1", "notes": [{"id": "2", "text": "x"}], "type": "0"}"#,
        );
        let ty = types.answer_type(&shape, "Taken", "The answer.");
        assert_eq!(ty, TypeRef::Named("Taken2".into()));
        let fields = types.fields("Taken2").unwrap();
        let wires: Vec<(&str, &str, String)> = fields
            .iter()
            .map(|f| (f.wire.as_str(), f.rust.as_str(), f.ty.to_string()))
            .collect();
        assert_eq!(
            wires,
            [
                ("id", "id", "id".to_string()),
                ("notes", "notes", "list<Taken2Notes>".to_string()),
                ("type", "type_value", "integer".to_string()),
            ]
        );
        assert!(fields.iter().all(|f| !f.required));
    }
}

//! One flag per param of an operation: its name, its help, and how the text given on the
//! command line becomes the JSON value the wire body carries.
//!
//! Everything here is read from a [`ParamMeta`]: its type expression says how a value is
//! checked (`integer`, `boolean`, `seconds`, an enum's wire values, `list<T>`, ...), its
//! Rust name gives the flag (`contact_id` -> `--contact-id`), its doc the help. Values are
//! given in the form a reader of the vendor's docs knows (`--read-until 1688459542`,
//! `--archived true`, `--channel 5`); the typed SDK then writes each in its wire form (an id
//! as a number or a string, a boolean as `1`/`0`, ...), so nothing here knows about wire forms.

use std::collections::HashSet;
use std::time::{SystemTime, UNIX_EPOCH};

use chatrace::{
    DateTimeText, EnumRepr, OperationMeta, ParamLocation, ParamMeta, Scalar, TypeShape,
};
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser, ValueParser};
use clap::{Arg, ArgAction, ArgMatches};
use serde_json::Value;

/// Flag names an operation param cannot take: clap's own and the global flags.
pub const RESERVED_FLAGS: [&str; 12] = [
    "help",
    "version",
    "all",
    "max-pages",
    "base-url",
    "token",
    "account-id",
    "output",
    "sandbox",
    "timeout",
    "api-token",
    "public-base-url",
];

/// What kind of value a param (or each item of a list param) takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    /// `string`: any text.
    Text,
    /// `integer`: a whole number.
    Integer,
    /// `number`: a finite number.
    Number,
    /// `boolean`: `true` or `false`.
    Boolean,
    /// `id`: an id, kept as text (`2850008055041461`, `m_PGup8V…`).
    Id,
    /// `millis`: milliseconds since 1970, or `now`.
    Millis,
    /// `seconds`: seconds since 1970, or `now`.
    Seconds,
    /// `datetime`: `YYYY-MM-DD HH:MM:SS`.
    DateTime,
    /// `json`: any JSON value.
    Json,
    /// `file`: the path of a file to upload.
    File,
    /// A shared enum: one of the wire values the catalogue lists.
    Enum {
        /// The wire values, as text.
        values: &'static [&'static str],
        /// Whether every value is an integer (the enum is sent as numbers).
        integer: bool,
    },
    /// A typed id of the catalogue (`ContactId`), given as its text.
    TypedId(&'static str),
    /// A struct or union of the catalogue (`ConversationFilter`), given as a JSON object.
    Object(&'static str),
}

/// The shape of a param's value: its kind and whether the param is a list of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParamShape {
    /// The kind of the value, or of each item of a list.
    pub kind: ValueKind,
    /// Whether the param is a `list<T>` (the flag may be repeated).
    pub list: bool,
}

/// The shape of a param, from its type (`encoded<T>` takes the values of `T`: the SDK encodes
/// them).
pub fn shape_of(param: &'static ParamMeta) -> ParamShape {
    let kind = match *param.ty.innermost() {
        TypeShape::Scalar(scalar) => match scalar {
            Scalar::String => ValueKind::Text,
            Scalar::Integer => ValueKind::Integer,
            Scalar::Number => ValueKind::Number,
            Scalar::Boolean => ValueKind::Boolean,
            Scalar::Id => ValueKind::Id,
            Scalar::Millis => ValueKind::Millis,
            Scalar::Seconds => ValueKind::Seconds,
            Scalar::DateTime => ValueKind::DateTime,
            Scalar::Json => ValueKind::Json,
            Scalar::File => ValueKind::File,
        },
        TypeShape::Enum { values, repr, .. } => ValueKind::Enum {
            values,
            integer: repr == EnumRepr::Integer,
        },
        TypeShape::Id { name } => ValueKind::TypedId(name),
        TypeShape::Struct { name } | TypeShape::Union { name } => ValueKind::Object(name),
        // `innermost` has looked through every list and encoding.
        TypeShape::List(_) | TypeShape::Encoded(_) => ValueKind::Json,
    };
    ParamShape {
        kind,
        list: param.ty.is_list(),
    }
}

/// One param of an operation as a flag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamFlag {
    /// The param's metadata.
    pub param: &'static ParamMeta,
    /// The clap id of the arg: `param:<rust name>`, apart from the global ids.
    pub id: String,
    /// The long flag, without `--`: the kebab-case Rust name, or `param-<name>` when a global
    /// flag or another param has that name.
    pub long: String,
    /// The shape of its value.
    pub shape: ParamShape,
    /// The smallest value an integer flag takes, when there is one: 0 for a paged operation's
    /// offset, 1 for its page size (the catalogue's types do not bound them).
    pub minimum: Option<i64>,
}

/// The subcommand name of an operation, or the flag name of a param: its snake_case name in
/// kebab-case.
pub fn kebab(name: &str) -> String {
    name.trim_start_matches("r#").replace('_', "-")
}

/// The flags of an operation's params, in catalogue order.
pub fn param_flags(op: &'static OperationMeta) -> Vec<ParamFlag> {
    let mut taken: HashSet<String> = RESERVED_FLAGS.iter().map(|s| s.to_string()).collect();
    op.params
        .iter()
        .map(|param| {
            let base = kebab(param.rust);
            let mut long = base.clone();
            let mut n = 1;
            while taken.contains(&long) {
                long = if n == 1 {
                    format!("param-{base}")
                } else {
                    format!("param-{base}-{n}")
                };
                n += 1;
            }
            taken.insert(long.clone());
            let minimum = op.paging.and_then(|paging| {
                [(paging.offset, 0), (paging.limit, 1)]
                    .into_iter()
                    .find(|(wire, _)| *wire == param.wire)
                    .map(|(_, minimum)| minimum)
            });
            ParamFlag {
                param,
                id: format!("param:{}", param.rust.trim_start_matches("r#")),
                long,
                shape: shape_of(param),
                minimum,
            }
        })
        .collect()
}

/// The long flag of the param whose wire name is `wire` (the wire name when `op` has none).
pub fn flag_of(op: &'static OperationMeta, wire: &str) -> String {
    param_flags(op)
        .into_iter()
        .find(|f| f.param.wire == wire)
        .map(|f| f.long)
        .unwrap_or_else(|| wire.to_owned())
}

/// The clap arg of a param: required when the param is; help from its doc, with how to give
/// the value and what the SDK sends when the flag is left out; values checked by its shape.
pub fn param_arg(flag: &ParamFlag) -> Arg {
    let ParamShape { kind, list } = flag.shape;
    let arg = Arg::new(flag.id.clone())
        .long(flag.long.clone())
        .help(help_text(flag))
        .required(flag.param.required)
        .value_name(value_name(kind))
        .allow_negative_numbers(true);
    if list {
        return arg
            .action(ArgAction::Append)
            .value_parser(ValueParser::new(move |text: &str| parse_items(kind, text)));
    }
    match (kind, flag.minimum) {
        (ValueKind::Boolean, _) => arg
            .value_parser(
                PossibleValuesParser::new(["true", "false"]).map(|s| Value::Bool(s == "true")),
            )
            // `--archived` alone is `--archived true`.
            .num_args(0..=1)
            .default_missing_value("true"),
        (ValueKind::Enum { integer, .. }, _) => arg.value_parser(
            PossibleValuesParser::new(param_enum_values(flag.param))
                .map(move |wire| enum_value(&wire, integer)),
        ),
        (ValueKind::Integer, Some(minimum)) => {
            arg.value_parser(ValueParser::new(move |text: &str| {
                let value = parse_one(kind, text)?;
                match value.as_i64() {
                    Some(n) if n < minimum => Err(format!("{n} is less than {minimum}")),
                    _ => Ok(value),
                }
            }))
        }
        _ => arg.value_parser(ValueParser::new(move |text: &str| parse_one(kind, text))),
    }
}

/// The values the catalogue's enum `ty` takes, each with its name as help (`--help` lists
/// `1: human`), from `chatrace::ENUMS`: what the CLI lists is what the catalogue lists.
pub fn enum_values(ty: &str) -> Vec<PossibleValue> {
    chatrace::ENUMS
        .iter()
        .filter(|meta| meta.name == ty)
        .flat_map(|meta| meta.values.iter())
        .map(|(wire, name)| PossibleValue::new(*wire).help(*name))
        .collect()
}

/// The values an enum param takes, as its metadata lists them, each named from
/// `chatrace::ENUMS` when it has the name (none for another shape).
fn param_enum_values(param: &ParamMeta) -> Vec<PossibleValue> {
    let TypeShape::Enum { name, values, .. } = *param.ty.innermost() else {
        return Vec::new();
    };
    let meta = chatrace::ENUMS.iter().find(|meta| meta.name == name);
    values
        .iter()
        .map(|wire| {
            let value = PossibleValue::new(*wire);
            match meta.and_then(|meta| meta.name_of(wire)) {
                Some(named) => value.help(named),
                None => value,
            }
        })
        .collect()
}

/// The value given to a param's flag, as JSON (a list param's occurrences as one array), or
/// `None` when the flag was not given.
pub fn flag_value(flag: &ParamFlag, matches: &ArgMatches) -> Option<Value> {
    if flag.shape.list {
        let occurrences = matches.try_get_many::<Vec<Value>>(&flag.id).ok()??;
        Some(Value::Array(occurrences.flatten().cloned().collect()))
    } else {
        matches.try_get_one::<Value>(&flag.id).ok()?.cloned()
    }
}

fn help_text(flag: &ParamFlag) -> String {
    let param = flag.param;
    let mut help = param.doc.trim().to_owned();
    let ParamShape { kind, list } = flag.shape;
    let form = match kind {
        ValueKind::Millis => Some("milliseconds since 1970, or `now`".to_owned()),
        ValueKind::Seconds => Some("seconds since 1970, or `now`".to_owned()),
        ValueKind::DateTime => Some("`YYYY-MM-DD HH:MM:SS`".to_owned()),
        ValueKind::Json => Some("JSON".to_owned()),
        ValueKind::File => Some("the path of the file".to_owned()),
        ValueKind::Object(name) => Some(format!("{name}: a JSON object")),
        ValueKind::Enum { .. } if list => {
            let listed: Vec<String> = param_enum_values(param)
                .iter()
                .map(|value| match value.get_help() {
                    Some(name) => format!("{} ({name})", value.get_name()),
                    None => value.get_name().to_owned(),
                })
                .collect();
            Some(format!("one of {}", listed.join(", ")))
        }
        _ => None,
    };
    if let Some(form) = form {
        help.push_str(&format!(" [{form}]"));
    }
    if list {
        help.push_str(match kind {
            ValueKind::Text => " Repeat the flag for more values.",
            ValueKind::Json => " Repeat the flag for more values; a JSON array gives several.",
            ValueKind::Object(_) => " Repeat the flag for more values; a JSON array gives several.",
            _ => " Repeat the flag, or separate values with commas.",
        });
    }
    if let Some(default) = param.default {
        help.push_str(&format!(" When not given, the SDK sends `{default}`."));
    }
    // Where a REST operation's value goes; the mobile API's all go in the JSON body.
    let place = match param.location {
        ParamLocation::Path => Some("the path"),
        ParamLocation::Query => Some("the query"),
        ParamLocation::Form => Some("the form body"),
        ParamLocation::Body => Some("the JSON body"),
        ParamLocation::Top | ParamLocation::Data | ParamLocation::Header => None,
    };
    if let Some(place) = place {
        help.push_str(&format!(" (In {place}, as `{}`.)", param.wire));
    }
    help
}

fn value_name(kind: ValueKind) -> String {
    match kind {
        ValueKind::Text => "TEXT".into(),
        ValueKind::Integer => "INTEGER".into(),
        ValueKind::Number => "NUMBER".into(),
        ValueKind::Boolean => "BOOL".into(),
        ValueKind::Id => "ID".into(),
        ValueKind::Millis => "MILLIS".into(),
        ValueKind::Seconds => "SECONDS".into(),
        ValueKind::DateTime => "DATETIME".into(),
        ValueKind::Json => "JSON".into(),
        ValueKind::File => "PATH".into(),
        ValueKind::Enum { .. } => "VALUE".into(),
        ValueKind::TypedId(name) | ValueKind::Object(name) => screaming_snake(name),
    }
}

/// `ContactId` -> `CONTACT_ID`.
fn screaming_snake(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_uppercase());
    }
    out
}

fn enum_value(wire: &str, integer: bool) -> Value {
    match wire.parse::<i64>() {
        Ok(n) if integer => Value::from(n),
        _ => Value::String(wire.to_owned()),
    }
}

/// The value of one flag occurrence of a param that is not a list.
pub fn parse_one(kind: ValueKind, text: &str) -> Result<Value, String> {
    let trimmed = text.trim();
    match kind {
        ValueKind::Text => Ok(Value::String(text.to_owned())),
        ValueKind::Integer => trimmed
            .parse::<i64>()
            .map(Value::from)
            .map_err(|_| format!("`{text}` is not an integer")),
        ValueKind::Number => trimmed
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .ok_or_else(|| format!("`{text}` is not a finite number")),
        ValueKind::Boolean => match trimmed {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            _ => Err(format!("`{text}` is not true or false")),
        },
        ValueKind::Id => non_empty(trimmed, "an id"),
        ValueKind::Millis => unix_time(trimmed, 1000, "milliseconds"),
        ValueKind::Seconds => unix_time(trimmed, 1, "seconds"),
        ValueKind::DateTime => match DateTimeText::new(trimmed).parts() {
            Some(_) => Ok(Value::String(trimmed.to_owned())),
            None => Err(format!(
                "`{text}` is not a date and time `YYYY-MM-DD HH:MM:SS`"
            )),
        },
        ValueKind::Json => parse_json(text),
        ValueKind::File => {
            if trimmed.is_empty() {
                Err("the path is empty".into())
            } else if std::path::Path::new(text).is_file() {
                Ok(Value::String(text.to_owned()))
            } else {
                Err(format!("`{text}` is not a file that can be read"))
            }
        }
        ValueKind::Enum { values, integer } => {
            if values.contains(&trimmed) {
                Ok(enum_value(trimmed, integer))
            } else {
                Err(format!(
                    "`{text}` is not one of the values: {}",
                    values.join(", ")
                ))
            }
        }
        ValueKind::TypedId(name) => non_empty(trimmed, &with_article(name)),
        ValueKind::Object(name) => match parse_json(trimmed)? {
            object @ Value::Object(_) => Ok(object),
            _ => Err(format!(
                "`{text}` is not {}: expected a JSON object",
                with_article(name)
            )),
        },
    }
}

/// The items of one flag occurrence of a list param: text is one item; JSON is one item, or
/// several for an array; any other kind is separated by commas.
pub fn parse_items(kind: ValueKind, text: &str) -> Result<Vec<Value>, String> {
    match kind {
        ValueKind::Text | ValueKind::File => parse_one(kind, text).map(|v| vec![v]),
        ValueKind::Json => Ok(spread(parse_json(text)?)),
        ValueKind::Object(name) => spread(parse_json(text)?)
            .into_iter()
            .map(|item| match item {
                Value::Object(_) => Ok(item),
                _ => Err(format!(
                    "`{text}` is not {}: expected a JSON object or an array of them",
                    with_article(name)
                )),
            })
            .collect(),
        _ => text
            .split(',')
            .map(str::trim)
            .filter(|item| !item.is_empty())
            .map(|item| parse_one(kind, item))
            .collect(),
    }
}

/// A type's name after `a`, or `an` when it starts with a vowel sound: `an OrderId`,
/// `a FlowId`, `a UserId` (`you`), `an HourId` (a silent `h`).
fn with_article(name: &str) -> String {
    let lower = name.to_ascii_lowercase();
    let sounds_you_or_w = [
        "uni", "use", "usa", "usu", "uti", "url", "uri", "uu", "eu", "one",
    ]
    .iter()
    .any(|start| lower.starts_with(start));
    let silent_h = ["hour", "honest", "honor", "honour", "heir"]
        .iter()
        .any(|start| lower.starts_with(start));
    let vowel = lower.starts_with(['a', 'e', 'i', 'o', 'u']);
    if (vowel && !sounds_you_or_w) || silent_h {
        format!("an {name}")
    } else {
        format!("a {name}")
    }
}

fn spread(value: Value) -> Vec<Value> {
    match value {
        Value::Array(items) => items,
        other => vec![other],
    }
}

fn non_empty(text: &str, what: &str) -> Result<Value, String> {
    if text.is_empty() {
        Err(format!("expected {what}, got nothing"))
    } else {
        Ok(Value::String(text.to_owned()))
    }
}

fn parse_json(text: &str) -> Result<Value, String> {
    serde_json::from_str(text).map_err(|e| format!("not valid JSON: {e}"))
}

/// A Unix time in `unit`s per second: a whole number from 0, or `now`.
fn unix_time(text: &str, per_second: u128, unit: &str) -> Result<Value, String> {
    if text == "now" {
        let since = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_err(|_| "the clock is before 1970".to_owned())?;
        let count = since.as_millis() * per_second / 1000;
        return Ok(Value::String(count.to_string()));
    }
    match text.parse::<u64>() {
        Ok(count) => Ok(Value::String(count.to_string())),
        Err(_) => Err(format!(
            "`{text}` is not a time: {unit} since 1970 (a whole number), or `now`"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn shape(ty: TypeShape) -> ParamShape {
        let param: &'static ParamMeta = Box::leak(Box::new(ParamMeta {
            wire: "x",
            rust: "x",
            ty,
            required: false,
            location: chatrace::ParamLocation::Top,
            wire_as: chatrace::WireAs::String,
            doc: "A param.",
            default: None,
            secret: false,
        }));
        shape_of(param)
    }

    #[test]
    fn shapes_come_from_the_type() {
        assert_eq!(
            shape(TypeShape::Scalar(Scalar::String)).kind,
            ValueKind::Text
        );
        assert_eq!(
            shape(TypeShape::Scalar(Scalar::Seconds)).kind,
            ValueKind::Seconds
        );
        let ids = shape(TypeShape::List(&TypeShape::Id { name: "ContactId" }));
        assert_eq!(
            ids,
            ParamShape {
                kind: ValueKind::TypedId("ContactId"),
                list: true
            }
        );
        let parts = shape(TypeShape::Encoded(&TypeShape::List(&TypeShape::Union {
            name: "MessagePart",
        })));
        assert_eq!(
            parts,
            ParamShape {
                kind: ValueKind::Object("MessagePart"),
                list: true
            }
        );
        let channel = TypeShape::Enum {
            name: "Channel",
            repr: EnumRepr::Integer,
            values: &["0", "-1"],
        };
        assert_eq!(
            shape(channel).kind,
            ValueKind::Enum {
                values: &["0", "-1"],
                integer: true
            }
        );
        let kind = TypeShape::Enum {
            name: "UploadKind",
            repr: EnumRepr::String,
            values: &["image", "voice"],
        };
        assert_eq!(
            shape(kind).kind,
            ValueKind::Enum {
                values: &["image", "voice"],
                integer: false
            }
        );
    }

    #[test]
    fn scalar_values_are_checked_and_kept_as_given() {
        assert_eq!(
            parse_one(ValueKind::Id, " 2850008055041461 "),
            Ok(json!("2850008055041461"))
        );
        assert_eq!(parse_one(ValueKind::Id, "m_PGup8V"), Ok(json!("m_PGup8V")));
        assert!(parse_one(ValueKind::Id, " ").is_err());
        assert_eq!(parse_one(ValueKind::Integer, "-3"), Ok(json!(-3)));
        assert!(parse_one(ValueKind::Integer, "1.5").is_err());
        assert_eq!(parse_one(ValueKind::Number, "12.5"), Ok(json!(12.5)));
        assert!(parse_one(ValueKind::Number, "NaN").is_err());
        assert_eq!(
            parse_one(ValueKind::Seconds, "1688459542"),
            Ok(json!("1688459542"))
        );
        assert!(parse_one(ValueKind::Seconds, "yesterday").is_err());
        assert!(parse_one(ValueKind::Seconds, "-1").is_err());
        let now = parse_one(ValueKind::Millis, "now").unwrap_or_default();
        assert!(now.as_str().is_some_and(|s| s.len() >= 13), "{now}");
        assert_eq!(
            parse_one(ValueKind::DateTime, "2023-05-22 17:57:43"),
            Ok(json!("2023-05-22 17:57:43"))
        );
        assert!(parse_one(ValueKind::DateTime, "22/05/2023").is_err());
        let status = ValueKind::Enum {
            values: &["4", "-1"],
            integer: true,
        };
        assert_eq!(parse_one(status, "-1"), Ok(json!(-1)));
        assert!(parse_one(status, "5").is_err());
        let kind = ValueKind::Enum {
            values: &["image", "voice"],
            integer: false,
        };
        assert_eq!(parse_one(kind, "voice"), Ok(json!("voice")));
        let object = ValueKind::Object("ConversationFilter");
        assert_eq!(
            parse_one(object, r#"{"oprt":"6"}"#),
            Ok(json!({"oprt": "6"}))
        );
        assert!(parse_one(object, "{").is_err());
        assert!(parse_one(object, "12").is_err());
        let id = ValueKind::TypedId("ContactId");
        assert_eq!(parse_one(id, " 12 "), Ok(json!("12")));
        assert!(parse_one(id, " ").is_err());
        assert!(parse_one(ValueKind::File, "/no/such/file").is_err());
    }

    #[test]
    fn type_names_take_a_or_an_as_they_sound() {
        assert_eq!(
            parse_one(ValueKind::TypedId("OrderId"), " "),
            Err("expected an OrderId, got nothing".to_owned())
        );
        assert_eq!(
            parse_one(ValueKind::TypedId("FlowId"), ""),
            Err("expected a FlowId, got nothing".to_owned())
        );
        assert_eq!(
            parse_one(ValueKind::Object("Order"), "1"),
            Err("`1` is not an Order: expected a JSON object".to_owned())
        );
        assert_eq!(
            parse_items(ValueKind::Object("AddTagAction"), "[1]"),
            Err("`[1]` is not an AddTagAction: expected a JSON object or an array of them".into())
        );
        for (name, shown) in [
            ("AccountId", "an AccountId"),
            ("EmailLogin", "an EmailLogin"),
            ("InboxEvent", "an InboxEvent"),
            ("UploadKind", "an UploadKind"),
            ("UserId", "a UserId"),
            ("UnitPrice", "a UnitPrice"),
            ("OneTimeCode", "a OneTimeCode"),
            ("HourSlot", "an HourSlot"),
            ("Message", "a Message"),
            ("ContactId", "a ContactId"),
        ] {
            assert_eq!(with_article(name), shown);
        }
    }

    #[test]
    fn list_occurrences_split_by_kind() {
        assert_eq!(
            parse_items(ValueKind::TypedId("TagId"), "1, 2,3"),
            Ok(vec![json!("1"), json!("2"), json!("3")])
        );
        assert_eq!(
            parse_items(
                ValueKind::Object("ConversationFilter"),
                r#"[{"a":1},{"b":2}]"#
            ),
            Ok(vec![json!({"a": 1}), json!({"b": 2})])
        );
        assert!(parse_items(ValueKind::Object("ConversationFilter"), "[1]").is_err());
        assert_eq!(
            parse_items(ValueKind::Text, "a, b"),
            Ok(vec![json!("a, b")])
        );
        assert_eq!(
            parse_items(ValueKind::Integer, "1,2"),
            Ok(vec![json!(1), json!(2)])
        );
        assert!(parse_items(ValueKind::Integer, "1,x").is_err());
        assert_eq!(parse_items(ValueKind::Json, "[]"), Ok(vec![]));
    }

    #[test]
    fn names_of_flags_and_values() {
        assert_eq!(kebab("contact_id"), "contact-id");
        assert_eq!(kebab("r#type"), "type");
        assert_eq!(screaming_snake("ContactId"), "CONTACT_ID");
        assert_eq!(
            value_name(ValueKind::Object("ConversationFilter")),
            "CONVERSATION_FILTER"
        );
    }
}

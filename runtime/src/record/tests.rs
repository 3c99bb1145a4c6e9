//! The record codec with hand-written records shaped as the generator writes them.

use super::*;
use crate::values::{IdKind, TypedId, UnixMillis};
use serde_json::json;
use serde_json::{Map, Value};

enum ContactIdKind {}
impl IdKind for ContactIdKind {
    const NAME: &'static str = "ContactId";
}
type ContactId = TypedId<ContactIdKind>;

/// An enum sent as a number, as the generator writes one.
#[derive(Debug, Clone, PartialEq)]
enum Channel {
    Messenger,
    Unknown(i64),
}

impl Slot for Channel {
    fn target(&mut self) -> Target<'_> {
        Target::IntEnum(self)
    }
    fn source(&self) -> Source<'_> {
        Source::Int(match self {
            Channel::Messenger => 0,
            Channel::Unknown(value) => *value,
        })
    }
}
impl Blank for Channel {
    fn blank() -> Self {
        Channel::Unknown(0)
    }
}
impl Strict for Channel {}
impl IntEnumSlot for Channel {
    fn set_wire(&mut self, value: i64) {
        *self = match value {
            0 => Channel::Messenger,
            other => Channel::Unknown(other),
        };
    }
}

#[derive(Debug, Clone, PartialEq)]
struct Item {
    id: ContactId,
    price: Option<f64>,
    extra: Map<String, Value>,
}

impl Record for Item {
    fn shape(&self) -> &'static RecordShape {
        const SHAPE: RecordShape = RecordShape::new(
            "Item",
            &[
                FieldShape {
                    wire: "id",
                    required: true,
                    form: FieldForm::Natural,
                },
                FieldShape {
                    wire: "price",
                    required: false,
                    form: FieldForm::Natural,
                },
            ],
        );
        &SHAPE
    }
    fn target(&mut self, index: usize) -> Target<'_> {
        match index {
            0 => self.id.target(),
            1 => self.price.target(),
            2 => self.extra.target(),
            _ => Target::Skip,
        }
    }
    fn source(&self, index: usize) -> Source<'_> {
        match index {
            0 => self.id.source(),
            1 => self.price.source(),
            2 => self.extra.source(),
            _ => Source::Absent,
        }
    }
    fn blank() -> Self {
        Item {
            id: Blank::blank(),
            price: None,
            extra: Map::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
struct Order {
    contact_id: ContactId,
    note: Option<String>,
    total: Option<i64>,
    paid: Option<bool>,
    channel: Option<Channel>,
    at: Option<UnixMillis>,
    items: Option<Vec<Item>>,
    tags: Option<Vec<String>>,
    parts: Option<Vec<Item>>,
    extra: Map<String, Value>,
}

impl Record for Order {
    fn shape(&self) -> &'static RecordShape {
        const SHAPE: RecordShape = RecordShape::new(
            "Order",
            &[
                FieldShape {
                    wire: "ms_id",
                    required: true,
                    form: FieldForm::Natural,
                },
                FieldShape {
                    wire: "note",
                    required: false,
                    form: FieldForm::Natural,
                },
                FieldShape {
                    wire: "total",
                    required: false,
                    form: FieldForm::Natural,
                },
                FieldShape {
                    wire: "paid",
                    required: false,
                    form: FieldForm::Natural,
                },
                FieldShape {
                    wire: "channel",
                    required: false,
                    form: FieldForm::Natural,
                },
                FieldShape {
                    wire: "at",
                    required: false,
                    form: FieldForm::Natural,
                },
                FieldShape {
                    wire: "items",
                    required: false,
                    form: FieldForm::Natural,
                },
                FieldShape {
                    wire: "tags",
                    required: false,
                    form: FieldForm::Natural,
                },
                FieldShape {
                    wire: "parts",
                    required: false,
                    form: FieldForm::Encoded,
                },
            ],
        );
        &SHAPE
    }
    fn target(&mut self, index: usize) -> Target<'_> {
        match index {
            0 => self.contact_id.target(),
            1 => self.note.target(),
            2 => self.total.target(),
            3 => self.paid.target(),
            4 => self.channel.target(),
            5 => self.at.target(),
            6 => self.items.target(),
            7 => self.tags.target(),
            8 => self.parts.target(),
            9 => self.extra.target(),
            _ => Target::Skip,
        }
    }
    fn source(&self, index: usize) -> Source<'_> {
        match index {
            0 => self.contact_id.source(),
            1 => self.note.source(),
            2 => self.total.source(),
            3 => self.paid.source(),
            4 => self.channel.source(),
            5 => self.at.source(),
            6 => self.items.source(),
            7 => self.tags.source(),
            8 => self.parts.source(),
            9 => self.extra.source(),
            _ => Source::Absent,
        }
    }
    fn blank() -> Self {
        Order {
            contact_id: Blank::blank(),
            note: None,
            total: None,
            paid: None,
            channel: None,
            at: None,
            items: None,
            tags: None,
            parts: None,
            extra: Map::new(),
        }
    }
}

impl serde::Serialize for Order {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serialize(self, serializer)
    }
}

impl<'de> serde::Deserialize<'de> for Order {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserialize(deserializer)
    }
}

fn order(text: &str) -> Result<Order, serde_json::Error> {
    serde_json::from_str(text)
}

#[test]
fn fields_decode_by_their_types_and_unknown_keys_are_kept() {
    let order = order(
        r#"{"ms_id": 238847438434, "zeta": [1], "note": 12, "total": "20000", "paid": "1",
            "channel": 0, "at": 1688201188610, "alpha": {"x": null},
            "items": [{"id": "7", "price": "2.5", "sku": "a"}], "tags": {"0": "vip", "1": 3}}"#,
    )
    .expect("decodes");
    assert_eq!(order.contact_id.as_str(), "238847438434");
    assert_eq!(order.note.as_deref(), Some("12"));
    assert_eq!(order.total, Some(20000));
    assert_eq!(order.paid, Some(true));
    assert_eq!(order.channel, Some(Channel::Messenger));
    assert_eq!(
        order.at.as_ref().map(UnixMillis::as_str),
        Some("1688201188610")
    );
    let items = order.items.as_deref().expect("items");
    assert_eq!(items[0].id.as_str(), "7");
    assert_eq!(items[0].price, Some(2.5));
    assert_eq!(items[0].extra["sku"], json!("a"));
    assert_eq!(order.tags, Some(vec!["vip".to_owned(), "3".to_owned()]));
    let keys: Vec<&str> = order.extra.keys().map(String::as_str).collect();
    assert_eq!(keys, ["alpha", "zeta"]);
    assert_eq!(order.extra["alpha"], json!({"x": null}));
}

#[test]
fn encoding_writes_known_fields_in_declaration_order_then_the_extra_keys() {
    let order = order(r#"{"zeta": 1, "total": 5, "ms_id": "9", "channel": 7, "note": null}"#)
        .expect("decodes");
    assert_eq!(order.channel, Some(Channel::Unknown(7)));
    assert_eq!(
        serde_json::to_string(&order).expect("encodes"),
        r#"{"ms_id":"9","total":5,"channel":7,"zeta":1}"#
    );
}

#[test]
fn a_missing_required_field_is_an_error_naming_its_wire_key() {
    let error = order(r#"{"note": "x"}"#).expect_err("ms_id is required");
    assert!(
        error.to_string().contains("missing field `ms_id`"),
        "{error}"
    );
    let error = order(r#"{"ms_id": 1, "items": [{"price": 1}]}"#).expect_err("id is required");
    assert!(error.to_string().contains("missing field `id`"), "{error}");
}

#[test]
fn strict_fields_refuse_what_lenient_ones_accept() {
    // A list of records must be a list; `null` is an unset option; a record must be an object.
    assert!(order(r#"{"ms_id": 1, "items": {"0": {"id": 1}}}"#).is_err());
    assert_eq!(
        order(r#"{"ms_id": 1, "items": null}"#).expect("null").items,
        None
    );
    let error = order(r#"{"ms_id": 1, "items": [5]}"#).expect_err("not an object");
    assert!(error.to_string().contains("an object (Item)"), "{error}");
    // A lenient number rejects text that is not one, and says where.
    let error = order(r#"{"ms_id": 1, "total": "many"}"#).expect_err("not a number");
    assert!(error.to_string().contains("line 1"), "{error}");
}

#[test]
fn an_encoded_field_reads_a_string_holding_json_or_the_value_itself_and_writes_a_string() {
    let from_text = order(r#"{"ms_id": 1, "parts": "[{\"id\": 4}]"}"#).expect("text");
    let from_value = order(r#"{"ms_id": 1, "parts": [{"id": 4}]}"#).expect("value");
    assert_eq!(from_text, from_value);
    assert_eq!(from_text.parts.as_deref().map(<[Item]>::len), Some(1));
    assert_eq!(
        order(r#"{"ms_id": 1, "parts": null}"#).expect("null").parts,
        None
    );
    let error = order(r#"{"ms_id": 1, "parts": "[{"}"#).expect_err("bad JSON inside");
    assert!(
        error.to_string().contains("in the JSON held by a string"),
        "{error}"
    );
    assert_eq!(
        serde_json::to_value(&from_value).expect("encodes")["parts"],
        json!("[{\"id\":\"4\"}]")
    );
}

#[test]
fn a_value_round_trips_through_json_and_through_serde_json_value() {
    let text = r#"{"ms_id":"5","note":"n","total":3,"paid":false,"channel":0,"at":"17","items":[{"id":"1","price":1.5,"x":true}],"tags":["a"],"parts":"[]","more":[null]}"#;
    let decoded = order(text).expect("decodes");
    assert_eq!(serde_json::to_string(&decoded).expect("encodes"), text);
    let value: Value = serde_json::from_str(text).expect("json");
    assert_eq!(
        serde_json::from_value::<Order>(value).expect("from a Value"),
        decoded
    );
}

/// A record of 130 optional integers, the last one required: past the first 128 fields,
/// presence is tracked as well.
struct Wide(Vec<Option<i64>>);

impl Record for Wide {
    fn shape(&self) -> &'static RecordShape {
        static SHAPE: std::sync::OnceLock<RecordShape> = std::sync::OnceLock::new();
        SHAPE.get_or_init(|| {
            let fields: Vec<FieldShape> = (0..130)
                .map(|i| FieldShape {
                    wire: Box::leak(format!("f{i}").into_boxed_str()),
                    required: i == 129,
                    form: FieldForm::Natural,
                })
                .collect();
            RecordShape::new("Wide", Box::leak(fields.into_boxed_slice()))
        })
    }
    fn target(&mut self, index: usize) -> Target<'_> {
        self.0.get_mut(index).map_or(Target::Skip, Slot::target)
    }
    fn source(&self, index: usize) -> Source<'_> {
        self.0.get(index).map_or(Source::Absent, Slot::source)
    }
    fn blank() -> Self {
        Wide(vec![None; 130])
    }
}

#[test]
fn required_fields_past_the_first_128_are_checked() {
    let wide = |text: &str| {
        let mut de = serde_json::Deserializer::from_str(text);
        deserialize::<_, Wide>(&mut de)
    };
    let error = wide(r#"{"f0": 1, "f128": 2}"#)
        .err()
        .expect("f129 is required");
    assert!(
        error.to_string().contains("missing field `f129`"),
        "{error}"
    );
    let decoded = wide(r#"{"f129": "7", "f127": 1}"#).expect("decodes");
    assert_eq!((decoded.0[129], decoded.0[127]), (Some(7), Some(1)));
}

/// A record holding a list of lists of records: `Vec<T>` of a strict type is strict itself.
struct Grid {
    rows: Option<Vec<Vec<Item>>>,
    extra: Map<String, Value>,
}

impl Record for Grid {
    fn shape(&self) -> &'static RecordShape {
        const SHAPE: RecordShape = RecordShape::new(
            "Grid",
            &[FieldShape {
                wire: "rows",
                required: false,
                form: FieldForm::Natural,
            }],
        );
        &SHAPE
    }
    fn target(&mut self, index: usize) -> Target<'_> {
        match index {
            0 => self.rows.target(),
            1 => self.extra.target(),
            _ => Target::Skip,
        }
    }
    fn source(&self, index: usize) -> Source<'_> {
        match index {
            0 => self.rows.source(),
            1 => self.extra.source(),
            _ => Source::Absent,
        }
    }
    fn blank() -> Self {
        Grid {
            rows: None,
            extra: Map::new(),
        }
    }
}

#[test]
fn lists_of_lists_of_records_decode_and_encode() {
    let text = r#"{"rows":[[{"id":"1"}],[],[{"id":"2"},{"id":"3","price":1.5}]]}"#;
    let mut de = serde_json::Deserializer::from_str(text);
    let grid: Grid = deserialize(&mut de).expect("decodes");
    let rows = grid.rows.as_deref().expect("rows");
    assert_eq!(rows.iter().map(Vec::len).collect::<Vec<_>>(), [1, 0, 2]);
    assert_eq!(rows[2][1].price, Some(1.5));
    let mut out = Vec::new();
    serialize(&grid, &mut serde_json::Serializer::new(&mut out)).expect("encodes");
    assert_eq!(String::from_utf8(out).expect("utf-8"), text);
}

/// A record whose fields are written in the forms the catalogue's `as` asks for.
#[derive(Debug, Default)]
struct Forms {
    flow_ids: Vec<ContactId>,
    flow: Option<ContactId>,
    kept_text: Option<ContactId>,
    at: Option<UnixMillis>,
    value: Option<f64>,
    paid: Option<bool>,
    count: Option<i64>,
    flags: Option<Vec<bool>>,
    prices: Option<Vec<f64>>,
    extra: Map<String, Value>,
}

impl Record for Forms {
    fn shape(&self) -> &'static RecordShape {
        const fn f(wire: &'static str, form: FieldForm) -> FieldShape {
            FieldShape {
                wire,
                required: false,
                form,
            }
        }
        const SHAPE: RecordShape = RecordShape::new(
            "Forms",
            &[
                f("flow_ids", FieldForm::Number),
                f("flow", FieldForm::Number),
                f("kept_text", FieldForm::Natural),
                f("at", FieldForm::Number),
                f("value", FieldForm::Number),
                f("paid", FieldForm::Number),
                f("count", FieldForm::Text),
                f("flags", FieldForm::Number),
                f("prices", FieldForm::Text),
            ],
        );
        &SHAPE
    }
    fn target(&mut self, index: usize) -> Target<'_> {
        match index {
            0 => self.flow_ids.target(),
            1 => self.flow.target(),
            2 => self.kept_text.target(),
            3 => self.at.target(),
            4 => self.value.target(),
            5 => self.paid.target(),
            6 => self.count.target(),
            7 => self.flags.target(),
            8 => self.prices.target(),
            9 => self.extra.target(),
            _ => Target::Skip,
        }
    }
    fn source(&self, index: usize) -> Source<'_> {
        match index {
            0 => self.flow_ids.source(),
            1 => self.flow.source(),
            2 => self.kept_text.source(),
            3 => self.at.source(),
            4 => self.value.source(),
            5 => self.paid.source(),
            6 => self.count.source(),
            7 => self.flags.source(),
            8 => self.prices.source(),
            9 => self.extra.source(),
            _ => Source::Absent,
        }
    }
    fn blank() -> Self {
        Forms::default()
    }
}

fn encoded(record: &impl Record) -> Value {
    let mut out = Vec::new();
    serialize(record, &mut serde_json::Serializer::new(&mut out)).expect("encodes");
    serde_json::from_slice(&out).expect("valid JSON")
}

#[test]
fn fields_are_written_in_the_form_their_shape_names() {
    let record = Forms {
        // An id that is exactly a number goes out as one; a leading zero, a sign or more than
        // 2^53 would change it, so those stay text.
        flow_ids: ["11111", "000123", "+1555", "123456789012345678"]
            .into_iter()
            .map(ContactId::new)
            .collect(),
        flow: Some(ContactId::new("1234")),
        kept_text: Some(ContactId::new("12345678")),
        at: Some(UnixMillis::from_text("1717243200000".into())),
        value: Some(300.0),
        paid: Some(true),
        count: Some(5),
        flags: Some(vec![true, false]),
        prices: Some(vec![1.5, 2.0]),
        extra: Map::new(),
    };
    assert_eq!(
        encoded(&record),
        json!({
            "flow_ids": [11111, "000123", "+1555", "123456789012345678"],
            "flow": 1234,
            "kept_text": "12345678",
            "at": 1717243200000_i64,
            "value": 300,
            "paid": 1,
            "count": "5",
            "flags": [1, 0],
            "prices": ["1.5", "2"],
        })
    );
    // Decoding takes every form back.
    let text = encoded(&record).to_string();
    let back: Forms = deserialize(&mut serde_json::Deserializer::from_str(&text)).expect("decodes");
    assert_eq!(back.flow_ids[0].as_str(), "11111");
    assert_eq!(back.flow_ids[1].as_str(), "000123");
    assert_eq!(back.count, Some(5));
    assert_eq!(back.prices, Some(vec![1.5, 2.0]));
}

#[test]
fn a_shape_counts_its_required_fields_when_it_is_made() {
    const fn field(wire: &'static str, required: bool) -> FieldShape {
        FieldShape {
            wire,
            required,
            form: FieldForm::Natural,
        }
    }
    const SHAPE: RecordShape = RecordShape::new(
        "Three",
        &[field("a", true), field("b", false), field("c", true)],
    );
    assert_eq!(SHAPE.required, 2);
    assert_eq!(RecordShape::new("None", &[]).required, 0);
}

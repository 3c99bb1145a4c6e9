//! The seed of what only the public API reads and writes: each account's API token, its sales
//! pipelines (stages, custom fields, opportunities and their comments), its bot fields, and a
//! cart in the demo account. The ids are apart from the rest of the seed's.

use chatrace::types::{
    AdminId, BotFieldId, BotFieldValue, CommentId, ContactId, CustomFieldId, CustomFieldType,
    Opportunity, OpportunityComment, OpportunityFieldValue, OpportunityId, OpportunityPriority,
    OpportunityStatus, OrderId, Pipeline, PipelineCustomField, PipelineId, PipelineStage,
    ProductId, StageId,
};
use chatrace::DateTimeText;
use serde_json::Value;

use crate::state::{Account, CartRecord, OpportunityRecord, PipelineRecord};
use crate::time::datetime;

/// The API token of the second and third accounts: `prefix` and the account id.
pub(super) fn api_token_of(account: u64) -> String {
    format!("sbx-api-{account}-4c1d7e")
}

/// A pipeline: (id, name), its stages (id, name) and its custom fields (id, name, type).
fn pipeline(
    (id, name): (u64, &str),
    stages: &[(u64, &str)],
    fields: &[(u64, &str, &str)],
) -> PipelineRecord {
    PipelineRecord {
        pipeline: {
            let mut built = Pipeline::new(PipelineId::new(id));
            built.name = Some(name.to_owned());
            built
        },
        stages: stages
            .iter()
            .map(|(id, name)| {
                let mut built = PipelineStage::new(StageId::new(id));
                built.name = Some((*name).to_owned());
                built
            })
            .collect(),
        custom_fields: fields
            .iter()
            .map(|(id, name, kind)| {
                let mut built = PipelineCustomField::new(CustomFieldId::new(id));
                built.name = Some((*name).to_owned());
                built.field_type = Some((*kind).to_owned());
                built
            })
            .collect(),
        opportunities: Vec::new(),
    }
}

/// What an opportunity is: (id, contact, title, value, stage), and who made it when.
struct OpportunityPlan<'a> {
    id: u64,
    contact: u64,
    title: &'a str,
    value: f64,
    stage: usize,
    by: u64,
    at: i64,
}

/// An opportunity of `record` at its `plan.stage`th stage, with field values and comments
/// (id, text).
fn opportunity(
    record: &PipelineRecord,
    plan: &OpportunityPlan<'_>,
    values: Vec<(u64, Value)>,
    comments: &[(u64, &str)],
) -> OpportunityRecord {
    let when = DateTimeText::new(datetime(plan.at));
    OpportunityRecord {
        opportunity: {
            let mut built = Opportunity::new(OpportunityId::new(plan.id));
            built.contact_id = Some(ContactId::new(plan.contact));
            built.title = Some(plan.title.to_owned());
            built.description = Some(String::new());
            built.value = Some(plan.value);
            built.status = Some(OpportunityStatus::Open);
            built.priority = Some(OpportunityPriority::Low);
            built.stage = record.stages.get(plan.stage).cloned();
            built.assignee_ids = Some(vec![AdminId::new(plan.by)]);
            built.created_at = Some(when.clone());
            built.created_by = Some(AdminId::new(plan.by));
            built.updated_at = Some(when.clone());
            built.updated_by = Some(AdminId::new(plan.by));
            built
        },
        field_values: values
            .into_iter()
            .map(|(id, value)| {
                let mut built = OpportunityFieldValue::new(value);
                built.id = Some(CustomFieldId::new(id));
                built
            })
            .collect(),
        comments: comments
            .iter()
            .map(|(id, text)| {
                let mut built = OpportunityComment::new(CommentId::new(id));
                built.text = Some((*text).to_owned());
                built.created_at = Some(when.clone());
                built.created_by = Some(AdminId::new(plan.by));
                built
            })
            .collect(),
    }
}

/// A bot field: (id, name, type, value).
fn bot_field((id, name, kind, value): (u64, &str, CustomFieldType, &str)) -> BotFieldValue {
    let mut built = BotFieldValue::new(BotFieldId::new(id));
    built.name = Some(name.to_owned());
    built.field_type = Some(kind);
    built.value = Some(value.to_owned());
    built
}

/// The demo account's: `api_token`, two pipelines with opportunities of seeded contacts, bot
/// fields, and a cart for contact `12345`. `owner` made the opportunities; `now` is the clock's
/// start.
pub(super) fn demo(account: &mut Account, api_token: String, owner: u64, now: i64) {
    let public = &mut account.public;
    public.api_token = api_token;
    let mut sales = pipeline(
        (71_001, "Wholesale sales"),
        &[
            (71_011, "New lead"),
            (71_012, "Qualified"),
            (71_013, "Proposal sent"),
            (71_014, "Won"),
        ],
        &[(71_021, "Budget", "number"), (71_022, "Source", "text")],
    );
    let day = 86_400;
    sales.opportunities = vec![
        opportunity(
            &sales,
            &OpportunityPlan {
                id: 71_101,
                contact: 100_000_000_001,
                title: "Beans for a new cafe",
                value: 1_800.0,
                stage: 1,
                by: owner,
                at: now - 6 * day,
            },
            vec![
                (71_021, Value::from(2_000)),
                (71_022, Value::from("Messenger")),
            ],
            &[
                (71_201, "Opens in September; wants a tasting first."),
                (71_202, "Sent the wholesale price list."),
            ],
        ),
        opportunity(
            &sales,
            &OpportunityPlan {
                id: 71_102,
                contact: 12_345,
                title: "Office coffee subscription",
                value: 420.0,
                stage: 0,
                by: owner,
                at: now - 2 * day,
            },
            vec![(71_022, Value::from("Website"))],
            &[],
        ),
        opportunity(
            &sales,
            &OpportunityPlan {
                id: 71_103,
                contact: 2_850_008_055_041_461,
                title: "Grinders for a roastery",
                value: 2_400.0,
                stage: 2,
                by: owner,
                at: now - 9 * day,
            },
            Vec::new(),
            &[(71_203, "Asked for a quote on six grinders.")],
        ),
    ];
    let mut support = pipeline(
        (71_002, "Support"),
        &[
            (71_015, "Open"),
            (71_016, "Waiting on the customer"),
            (71_017, "Solved"),
        ],
        &[],
    );
    support.opportunities = vec![opportunity(
        &support,
        &OpportunityPlan {
            id: 71_104,
            contact: 238_847_438_434,
            title: "Order 1000000 arrived without gift wrap",
            value: 0.0,
            stage: 0,
            by: owner,
            at: now - day,
        },
        Vec::new(),
        &[],
    )];
    public.pipelines = vec![sales, support];
    public.bot_fields = vec![
        bot_field((72_001, "store_hours", CustomFieldType::Text, "7 am to 6 pm")),
        bot_field((72_002, "open_tastings", CustomFieldType::Number, "4")),
        bot_field((72_003, "sale_ends", CustomFieldType::Date, "2024-06-30")),
    ];
    public.carts.insert(
        "12345".to_owned(),
        CartRecord {
            order_id: OrderId::new(1_000_100),
            lines: vec![(ProductId::new(1111), 2), (ProductId::new(3333), 1)],
        },
    );
}

/// A small account's: its API token and one pipeline of two stages; `base` keeps its ids apart.
pub(super) fn small(account: &mut Account, base: u64) {
    account.public.api_token = api_token_of(account.id);
    account.public.pipelines = vec![pipeline(
        (base + 100, "Sales"),
        &[(base + 101, "New"), (base + 102, "Won")],
        &[],
    )];
    account.public.bot_fields = vec![bot_field((
        base + 110,
        "store_hours",
        CustomFieldType::Text,
        "9 am to 5 pm",
    ))];
}

//! What an account holds that only the public API reads and writes: its API token, its sales
//! pipelines with their opportunities and comments, the contacts' carts, the payments orders
//! received, its bot fields, and the products it no longer offers. Contacts, tags, custom
//! fields, flows, products and orders are the account's own, shared with the mobile API.

use std::collections::{BTreeMap, BTreeSet};

use chatrace::types::{
    BotFieldValue, Opportunity, OpportunityComment, OpportunityFieldValue, OrderId, Pipeline,
    PipelineCustomField, PipelineStage, ProductId,
};
use serde::Serialize;

/// The public API's side of an account.
#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct PublicData {
    /// The account's API token: what `X-ACCESS-TOKEN` carries on the public API.
    pub api_token: String,
    pub pipelines: Vec<PipelineRecord>,
    /// The contacts' carts, by contact id; a contact without one has an empty cart.
    pub carts: BTreeMap<String, CartRecord>,
    /// What each paid order received, in cents, by order id.
    pub payments: BTreeMap<String, i64>,
    pub bot_fields: Vec<BotFieldValue>,
    /// The products `update_product` took off sale: they cannot go in a cart or a message.
    pub inactive_products: BTreeSet<ProductId>,
}

/// A pipeline, its stages in order, the custom fields of its opportunities, and the
/// opportunities, oldest first.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PipelineRecord {
    pub pipeline: Pipeline,
    pub stages: Vec<PipelineStage>,
    pub custom_fields: Vec<PipelineCustomField>,
    pub opportunities: Vec<OpportunityRecord>,
}

/// An opportunity, the values of the pipeline's custom fields it has, and its comments, oldest
/// first.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct OpportunityRecord {
    pub opportunity: Opportunity,
    /// One value per field, each naming its field by id.
    pub field_values: Vec<OpportunityFieldValue>,
    pub comments: Vec<OpportunityComment>,
}

/// A contact's cart: the order it becomes at checkout, and its lines (product, quantity) in the
/// order they were added.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct CartRecord {
    pub order_id: OrderId,
    pub lines: Vec<(ProductId, i64)>,
}

impl PublicData {
    /// The pipeline `id`.
    pub fn pipeline(&self, id: &str) -> Option<&PipelineRecord> {
        self.pipelines.iter().find(|p| p.pipeline.id.as_str() == id)
    }

    /// The pipeline `id`, to change it.
    pub fn pipeline_mut(&mut self, id: &str) -> Option<&mut PipelineRecord> {
        self.pipelines
            .iter_mut()
            .find(|p| p.pipeline.id.as_str() == id)
    }
}

impl PipelineRecord {
    /// The pipeline with its stages and fields, without its opportunities: what a change is
    /// checked against, cheap to keep while the account changes.
    pub fn clone_without_opportunities(&self) -> PipelineRecord {
        PipelineRecord {
            pipeline: self.pipeline.clone(),
            stages: self.stages.clone(),
            custom_fields: self.custom_fields.clone(),
            opportunities: Vec::new(),
        }
    }

    /// The opportunity `id` of the pipeline.
    pub fn opportunity(&self, id: &str) -> Option<&OpportunityRecord> {
        self.opportunities
            .iter()
            .find(|o| o.opportunity.id.as_str() == id)
    }

    /// The opportunity `id` of the pipeline, to change it.
    pub fn opportunity_mut(&mut self, id: &str) -> Option<&mut OpportunityRecord> {
        self.opportunities
            .iter_mut()
            .find(|o| o.opportunity.id.as_str() == id)
    }
}

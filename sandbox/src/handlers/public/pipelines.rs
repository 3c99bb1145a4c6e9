//! Sales pipelines over the public API: pipelines, their stages and custom fields, and their
//! opportunities (tickets) with comments, created, read, changed, deleted and listed page by
//! page. What the API token does is done by the account's owner (`created_by`, `updated_by`).

use chatrace::operations::{
    AddOpportunityCommentRequest, CreateOpportunityRequest, DeleteOpportunityCommentRequest,
    DeleteOpportunityRequest, GetOpportunityRequest, GetPipelineRequest, ListOpportunitiesRequest,
    ListOpportunityCommentsRequest, ListPipelineCustomFieldsRequest, ListPipelineStagesRequest,
    ListPipelinesRequest, UpdateOpportunityRequest,
};
use chatrace::types::{
    AdminId, CommentId, CommentList, ContactId, Opportunity, OpportunityComment,
    OpportunityFieldValue, OpportunityId, OpportunityList, OpportunityPriority, OpportunityStatus,
    PipelineId, PipelineList, StageId, StageList,
};
use chatrace::{DateTimeText, Operation};

use super::{answer, success, views, RestError, RestOutcome};
use crate::call::Call;
use crate::handlers::{non_empty, page};
use crate::state::{Account, OpportunityRecord, PipelineRecord};
use crate::time::datetime;

fn no_pipeline(id: &PipelineId) -> RestError {
    RestError::not_found(format!("pipeline {id} not found"))
}

fn no_opportunity(id: &OpportunityId) -> RestError {
    RestError::not_found(format!("opportunity {id} not found"))
}

/// The pipeline `id` of the account.
fn pipeline<'a>(account: &'a Account, id: &PipelineId) -> Result<&'a PipelineRecord, RestError> {
    account
        .public
        .pipeline(id.as_str())
        .ok_or_else(|| no_pipeline(id))
}

/// The opportunity `id` of the pipeline `pipeline_id`.
fn opportunity<'a>(
    account: &'a Account,
    pipeline_id: &PipelineId,
    id: &OpportunityId,
) -> Result<&'a OpportunityRecord, RestError> {
    pipeline(account, pipeline_id)?
        .opportunity(id.as_str())
        .ok_or_else(|| no_opportunity(id))
}

/// The opportunity `id` of the pipeline `pipeline_id`, to change it (once it is known to
/// exist).
fn opportunity_mut<'a>(
    call: &'a mut Call<'_>,
    pipeline_id: &PipelineId,
    id: &OpportunityId,
) -> Result<&'a mut OpportunityRecord, RestError> {
    call.account_mut()?
        .public
        .pipeline_mut(pipeline_id.as_str())
        .ok_or_else(|| no_pipeline(pipeline_id))?
        .opportunity_mut(id.as_str())
        .ok_or_else(|| no_opportunity(id))
}

pub(super) fn list_pipelines(call: &mut Call<'_>, r: ListPipelinesRequest) -> RestOutcome {
    let pipelines: Vec<_> = call
        .account()?
        .public
        .pipelines
        .iter()
        .map(|p| p.pipeline.clone())
        .collect();
    let mut list = PipelineList::default();
    list.pipelines = Some(page(
        &pipelines,
        r.offset,
        r.limit,
        ListPipelinesRequest::META.paging,
    )?);
    answer(&list)
}

pub(super) fn get_pipeline(call: &mut Call<'_>, r: GetPipelineRequest) -> RestOutcome {
    answer(&pipeline(call.account()?, &r.pipeline_id)?.pipeline)
}

pub(super) fn list_pipeline_stages(
    call: &mut Call<'_>,
    r: ListPipelineStagesRequest,
) -> RestOutcome {
    let mut list = StageList::default();
    list.stages = Some(pipeline(call.account()?, &r.pipeline_id)?.stages.clone());
    answer(&list)
}

pub(super) fn list_pipeline_custom_fields(
    call: &mut Call<'_>,
    r: ListPipelineCustomFieldsRequest,
) -> RestOutcome {
    answer(&pipeline(call.account()?, &r.pipeline_id)?.custom_fields)
}

pub(super) fn list_opportunities(call: &mut Call<'_>, r: ListOpportunitiesRequest) -> RestOutcome {
    // A contact given by phone number is the contact; one the account does not have has none.
    let contact = r.contact_id.as_ref().map(|given| {
        call.resolve_contact(given)
            .unwrap_or_else(|_| given.clone())
    });
    let theirs: Vec<Opportunity> = pipeline(call.account()?, &r.pipeline_id)?
        .opportunities
        .iter()
        .filter(|o| contact.is_none() || o.opportunity.contact_id == contact)
        .map(views::opportunity)
        .collect();
    let mut list = OpportunityList::default();
    list.opportunities = Some(page(
        &theirs,
        r.offset,
        r.limit,
        ListOpportunitiesRequest::META.paging,
    )?);
    answer(&list)
}

/// What a create or an update sets; `None` leaves a value as it is.
struct Changes {
    title: Option<String>,
    description: Option<String>,
    stage_id: Option<StageId>,
    value: Option<f64>,
    status: Option<OpportunityStatus>,
    priority: Option<OpportunityPriority>,
    assignee_ids: Option<Vec<AdminId>>,
    custom_fields: Option<Vec<OpportunityFieldValue>>,
}

impl Changes {
    /// Checks the changes against the pipeline and the account: the stage is one of the
    /// pipeline's, the admins are the account's, each custom field (by id or by name) one of
    /// the pipeline's. Answers the field values, each naming its field by id.
    fn check(
        &self,
        account: &Account,
        pipeline: &PipelineRecord,
    ) -> Result<Option<Vec<OpportunityFieldValue>>, RestError> {
        if let Some(title) = &self.title {
            non_empty("title", title)?;
        }
        if let Some(stage) = &self.stage_id {
            if !pipeline.stages.iter().any(|s| s.id == *stage) {
                return Err(RestError::bad_request(format!(
                    "stage {stage} is not a stage of pipeline {}",
                    pipeline.pipeline.id
                )));
            }
        }
        if let Some(stranger) = self
            .assignee_ids
            .iter()
            .flatten()
            .find(|id| !account.admins.iter().any(|a| a.admin_id == **id))
        {
            return Err(RestError::bad_request(format!(
                "{stranger} is not an admin of the account"
            )));
        }
        let Some(given) = &self.custom_fields else {
            return Ok(None);
        };
        let mut values = Vec::new();
        for value in given {
            let field = pipeline
                .custom_fields
                .iter()
                .find(|f| {
                    value.id.as_ref() == Some(&f.id)
                        || (value.id.is_none() && value.name.is_some() && value.name == f.name)
                })
                .ok_or_else(|| {
                    RestError::bad_request(format!(
                        "no custom field of pipeline {} is {}",
                        pipeline.pipeline.id,
                        value.id.as_ref().map_or_else(
                            || value.name.clone().unwrap_or_default(),
                            |id| id.to_string()
                        )
                    ))
                })?;
            let mut by_id = OpportunityFieldValue::new(value.value.clone());
            by_id.id = Some(field.id.clone());
            values.push(by_id);
        }
        Ok(Some(values))
    }

    /// Sets what the changes give on `record` (already checked), as `by` at `at`.
    fn apply(
        self,
        record: &mut OpportunityRecord,
        pipeline: &PipelineRecord,
        values: Option<Vec<OpportunityFieldValue>>,
        (by, at): (&AdminId, &DateTimeText),
    ) {
        let o = &mut record.opportunity;
        if let Some(title) = self.title {
            o.title = Some(title.trim().to_owned());
        }
        if self.description.is_some() {
            o.description = self.description;
        }
        if let Some(stage) = self.stage_id {
            o.stage = pipeline.stages.iter().find(|s| s.id == stage).cloned();
        }
        if self.value.is_some() {
            o.value = self.value;
        }
        if self.status.is_some() {
            o.status = self.status;
        }
        if self.priority.is_some() {
            o.priority = self.priority;
        }
        if self.assignee_ids.is_some() {
            o.assignee_ids = self.assignee_ids;
        }
        for value in values.into_iter().flatten() {
            record.field_values.retain(|v| v.id != value.id);
            record.field_values.push(value);
        }
        o.updated_at = Some(at.clone());
        o.updated_by = Some(by.clone());
    }
}

/// The account's owner, who acts for the API token, and the time of a write (the clock moves).
fn author(call: &mut Call<'_>) -> Result<(AdminId, DateTimeText), RestError> {
    let owner = AdminId::new(call.account()?.owner_id);
    let now = call.state.tick();
    Ok((owner, DateTimeText::new(datetime(now))))
}

pub(super) fn create_opportunity(call: &mut Call<'_>, r: CreateOpportunityRequest) -> RestOutcome {
    let contact: ContactId = call.resolve_contact(&r.contact_id)?;
    non_empty("title", &r.title)?;
    let changes = Changes {
        title: Some(r.title),
        description: r.description,
        stage_id: r.stage_id,
        value: r.value,
        status: Some(r.status.unwrap_or(OpportunityStatus::Open)),
        priority: r.priority,
        assignee_ids: r.assignee_ids,
        custom_fields: r.custom_fields,
    };
    let account = call.account()?;
    let record = pipeline(account, &r.pipeline_id)?.clone_without_opportunities();
    let values = changes.check(account, &record)?;
    // Without a stage, the opportunity starts at the pipeline's first.
    let first = record.stages.first().cloned().ok_or_else(|| {
        RestError::bad_request(format!("pipeline {} has no stages", r.pipeline_id))
    })?;
    let (by, at) = author(call)?;
    let mut created = OpportunityRecord {
        opportunity: {
            let mut built = Opportunity::new(OpportunityId::new(call.state.fresh_id()));
            built.contact_id = Some(contact);
            built.description = Some(String::new());
            built.stage = Some(first);
            built.assignee_ids = Some(Vec::new());
            built.created_at = Some(at.clone());
            built.created_by = Some(by.clone());
            built
        },
        field_values: Vec::new(),
        comments: Vec::new(),
    };
    changes.apply(&mut created, &record, values, (&by, &at));
    let view = views::opportunity(&created);
    call.account_mut()?
        .public
        .pipeline_mut(r.pipeline_id.as_str())
        .ok_or_else(|| no_pipeline(&r.pipeline_id))?
        .opportunities
        .push(created);
    let mut list = OpportunityList::default();
    list.opportunities = Some(vec![view]);
    answer(&list)
}

pub(super) fn get_opportunity(call: &mut Call<'_>, r: GetOpportunityRequest) -> RestOutcome {
    let record = opportunity(call.account()?, &r.pipeline_id, &r.opportunity_id)?;
    answer(&views::opportunity(record))
}

pub(super) fn update_opportunity(call: &mut Call<'_>, r: UpdateOpportunityRequest) -> RestOutcome {
    let changes = Changes {
        title: r.title,
        description: r.description,
        stage_id: r.stage_id,
        value: r.value,
        status: r.status,
        priority: r.priority,
        assignee_ids: r.assignee_ids,
        custom_fields: r.custom_fields,
    };
    let account = call.account()?;
    opportunity(account, &r.pipeline_id, &r.opportunity_id)?;
    let record = pipeline(account, &r.pipeline_id)?.clone_without_opportunities();
    let values = changes.check(account, &record)?;
    let (by, at) = author(call)?;
    let target = opportunity_mut(call, &r.pipeline_id, &r.opportunity_id)?;
    changes.apply(target, &record, values, (&by, &at));
    success()
}

pub(super) fn delete_opportunity(call: &mut Call<'_>, r: DeleteOpportunityRequest) -> RestOutcome {
    opportunity(call.account()?, &r.pipeline_id, &r.opportunity_id)?;
    call.state.tick();
    if let Some(record) = call
        .account_mut()?
        .public
        .pipeline_mut(r.pipeline_id.as_str())
    {
        // Its comments go with it.
        record
            .opportunities
            .retain(|o| o.opportunity.id != r.opportunity_id);
    }
    success()
}

pub(super) fn list_opportunity_comments(
    call: &mut Call<'_>,
    r: ListOpportunityCommentsRequest,
) -> RestOutcome {
    let record = opportunity(call.account()?, &r.pipeline_id, &r.opportunity_id)?;
    let mut list = CommentList::default();
    list.comments = Some(page(
        &record.comments,
        r.offset,
        r.limit,
        ListOpportunityCommentsRequest::META.paging,
    )?);
    answer(&list)
}

pub(super) fn add_opportunity_comment(
    call: &mut Call<'_>,
    r: AddOpportunityCommentRequest,
) -> RestOutcome {
    non_empty("content", &r.text)?;
    opportunity(call.account()?, &r.pipeline_id, &r.opportunity_id)?;
    let (by, at) = author(call)?;
    let mut comment = OpportunityComment::new(CommentId::new(call.state.fresh_id()));
    comment.text = Some(r.text.trim().to_owned());
    comment.created_at = Some(at);
    comment.created_by = Some(by);
    opportunity_mut(call, &r.pipeline_id, &r.opportunity_id)?
        .comments
        .push(comment.clone());
    answer(&comment)
}

pub(super) fn delete_opportunity_comment(
    call: &mut Call<'_>,
    r: DeleteOpportunityCommentRequest,
) -> RestOutcome {
    let record = opportunity(call.account()?, &r.pipeline_id, &r.opportunity_id)?;
    if !record.comments.iter().any(|c| c.id == r.comment_id) {
        return Err(RestError::not_found(format!(
            "comment {} not found",
            r.comment_id
        )));
    }
    call.state.tick();
    opportunity_mut(call, &r.pipeline_id, &r.opportunity_id)?
        .comments
        .retain(|c| c.id != r.comment_id);
    success()
}

//! Booking calendars' appointments.

use chatrace::operations::{
    CancelAppointmentRequest, DeleteAppointmentRequest, ListAppointmentsRequest,
};
use chatrace::types::{Appointment, AppointmentList, AppointmentStatus};
use serde_json::Map;

use super::{ApiError, Call, Outcome, Reply};
use crate::state::datetime;

fn not_found(id: u64) -> ApiError {
    ApiError::not_found(format!("appointment {id} not found"))
}

pub(super) fn list_appointments(call: &mut Call<'_>, r: ListAppointmentsRequest) -> Outcome {
    let account = call.account()?;
    if let Some(calendar) = r.calendar_id {
        if !account.calendars.iter().any(|c| c.id == calendar) {
            return Err(ApiError::not_found(format!(
                "calendar {calendar} not found"
            )));
        }
    }
    // `YYYY-MM-DD hh:mm:ss` sorts as time does.
    let now = datetime(call.state.clock);
    let mut chosen: Vec<&Appointment> = account
        .appointments
        .iter()
        .filter(|a| r.calendar_id.is_none() || a.calendar_id == r.calendar_id)
        .collect();
    chosen.sort_by(|a, b| a.starts_at.cmp(&b.starts_at).then(a.id.cmp(&b.id)));
    let (mut past, upcoming): (Vec<Appointment>, Vec<Appointment>) = chosen
        .into_iter()
        .cloned()
        .partition(|a| a.starts_at.as_deref().is_some_and(|s| s < now.as_str()));
    // The most recent past appointment first.
    past.reverse();
    Reply::data(&AppointmentList {
        upcoming: Some(upcoming),
        past: Some(past),
        extra: Map::new(),
    })
}

pub(super) fn cancel_appointment(call: &mut Call<'_>, r: CancelAppointmentRequest) -> Outcome {
    if r.status != AppointmentStatus::Cancelled {
        return Err(ApiError::bad_request(format!(
            "`status` must be -1 (cancelled), not {}",
            r.status.as_i64()
        )));
    }
    if !call.account()?.appointments.iter().any(|a| a.id == r.id) {
        return Err(not_found(r.id));
    }
    call.state.tick();
    let appointment = call
        .account_mut()?
        .appointments
        .iter_mut()
        .find(|a| a.id == r.id)
        .ok_or_else(|| not_found(r.id))?;
    appointment.status = Some(AppointmentStatus::Cancelled);
    Ok(Reply::Done)
}

pub(super) fn delete_appointment(call: &mut Call<'_>, r: DeleteAppointmentRequest) -> Outcome {
    if !call.account()?.appointments.iter().any(|a| a.id == r.id) {
        return Err(not_found(r.id));
    }
    call.state.tick();
    call.account_mut()?.appointments.retain(|a| a.id != r.id);
    Ok(Reply::Done)
}

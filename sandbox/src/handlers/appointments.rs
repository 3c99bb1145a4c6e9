//! Booking calendars' appointments.

use chatrace::operations::{
    CancelAppointmentRequest, DeleteAppointmentRequest, ListAppointmentsRequest,
};
use chatrace::types::{Appointment, AppointmentStatus};
use chatrace::Operation;

use super::{page, ApiError, Call, Outcome, Reply};

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
    if let Some(AppointmentStatus::Unknown(other)) = &r.status {
        return Err(ApiError::bad_request(format!(
            "`status` must be one of {}, not `{other}`",
            AppointmentStatus::KNOWN_VALUES.join(", ")
        )));
    }
    if let (Some(from), Some(to)) = (r.from, r.to) {
        if to < from {
            return Err(ApiError::bad_request(format!(
                "`to` ({to}) is before `from` ({from})"
            )));
        }
    }
    let starts = |a: &Appointment| a.starts_at.unwrap_or(0);
    let mut chosen: Vec<Appointment> = account
        .appointments
        .iter()
        .filter(|a| r.calendar_id.is_none() || a.calendar_id == r.calendar_id)
        .filter(|a| r.from.is_none_or(|from| starts(a) >= from))
        .filter(|a| r.to.is_none_or(|to| starts(a) < to))
        .filter(|a| r.status.is_none() || a.status == r.status)
        .cloned()
        .collect();
    chosen.sort_by_key(|a| (starts(a), a.id));
    let paging = ListAppointmentsRequest::META.paging;
    Reply::data(&page(&chosen, r.offset, r.limit, paging)?)
}

pub(super) fn cancel_appointment(call: &mut Call<'_>, r: CancelAppointmentRequest) -> Outcome {
    let appointment = call
        .account()?
        .appointments
        .iter()
        .find(|a| a.id == r.id)
        .ok_or_else(|| not_found(r.id))?;
    match &appointment.status {
        Some(AppointmentStatus::Completed | AppointmentStatus::NoShow) => {
            return Err(ApiError::bad_request(format!(
                "appointment {} is over: it cannot be cancelled",
                r.id
            )))
        }
        Some(AppointmentStatus::Cancelled) => return Ok(Reply::Done),
        _ => {}
    }
    call.state.tick();
    let appointment = call
        .account_mut()?
        .appointments
        .iter_mut()
        .find(|a| a.id == r.id)
        .ok_or_else(|| not_found(r.id))?;
    appointment.status = Some(AppointmentStatus::Cancelled);
    if let Some(reason) = r.reason.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        let notes = appointment.notes.get_or_insert_with(String::new);
        if !notes.is_empty() {
            notes.push('\n');
        }
        notes.push_str(&format!("Cancelled: {reason}"));
    }
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

//! Appointments booked in the account's calendars: those to come (`next`, soonest first) and
//! those past (`past`, latest first), as of the sandbox's clock.

use chatrace::operations::{
    CancelAppointmentRequest, DeleteAppointmentRequest, ListAppointmentsRequest,
};
use chatrace::types::{AppointmentId, AppointmentStatus, Appointments};

use crate::call::{data, done, ApiError, Call, Outcome};
use crate::state::AppointmentRecord;
use crate::views;

fn not_found(id: &AppointmentId) -> ApiError {
    ApiError::not_found(format!("appointment {id} not found"))
}

/// The appointment `id` of the call's account.
fn find<'c>(call: &'c Call<'_>, id: &AppointmentId) -> Result<&'c AppointmentRecord, ApiError> {
    call.account()?
        .appointments
        .iter()
        .find(|a| a.appointment.id == *id)
        .ok_or_else(|| not_found(id))
}

pub(super) fn list_appointments(call: &mut Call<'_>, r: ListAppointmentsRequest) -> Outcome {
    let account = call.account()?;
    if let Some(calendar) = &r.calendar_id {
        if !account.calendars.iter().any(|c| c.id == *calendar) {
            return Err(ApiError::not_found(format!(
                "calendar {calendar} not found"
            )));
        }
    }
    let now = call.state.clock;
    let mut chosen: Vec<&AppointmentRecord> = account
        .appointments
        .iter()
        .filter(|a| {
            r.calendar_id.is_none() || a.appointment.calendar_id.as_ref() == r.calendar_id.as_ref()
        })
        .collect();
    chosen.sort_by_key(|a| a.starts_at);
    let (past, next): (Vec<_>, Vec<_>) = chosen.into_iter().partition(|a| a.starts_at <= now);
    data(&{
        let mut built = Appointments::default();
        built.upcoming = Some(views::appointments(next.into_iter()));
        built.past = Some(views::appointments(past.into_iter().rev()));
        built
    })
}

pub(super) fn cancel_appointment(call: &mut Call<'_>, r: CancelAppointmentRequest) -> Outcome {
    let record = find(call, &r.appointment_id)?;
    if record.appointment.status == Some(AppointmentStatus::Cancelled) {
        return done();
    }
    if record.starts_at <= call.state.clock {
        return Err(ApiError::refused(format!(
            "appointment {} is past: it cannot be cancelled",
            r.appointment_id
        )));
    }
    call.state.tick();
    let record = call
        .account_mut()?
        .appointments
        .iter_mut()
        .find(|a| a.appointment.id == r.appointment_id)
        .ok_or_else(|| not_found(&r.appointment_id))?;
    record.appointment.status = Some(AppointmentStatus::Cancelled);
    done()
}

pub(super) fn delete_appointment(call: &mut Call<'_>, r: DeleteAppointmentRequest) -> Outcome {
    find(call, &r.appointment_id)?;
    call.state.tick();
    call.account_mut()?
        .appointments
        .retain(|a| a.appointment.id != r.appointment_id);
    done()
}

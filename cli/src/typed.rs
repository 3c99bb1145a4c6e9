//! From a wire-shaped request to the SDK's typed request, and through the SDK's typed path.
//!
//! `AnyRequest::from_json` reads the body as the vendor's server would (discriminators, then
//! constants and required params) into the operation's generated request type; a public API
//! (REST) operation, which has no discriminators, is read by name with
//! `AnyRequest::from_operation`. Files are attached to it; `AnyRequest::send` then sends it
//! exactly as the `Client` (or `PublicClient`) method would: constants, defaults, `as` forms,
//! the path, query and body of a REST call, the multipart `param` field and session effects
//! are all the typed code's.

use chatrace::{AnyRequest, CallOptions, Handle, ParseRequestError};
use serde_json::Value;

use crate::body::WireRequest;
use crate::error::{CliError, Exit};
use crate::flags::param_flags;

/// The typed request of `wire`, for the subcommand `command`.
///
/// # Errors
///
/// A usage error (exit 2) when the values do not make a request of the operation (naming the
/// flag at fault when one is), or when this build of the SDK does not have the operation (the
/// CLI was given metadata of another catalogue).
pub fn typed_request(command: &str, wire: &WireRequest) -> Result<AnyRequest, CliError> {
    let op = wire.op();
    let mut request = read(wire).map_err(|e| match e {
        ParseRequestError::UnknownOperation { .. } => not_built(command, op.name),
        ParseRequestError::NotAnObject => CliError::usage(format!("{command}: {e}")),
        ParseRequestError::Invalid { message, .. } => match flag_at_fault(wire) {
            Some(flag) => {
                CliError::usage(format!("{command}: invalid value for --{flag}: {message}"))
            }
            None => CliError::usage(format!(
                "{command}: the flags do not make a request: {message}"
            )),
        },
    })?;
    let read_as = request.meta().name;
    if read_as != op.name {
        // Two operations of this build read the same body: the metadata the command tree was
        // built from is not this build's.
        return Err(CliError::usage(format!(
            "{command}: the SDK reads this request as `{read_as}`, not `{}`: rebuild the CLI \
             with the catalogue that declares it",
            op.name
        )));
    }
    for (name, file) in wire.files() {
        request.attach_file(name, file.clone()).map_err(|_| {
            CliError::usage(format!(
                "{command}: the SDK's `{}` has no file param `{name}`",
                op.name
            ))
        })?;
    }
    Ok(request)
}

/// Sends a typed request through `handle` and returns the decoded answer as JSON.
///
/// # Errors
///
/// The SDK's error, as a [`CliError`] with its exit code.
pub async fn send(
    command: &str,
    request: AnyRequest,
    handle: &Handle,
    options: &CallOptions,
) -> Result<Value, CliError> {
    let api = request.meta().api;
    request
        .send(handle, options)
        .await
        .map_err(|e| CliError::from_sdk_of(command, &e, api))
}

/// [`typed_request`] then [`send`].
///
/// # Errors
///
/// The errors of both.
pub async fn call(
    command: &str,
    wire: &WireRequest,
    handle: &Handle,
    options: &CallOptions,
) -> Result<Value, CliError> {
    let request = typed_request(command, wire)?;
    send(command, request, handle, options).await
}

fn read(wire: &WireRequest) -> Result<AnyRequest, ParseRequestError> {
    let op = wire.op();
    if op.http.is_none() {
        return AnyRequest::from_json(Value::Object(wire.body().clone()), |name| wire.header(name));
    }
    // A REST request's params, header params included, are one object by wire name.
    let mut params = wire.body().clone();
    for (name, value) in wire.headers() {
        params.insert((*name).to_owned(), Value::String(value.clone()));
    }
    AnyRequest::from_operation(op.name, Value::Object(params))
}

fn not_built(command: &str, name: &str) -> CliError {
    CliError::new(
        Exit::Usage,
        format!(
            "{command}: this build of the SDK has no operation `{name}`: rebuild the CLI with \
             the catalogue that declares it"
        ),
    )
}

/// The flag whose value makes the request invalid: the first optional param set whose removal
/// makes the rest read as the operation.
fn flag_at_fault(wire: &WireRequest) -> Option<String> {
    let op = wire.op();
    let flags = param_flags(op);
    wire.params_set()
        .into_iter()
        .filter(|param| !param.required)
        .find(|param| {
            let mut without = wire.clone();
            without.remove(param);
            read(&without).is_ok_and(|request| request.meta().name == op.name)
        })
        .and_then(|param| {
            flags
                .iter()
                .find(|f| std::ptr::eq(f.param, param))
                .map(|f| f.long.clone())
        })
}

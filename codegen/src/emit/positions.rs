//! Catalogues with every position zeroed, so that two with the same content compare equal
//! wherever they were read from.

use crate::diag::Pos;
use crate::model::*;

/// The catalogue with every position zeroed: two catalogues with the same content compare equal.
pub fn without_positions(catalogue: &Catalogue) -> Catalogue {
    let mut c = catalogue.clone();
    for ty in &mut c.types {
        ty.pos = Pos::default();
        ty.row.iter_mut().for_each(|f| f.pos = Pos::default());
        match &mut ty.kind {
            TypeKind::Struct { fields } => fields.iter_mut().for_each(|f| f.pos = Pos::default()),
            TypeKind::Enum { values, .. } => values.iter_mut().for_each(|v| v.pos = Pos::default()),
            TypeKind::Union(union) => union
                .variants
                .iter_mut()
                .for_each(|v| v.pos = Pos::default()),
            TypeKind::Id => {}
        }
    }
    for op in &mut c.operations {
        *op = operation_without_positions(op);
    }
    c.realtime = c.realtime.as_ref().map(realtime_without_positions);
    c.public_api = c.public_api.as_ref().map(public_api_without_positions);
    c.errors = errors_without_positions(&c.errors);
    c
}

/// The `public_api` header with every position zeroed.
pub(super) fn public_api_without_positions(public_api: &PublicApi) -> PublicApi {
    let mut p = public_api.clone();
    p.pos = Pos::default();
    if let Some(error) = &mut p.error {
        error.pos = Pos::default();
    }
    p
}

/// The error table with every position zeroed.
pub(super) fn errors_without_positions(errors: &[ErrorCode]) -> Vec<ErrorCode> {
    let mut errors = errors.to_vec();
    errors.iter_mut().for_each(|e| e.pos = Pos::default());
    errors
}

/// One operation with every position zeroed.
pub fn operation_without_positions(op: &Operation) -> Operation {
    let mut op = op.clone();
    op.pos = Pos::default();
    op.params.iter_mut().for_each(|p| p.pos = Pos::default());
    op.constants.iter_mut().for_each(|c| c.pos = Pos::default());
    if let Some(paging) = &mut op.paging {
        paging.pos = Pos::default();
    }
    op.examples.iter_mut().for_each(|e| e.pos = Pos::default());
    if let Some(http) = &mut op.http {
        http.pos = Pos::default();
    }
    op.http_errors
        .iter_mut()
        .for_each(|e| e.pos = Pos::default());
    op
}

/// The realtime section with every position zeroed.
pub(super) fn realtime_without_positions(realtime: &Realtime) -> Realtime {
    let mut r = realtime.clone();
    r.pos = Pos::default();
    r.url.pos = Pos::default();
    r.user.pos = Pos::default();
    r.contact.pos = Pos::default();
    if let Some(upload) = &mut r.upload {
        upload.pos = Pos::default();
    }
    r.frames.iter_mut().for_each(|f| f.pos = Pos::default());
    r.past_window
        .iter_mut()
        .for_each(|w| w.pos = Pos::default());
    r.events.pos = Pos::default();
    r
}

/// One type with every position zeroed.
pub fn type_without_positions(ty: &TypeDef) -> TypeDef {
    let mut c = Catalogue {
        api: ApiInfo::default(),
        public_api: None,
        types: vec![ty.clone()],
        operations: Vec::new(),
        realtime: None,
        errors: Vec::new(),
    };
    c = without_positions(&c);
    c.types.remove(0)
}

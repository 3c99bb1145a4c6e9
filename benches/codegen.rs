//! codegen: what the proc-macro does on every build of `chatrace`: read, validate and generate
//! the whole catalogue. Its parts run in the same group: the YAML parse alone (the floor any
//! catalogue reader pays), parse + load + validate, and generation from a loaded catalogue.

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

const SPEC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/api-spec.yaml");

fn codegen(c: &mut Criterion) {
    let source = std::fs::read_to_string(SPEC).expect("api-spec.yaml reads");
    let catalogue = chatrace_codegen::load_str(&source, "api-spec.yaml").expect("valid");
    let mut group = c.benchmark_group("codegen/catalogue");
    group.bench_function("full: read + load + validate + generate", |b| {
        b.iter(|| {
            chatrace_codegen::generate_file(black_box(SPEC), "api-spec.yaml", Default::default())
                .expect("ok")
        })
    });
    group.bench_function("yaml parse only", |b| {
        b.iter(|| chatrace_codegen::yaml::parse(black_box(&source)).expect("parses"))
    });
    group.bench_function("load + validate", |b| {
        b.iter(|| chatrace_codegen::load_str(black_box(&source), "api-spec.yaml").expect("ok"))
    });
    group.bench_function("generate only", |b| {
        b.iter(|| {
            chatrace_codegen::generate::generate(
                black_box(&catalogue),
                Some(SPEC),
                Default::default(),
            )
        })
    });
    group.finish();
}

criterion_group!(benches, codegen);
criterion_main!(benches);

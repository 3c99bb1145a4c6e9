//! encode: build and serialize the request of each documented operation with the SDK, vs a
//! hand-written `serde_json::json!` body of the same shape (checked equal before measuring).

mod common;

use common::cases::{check_encode_cases, ENCODE_CASES};
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

fn encode(c: &mut Criterion) {
    check_encode_cases();
    for case in ENCODE_CASES {
        let mut group = c.benchmark_group(format!("encode/{}", case.name));
        group.bench_function("sdk", |b| b.iter(|| black_box((case.sdk)())));
        group.bench_function("hand_json", |b| b.iter(|| black_box((case.hand)())));
        group.finish();
    }
}

criterion_group!(benches, encode);
criterion_main!(benches);

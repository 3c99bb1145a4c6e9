//! decode: a `list_orders` answer of 10,000 orders into the generated types, vs serde_json into
//! a hand-written struct of the same shape, vs `serde_json::Value`. The three read the same
//! bytes in the same group; the envelope struct is the same for the typed two.

mod common;

use common::{check_decode_same, list_orders_body, HandEnvelope, HandOrderSummary, ORDERS};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use std::hint::black_box;

fn decode(c: &mut Criterion) {
    let body = list_orders_body(ORDERS);
    check_decode_same(&body);
    let mut group = c.benchmark_group("decode/list_orders_10k");
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.sample_size(30);
    group.bench_function("sdk", |b| {
        b.iter_batched(
            || (),
            |()| {
                serde_json::from_slice::<HandEnvelope<Vec<chatrace::types::OrderSummary>>>(
                    black_box(&body),
                )
                .expect("decodes")
            },
            BatchSize::PerIteration,
        )
    });
    group.bench_function("hand_struct", |b| {
        b.iter_batched(
            || (),
            |()| {
                serde_json::from_slice::<HandEnvelope<Vec<HandOrderSummary>>>(black_box(&body))
                    .expect("decodes")
            },
            BatchSize::PerIteration,
        )
    });
    group.bench_function("value", |b| {
        b.iter_batched(
            || (),
            |()| serde_json::from_slice::<serde_json::Value>(black_box(&body)).expect("decodes"),
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

criterion_group!(benches, decode);
criterion_main!(benches);

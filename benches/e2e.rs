//! end to end: `get_order` against the sandbox on loopback, through the SDK vs a hand-written
//! reqwest call sending the same body and headers and decoding the envelope into a hand-written
//! struct. One sandbox, both clients, the same server: its cost is on both sides. Sequential
//! (one call at a time) and concurrent (64 tasks at once).

mod common;

use common::{runtime, E2e, CALLS_PER_TASK, TASKS};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;

fn e2e(c: &mut Criterion) {
    let rt = runtime();
    let e2e = rt.block_on(E2e::start());

    let mut group = c.benchmark_group("e2e/get_order/sequential");
    group.throughput(Throughput::Elements(1));
    group.bench_function("sdk", |b| {
        b.to_async(&rt)
            .iter(|| async { black_box(e2e.sdk_call().await) })
    });
    group.bench_function("hand", |b| {
        b.to_async(&rt)
            .iter(|| async { black_box(e2e.hand_call().await) })
    });
    group.finish();

    let mut group = c.benchmark_group("e2e/get_order/concurrent64");
    group.throughput(Throughput::Elements((TASKS * CALLS_PER_TASK) as u64));
    group.sample_size(30);
    group.bench_function("sdk", |b| b.to_async(&rt).iter(|| e2e.sdk_concurrent()));
    group.bench_function("hand", |b| b.to_async(&rt).iter(|| e2e.hand_concurrent()));
    group.finish();

    rt.block_on(e2e.sandbox.shutdown());
}

criterion_group!(benches, e2e);
criterion_main!(benches);

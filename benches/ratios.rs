//! The ratios, SDK / hand-written, in one run: `cargo bench --bench ratios`.
//!
//! Each pair runs in rounds that alternate A/B and B/A, so drift and the load of a shared
//! machine hit both sides; a row shows the median time per operation of each side over the
//! rounds and the median of the per-round ratios. Without `--bench` (as `cargo test --benches`
//! runs it) every pair runs once, as a smoke test.
//!
//! `ratios --calls sdk|hand N` only makes N sequential `get_order` calls against the sandbox
//! through one side (`public-sdk|public-hand`: `get_contact_record` over the public API), for
//! counting instructions under `valgrind --tool=callgrind` (a count that the load of a shared
//! machine does not change): see docs/performance.md.
//!
//! `cargo bench --bench ratios -- --aa` runs the end-to-end pairs with the same side on both
//! halves (SDK/SDK, hand/hand): how far from 1.000 the method and the machine put a ratio on
//! their own, to read the real ratios against.

mod common;

use std::future::Future;
use std::hint::black_box;
use std::time::{Duration, Instant};

use common::cases::{check_encode_cases, ENCODE_CASES};
use common::{list_orders_body, runtime, E2e, HandEnvelope, HandOrderSummary, ORDERS};

/// How long a pair runs: rounds of A/B, and calls per side per round.
#[derive(Clone, Copy)]
struct Plan {
    rounds: usize,
    iters: usize,
}

/// The end-to-end plans: 61 rounds of 200 sequential calls per side, and 41 rounds of 4 × 256
/// calls from [`common::TASKS`] tasks.
const SEQUENTIAL: Plan = Plan {
    rounds: 61,
    iters: 200,
};
const CONCURRENT: Plan = Plan {
    rounds: 41,
    iters: 4,
};

impl Plan {
    fn scaled(self, quick: bool) -> Plan {
        if quick {
            Plan {
                rounds: 2,
                iters: 1,
            }
        } else {
            self
        }
    }
}

/// The result of one pair.
struct Row {
    case: String,
    sdk: Duration,
    hand: Option<Duration>,
    ratio: Option<f64>,
    target: Option<Target>,
}

#[derive(Clone, Copy)]
enum Target {
    /// SDK / hand-written at most this.
    Ratio(f64),
    /// SDK time per run under this.
    Time(Duration),
}

impl Row {
    fn ok(&self) -> Option<bool> {
        match self.target? {
            Target::Ratio(max) => Some(self.ratio? <= max),
            Target::Time(max) => Some(self.sdk < max),
        }
    }
}

fn median_duration(mut values: Vec<Duration>) -> Duration {
    values.sort();
    values[values.len() / 2]
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// Runs `a` and `b` `plan.iters` times each per round, alternating which goes first.
fn pair(
    plan: Plan,
    mut a: impl FnMut(usize) -> Duration,
    mut b: impl FnMut(usize) -> Duration,
) -> (Duration, Duration, f64) {
    // One untimed round warms caches, allocators and connection pools.
    a(plan.iters);
    b(plan.iters);
    let (mut ta, mut tb, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..plan.rounds {
        let (x, y) = if round % 2 == 0 {
            let x = a(plan.iters);
            (x, b(plan.iters))
        } else {
            let y = b(plan.iters);
            (a(plan.iters), y)
        };
        ratios.push(x.as_secs_f64() / y.as_secs_f64());
        ta.push(x / plan.iters as u32);
        tb.push(y / plan.iters as u32);
    }
    (median_duration(ta), median_duration(tb), median(ratios))
}

/// Times `iters` calls of an async closure on `rt`.
fn timed_async<F, Fut>(rt: &tokio::runtime::Runtime, iters: usize, f: F) -> Duration
where
    F: Fn() -> Fut,
    Fut: Future,
{
    rt.block_on(async {
        let started = Instant::now();
        for _ in 0..iters {
            black_box(f().await);
        }
        started.elapsed()
    })
}

/// Times `iters` calls, dropping their outputs after the clock stops.
fn timed<T>(iters: usize, f: impl Fn() -> T) -> Duration {
    let mut outputs = Vec::with_capacity(iters);
    let started = Instant::now();
    for _ in 0..iters {
        outputs.push(black_box(f()));
    }
    let elapsed = started.elapsed();
    drop(outputs);
    elapsed
}

fn row(case: &str, (sdk, hand, ratio): (Duration, Duration, f64), target: Option<Target>) -> Row {
    Row {
        case: case.to_owned(),
        sdk,
        hand: Some(hand),
        ratio: Some(ratio),
        target,
    }
}

fn show(d: Duration) -> String {
    let ns = d.as_nanos() as f64;
    if ns >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.1} µs", ns / 1e3)
    } else {
        format!("{ns:.0} ns")
    }
}

/// One side of an end-to-end pair: the operation and who sends it.
#[derive(Clone, Copy)]
enum Side {
    /// `get_order` through the SDK.
    Sdk,
    /// `get_order` by hand.
    Hand,
    /// `get_contact_record` through the SDK's public client.
    PublicSdk,
    /// `get_contact_record` by hand.
    PublicHand,
}

impl Side {
    const ALL: [Side; 4] = [Side::Sdk, Side::Hand, Side::PublicSdk, Side::PublicHand];

    /// The name `--calls` takes.
    fn arg(self) -> &'static str {
        match self {
            Side::Sdk => "sdk",
            Side::Hand => "hand",
            Side::PublicSdk => "public-sdk",
            Side::PublicHand => "public-hand",
        }
    }

    /// The operation and the side, for a row of `--aa`.
    fn label(self) -> (&'static str, &'static str) {
        match self {
            Side::Sdk => ("get_order", "sdk"),
            Side::Hand => ("get_order", "hand"),
            Side::PublicSdk => ("get_contact_record", "sdk"),
            Side::PublicHand => ("get_contact_record", "hand"),
        }
    }

    /// Times `n` sequential calls.
    fn sequential(self, rt: &tokio::runtime::Runtime, e2e: &E2e, n: usize) -> Duration {
        match self {
            Side::Sdk => timed_async(rt, n, || e2e.sdk_call()),
            Side::Hand => timed_async(rt, n, || e2e.hand_call()),
            Side::PublicSdk => timed_async(rt, n, || e2e.public_sdk_call()),
            Side::PublicHand => timed_async(rt, n, || e2e.public_hand_call()),
        }
    }

    /// Times `n` rounds of [`common::TASKS`] concurrent tasks.
    fn concurrent(self, rt: &tokio::runtime::Runtime, e2e: &E2e, n: usize) -> Duration {
        match self {
            Side::Sdk => timed_async(rt, n, || e2e.sdk_concurrent()),
            Side::Hand => timed_async(rt, n, || e2e.hand_concurrent()),
            Side::PublicSdk => timed_async(rt, n, || e2e.public_sdk_concurrent()),
            Side::PublicHand => timed_async(rt, n, || e2e.public_hand_concurrent()),
        }
    }
}

/// `--calls SIDE N`: N sequential calls through one side, nothing else.
fn calls_only(arg: &str, n: usize) {
    let Some(side) = Side::ALL.into_iter().find(|side| side.arg() == arg) else {
        let names: Vec<_> = Side::ALL.iter().map(|side| side.arg()).collect();
        panic!("--calls takes one of {names:?}, not `{arg}`");
    };
    let rt = runtime();
    let e2e = rt.block_on(E2e::start());
    let elapsed = side.sequential(&rt, &e2e, n);
    println!("{arg}: {n} calls, {} per call", show(elapsed / n as u32));
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(at) = args.iter().position(|arg| arg == "--calls") {
        let side = args.get(at + 1).map(String::as_str).unwrap_or("sdk");
        let n = args
            .get(at + 2)
            .and_then(|n| n.parse().ok())
            .unwrap_or(1000);
        calls_only(side, n);
        return;
    }
    let quick = !args.iter().any(|arg| arg == "--bench");
    if args.iter().any(|arg| arg == "--aa") {
        aa_check(quick);
        return;
    }
    let started = Instant::now();
    let mut rows = Vec::new();

    // codegen: the whole catalogue, as the proc-macro does it (release build here).
    let spec = concat!(env!("CARGO_MANIFEST_DIR"), "/api-spec.yaml");
    let codegen = Plan {
        rounds: 15,
        iters: 2,
    }
    .scaled(quick);
    let mut runs = Vec::new();
    for _ in 0..codegen.rounds {
        runs.push(
            timed(codegen.iters, || {
                chatrace_codegen::generate_file(spec, "api-spec.yaml", Default::default())
                    .expect("generates")
            }) / codegen.iters as u32,
        );
    }
    rows.push(Row {
        case: format!(
            "codegen: full catalogue ({} ops)",
            chatrace::OPERATIONS.len() + chatrace::PUBLIC_OPERATIONS.len()
        ),
        sdk: median_duration(runs),
        hand: None,
        ratio: None,
        target: Some(Target::Time(Duration::from_millis(25))),
    });

    // encode: the 8 documented operations, each vs its json! body.
    check_encode_cases();
    let encode = Plan {
        rounds: 11,
        iters: 20_000,
    }
    .scaled(quick);
    for case in ENCODE_CASES {
        let result = pair(encode, |n| timed(n, case.sdk), |n| timed(n, case.hand));
        rows.push(row(
            &format!("encode: {} (vs json!)", case.name),
            result,
            None,
        ));
    }

    // decode: 10,000 orders.
    let body = list_orders_body(ORDERS);
    common::check_decode_same(&body);
    let decode = Plan {
        rounds: 21,
        iters: 4,
    }
    .scaled(quick);
    let sdk_decode = || {
        serde_json::from_slice::<HandEnvelope<Vec<chatrace::types::OrderSummary>>>(black_box(&body))
            .expect("decodes")
    };
    let hand_decode = || {
        serde_json::from_slice::<HandEnvelope<Vec<HandOrderSummary>>>(black_box(&body))
            .expect("decodes")
    };
    let value_decode =
        || serde_json::from_slice::<serde_json::Value>(black_box(&body)).expect("decodes");
    rows.push(row(
        "decode: list_orders 10k (vs struct)",
        pair(decode, |n| timed(n, sdk_decode), |n| timed(n, hand_decode)),
        Some(Target::Ratio(1.15)),
    ));
    rows.push(row(
        "decode: list_orders 10k (vs Value)",
        pair(decode, |n| timed(n, sdk_decode), |n| timed(n, value_decode)),
        None,
    ));

    // end to end against the sandbox.
    let rt = runtime();
    let e2e = rt.block_on(E2e::start());
    let sequential = SEQUENTIAL.scaled(quick);
    let concurrent = CONCURRENT.scaled(quick);
    let calls = (common::TASKS * common::CALLS_PER_TASK) as u32;
    // `get_order` on the mobile API, then `GET /contacts/{contact_id}` on the public API.
    for (operation, sdk_side, hand_side) in [
        ("get_order", Side::Sdk, Side::Hand),
        ("get_contact_record", Side::PublicSdk, Side::PublicHand),
    ] {
        rows.push(row(
            &format!("e2e: {operation} sequential"),
            pair(
                sequential,
                |n| sdk_side.sequential(&rt, &e2e, n),
                |n| hand_side.sequential(&rt, &e2e, n),
            ),
            Some(Target::Ratio(1.05)),
        ));
        let (sdk, hand, ratio) = pair(
            concurrent,
            |n| sdk_side.concurrent(&rt, &e2e, n),
            |n| hand_side.concurrent(&rt, &e2e, n),
        );
        rows.push(row(
            &format!("e2e: {operation} 64 tasks (per call)"),
            (sdk / calls, hand / calls, ratio),
            Some(Target::Ratio(1.05)),
        ));
    }
    let order_body = e2e.order_body.clone();
    let one = Plan {
        rounds: 21,
        iters: 2_000,
    }
    .scaled(quick);
    rows.push(row(
        &format!("decode: get_order answer ({} B)", order_body.len()),
        pair(
            one,
            |n| {
                timed(n, || {
                    serde_json::from_slice::<HandEnvelope<chatrace::types::Order>>(black_box(
                        &order_body,
                    ))
                    .expect("decodes")
                })
            },
            |n| {
                timed(n, || {
                    serde_json::from_slice::<HandEnvelope<common::HandOrder>>(black_box(
                        &order_body,
                    ))
                    .expect("decodes")
                })
            },
        ),
        None,
    ));
    let contact_body = e2e.contact_body.clone();
    rows.push(row(
        &format!("decode: contact record ({} B)", contact_body.len()),
        pair(
            one,
            |n| {
                timed(n, || {
                    serde_json::from_slice::<chatrace::types::ContactRecord>(black_box(
                        &contact_body,
                    ))
                    .expect("decodes")
                })
            },
            |n| {
                timed(n, || {
                    serde_json::from_slice::<common::HandContactRecord>(black_box(&contact_body))
                        .expect("decodes")
                })
            },
        ),
        None,
    ));
    rt.block_on(e2e.sandbox.shutdown());

    print_rows(&rows, quick, started);
}

/// Prints the table, and whether the targets are met (not on a smoke run).
fn print_rows(rows: &[Row], quick: bool, started: Instant) {
    println!();
    println!(
        "{:<46} {:>10} {:>10} {:>7} {:>9} {:>4}",
        "case", "sdk", "hand", "ratio", "target", "ok?"
    );
    for r in rows {
        println!(
            "{:<46} {:>10} {:>10} {:>7} {:>9} {:>4}",
            r.case,
            show(r.sdk),
            r.hand.map(show).unwrap_or_else(|| "-".into()),
            r.ratio
                .map(|x| format!("{x:.3}"))
                .unwrap_or_else(|| "-".into()),
            match r.target {
                Some(Target::Ratio(max)) => format!("<= {max:.2}"),
                Some(Target::Time(max)) => format!("< {}", show(max)),
                None => "-".into(),
            },
            match r.ok() {
                _ if quick => "-",
                Some(true) => "yes",
                Some(false) => "NO",
                None => "-",
            }
        );
    }
    let targets = rows.iter().filter_map(Row::ok).count();
    let met = rows.iter().filter(|r| r.ok() == Some(true)).count();
    if quick {
        println!(
            "\nsmoke run in {:.1} s: one pass per pair, no target judged (pass --bench, as \
             `cargo bench --bench ratios` does, for real numbers)",
            started.elapsed().as_secs_f64()
        );
    } else {
        println!(
            "\n{met} of {targets} targets met; ratios in {:.1} s",
            started.elapsed().as_secs_f64()
        );
    }
}

/// `--aa`: the end-to-end pairs with the same side on both halves (SDK against SDK, hand
/// against hand), with the same plans as the real run. A ratio away from 1.000 here is what
/// the method and the machine give on their own: the noise to read the real ratios against.
fn aa_check(quick: bool) {
    let started = Instant::now();
    let rt = runtime();
    let e2e = rt.block_on(E2e::start());
    let sequential = SEQUENTIAL.scaled(quick);
    let concurrent = CONCURRENT.scaled(quick);
    let calls = (common::TASKS * common::CALLS_PER_TASK) as u32;
    let mut rows = Vec::new();
    for side in Side::ALL {
        let (operation, who) = side.label();
        rows.push(row(
            &format!("A/A: {operation} sequential, {who}/{who}"),
            pair(
                sequential,
                |n| side.sequential(&rt, &e2e, n),
                |n| side.sequential(&rt, &e2e, n),
            ),
            None,
        ));
    }
    for side in Side::ALL {
        let (operation, who) = side.label();
        let run = |n| side.concurrent(&rt, &e2e, n);
        let (a, b, ratio) = pair(concurrent, run, run);
        rows.push(row(
            &format!("A/A: {operation} 64 tasks, {who}/{who}"),
            (a / calls, b / calls, ratio),
            None,
        ));
    }
    rt.block_on(e2e.sandbox.shutdown());
    print_rows(&rows, quick, started);
}

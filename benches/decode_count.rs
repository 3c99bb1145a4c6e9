//! decode, counted: the decode bench's `list_orders` answer (10,000 orders) decoded `N` times
//! by one side, for counting instructions under valgrind, which gives the same count on every
//! run whatever the machine's load (`benches/decode_count.sh` runs it and prints the ratio).
//!
//! `decode_count SIDE N`: SIDE is `sdk` (the generated types), `hand` (the hand-written
//! struct) or `none` (only building the input, the count both others include). Run by
//! `cargo bench` with no side, it decodes once with each, as a smoke test.

mod common;

use common::{check_decode_same, list_orders_body, HandEnvelope, HandOrderSummary, ORDERS};
use std::hint::black_box;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|arg| !arg.starts_with("--"))
        .collect();
    let body = list_orders_body(ORDERS);
    let (side, times) = match args.as_slice() {
        [] => {
            check_decode_same(&body);
            return ExitCode::SUCCESS;
        }
        [side, times] => match times.parse::<u32>() {
            Ok(times) => (side.as_str(), times),
            Err(_) => return usage(&format!("`{times}` is not a count")),
        },
        _ => return usage("expected SIDE and N"),
    };
    for _ in 0..times {
        match side {
            "sdk" => drop(black_box(
                serde_json::from_slice::<HandEnvelope<Vec<chatrace::types::OrderSummary>>>(
                    black_box(&body),
                )
                .expect("the SDK decodes"),
            )),
            "hand" => drop(black_box(
                serde_json::from_slice::<HandEnvelope<Vec<HandOrderSummary>>>(black_box(&body))
                    .expect("the baseline decodes"),
            )),
            "none" => {}
            other => return usage(&format!("unknown side `{other}`")),
        }
    }
    ExitCode::SUCCESS
}

fn usage(problem: &str) -> ExitCode {
    eprintln!("decode_count: {problem}; usage: decode_count sdk|hand|none N");
    ExitCode::from(2)
}

#!/usr/bin/env bash
# The decode bench's ratio counted in instructions: builds `benches/decode_count.rs` (release),
# runs it under valgrind's cachegrind for `none`, `sdk` and `hand`, and prints the instructions
# of one decode of 10,000 orders by each side and SDK / hand. The count is the same on every
# run whatever the load, so a 1 % change shows at once; time also goes to memory, so the
# wall-clock ratio (`cargo bench --bench ratios`) moves with it, not in proportion.
# Usage: benches/decode_count.sh [N]   (N decodes per side, default 3)
set -eu
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "decode_count.sh needs valgrind" >&2; exit 1; }
n=${1:-3}
bin=$(cargo bench --bench decode_count --no-run --message-format=json 2>/dev/null |
  sed -n 's/.*"executable":"\([^"]*decode_count[^"]*\)".*/\1/p' | tail -1)
[ -x "$bin" ] || { echo "the bench did not build" >&2; exit 1; }
count() {
  valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null "$bin" "$1" "$n" 2>&1 |
    sed -n 's/.*I *refs: *//p' | tr -d ,
}
none=$(count none) sdk=$(count sdk) hand=$(count hand)
awk -v n="$n" -v none="$none" -v sdk="$sdk" -v hand="$hand" 'BEGIN {
  s = (sdk - none) / n; h = (hand - none) / n
  printf "instructions per decode of 10,000 orders: SDK %.2f M, hand %.2f M, SDK / hand %.3f\n",
    s / 1e6, h / 1e6, s / h
}'

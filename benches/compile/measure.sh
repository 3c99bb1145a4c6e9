#!/usr/bin/env bash
# Clean and touch rebuilds of one crate at a time, alternating, with dev-profile defaults
# (incremental on, full debuginfo) whatever the local cargo config says.
# With --touch-only: touch rebuilds only (cheaper, so enough rounds to see a 5 % change through
# the machine's noise), each crate's CPU times (user + sys) and their median at the end.
# With --instructions: touch rebuilds only, counting the instructions of the crate's own rustc
# (macro included) under valgrind's cachegrind: the same count every round whatever the load,
# so a 1 % change shows in one round. (Time also goes to cargo, the kernel and memory, so a
# change in instructions moves the CPU time less than in proportion.)
# Usage: measure.sh [--touch-only | --instructions] ROUNDS LABEL=DIR:TARGET:PKG:TOUCHFILE[:FEATURES] ...
set -u
# Run as cargo's RUSTC_WRAPPER by --instructions: count the rustc of the crate MEASURE_CRATE.
# That rustc's own messages go to the count file too, after valgrind's summary.
if [ -n "${MEASURE_CRATE:-}" ]; then
  rustc=$1; shift
  if [[ " $* " == *" --crate-name $MEASURE_CRATE "* ]]; then
    exec valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null \
      "$rustc" "$@" 2>"$MEASURE_COUNT"
  fi
  exec "$rustc" "$@"
fi
export CARGO_INCREMENTAL=1 CARGO_PROFILE_DEV_DEBUG=2 CARGO_PROFILE_TEST_DEBUG=2
touch_only=false instructions=false
if [ "${1:-}" = --touch-only ]; then touch_only=true; shift; fi
if [ "${1:-}" = --instructions ]; then
  command -v valgrind >/dev/null || { echo "--instructions needs valgrind" >&2; exit 1; }
  touch_only=true instructions=true; shift
fi
rounds=$1; shift
one() { # dir target pkg features -> "user sys wall"
  local dir=$1 target=$2 pkg=$3 feats=$4
  ( cd "$dir" && CARGO_TARGET_DIR=$target /usr/bin/time -f "%U %S %e" -o /tmp/measure.time \
      cargo build -q -p "$pkg" $feats >/dev/null 2>/tmp/measure.err ) || { cat /tmp/measure.err; exit 1; }
  cat /tmp/measure.time
}
declare -A touches
# warm-up: dependencies of every configuration
for spec in "$@"; do
  IFS=: read -r label dir target pkg touch feats <<<"${spec/=/:}"
  one "$dir" "$target" "$pkg" "${feats//,/ }" >/dev/null
done
for r in $(seq 1 "$rounds"); do
  for spec in "$@"; do
    IFS=: read -r label dir target pkg touch feats <<<"${spec/=/:}"
    feats=${feats//,/ }
    if $touch_only; then
      touch "$dir/$touch"
      if $instructions; then
        # rustc's crate name is the package's with `-` as `_`.
        ( cd "$dir" && MEASURE_CRATE=${pkg//-/_} MEASURE_COUNT=/tmp/measure.count \
            RUSTC_WRAPPER=$(realpath "$0") CARGO_TARGET_DIR=$target \
            cargo build -q -p "$pkg" $feats >/dev/null 2>/tmp/measure.err ) \
          || { cat /tmp/measure.err /tmp/measure.count; exit 1; }
        touches[$label]="${touches[$label]:-} $(awk '/I *refs/ {gsub(",", "", $4); printf "%.1f", $4 / 1e6}' /tmp/measure.count)"
        continue
      fi
      touches[$label]="${touches[$label]:-} $(one "$dir" "$target" "$pkg" "$feats" | awk '{printf "%.2f", $1 + $2}')"
      continue
    fi
    (cd "$dir" && CARGO_TARGET_DIR=$target cargo clean -q -p "$pkg")
    clean=$(one "$dir" "$target" "$pkg" "$feats")
    touch "$dir/$touch"
    again=$(one "$dir" "$target" "$pkg" "$feats")
    echo "round=$r $label clean(u s wall)=$clean touch(u s wall)=$again load=$(cut -d' ' -f1 /proc/loadavg)"
  done
done
if $touch_only; then
  for spec in "$@"; do
    label=${spec%%=*}
    median=$(tr ' ' '\n' <<<"${touches[$label]}" | grep . | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}')
    if $instructions; then
      echo "$label touch(rustc, million instructions):${touches[$label]} median=$median"
    else
      echo "$label touch(user+sys):${touches[$label]} median=$median"
    fi
  done
  echo "load $(cut -d' ' -f1-3 /proc/loadavg)"
fi

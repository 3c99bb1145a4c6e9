#!/usr/bin/env bash
# Touch rebuilds only, many rounds, interleaved one crate after the other so that every crate
# sees the same load; prints each crate's CPU times (user + sys) and their median. Cheaper than
# measure.sh (no clean builds), so it can take enough rounds to see a 5 % change through the
# machine's noise. Dev-profile defaults (incremental on, full debuginfo) whatever the local
# cargo config says, as in measure.sh.
# Usage: touch.sh ROUNDS LABEL=DIR:TARGET:PKG:TOUCHFILE[:FEATURES] ...
set -u
export CARGO_INCREMENTAL=1 CARGO_PROFILE_DEV_DEBUG=2 CARGO_PROFILE_TEST_DEBUG=2
rounds=$1; shift
build() { # dir target pkg features -> "user+sys"
  local dir=$1 target=$2 pkg=$3 feats=$4
  ( cd "$dir" && CARGO_TARGET_DIR=$target /usr/bin/time -f "%U %S" -o /tmp/touch.time \
      cargo build -q -p "$pkg" $feats >/dev/null 2>/tmp/touch.err ) || { cat /tmp/touch.err; exit 1; }
  awk '{printf "%.2f", $1 + $2}' /tmp/touch.time
}
declare -A times
# warm-up: every configuration built once, so the first round only rebuilds what was touched
for spec in "$@"; do
  IFS=: read -r label dir target pkg touch feats <<<"${spec/=/:}"
  build "$dir" "$target" "$pkg" "${feats//,/ }" >/dev/null
done
for _ in $(seq 1 "$rounds"); do
  for spec in "$@"; do
    IFS=: read -r label dir target pkg touch feats <<<"${spec/=/:}"
    touch "$dir/$touch"
    times[$label]="${times[$label]:-} $(build "$dir" "$target" "$pkg" "${feats//,/ }")"
  done
done
for spec in "$@"; do
  label=${spec%%=*}
  median=$(tr ' ' '\n' <<<"${times[$label]}" | grep . | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}')
  echo "$label touch(user+sys):${times[$label]} median=$median"
done
echo "load $(cut -d' ' -f1-3 /proc/loadavg)"

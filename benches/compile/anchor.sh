#!/usr/bin/env bash
# Writes the compile-time anchor of docs/performance.md: a workspace of two crates whose code
# progenitor generates from its own sample specs (buildomat.json, 21 operations; nexus.json,
# 193), with the dependencies that code names.
# Usage: anchor.sh PROGENITOR_CHECKOUT OUT_DIR   (then benches/compile/measure.sh, see the page)
set -euo pipefail
src=$1 out=$2
mkdir -p "$out"
printf '[workspace]\nmembers = ["buildomat", "nexus"]\nresolver = "2"\n' > "$out/Cargo.toml"
for spec in buildomat nexus; do
  mkdir -p "$out/$spec/src"
  cp "$src/sample_openapi/$spec.json" "$out/$spec/"
  cat > "$out/$spec/Cargo.toml" <<TOML
[package]
name = "anchor-$spec"
version = "0.1.0"
edition = "2021"

[dependencies]
progenitor = "0.15"
reqwest = { version = "0.13", default-features = false, features = ["json", "stream", "rustls"] }
serde = { version = "1", features = ["derive"] }
serde_json = "1"
chrono = { version = "0.4", features = ["serde"] }
uuid = { version = "1", features = ["serde", "v4"] }
futures = "0.3"
bytes = "1"
regress = "0.10"
base64 = "0.22"
rand = "0.9"
TOML
  echo "progenitor::generate_api!(\"$spec.json\");" > "$out/$spec/src/lib.rs"
done

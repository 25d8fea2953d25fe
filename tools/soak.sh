#!/usr/bin/env bash
# Soak test: a release server on loopback under a steady mix of reads and
# writes for DURATION seconds (default 600); prints errors, p50/p99 latency
# and the server's RSS at start and end. Not run in CI.
#   tools/soak.sh [DURATION] [RATE]
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-600}"
rate="${2:-60}"
cargo build --release --bin verbatim --example soak
target="${CARGO_TARGET_DIR:-target}"
"$target/release/examples/soak" --binary "$target/release/verbatim" \
    --duration "$duration" --rate "$rate"

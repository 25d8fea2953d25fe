#!/usr/bin/env bash
# Runs each fuzz target for SECONDS (default 300) with cargo-fuzz on nightly.
#   fuzz/run.sh [SECONDS]
# Needs: rustup toolchain install nightly; cargo install cargo-fuzz.
# Crashes land in fuzz/artifacts/<target>/; replay one with
#   cargo +nightly fuzz run <target> fuzz/artifacts/<target>/<file>
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-300}"
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
for target in parse_query analyze_text; do
    echo "== fuzz $target for ${seconds}s"
    cargo +nightly fuzz run "$target" -- \
        -max_total_time="$seconds" -max_len=8192 -rss_limit_mb=4096 \
        "fuzz/corpus/$target"
done

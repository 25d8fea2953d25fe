#!/usr/bin/env bash
# Verbatim's whole-system benchmarks, in one run: builds the release `verbatim`
# binary and the `verbatim-bench` runner, then measures extraction, indexing,
# queries (HTTP and in process), peers, OpenSearch (itself, and Verbatim serving
# from it, beside embedded Verbatim) and a scale run, and writes BENCHMARKS.md.
#
#   benches/run.sh CORPUS_DIR [--scale N] [--quick] [--skip-peers] [--skip-opensearch]
#                  [--opensearch-heap SIZE] [--report FILE]
#
# CORPUS_DIR holds reuters21578.ndjson and bbc.ndjson (e.g. /work/shared/data/corpus).
# The query set is generated during the run (1,000 distinct queries per class
# from the Reuters titles and the loaded index's quotes, speakers and topics,
# fixed seed) and written to bench-out/queries.json.
# Everything the run creates (indexes, generated corpora, peers' downloads) goes
# to bench-out/ (gitignored). The whole run is bounded by BENCH_TIMEOUT (default 2h).
# The OpenSearch rows start one node with tools/opensearch/run.sh (Java 17 and
# Maven; the heap is --opensearch-heap, default 1g); without them they are skipped
# with the reason.
set -euo pipefail
if [ $# -lt 1 ]; then
  echo "usage: benches/run.sh CORPUS_DIR [--scale N] [--quick] [--skip-peers] [--skip-opensearch] [--opensearch-heap SIZE] [--report FILE]" >&2
  exit 2
fi
corpus="$(realpath "$1")"
shift
cd "$(dirname "$0")/.."
target="${CARGO_TARGET_DIR:-target}"
cargo build --release --locked --bin verbatim --example verbatim-bench
exec timeout --kill-after=30s "${BENCH_TIMEOUT:-2h}" \
  "$target/release/examples/verbatim-bench" run \
  --corpus "$corpus" \
  --verbatim "$target/release/verbatim" \
  --command-line "benches/run.sh $corpus${*:+ $*}" \
  "$@"

#!/usr/bin/env bash
# The API contract: runs Schemathesis (pinned, from PyPI) with every check
# against the real server and the document it serves (/v1/openapi.json),
# once without API keys and once with them, on a fresh index loaded with the
# sample articles. Bounded examples and a fixed seed keep it to a minute.
#
#   tools/contract.sh                 # builds target/debug/verbatim if needed
#   VERBATIM_BIN=path/to/verbatim tools/contract.sh
set -euo pipefail
cd "$(dirname "$0")/.."

SCHEMATHESIS_VERSION=4.32.5
EXAMPLES=25
SEED=1
target_dir=${CARGO_TARGET_DIR:-target}
bin=${VERBATIM_BIN:-$target_dir/debug/verbatim}
venv=${SCHEMATHESIS_VENV:-$target_dir/schemathesis-$SCHEMATHESIS_VERSION}
# Absolute paths: Schemathesis runs from a scratch directory.
bin=$(realpath -m "$bin")
venv=$(realpath -m "$venv")

if [ ! -x "$venv/bin/st" ]; then
  if ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-venv >/dev/null
  fi
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet "schemathesis==$SCHEMATHESIS_VERSION"
fi
[ -x "$bin" ] || cargo build --bin verbatim

work=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# Starts the server on a free loopback port with a new index, with the
# environment given as arguments, and loads the sample articles. Feeds the
# contract adds are not polled, and a page fetched for /v1/articles/from-url
# (a generated URL: refused, unresolvable, or a real host) gives up after 2 s.
start_server() {
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  rm -rf "$work/index"
  env VERBATIM_INDEX_DIR="$work/index" VERBATIM_SNAPSHOT_DIR="$work/snapshots" \
    VERBATIM_FEEDS_POLL=0 VERBATIM_FETCH_TIMEOUT_MS=2000 "$@" "$bin" serve --listen "127.0.0.1:$port" \
    >"$work/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$port/health" >/dev/null && break
    sleep 0.2
  done
  curl -sf -H "Authorization: Bearer ${ADMIN_KEY:-}" -H 'Content-Type: application/x-ndjson' \
    --data-binary @tests/fixtures/articles.ndjson "http://127.0.0.1:$port/v1/articles/bulk" >/dev/null
}

stop_server() {
  kill "$server_pid"
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
}

run_schemathesis() {
  (cd "$work" && SCHEMATHESIS_HOOKS=schemathesis_hooks PYTHONPATH="$OLDPWD/tools" \
    "$venv/bin/st" run "http://127.0.0.1:$port/v1/openapi.json" \
      --checks all --max-examples "$EXAMPLES" --seed "$SEED" \
      --workers 1 "$@")
}

echo "== contract without API keys"
ADMIN_KEY="" start_server
run_schemathesis
stop_server

echo "== contract with API keys"
ADMIN_KEY=contract-admin-key-0123456789
start_server VERBATIM_ADMIN_KEY="$ADMIN_KEY" VERBATIM_SEARCH_KEY=contract-search-key-0123456789
run_schemathesis -H "Authorization: Bearer $ADMIN_KEY"
stop_server

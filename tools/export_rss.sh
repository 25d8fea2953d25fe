#!/usr/bin/env bash
# Peak resident memory of `verbatim serve` while it streams quote exports.
#
#   tools/export_rss.sh CORPUS.ndjson [CORPUS.ndjson ...]
#
# Builds a temporary index from the given NDJSON corpora, copied VARIANTS
# times with distinct ids (default 2) so that it holds 100k+ quotes, starts
# the server on it, and samples the server's VmRSS every 20 ms while exports
# of different sizes and speeds stream to /dev/null. Equal peaks for a small
# and a full export (and for a slow client) show that memory does not grow
# with the number of quotes exported. RssAnon (what the server allocates) is
# reported apart from VmRSS, which also counts the pages of the memory-mapped
# index the export reads. Uses target/debug/verbatim unless
# VERBATIM_BIN says otherwise; leaves nothing running.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$#" -ge 1 ] || { echo "usage: $0 CORPUS.ndjson [...]" >&2; exit 2; }
BIN=${VERBATIM_BIN:-target/debug/verbatim}
[ -x "$BIN" ] || BIN=${CARGO_TARGET_DIR:-target}/debug/verbatim
VARIANTS=${VARIANTS:-2}
WORK=$(mktemp -d)
SERVER_PID=
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

python3 - "$VARIANTS" "$WORK/corpus.ndjson" "$@" <<'PY'
import json, sys
variants, out_path, inputs = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
with open(out_path, "w") as out:
    for variant in range(variants):
        for path in inputs:
            with open(path) as lines:
                for line in lines:
                    if not line.strip():
                        continue
                    article = json.loads(line)
                    article["id"] = f"{article.get('id', 'x')}-v{variant}"
                    if "url" in article:
                        article["url"] = f"{article['url']}#v{variant}"
                    out.write(json.dumps(article) + "\n")
PY
echo "corpus: $(wc -l < "$WORK/corpus.ndjson") articles ($VARIANTS variants)"
/usr/bin/time -f "import: %e s, peak RSS %M KiB" "$BIN" import "$WORK/corpus.ndjson" --index-dir "$WORK/index" --quiet

"$BIN" serve --listen 127.0.0.1:0 --workers 2 --index-dir "$WORK/index" 2> "$WORK/server.log" &
SERVER_PID=$!
for _ in $(seq 1 300); do
  ADDRESS=$(grep -o 'listening on http://[^ ]*' "$WORK/server.log" | head -1 | sed 's/listening on //') || true
  [ -n "${ADDRESS:-}" ] && break
  sleep 0.1
done
[ -n "${ADDRESS:-}" ] || { cat "$WORK/server.log"; exit 1; }

# VmRSS = RssAnon (heap, stacks: what the server allocates) + RssFile (pages of
# the memory-mapped index files the export reads, which the kernel can drop).
rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$SERVER_PID/status"; }
anon_kib() { awk '/^RssAnon:/ {print $2}' "/proc/$SERVER_PID/status"; }
hwm_kib() { awk '/^VmHWM:/ {print $2}' "/proc/$SERVER_PID/status"; }

curl -s "$ADDRESS/v1/stats"; echo
curl -s -o /dev/null "$ADDRESS/v1/quotes?q=said&limit=100&facets=speaker,topic"
echo "server after start and one search: RSS $(rss_kib) KiB, of which anonymous $(anon_kib) KiB"

# export NAME QUERY [CURL OPTIONS...]: rows, seconds and peak RSS during the export.
export_peak() {
  local name=$1 query=$2; shift 2
  local peak=0 peak_anon=0 rss anon
  curl -s "$@" "$ADDRESS/v1/quotes/export?$query" -o "$WORK/export.out" &
  local curl_pid=$!
  local started=$(date +%s.%N)
  while kill -0 "$curl_pid" 2>/dev/null; do
    rss=$(rss_kib); [ "$rss" -gt "$peak" ] && peak=$rss
    anon=$(anon_kib); [ "$anon" -gt "$peak_anon" ] && peak_anon=$anon
    sleep 0.02
  done
  wait "$curl_pid"
  local elapsed=$(echo "$(date +%s.%N) - $started" | bc)
  local rows=$(wc -l < "$WORK/export.out")
  printf '%-34s rows=%-8s bytes=%-11s seconds=%-6.1f peak_rss=%-8s peak_anon=%s KiB\n' \
    "$name" "$rows" "$(stat -c %s "$WORK/export.out")" "$elapsed" "$peak" "$peak_anon"
}

export_peak "ndjson, source=BBC News (small)" "source=BBC+News"
export_peak "ndjson, everything" ""
export_peak "csv, everything" "format=csv"
export_peak "ndjson, everything, again" ""
export_peak "ndjson, everything, client 4 MB/s" "" --limit-rate 4M
echo "server VmHWM (peak RSS over its whole life): $(hwm_kib) KiB"

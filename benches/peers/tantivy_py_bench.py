"""tantivy's Python binding as a peer of Verbatim's benchmark runner (benches/runner/peers.rs).

Usage: python tantivy_py_bench.py CORPUS.ndjson INDEX_DIR QUERIES.txt BOUNDS
  BOUNDS = concurrency:max_requests:max_millis[,...]

Indexes id/title/body (tantivy's en_stem analyzer; title and body stored) with
a 256 MB writer, commits once, then runs every query (tantivy's query parser
over title^2 and body, AND by default) with top 10 and the exact count,
reading each hit's stored id. Threads share one searcher (the binding releases
the GIL while tantivy searches). Prints one JSON line.

A prefix query (`negot*`, alone: the runner sends no other kind) is built as a
regex query `negot.*` over title^2 and body, matching the indexed (stemmed)
terms as Verbatim's and Lucene's prefix queries do: tantivy's query parser
reads `negot*` as the word `negot`, an exact term.
"""

import json
import re
import sys
import threading
import time

import tantivy


def main():
    corpus, index_dir, query_file, bounds = sys.argv[1:5]
    queries = [q for q in open(query_file, encoding="utf-8").read().splitlines() if q.strip()]

    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw")
    builder.add_text_field("title", stored=True, tokenizer_name="en_stem")
    builder.add_text_field("body", stored=True, tokenizer_name="en_stem")
    schema = builder.build()
    index = tantivy.Index(schema, path=index_dir)

    started = time.perf_counter()
    writer = index.writer(heap_size=256_000_000)
    articles = 0
    text_bytes = 0
    with open(corpus, encoding="utf-8") as lines:
        for line in lines:
            if not line.strip():
                continue
            article = json.loads(line)
            title = article.get("title") or ""
            body = article.get("body") or ""
            writer.add_document(tantivy.Document(id=article.get("id", ""), title=title, body=body))
            articles += 1
            text_bytes += len(title.encode()) + len(body.encode())
    writer.commit()
    writer.wait_merging_threads()
    index_seconds = time.perf_counter() - started

    index.reload()
    searcher = index.searcher()
    prefix_only = re.compile(r"^([A-Za-z0-9]+)\*$")

    def parse(q):
        prefix = prefix_only.match(q.strip())
        if prefix:
            pattern = prefix.group(1).lower() + ".*"
            return tantivy.Query.boolean_query(
                [
                    (
                        tantivy.Occur.Should,
                        tantivy.Query.boost_query(
                            tantivy.Query.regex_query(schema, "title", pattern), 2.0
                        ),
                    ),
                    (tantivy.Occur.Should, tantivy.Query.regex_query(schema, "body", pattern)),
                ]
            )
        if "*" in q:
            raise ValueError(f"a prefix must stand alone: {q!r}")
        return index.parse_query(
            q, ["title", "body"], field_boosts={"title": 2.0}, conjunction_by_default=True
        )

    def search(q):
        query = parse(q)
        result = searcher.search(query, 10, count=True)
        total = result.count
        for _score, address in result.hits:
            total += len(searcher.doc(address)["id"][0])
        return total

    # Every query once (it must parse), then a warm-up.
    for q in queries:
        search(q)
    warm_end = time.perf_counter() + 3.0
    i = 0
    while time.perf_counter() < warm_end and i < 20_000:
        search(queries[i % len(queries)])
        i += 1

    runs = []
    for bound in bounds.split(","):
        concurrency, max_requests, max_millis = (int(x) for x in bound.split(":"))
        lock = threading.Lock()
        state = {"issued": 0, "stop": False}
        latencies = []
        run_start = time.perf_counter()
        deadline = run_start + max_millis / 1000.0

        def worker(offset):
            mine = []
            n = offset
            while True:
                with lock:
                    if state["stop"] or state["issued"] >= max_requests:
                        break
                    state["issued"] += 1
                q = queries[n % len(queries)]
                n += 1
                begin = time.perf_counter()
                search(q)
                finish = time.perf_counter()
                mine.append(finish - begin)
                if finish >= deadline:
                    state["stop"] = True
            with lock:
                latencies.extend(mine)

        threads = [
            threading.Thread(target=worker, args=(t * len(queries) // concurrency,))
            for t in range(concurrency)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        seconds = time.perf_counter() - run_start
        latencies.sort()

        def quantile(q):
            if not latencies:
                return float("nan")
            return latencies[min(len(latencies) - 1, round((len(latencies) - 1) * q))] * 1000.0

        runs.append(
            {
                "concurrency": concurrency,
                "qps": len(latencies) / seconds,
                "p50_ms": quantile(0.5),
                "p99_ms": quantile(0.99),
                "requests": len(latencies),
            }
        )
    print(
        json.dumps(
            {
                "articles": articles,
                "text_bytes": text_bytes,
                "index_seconds": index_seconds,
                "queries": runs,
            }
        )
    )


if __name__ == "__main__":
    main()

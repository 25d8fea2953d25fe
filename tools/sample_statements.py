#!/usr/bin/env python3
"""Draw a sample of statements for speaker labelling from what `verbatim extract` proposes.

Usage (Python 3.11, standard library only):

    python3 tools/sample_statements.py --bin $CARGO_TARGET_DIR/debug/verbatim > draft.jsonl

Articles are drawn at random (fixed `--seed`) from the BBC and Reuters-21578 corpora,
skipping every article of the shared labelled sample (`--exclude`, so the new sample never
overlaps it and says nothing about its held-out part). Each drawn article is run through
`verbatim extract`; of its proposed quotes (any kind but `term`) at most `--per-article`
are kept, drawn at random too, until `--per-corpus` statements per corpus are reached.

The draw depends on what the binary proposes: `tools/speakers-train.jsonl` was drawn with
the defaults by the extractor of commit 8c04e6e; later extractors propose other quotes in a
few articles, so a new draw differs in a few statements (labels are kept, not redrawn).

Each output line has `article_id`, `start`, `end` and `quote` only: the extractor's speaker
is left out on purpose, so labels are written by reading the article, not the prediction.
The label fields (`type`, `canonical`, `accept`, `note`) follow
`/work/shared/data/speakers/README.md`.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from score_quotes import default_binary, run_extract  # noqa: E402

CORPORA = ("bbc.ndjson", "reuters21578.ndjson")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default="/work/shared/data/corpus")
    parser.add_argument("--exclude", default="/work/shared/data/speakers/dev.jsonl")
    parser.add_argument("--bin", default=str(default_binary()))
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--per-corpus", type=int, default=45)
    parser.add_argument("--per-article", type=int, default=2)
    args = parser.parse_args()

    with open(args.exclude, encoding="utf-8") as lines:
        excluded = {json.loads(line)["article_id"] for line in lines if line.strip()}
    rng = random.Random(args.seed)
    for name in CORPORA:
        with (Path(args.corpus) / name).open(encoding="utf-8") as lines:
            articles = [json.loads(line) for line in lines if line.strip()]
        articles = [a for a in articles if a["id"] not in excluded]
        rng.shuffle(articles)
        taken = 0
        # Extract in batches of drawn articles until the corpus's share is reached.
        for batch_start in range(0, len(articles), 50):
            if taken >= args.per_corpus:
                break
            batch = [{"id": a["id"], "title": a.get("title", ""), "body": a["body"]}
                     for a in articles[batch_start : batch_start + 50]]
            for article, out in zip(batch, run_extract(Path(args.bin), batch, None)):
                quotes = [q for q in out.get("quotes", []) if q.get("kind") != "term"]
                rng.shuffle(quotes)
                for quote in sorted(quotes[: args.per_article], key=lambda q: q["start"]):
                    if taken >= args.per_corpus:
                        break
                    body = article["body"]
                    record = {"article_id": article["id"], "start": quote["start"],
                              "end": quote["end"], "quote": body[quote["start"] : quote["end"]]}
                    print(json.dumps(record, ensure_ascii=False))
                    taken += 1


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Draw a sample of statements for speaker labelling from what `verbatim extract` proposes.

Usage (Python 3.11, standard library only):

    python3 tools/sample_statements.py --bin $CARGO_TARGET_DIR/debug/verbatim > draft.jsonl
    python3 tools/sample_statements.py --bin ... --seed 31 --per-corpus 35 --per-polnear 50 \\
        --exclude tools/speakers-train.jsonl > draft.jsonl

Articles are drawn at random (fixed `--seed`) from the BBC and Reuters-21578 corpora
(`--corpus`, `*.ndjson` with `id`/`title`/`body`) and, when `--per-polnear` is above 0,
from PolNeAR train (`--polnear`, `train.jsonl` with `id`/`text`; only `id` and `text` are
read, never its own attribution annotations). Every article of the shared labelled sample
(`/work/shared/data/speakers/dev.jsonl`) is always skipped, so a new sample never overlaps
it and says nothing about its held-out part (its ids are read, nothing of it is printed);
`--exclude FILE` (repeatable, several files each) skips the articles of other labelled
samples too, e.g. `tools/speakers-train.jsonl` when drawing more of it. Each drawn article
is run through `verbatim extract` (BBC and Reuters as `id`/`title`/`body`, PolNeAR as
`id`/`text`, as `tools/score_speakers.py` feeds them); of its proposed quotes (any kind but
`term`) at most `--per-article` are kept, drawn at random too, until `--per-corpus`
statements per corpus (BBC, Reuters) and `--per-polnear` from PolNeAR are reached. The
corpora are drawn in that order from one random generator, so the BBC and Reuters draw of
a seed does not depend on `--per-polnear`.

`article_id` is the article's `id` as written in its file (PolNeAR's keep their `/`:
`polnear/train/<name>`), and `start`/`end` are code points into its `body` (PolNeAR:
`text`), which is how `tools/score_speakers.py` finds and scores them.

The draw depends on what the binary proposes: the first 90 statements of
`tools/speakers-train.jsonl` were drawn with the defaults of that time (seed 12,
45 per corpus, no PolNeAR, only the shared sample excluded) by the extractor of commit
8c04e6e; the next 120 with `--seed 31 --per-corpus 35 --per-polnear 50 --exclude
tools/speakers-train.jsonl`; the next 100 with `--seed 47 --per-corpus 25 --per-polnear 50
--exclude tools/speakers-train.jsonl` (commit 31c1cca); the last 100 with `--seed 59
--per-corpus 30 --per-polnear 40 --exclude tools/speakers-train.jsonl` (commit e33aedc); the
next 100 with `--seed 73` and the same counts (commit 86d0647); the next 100 with `--seed 89`
and the same counts (commit b80af66); the next 100 with `--seed 97` (commit c086f5b); the next 100 with `--seed 101` (commit
c51449e); the last 100 are the `--seed 103` draw (commit e42b002), its articles at odd positions
of the draw's order first, then those at even positions; the last 100 are the `--seed 107` draw
(commit 7ae0622), labelled before any rule saw them; the last 100 are the `--seed 109` draw
(commit 9fac117), scored on 171ee60 before any rule saw them; the next 100 are the `--seed
113` draw (commit ab5cd9f, scored there before rules were fitted to it); the last 100 are the
`--seed 127` draw (commit 65dfbcb, also excluding the seed-113 labels), scored once as a fresh
sample and never used for rules; the last 100 are the `--seed 137` draw (commit 0b01a16),
scored there as a fresh sample (68/84 named, 5/7 anonymous) before rules were fitted to it; the last 100 are the `--seed 139` draw (commit 7f0483d), labelled by two helpers (articles split by draw order), scored there (77/89 named, 4/5 anonymous) and at 000de43 (78/89, 4/5) without its errors being read.
The next 100 of `tools/speakers-train.jsonl` are the `--seed 149` draw (commit a76ace2,
excluding `speakers-train.jsonl`), labelled by two helpers and scored there (68/80 named,
12/14 anonymous) before their errors were read. The next 100 are the `--seed 151` draw (commit 8da47bb, excluding `speakers-train.jsonl` and
the seed-149 file), labelled by two helpers and scored at 8da47bb (74/88 named, 3/5 anonymous)
and at 4ce507e (76/88, 3/5) before their errors were read. The next 100 are the `--seed 157` draw (commit 4ce507e, excluding `speakers-train.jsonl`,
which then held the seed-151 labels too), labelled by two helpers and scored at 4ce507e
(71/86 named, 6/7 anonymous) and at d9e1b45 (71/86, 6/7) before their errors were read.
The last 100 are the `--seed 163` draw (commit d9e1b45, excluding `speakers-train.jsonl`
with the seed-157 labels), labelled by two helpers and scored at d9e1b45 (68/83 named,
12/12 anonymous), at 30d328c and at 92057ee (68/83, 12/12) before their errors were read.
The last 100 are the `--seed 167` draw (commit 92057ee, excluding `speakers-train.jsonl`
with the seed-163 labels), labelled by two helpers and scored at 92057ee and at 4679c99
(66/83 named, 10/10 anonymous) before their errors were read.
The last 100 are the `--seed 173` draw (commit 4679c99, excluding `speakers-train.jsonl`
with the seed-167 labels), labelled by two helpers and scored at 4679c99 and at 24108a2
(72/84 named, 6/8 anonymous) before their errors were read.
The last 100 are the `--seed 179` draw (commit 24108a2, excluding `speakers-train.jsonl`
with the seed-173 labels), labelled by two helpers and scored at 24108a2 and at 6bf01d5
(71/86 named, 12/12 anonymous) before their errors were read.
The last 100 are the `--seed 181` draw (commit 6bf01d5, excluding `speakers-train.jsonl`
with the seed-179 labels), labelled by two helpers and scored at 6bf01d5 (76/95 named, 1/2
anonymous) and at 7b52d66 (78/95, 1/2) before their errors were read.
The last 100 are the `--seed 191` draw (commit 7b52d66, excluding `speakers-train.jsonl`
with the seed-181 labels), labelled by two helpers and scored at 7b52d66 and at e5465c4
(78/94 named, 2/2 anonymous) before their errors were read.
The last 100 are the `--seed 197` draw (commit e5465c4, excluding `speakers-train.jsonl` with
the seed-191 labels), labelled by two helpers and scored at e5465c4 and at c580616 (70/82
named, 8/12 anonymous) before their errors were read.
The last 100 are the `--seed 211` draw (commit c580616, excluding `speakers-train.jsonl` with
the seed-197 labels), labelled by two helpers and scored at c580616 (66/84 named, 10/10
anonymous) and at f648a7c (67/84, 10/10) before their errors were read.
The last 100 are the `--seed 223` draw (commit e692f9b, excluding `speakers-train.jsonl` with
the seed-211 labels), labelled by two helpers and scored at e692f9b and at 2a7f17d (73/84
named, 7/9 anonymous) before their errors were read.
The last 100 are the `--seed 229` draw (commit 2a7f17d, excluding `speakers-train.jsonl` with
the seed-223 labels), labelled by two helpers and scored at 2a7f17d and at d026070 (73/87
named, 7/10 anonymous) before their errors were read.
The last 100 are the `--seed 233` draw (commit d026070, excluding `speakers-train.jsonl` with
the seed-229 labels), labelled by two helpers and scored at d026070, 2a7f17d and 99fd0f2 (73/83
named, 9/10 anonymous) before their errors were read.
The last 100 are the `--seed 239` draw (commit 99fd0f2, excluding `speakers-train.jsonl` with
the seed-233 labels), labelled by two helpers and scored at 99fd0f2 and d04ed96 (81/91
named, 4/4 anonymous) before their errors were read.
The last 100 are the `--seed 241` draw (commit d04ed96, excluding `speakers-train.jsonl` with
the seed-239 labels), labelled by two helpers and scored at d04ed96 and f5d3c2d (67/88
named, 8/8 anonymous) before their errors were read.
The last 100 are the `--seed 243` draw (commit f5d3c2d, excluding `speakers-train.jsonl` with
the seed-241 labels), labelled by two helpers and scored at f5d3c2d, fee6f29 and 8a4e010 (62/79
named, 13/17 anonymous) before their errors were read.
The last 100 are the `--seed 245` draw (commit 8a4e010, excluding `speakers-train.jsonl` with
the seed-243 labels), labelled by two helpers and scored at 8a4e010, a27dd80 and 5c829b6 (73/89
named, 3/4 anonymous) before their errors were read.
The last 100 are the `--seed 247` draw (commit 5c829b6, excluding `speakers-train.jsonl` with
the seed-245 labels), labelled by two helpers and scored at 5c829b6, 9dc0091 and 54c3db6 (71/86
named, 9/9 anonymous) before their errors were read.
The last 100 are the `--seed 249` draw (commit 54c3db6, excluding `speakers-train.jsonl` with
the seed-247 labels), labelled by two helpers and scored at 54c3db6 and d522ef9 (79/90
named, 5/6 anonymous) before their errors were read.
The last 100 are the `--seed 251` draw (commit 64e87bd, excluding `speakers-train.jsonl` with
the seed-249 labels), labelled by two helpers and scored at 64e87bd and ebb2d90 (70/83 named,
8/10 anonymous) before their errors were read.
The last 100 are the `--seed 253` draw (commit ebb2d90, `--per-corpus 48 --per-polnear 40`,
excluding `speakers-train.jsonl` and the seed-251 labels; PolNeAR train had only 24 unlabelled
articles left, which gave 4 statements), labelled by two helpers and scored at ebb2d90, c06e401
and 037ce66 (73/86 named, 8/9 anonymous) before their errors were read.
`tools/speakers-fresh-seed257.jsonl` is the `--seed 257` draw (commit 037ce66, `--per-corpus 50
--per-polnear 0`, excluding `speakers-train.jsonl` and the seed-253 labels: the seed-253 draw
took every statement PolNeAR train's unlabelled articles gave), labelled by two helpers and scored at
037ce66 (85/91 named, 5/6 anonymous) with its errors unread: a fresh sample, scored before and
after each stop's rules and read only when the next
sample is drawn, after which it joins `speakers-train.jsonl`. Later extractors propose other
quotes in a few articles, so a new draw differs in a few statements (labels are kept, not
redrawn).

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
SHARED_LABELS = Path("/work/shared/data/speakers/dev.jsonl")


def labelled_articles(paths: list[Path]) -> set[str]:
    """The article ids of labelled samples (only `article_id` is read)."""
    ids: set[str] = set()
    for path in paths:
        with path.open(encoding="utf-8") as lines:
            ids |= {json.loads(line)["article_id"] for line in lines if line.strip()}
    return ids


def draw(binary: Path, articles: list[dict], text_field: str, quota: int,
         per_article: int, rng: random.Random) -> None:
    """Prints up to `quota` statements of the (already shuffled) articles."""
    taken = 0
    # Extract in batches of drawn articles until the corpus's share is reached.
    for batch_start in range(0, len(articles), 50):
        if taken >= quota:
            break
        chunk = articles[batch_start : batch_start + 50]
        if text_field == "text":
            batch = [{"id": a["id"], "text": a["text"]} for a in chunk]
        else:
            batch = [{"id": a["id"], "title": a.get("title", ""), "body": a["body"]} for a in chunk]
        for article, out in zip(batch, run_extract(binary, batch, None)):
            quotes = [q for q in out.get("quotes", []) if q.get("kind") != "term"]
            rng.shuffle(quotes)
            for quote in sorted(quotes[:per_article], key=lambda q: q["start"]):
                if taken >= quota:
                    break
                text = article[text_field]
                record = {"article_id": article["id"], "start": quote["start"],
                          "end": quote["end"], "quote": text[quote["start"] : quote["end"]]}
                print(json.dumps(record, ensure_ascii=False))
                taken += 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default="/work/shared/data/corpus")
    parser.add_argument("--polnear", default="/work/shared/data/polnear/train.jsonl")
    parser.add_argument("--exclude", type=Path, nargs="+", action="extend", default=[],
                        help="labelled samples whose articles are skipped too (the shared "
                             "sample's always are)")
    parser.add_argument("--bin", default=str(default_binary()))
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--per-corpus", type=int, default=45, help="statements from BBC and from Reuters each")
    parser.add_argument("--per-polnear", type=int, default=0, help="statements from PolNeAR train")
    parser.add_argument("--per-article", type=int, default=2)
    args = parser.parse_args()

    excluded = labelled_articles([SHARED_LABELS, *args.exclude])
    rng = random.Random(args.seed)
    sources = [(Path(args.corpus) / name, "body", args.per_corpus) for name in CORPORA]
    if args.per_polnear > 0:
        sources.append((Path(args.polnear), "text", args.per_polnear))
    for path, text_field, quota in sources:
        with path.open(encoding="utf-8") as lines:
            articles = [json.loads(line) for line in lines if line.strip()]
        articles = [a for a in articles if a["id"] not in excluded]
        rng.shuffle(articles)
        draw(Path(args.bin), articles, text_field, quota, args.per_article, rng)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Evaluates Verbatim's default taxonomy against a labelled news corpus.

Runs `verbatim extract` on every article of an NDJSON corpus (fields `id`,
`title`, `body`, `topic`), takes each article's top-level topic -- the
highest-scoring top-level branch, i.e. the first one-segment path of the
`topics` list, which is sorted by score and where a parent's score includes
its children's -- and prints how often it agrees with the corpus category,
with the confusion matrix.

Category mapping (BBC News, Greene & Cunningham 2006):
  business      -> /business or /economy (BBC's business desk covers companies,
                   markets and the economy, like IPTC's single "economy, business
                   and finance" subject)
  entertainment -> /entertainment
  politics      -> /politics
  sport         -> /sport
  tech          -> /technology

The taxonomy is not trained on the corpus. `--split dev|test` evaluates half of
it (articles alternate by their position within each category), so that one
half can be looked at while changing the taxonomy and the other kept unseen.

Usage:
  cargo build --release
  python3 tools/eval_topics.py [--corpus PATH] [--binary PATH] [--split dev|test]
          [--errors N] [--reuters]

`--reuters` instead prints the distribution of top-level topics for each of the
most frequent Reuters-21578 topics (no agreement figure: Reuters' categories
are economic sub-topics), a sanity check that the taxonomy is not BBC-specific.
"""

import argparse
import collections
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_CORPUS = os.path.join(ROOT, "..", "shared", "data", "corpus", "bbc.ndjson")
DEFAULT_REUTERS = os.path.join(ROOT, "..", "shared", "data", "corpus", "reuters21578.ndjson")

BBC_MAPPING = {
    "business": {"/business", "/economy"},
    "entertainment": {"/entertainment"},
    "politics": {"/politics"},
    "sport": {"/sport"},
    "tech": {"/technology"},
}


def find_binary(explicit):
    if explicit:
        return explicit
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    for profile in ("release", "debug"):
        candidate = os.path.join(target, profile, "verbatim")
        if os.path.exists(candidate):
            return candidate
    sys.exit("no verbatim binary found: run `cargo build --release` or pass --binary")


def top_level(topics):
    """The highest-scoring top-level branch (topics come sorted by score)."""
    for topic in topics:
        path = topic["path"]
        if path.count("/") == 1 and not topic.get("supplied"):
            return path
    return "(none)"


def run_extract(binary, articles):
    lines = "".join(
        json.dumps({"id": a["id"], "title": a.get("title") or "", "body": a.get("body") or ""}) + "\n"
        for a in articles
    )
    result = subprocess.run(
        [binary, "extract"], input=lines, capture_output=True, text=True, cwd=ROOT, check=True
    )
    return {json.loads(line)["id"]: json.loads(line) for line in result.stdout.splitlines()}


def split_half(articles, which):
    """Alternate articles within each category: dev gets even positions."""
    seen = collections.Counter()
    chosen = []
    for article in articles:
        position = seen[article.get("topic")]
        seen[article.get("topic")] += 1
        if (position % 2 == 0) == (which == "dev"):
            chosen.append(article)
    return chosen


def evaluate_bbc(args, binary):
    articles = [json.loads(line) for line in open(args.corpus, encoding="utf-8")]
    if args.split:
        articles = split_half(articles, args.split)
    results = run_extract(binary, articles)
    confusion = collections.defaultdict(collections.Counter)
    agree = 0
    errors = []
    for article in articles:
        predicted = top_level(results[article["id"]]["topics"])
        category = article["topic"]
        confusion[category][predicted] += 1
        if predicted in BBC_MAPPING[category]:
            agree += 1
        else:
            errors.append((article["id"], category, predicted, article["title"]))
    total = len(articles)
    label = f" ({args.split} half)" if args.split else ""
    print(f"BBC top-level agreement{label}: {agree}/{total} = {100.0 * agree / total:.1f}%")
    columns = sorted({p for row in confusion.values() for p in row})
    width = max(len(c) for c in columns + ["category"]) + 1
    print("confusion (rows: BBC category, columns: top-level topic)")
    print("category".ljust(14) + "".join(c.rjust(width) for c in columns))
    for category in sorted(confusion):
        row = confusion[category]
        print(category.ljust(14) + "".join(str(row[c]).rjust(width) for c in columns))
    for category in sorted(confusion):
        row = confusion[category]
        right = sum(row[p] for p in BBC_MAPPING[category])
        print(f"  {category}: {right}/{sum(row.values())} = {100.0 * right / sum(row.values()):.1f}%")
    for error in errors[: args.errors]:
        print("  miss", *error)


def evaluate_reuters(args, binary):
    articles = [json.loads(line) for line in open(args.reuters_corpus, encoding="utf-8")]
    articles = [a for a in articles if a.get("topics")]
    frequent = collections.Counter(t for a in articles for t in a["topics"]).most_common(12)
    results = run_extract(binary, articles)
    print(f"Reuters-21578: top-level topic of articles by Reuters topic ({len(articles)} articles)")
    for topic, count in frequent:
        row = collections.Counter(
            top_level(results[a["id"]]["topics"]) for a in articles if topic in a["topics"]
        )
        shares = ", ".join(f"{p} {100.0 * n / count:.0f}%" for p, n in row.most_common(3))
        print(f"  {topic:10} {count:5}  {shares}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", default=DEFAULT_CORPUS)
    parser.add_argument("--reuters-corpus", default=DEFAULT_REUTERS)
    parser.add_argument("--binary")
    parser.add_argument("--split", choices=["dev", "test"])
    parser.add_argument("--errors", type=int, default=0, help="print this many disagreements")
    parser.add_argument("--reuters", action="store_true")
    args = parser.parse_args()
    binary = find_binary(args.binary)
    if args.reuters:
        evaluate_reuters(args, binary)
    else:
        evaluate_bbc(args, binary)


if __name__ == "__main__":
    main()

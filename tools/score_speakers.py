#!/usr/bin/env python3
"""Score the canonical speaker Verbatim gives each statement of a labelled sample.

Usage (Python 3.11, standard library only):

    python3 tools/score_speakers.py --part dev --errors 40   # the part rules are written on
    python3 tools/score_speakers.py --part held-out          # scored, never read
    python3 tools/score_speakers.py --part all
    python3 tools/score_speakers.py --part dev --through-index   # identities, as users see them
    python3 tools/score_speakers.py --labels tools/speakers-train.jsonl --part all --errors 40

The sample is `/work/shared/data/speakers/dev.jsonl` (`--labels`): statements from
BBC, Reuters-21578 and PolNeAR train articles, each labelled by reading the article
with its type (`person`, `org`, `government`, `anonymous`, `not-a-quote`, `unclear`),
the canonical name and other accepted forms. Articles come from `--corpus`
(`*.ndjson`, `id`/`title`/`body`) and `--polnear` (`train.jsonl`, `id`/`text`).

The split is by article (a sha1 of the article id): about a third of the articles
are `held-out`. `--errors` refuses to print held-out statements of the shared sample, so
rules are never fitted to them. Any other labels file (`tools/speakers-train.jsonl`: 3,810
statements of BBC, Reuters and PolNeAR train articles outside the shared sample, drawn
by `tools/sample_statements.py`) whose articles are not among them is training data as a
whole: its errors print for any part.

Scoring rule (the sample's README): a predicted quote (any kind but `term`) matches
a statement when it covers at least half of the statement's span; the one covering
most is used. For `person`/`org`/`government`, the speaker is right when it equals
the canonical name or an accepted form, ignoring case, punctuation and a legal
suffix. For `anonymous`, right when no speaker name is given (a statement no
prediction matches gives no name). `not-a-quote` and `unclear` are left out.
Misses of named sources are classed: `no speaker` (none given or no quote found),
`title left in` (the canonical name is the end of the prediction), `fragment`
(the prediction is part of the canonical name), `wrong`.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from score_quotes import REPO, default_binary, read_predictions, run_extract  # noqa: E402
from score_verify import Server  # noqa: E402

SHARED_LABELS = Path("/work/shared/data/speakers/dev.jsonl")
NAMED = {"person", "org", "government"}
LEGAL_SUFFIXES = {
    "inc", "incorporated", "corp", "corporation", "co", "company", "ltd", "limited", "plc",
    "llc", "lp", "ag", "sa", "nv", "bv", "spa", "gmbh", "se", "ab", "as", "asa", "oyj",
}


def shared_held_out_articles() -> set[str]:
    """The articles of the shared sample's held-out part, whose statements are never printed."""
    if not SHARED_LABELS.exists():
        return set()
    with SHARED_LABELS.open(encoding="utf-8") as lines:
        ids = {json.loads(line)["article_id"] for line in lines if line.strip()}
    return {i for i in ids if part_of(i) == "held-out"}


def part_of(article_id: str) -> str:
    digest = hashlib.sha1(article_id.encode("utf-8")).digest()
    return "held-out" if digest[0] % 3 == 0 else "dev"


def normalise(name: str) -> str:
    """Folds case, diacritics and punctuation; drops legal suffixes at the end."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = text.replace("'s ", "s ").replace("’s ", "s ")
    # Ignoring punctuation, an abbreviation's full stops go, not its letters'
    # unity: `U.S.` is `US` (and `H. Lee Scott` still `H Lee Scott`).
    text = re.sub(r"\b([^\W\d_])\.", r"\1", text)
    words = re.findall(r"[^\W_]+", text)
    while len(words) > 1 and words[-1] in LEGAL_SUFFIXES:
        words.pop()
    if words and words[0] == "the" and len(words) > 1:
        words.pop(0)
    return " ".join(words)


def load_articles(corpus: Path, polnear: Path, wanted: set[str]) -> dict[str, dict]:
    articles: dict[str, dict] = {}
    for path in sorted(corpus.glob("*.ndjson")) + [polnear]:
        with path.open(encoding="utf-8") as lines:
            for line in lines:
                record = json.loads(line)
                if record["id"] not in wanted:
                    continue
                if "text" in record:
                    articles[record["id"]] = {"id": record["id"], "text": record["text"]}
                else:
                    articles[record["id"]] = {
                        "id": record["id"],
                        "title": record.get("title", ""),
                        "body": record["body"],
                    }
    return articles


def best_quote(quotes: list[dict], start: int, end: int) -> dict | None:
    best, best_overlap = None, 0
    for quote in quotes:
        if quote.get("kind") == "term":
            continue
        overlap = min(end, quote["end"]) - max(start, quote["start"])
        if overlap > best_overlap:
            best, best_overlap = quote, overlap
    if best is not None and best_overlap * 2 >= end - start:
        return best
    return None


def classify(label: dict, quote: dict | None) -> str:
    speaker = quote.get("speaker") if quote else None
    if label["type"] == "anonymous":
        return "right" if not speaker else "named"
    if not speaker:
        return "no speaker" if quote else "no quote"
    forms = {normalise(f) for f in [label["canonical"], *label.get("accept", [])] if f}
    predicted = normalise(speaker)
    if predicted in forms:
        return "right"
    canonical = normalise(label["canonical"] or "")
    if canonical and predicted.endswith(" " + canonical):
        return "title left in"
    if predicted and canonical and f" {predicted} " in f" {canonical} ":
        return "fragment"
    return "wrong"


def quotes_through_index(binary: Path, corpus: Path, labelled: list[dict], ids: set[str]) -> dict[str, list]:
    """The quotes of the labelled articles as a user of the server sees their speakers: every
    corpus article and the labelled PolNeAR articles imported into one scratch index (so the
    corpus speaker registry sees the whole corpus), each quote's speaker replaced by the
    identity `/v1/speakers` lists it under (its name or one of its aliases)."""
    scratch = Path(tempfile.mkdtemp(prefix="speakers-eval-"))
    try:
        source = scratch / "articles.ndjson"
        with source.open("w", encoding="utf-8") as out:
            for path in sorted(corpus.glob("*.ndjson")):
                out.write(path.read_text(encoding="utf-8").rstrip("\n") + "\n")
            for article in labelled:
                if "text" in article:
                    # Article ids may not hold `/`: PolNeAR's are stored with `__`.
                    stored = article["id"].replace("/", "__")
                    record = {"id": stored, "title": stored, "body": article["text"]}
                    out.write(json.dumps(record, ensure_ascii=False) + "\n")
        index = scratch / "index"
        subprocess.run([str(binary), "import", str(source), "--index-dir", str(index)],
                       cwd=REPO, check=True, stdout=subprocess.DEVNULL)
        server = Server(binary, index)
        try:
            catalog = json.loads(server.get("/v1/speakers?limit=10000"))["values"]
            identity = {}
            for entry in catalog:
                for name in [entry["value"], *entry.get("aliases", [])]:
                    identity.setdefault(name, entry["value"])
            quotes_of: dict[str, list] = {i: [] for i in ids}
            export = server.get("/v1/quotes/export?format=ndjson").decode("utf-8")
            for line in export.splitlines():
                if not line.strip():
                    continue
                quote = json.loads(line)
                article = quote["article"]["id"].replace("__", "/")
                if article in quotes_of:
                    if quote.get("speaker"):
                        quote["speaker"] = identity.get(quote["speaker"], quote["speaker"])
                    quotes_of[article].append(quote)
            return quotes_of
        finally:
            server.stop()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def context(text: str, start: int, end: int, pad: int = 70) -> str:
    return (text[max(0, start - pad) : start] + "[[" + text[start:end] + "]]" + text[end : end + pad]).replace("\n", "¶")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--labels", default=str(SHARED_LABELS))
    parser.add_argument("--corpus", default="/work/shared/data/corpus")
    parser.add_argument("--polnear", default="/work/shared/data/polnear/train.jsonl")
    parser.add_argument("--part", default="dev", choices=["dev", "held-out", "all"])
    parser.add_argument("--bin", default=str(default_binary()))
    parser.add_argument("--predictions", help="`verbatim extract` NDJSON, one line per article in id order")
    parser.add_argument("--save", type=Path)
    parser.add_argument("--errors", type=int, default=0)
    parser.add_argument("--through-index", action="store_true",
                        help="score the identity a user sees: import the whole corpus (and the "
                             "labelled PolNeAR articles) into a scratch index and map each quote's "
                             "speaker to its corpus identity through /v1/speakers")
    args = parser.parse_args()
    with open(args.labels, encoding="utf-8") as lines:
        labels = [json.loads(line) for line in lines if line.strip()]
    labels = [l for l in labels if args.part == "all" or part_of(l["article_id"]) == args.part]
    # Whatever the labels file, statements of the shared sample's held-out articles never print.
    if args.errors and args.part != "dev" and shared_held_out_articles() & {l["article_id"] for l in labels}:
        raise SystemExit("--errors prints only the dev part: the held-out part is never read")
    ids = sorted({l["article_id"] for l in labels})
    articles = load_articles(Path(args.corpus), Path(args.polnear), set(ids))
    missing = [i for i in ids if i not in articles]
    if missing:
        raise SystemExit(f"articles not found: {missing[:5]}")
    inputs = [articles[i] for i in ids]
    if args.through_index:
        quotes_of = quotes_through_index(Path(args.bin), Path(args.corpus), inputs, set(ids))
    else:
        outputs = read_predictions(Path(args.predictions)) if args.predictions else run_extract(Path(args.bin), inputs, args.save)
        quotes_of = {i: out.get("quotes", []) for i, out in zip(ids, outputs)}

    outcomes: dict[str, dict[str, int]] = {"named": {}, "anonymous": {}}
    errors = []
    for label in labels:
        if label["type"] not in NAMED and label["type"] != "anonymous":
            continue
        quote = best_quote(quotes_of[label["article_id"]], label["start"], label["end"])
        outcome = classify(label, quote)
        group = "named" if label["type"] in NAMED else "anonymous"
        outcomes[group][outcome] = outcomes[group].get(outcome, 0) + 1
        if outcome != "right":
            errors.append((outcome, label, quote))

    print(f"speakers {args.part}: {len(labels)} statements from {len(ids)} articles")
    for group, counts in outcomes.items():
        total = sum(counts.values())
        right = counts.get("right", 0)
        detail = ", ".join(f"{k} {v}" for k, v in sorted(counts.items(), key=lambda kv: -kv[1]) if k != "right")
        share = 100 * right / total if total else 0.0
        print(f"  {group:9s} {right:3d}/{total:3d} right = {share:5.1f}%   misses: {detail or 'none'}")
    for outcome, label, quote in errors[: args.errors]:
        article = articles[label["article_id"]]
        text = article.get("body") or article.get("text")
        predicted = (quote or {}).get("speaker")
        mention = ((quote or {}).get("speaker_mention") or {}).get("text")
        print(f"\n  [{outcome}] {label['article_id']} ({label['type']}) gold {label['canonical']!r} accept {label.get('accept')}")
        print(f"    predicted {predicted!r} (mention {mention!r}, kind {(quote or {}).get('speaker_kind')!r}, role {(quote or {}).get('role')!r})")
        print(f"    {context(text, label['start'], label['end'])[:420]}")
        if label.get("note"):
            print(f"    note: {label['note']}")


if __name__ == "__main__":
    main()

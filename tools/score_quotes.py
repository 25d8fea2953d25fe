#!/usr/bin/env python3
"""Score Verbatim's quote extractor against hand-annotated gold.

Usage (Python 3.11, standard library only):

    # the seed article (gold copied under tests/fixtures/extraction/)
    python3 tools/score_quotes.py seed
    # PolNeAR, dev split (tune on train, report on dev)
    python3 tools/score_quotes.py polnear --split dev
    python3 tools/score_quotes.py polnear --split train --errors 20

Options common to both:
    --bin PATH          the `verbatim` binary to run (default: $CARGO_TARGET_DIR or
                        target/, release build)
    --predictions FILE  read `verbatim extract` NDJSON output instead of running it
                        (one line per input, in input order)
    --save FILE         keep the NDJSON the binary printed
    --errors N          print up to N misses and false positives to look at

`seed` reads `--text` and `--gold` (default: tests/fixtures/blinken-beijing.txt
and tests/fixtures/extraction/blinken-beijing.gold.json). `polnear` reads `--data DIR/{split}.jsonl` (default
/work/shared/data/polnear). Neither writes anything unless asked.

Conventions
-----------
Seed (from /work/shared/seed/README.md): a predicted quote matches a gold quote when
their spans overlap by at least half of the gold span (one to one, largest overlap
first). Attribution is correct when the predicted speaker equals, ignoring case, one
of the gold speaker's `accept` forms (a gold speaker of null needs a null prediction).
The gold annotates quotation marks only, so predicted `indirect` (reported speech
without marks) and `term` quotes are left out of the predictions. A predicted quote
that matches a gold `scare` quote is a false positive when it carries a speaker and
is ignored otherwise; the gold quote whose opening mark is missing (optional) is
neither counted in recall nor, when found, in precision.

PolNeAR (from /work/shared/data/README.md, as the SFU Gender Gap Tracker scores):
a predicted quote matches a gold attribution, one to one, greedily (most shared
characters first), when the characters they share exceed 30% of the gold span;
shared characters are counted over pieces (gold `spans`, predicted `pieces` or
start/end). The speaker is right when the predicted `speaker_mention` span overlaps a
gold speaker span. Two subsets of the gold are scored:

  * direct:     gold `kind == "direct"`; predictions are `direct` and `partial` quotes;
  * direct_only: the same gold; predictions are `direct` quotes only (PolNeAR
                annotates most quoted fragments as part of a longer, indirect
                attribution, so `partial` predictions mostly match no direct gold);
  * speech_cue: gold `speech_cue == true`; predictions are `direct`, `indirect`, and
                `partial` quotes not lying inside a predicted `indirect` one (an
                indirect statement with a quoted fragment is one attribution).

Predictions are matched to the subset's gold first, then to the rest of the gold: a
prediction matching a gold attribution outside the subset (a belief, a non-speech
cue) is neither right nor wrong. "strict" precision counts every other unmatched
prediction as a false positive; "lenient" precision also ignores an unmatched
prediction whose span lies at least half inside the content of a gold attribution
that no prediction matched (a quoted fragment inside a longer annotated
attribution; a second piece of an already matched quote still counts as false). Speaker accuracy is over matched
pairs; "span+speaker" P/R/F1 count a match only when the speaker is right too.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
QUOTE_KINDS = {"direct", "partial"}


def default_binary() -> Path:
    target = Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
    return target / "release" / "verbatim"


def run_extract(binary: Path, inputs: list[dict], save: Path | None) -> list[dict]:
    payload = "".join(json.dumps(item, ensure_ascii=False) + "\n" for item in inputs)
    result = subprocess.run(
        [str(binary), "extract"],
        input=payload.encode("utf-8"),
        capture_output=True,
        check=False,
    )
    if result.returncode != 0:
        sys.stderr.write(result.stderr.decode("utf-8", "replace"))
        raise SystemExit(f"{binary} extract failed with status {result.returncode}")
    text = result.stdout.decode("utf-8")
    if save:
        save.write_text(text, encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def read_predictions(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def pieces_of(quote: dict) -> list[tuple[int, int]]:
    pieces = quote.get("pieces") or quote.get("spans") or []
    if pieces:
        return [(int(a), int(b)) for a, b in pieces]
    return [(int(quote["start"]), int(quote["end"]))]


def shared_chars(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> int:
    return sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in a for s2, e2 in b)


def length(pieces: list[tuple[int, int]]) -> int:
    return sum(max(0, e - s) for s, e in pieces)


def greedy_match(pairs: list[tuple[int, int, int]]) -> dict[int, int]:
    """pairs: (shared, pred_index, gold_index) that pass the threshold. Returns pred -> gold."""
    matched_pred: dict[int, int] = {}
    used_gold: set[int] = set()
    for _, p, g in sorted(pairs, key=lambda x: (-x[0], x[1], x[2])):
        if p in matched_pred or g in used_gold:
            continue
        matched_pred[p] = g
        used_gold.add(g)
    return matched_pred


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def fmt(p: float, r: float, f: float) -> str:
    return f"P {100 * p:5.1f}  R {100 * r:5.1f}  F1 {100 * f:5.1f}"


# ----------------------------------------------------------------------------- seed


def score_seed(args: argparse.Namespace) -> None:
    text = Path(args.text).read_text(encoding="utf-8")
    gold = json.loads(Path(args.gold).read_text(encoding="utf-8"))
    if args.predictions:
        output = read_predictions(Path(args.predictions))
    else:
        output = run_extract(Path(args.bin), [{"id": gold.get("id", "seed"), "text": text}], args.save)
    predicted = [q for q in output[0]["quotes"] if q["kind"] in QUOTE_KINDS]
    accept: dict[str, set[str]] = {}
    for name, info in gold.get("speakers", {}).items():
        accept[name] = {form.lower() for form in info.get("accept", [])} | {name.lower()}
    gold_quotes = gold["quotes"]

    pairs = []
    for p, pq in enumerate(predicted):
        for g, gq in enumerate(gold_quotes):
            gs = (gq["start"], gq["end"])
            shared = shared_chars([(pq["start"], pq["end"])], [gs])
            if shared * 2 >= gs[1] - gs[0] and shared > 0:
                pairs.append((shared, p, g))
    match = greedy_match(pairs)

    def optional(gq: dict) -> bool:
        return "optional" in gq.get("note", "").lower()

    def speaker_right(pq: dict, gq: dict) -> bool:
        want = gq.get("speaker")
        got = pq.get("speaker")
        if want is None:
            return got is None
        forms = accept.get(want, {want.lower()})
        return got is not None and got.lower() in forms

    tp = tp_speaker = fp = 0
    misses, false_positives, wrong_speaker = [], [], []
    for p, pq in enumerate(predicted):
        g = match.get(p)
        if g is None:
            fp += 1
            false_positives.append(pq)
            continue
        gq = gold_quotes[g]
        if gq["kind"] == "scare":
            if pq.get("speaker"):
                fp += 1
                false_positives.append(pq)
            continue
        if optional(gq):
            continue
        tp += 1
        if speaker_right(pq, gq):
            tp_speaker += 1
        else:
            wrong_speaker.append((pq, gq))
    matched_gold = set(match.values())
    countable = [g for g, gq in enumerate(gold_quotes) if gq["kind"] != "scare" and not optional(gq)]
    fn = sum(1 for g in countable if g not in matched_gold)
    misses = [gold_quotes[g] for g in countable if g not in matched_gold]

    print(f"seed: {len(countable)} gold quotes (scare and optional excluded), {len(predicted)} predicted quote-marked quotes")
    print(f"  span          {fmt(*prf(tp, fp, fn))}   (tp {tp}, fp {fp}, fn {fn})")
    print(f"  span+speaker  {fmt(*prf(tp_speaker, fp + tp - tp_speaker, fn + tp - tp_speaker))}   (right speaker {tp_speaker}/{tp})")
    if args.errors:
        for gq in misses[: args.errors]:
            print(f"  MISS   {gq['start']}-{gq['end']} {gq['quote'][:70]!r} ({gq['speaker']})")
        for pq in false_positives[: args.errors]:
            print(f"  FP     {pq['start']}-{pq['end']} {pq['quote'][:70]!r} ({pq.get('speaker')}, {pq['kind']})")
        for pq, gq in wrong_speaker[: args.errors]:
            print(f"  WRONG  {pq['start']}-{pq['end']} {pq['quote'][:50]!r}: {pq.get('speaker')!r}, gold {gq['speaker']!r}")


# -------------------------------------------------------------------------- polnear


class Tally:
    def __init__(self) -> None:
        self.gold = 0
        self.tp = 0
        self.tp_speaker = 0
        self.fp_strict = 0
        self.fp_lenient = 0

    def add(self, other: "Tally") -> None:
        for key in vars(self):
            setattr(self, key, getattr(self, key) + getattr(other, key))

    def report(self, name: str) -> None:
        fn = self.gold - self.tp
        strict = prf(self.tp, self.fp_strict, fn)
        lenient = prf(self.tp, self.fp_lenient, fn)
        accuracy = self.tp_speaker / self.tp if self.tp else 0.0
        both = prf(self.tp_speaker, self.fp_strict + self.tp - self.tp_speaker, self.gold - self.tp_speaker)
        print(f"  {name:<11} gold {self.gold:5d}  matched {self.tp:5d}")
        print(f"    span strict   {fmt(*strict)}")
        print(f"    span lenient  {fmt(*lenient)}")
        print(f"    speaker accuracy {100 * accuracy:5.1f}%   span+speaker strict {fmt(*both)}")


def polnear_subset_predictions(quotes: list[dict], subset: str) -> list[dict]:
    if subset == "direct":
        return [q for q in quotes if q["kind"] in QUOTE_KINDS]
    if subset == "direct_only":
        return [q for q in quotes if q["kind"] == "direct"]
    indirect = [(q["start"], q["end"]) for q in quotes if q["kind"] == "indirect"]
    chosen = []
    for q in quotes:
        if q["kind"] in ("direct", "indirect"):
            chosen.append(q)
        elif q["kind"] == "partial":
            if not any(s <= q["start"] and q["end"] <= e for s, e in indirect):
                chosen.append(q)
    return chosen


def in_subset(gq: dict, subset: str) -> bool:
    if subset in ("direct", "direct_only"):
        return gq["kind"] == "direct"
    return bool(gq.get("speech_cue"))


def score_article(article: dict, quotes: list[dict], subset: str, errors: list, outcomes: list | None = None) -> Tally:
    tally = Tally()
    predicted = polnear_subset_predictions(quotes, subset)
    gold = article["quotes"]
    gold_pieces = [pieces_of(g) for g in gold]
    pred_pieces = [pieces_of(p) for p in predicted]
    inside_pairs, outside_pairs = [], []
    for p, pp in enumerate(pred_pieces):
        for g, gp in enumerate(gold_pieces):
            shared = shared_chars(pp, gp)
            if shared > 0.3 * length(gp):
                (inside_pairs if in_subset(gold[g], subset) else outside_pairs).append((shared, p, g))
    match = greedy_match(inside_pairs)
    used = set(match.values())
    rest = greedy_match([x for x in outside_pairs if x[1] not in match and x[2] not in used])
    matched_gold = used | set(rest.values())
    unmatched_gold_pieces = [piece for g, gp in enumerate(gold_pieces) if g not in matched_gold for piece in gp]
    tally.gold = sum(1 for g in gold if in_subset(g, subset))
    for p, pq in enumerate(predicted):
        if p in match:
            gq = gold[match[p]]
            tally.tp += 1
            mention = pq.get("speaker_mention")
            right = bool(
                mention
                and any(mention["start"] < e and s < mention["end"] for s, e in gq.get("speaker_spans") or [])
            )
            if right:
                tally.tp_speaker += 1
            else:
                errors.append(("speaker", article, pq, gq))
            if outcomes is not None:
                outcomes.append((pq.get("confidence"), pq["kind"], right))
        elif p in rest:
            continue
        else:
            tally.fp_strict += 1
            if outcomes is not None:
                outcomes.append((pq.get("confidence"), pq["kind"], False))
            inside = shared_chars(pred_pieces[p], unmatched_gold_pieces)
            if inside * 2 < length(pred_pieces[p]):
                tally.fp_lenient += 1
                errors.append(("fp", article, pq, None))
    for g, gq in enumerate(gold):
        if in_subset(gq, subset) and g not in used:
            errors.append(("miss", article, None, gq))
    return tally


def context(text: str, start: int, end: int, pad: int = 60) -> str:
    return (text[max(0, start - pad) : start] + "[[" + text[start:end] + "]]" + text[end : end + pad]).replace("\n", "¶")


def score_polnear(args: argparse.Namespace) -> None:
    path = Path(args.data) / f"{args.split}.jsonl"
    with path.open(encoding="utf-8") as lines:
        articles = [json.loads(line) for line in lines if line.strip()]
    if args.limit:
        articles = articles[: args.limit]
    if args.predictions:
        outputs = read_predictions(Path(args.predictions))
    else:
        outputs = run_extract(Path(args.bin), [{"id": a["id"], "text": a["text"]} for a in articles], args.save)
    if len(outputs) != len(articles):
        raise SystemExit(f"{len(outputs)} outputs for {len(articles)} articles")
    print(f"polnear {args.split}: {len(articles)} articles")
    for subset in ("direct", "direct_only", "speech_cue"):
        total = Tally()
        errors: list = []
        outcomes: list = []
        for article, output in zip(articles, outputs):
            total.add(score_article(article, output.get("quotes", []), subset, errors, outcomes))
        total.report(subset)
        if args.errors:
            print_errors(errors, args.errors)
        if args.calibration and subset == "speech_cue":
            print_calibration(outcomes)


def print_calibration(outcomes: list) -> None:
    """Per confidence value: how many quotes (direct, partial and indirect) were
    predicted and what share had the right span and speaker (strict)."""
    print("  calibration (speech_cue predictions): confidence -> quotes, right span+speaker")
    by_value: dict = {}
    for confidence, kind, right in outcomes:
        key = round(confidence, 2) if isinstance(confidence, (int, float)) else None
        n, ok, kinds = by_value.get(key, (0, 0, {}))
        kinds[kind] = kinds.get(kind, 0) + 1
        by_value[key] = (n + 1, ok + int(right), kinds)
    for key in sorted(by_value, key=lambda k: -1 if k is None else k, reverse=True):
        n, ok, kinds = by_value[key]
        detail = ", ".join(f"{k} {v}" for k, v in sorted(kinds.items()))
        print(f"    {key!s:>5}  {n:5d}  {100 * ok / n:5.1f}%   ({detail})")
    for threshold in (0.5, 0.7, 0.8, 0.9):
        kept = [right for confidence, _, right in outcomes if (confidence or 0) >= threshold]
        if kept:
            print(f"    min_confidence {threshold}: {len(kept)} quotes, {100 * sum(kept) / len(kept):.1f}% right")


def print_errors(errors: list, limit: int) -> None:
    for kind in ("miss", "fp", "speaker"):
        chosen = [e for e in errors if e[0] == kind][:limit]
        for _, article, pq, gq in chosen:
            text = article["text"]
            if kind == "miss":
                spk = gq.get("speaker_spans") or []
                print(f"    MISS {article['id']}: {context(text, gq['start'], gq['end'])[:400]}  (speaker {gq.get('speaker')!r}, cue {gq.get('cue')!r})")
            elif kind == "fp":
                print(f"    FP   {article['id']}: {context(text, pq['start'], pq['end'])[:400]}  ({pq['kind']}, {pq.get('speaker')!r})")
            else:
                mention = (pq.get("speaker_mention") or {}).get("text")
                print(f"    SPKR {article['id']}: {context(text, pq['start'], pq['end'], 40)[:300]}  predicted {mention!r}, gold {gq.get('speaker')!r}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="dataset", required=True)
    for name in ("seed", "polnear"):
        p = sub.add_parser(name)
        p.add_argument("--bin", default=str(default_binary()))
        p.add_argument("--predictions")
        p.add_argument("--save", type=Path)
        p.add_argument("--errors", type=int, default=0)
    fixtures = REPO / "tests" / "fixtures" / "extraction"
    seed = sub.choices["seed"]
    seed.add_argument("--text", default=str(REPO / "tests" / "fixtures" / "blinken-beijing.txt"))
    seed.add_argument("--gold", default=str(fixtures / "blinken-beijing.gold.json"))
    polnear = sub.choices["polnear"]
    polnear.add_argument("--data", default="/work/shared/data/polnear")
    polnear.add_argument("--split", default="dev", choices=["dev", "train"])
    polnear.add_argument("--limit", type=int, default=0)
    polnear.add_argument("--calibration", action="store_true", help="precision per confidence value")
    args = parser.parse_args()
    if args.dataset == "seed":
        score_seed(args)
    else:
        score_polnear(args)


if __name__ == "__main__":
    main()

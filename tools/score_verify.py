#!/usr/bin/env python3
"""Score quote verification (`POST /v1/quotes/verify`) on misquotes built from real quotes.

Usage (Python 3.11, standard library only; run from the repository root):

    cargo build --release
    python3 tools/score_verify.py                 # both halves, the table per kind
    python3 tools/score_verify.py --latency 300   # and verify vs. plain search latency
    python3 tools/score_verify.py --latency 300 --latency-index bench-out/scale/index
                                                  # the same claims on a larger index
    python3 tools/score_verify.py --errors 10     # and print wrong answers to look at

What it does:

1. Imports a fixed sample of BBC and Reuters-21578 articles (`--bbc`, `--reuters`; chosen
   with the fixed seed 15) from `--corpus` into a temporary index with `verbatim import`,
   starts `verbatim serve` on a free loopback port and reads every quote back through
   `GET /v1/quotes/export`.
2. Splits the articles into two halves (by a hash of the id). Each half gets its own set,
   drawn with its own seed: half A with seed A (`--seed-a`, 1501), half B with seed B
   (`--seed-b`, 1502). Thresholds (`CLOSE_SCORE`, `SPEAKER_MARGIN` in
   src/search/verify/mod.rs) were tuned looking at half A only; half B is only scored.
3. For each half, up to `--per-kind` claims of each kind, from direct quotes with a speaker
   and 6 to 60 words, claimed with their own speaker unless said otherwise:

   perturbed (the quote is attested; "right statement first" = the top match has the
   original's words):
     dropped      1 to 3 words dropped, none at either end       -> close
     swapped      1 to 3 pairs of neighbouring words swapped      -> close
     synonym      1 to 3 words replaced by a synonym (table below) -> close
     tense        tense changed (is -> was, will -> would, -ed)   -> close
     person       person changed (we -> they, our -> their)       -> close
     truncated    cut after a clause (at , ; or a conjunction),
                  at least 4 words kept: a verbatim excerpt       -> exact
     misattributed  the exact words, claimed for another speaker
                  of the same article (another identity)          -> attributed_to_other
   never said (no `exact` or `close` verdict is right):
     narration    a sentence of the article's own narration: no quotation marks, not
                  overlapping any extracted quote (of any kind), 8 to 40 words, claimed
                  for a speaker of the article                      -> not_found
     cross_corpus a quote of one corpus claimed for a speaker of the other
                                                                    -> attributed_to_other

   A truncated quote is still the speaker's words as written, so its right verdict is
   `exact` (the match says `"wording": "excerpt"`); a tool that wants truncations flagged
   reads `wording`.
4. Prints per kind: claims, right statement first, right verdict, and for never-said
   kinds the share without an `exact`/`close` verdict.

`--latency N` then sends N claims of half B twice each, interleaved with a plain
`GET /v1/quotes?q=` search of the same words, and prints p50 and p95 of both (client-side
wall time over loopback, one request at a time) and their ratio.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

PERTURBED = ["dropped", "swapped", "synonym", "tense", "person", "truncated", "misattributed"]
NEVER_SAID = ["narration", "cross_corpus"]
EXPECTED = {
    "dropped": "close",
    "swapped": "close",
    "synonym": "close",
    "tense": "close",
    "person": "close",
    "truncated": "exact",
    "misattributed": "attributed_to_other",
    "narration": "not_found",
    "cross_corpus": "attributed_to_other",
}

SYNONYMS = {
    "big": "large", "large": "big", "small": "little", "increase": "rise", "rise": "increase",
    "fall": "drop", "drop": "fall", "cut": "reduce", "reduce": "cut", "buy": "purchase",
    "help": "assist", "start": "begin", "begin": "start", "end": "finish", "important": "significant",
    "significant": "important", "very": "extremely", "good": "fine", "bad": "poor", "hard": "difficult",
    "difficult": "hard", "quick": "fast", "fast": "quick", "believe": "think", "think": "believe",
    "want": "wish", "need": "require", "get": "obtain", "show": "demonstrate", "shows": "demonstrates",
    "expect": "anticipate", "expected": "anticipated", "company": "firm", "firm": "company",
    "people": "persons", "country": "nation", "nation": "country", "government": "administration",
    "strong": "robust", "weak": "feeble", "high": "elevated", "low": "reduced", "make": "create",
    "made": "created", "said": "stated", "says": "states", "told": "informed", "clear": "obvious",
    "problem": "issue", "problems": "issues", "issue": "matter", "market": "marketplace",
    "price": "cost", "prices": "costs", "plan": "scheme", "plans": "schemes", "year": "twelvemonth",
    "years": "twelvemonths", "great": "tremendous", "new": "fresh", "major": "key", "key": "major",
    "likely": "probable", "possible": "feasible", "many": "numerous", "several": "various",
    "real": "genuine", "whole": "entire", "entire": "whole", "try": "attempt", "tried": "attempted",
    "allow": "permit", "enough": "sufficient", "around": "approximately", "about": "roughly",
    "support": "back", "agreement": "accord", "talks": "negotiations", "deal": "agreement",
    "trade": "commerce", "profit": "earnings", "profits": "earnings", "sales": "revenues",
    "growth": "expansion", "economy": "economic system", "win": "triumph", "game": "match",
    "team": "side", "players": "athletes", "best": "finest", "happy": "pleased", "sure": "certain",
    "continue": "carry on", "decision": "ruling",
}
TENSE = {
    "is": "was", "was": "is", "are": "were", "were": "are", "will": "would", "would": "will",
    "has": "had", "have": "had", "had": "has", "can": "could", "could": "can", "do": "did",
    "does": "did", "did": "does", "shall": "should", "am": "was", "may": "might",
}
PERSON = {
    "we": "they", "they": "we", "our": "their", "their": "our", "us": "them", "them": "us",
    "i": "he", "he": "i", "my": "his", "his": "my", "me": "him", "him": "me",
    "you": "they", "your": "their", "ourselves": "themselves",
}
CONJUNCTIONS = {"and", "but", "because", "although", "while", "which", "so", "when", "if"}
QUOTE_MARKS = "\"“”«»„‟"


# --- text ------------------------------------------------------------------------------

def normalized(text: str) -> str:
    """The words as the server's `Words::normalized` sees them (near enough)."""
    text = unicodedata.normalize("NFKC", text).replace("’", "'").replace("ʼ", "'")
    text = "".join(c for c in unicodedata.normalize("NFD", text.lower())
                   if not unicodedata.combining(c))
    return " ".join(re.findall(r"[^\W_]+(?:(?:'|(?<=\d)[.,](?=\d))[^\W_]+)*", text))


def tokens(text: str) -> list[str]:
    return text.split()


def bare(word: str) -> str:
    return re.sub(r"[^\w']", "", word.lower())


def keep_case(original: str, replacement: str) -> str:
    """`replacement` with `original`'s capital and surrounding punctuation."""
    core = re.sub(r"^\W+|\W+$", "", original)
    if core and core[0].isupper():
        replacement = replacement[0].upper() + replacement[1:]
    return original.replace(core, replacement, 1) if core else replacement


def replace_words(words: list[str], table: dict, rng: random.Random, most: int) -> list[str] | None:
    spots = [i for i, w in enumerate(words) if bare(w) in table]
    if not spots:
        return None
    chosen = rng.sample(spots, min(len(spots), rng.randint(1, most)))
    out = list(words)
    for i in chosen:
        out[i] = keep_case(words[i], table[bare(words[i])])
    return out


def perturb(kind: str, text: str, rng: random.Random) -> str | None:
    words = tokens(text)
    n = len(words)
    if kind == "dropped":
        k = min(rng.randint(1, 3), n - 5)
        if k < 1:
            return None
        drop = set(rng.sample(range(1, n - 1), k))
        return " ".join(w for i, w in enumerate(words) if i not in drop)
    if kind == "swapped":
        out = list(words)
        for _ in range(rng.randint(1, 3)):
            i = rng.randrange(0, n - 1)
            out[i], out[i + 1] = out[i + 1], out[i]
        return " ".join(out) if out != words else None
    if kind == "synonym":
        out = replace_words(words, SYNONYMS, rng, 3)
        return " ".join(out) if out else None
    if kind == "tense":
        out = replace_words(words, TENSE, rng, 2)
        if out is None:
            regular = [i for i, w in enumerate(words) if re.fullmatch(r"[a-z]{3,}ed[,.]?", w)]
            if not regular:
                return None
            out = list(words)
            i = rng.choice(regular)
            out[i] = re.sub(r"ed([,.]?)$", r"s\1", out[i])
        return " ".join(out)
    if kind == "person":
        out = replace_words(words, PERSON, rng, 2)
        return " ".join(out) if out else None
    if kind == "truncated":
        cuts = [i + 1 for i, w in enumerate(words[:-2])
                if i + 1 >= 4 and (w.endswith((",", ";", ":")) or bare(words[i + 1]) in CONJUNCTIONS)]
        if not cuts:
            return None
        return " ".join(words[:rng.choice(cuts)]).rstrip(",;:")
    raise ValueError(kind)


def sentences(body: str):
    """(start, end, text) of each sentence of `body`, in code points."""
    for paragraph in re.finditer(r"[^\n]+", body):
        start = paragraph.start()
        for piece in re.finditer(r"[^.!?]+[.!?]+(?=\s|$)", paragraph.group()):
            text = piece.group().strip()
            offset = start + piece.start() + (len(piece.group()) - len(piece.group().lstrip()))
            yield offset, offset + len(text), text


def same_speaker(a: str, b: str) -> bool:
    wa, wb = set(normalized(a).split()), set(normalized(b).split())
    return bool(wa & wb)


# --- server ----------------------------------------------------------------------------

def default_binary() -> Path:
    target = Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
    return target / "release" / "verbatim"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, binary: Path, index: Path):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [str(binary), "serve", "--index-dir", str(index), "--listen", f"127.0.0.1:{self.port}"],
            cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(600):
            try:
                self.get("/health")
                return
            except OSError:
                time.sleep(0.1)
        raise SystemExit("the server did not start")

    def get(self, path: str):
        with urllib.request.urlopen(self.base + path, timeout=120) as answer:
            return answer.read()

    def post(self, path: str, body: dict) -> tuple[int, dict]:
        request = urllib.request.Request(self.base + path, data=json.dumps(body).encode(),
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=120) as answer:
                return answer.status, json.loads(answer.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)


# --- the set ---------------------------------------------------------------------------

def sample_articles(corpus: Path, bbc: int, reuters: int) -> list[dict]:
    rng = random.Random(15)
    chosen = []
    for name, count in (("bbc.ndjson", bbc), ("reuters21578.ndjson", reuters)):
        lines = (corpus / name).read_text(encoding="utf-8").splitlines()
        articles = [json.loads(line) for line in lines if line.strip()]
        articles = [a for a in articles if a.get("body")]
        chosen += rng.sample(articles, min(count, len(articles)))
    return chosen


def half_of(article_id: str) -> str:
    return "A" if hashlib.sha1(article_id.encode()).digest()[0] % 2 == 0 else "B"


def corpus_of(article_id: str) -> str:
    return "bbc" if article_id.startswith("bbc") else "reuters"


def build_claims(half: str, seed: int, articles: dict, quotes: dict, per_kind: int) -> list[dict]:
    rng = random.Random(seed)
    ids = sorted(i for i in articles if half_of(i) == half)
    usable = []  # (article id, quote)
    speakers = {}  # article id -> speaker names
    for article_id in ids:
        names = sorted({q["speaker"] for q in quotes.get(article_id, []) if q.get("speaker")})
        speakers[article_id] = names
        for quote in quotes.get(article_id, []):
            words = len(tokens(quote["quote"]))
            if quote["kind"] == "direct" and quote.get("speaker") and 6 <= words <= 60:
                usable.append((article_id, quote))
    rng.shuffle(usable)
    by_corpus = {"bbc": [], "reuters": []}
    for article_id, names in speakers.items():
        by_corpus[corpus_of(article_id)].extend(names)
    claims = []

    def add(kind, article_id, quote, text, speaker):
        claims.append({"kind": kind, "article": article_id, "original": quote["quote"],
                       "text": text, "speaker": speaker})

    for kind in PERTURBED + ["cross_corpus"]:
        made = 0
        for article_id, quote in usable:
            if made >= per_kind:
                break
            if kind == "misattributed":
                others = [s for s in speakers[article_id] if not same_speaker(s, quote["speaker"])]
                if not others:
                    continue
                add(kind, article_id, quote, quote["quote"], rng.choice(others))
            elif kind == "cross_corpus":
                # Half from each corpus.
                mine = corpus_of(article_id)
                if sum(c["kind"] == kind and corpus_of(c["article"]) == mine
                       for c in claims) >= per_kind // 2:
                    continue
                other = "reuters" if mine == "bbc" else "bbc"
                pool = [s for s in by_corpus[other] if not same_speaker(s, quote["speaker"])]
                if not pool:
                    continue
                add(kind, article_id, quote, quote["quote"], rng.choice(pool))
            else:
                text = perturb(kind, quote["quote"], rng)
                if not text or normalized(text) == normalized(quote["quote"]):
                    continue
                add(kind, article_id, quote, text, quote["speaker"])
            made += 1
    # Narration: sentences outside every quote of their article.
    narration = []
    for article_id in ids:
        body = articles[article_id]["body"]
        spans = [(q["start"], q["end"]) for q in quotes.get(article_id, [])]
        for start, end, text in sentences(body):
            if any(m in text for m in QUOTE_MARKS) or not 8 <= len(tokens(text)) <= 40:
                continue
            if any(s < end and start < e for s, e in spans):
                continue
            narration.append((article_id, text))
    rng.shuffle(narration)
    for article_id, text in narration[:per_kind]:
        names = speakers.get(article_id) or []
        claims.append({"kind": "narration", "article": article_id, "original": None, "text": text,
                       "speaker": rng.choice(names) if names else None})
    return claims


def score(server: Server, claims: list[dict]) -> list[dict]:
    for claim in claims:
        body = {"text": claim["text"]}
        if claim["speaker"]:
            body["speaker"] = claim["speaker"]
        status, answer = server.post("/v1/quotes/verify", body)
        if status != 200:
            raise SystemExit(f"verify answered {status}: {answer}")
        claim["verdict"] = answer["verdict"]
        claim["matches"] = answer["matches"]
        top = answer["matches"][0] if answer["matches"] else None
        claim["top"] = top
        claim["first_right"] = (claim["original"] is not None and top is not None
                                and normalized(top["quote"]) == normalized(claim["original"]))
    return claims


def table(half: str, seed: int, claims: list[dict]) -> None:
    print(f"\nhalf {half} (seed {seed})")
    print(f"{'kind':<15}{'claims':>7}{'right first':>13}{'right verdict':>15}{'no exact/close':>16}")
    for kind in PERTURBED + NEVER_SAID:
        rows = [c for c in claims if c["kind"] == kind]
        if not rows:
            continue
        n = len(rows)
        verdict = sum(c["verdict"] == EXPECTED[kind] for c in rows) / n
        if kind in NEVER_SAID:
            first = "-"
            safe = f"{sum(c['verdict'] not in ('exact', 'close') for c in rows) / n:.1%}"
        else:
            first = f"{sum(c['first_right'] for c in rows) / n:.1%}"
            safe = "-"
        print(f"{kind:<15}{n:>7}{first:>13}{verdict:>15.1%}{safe:>16}")
    perturbed = [c for c in claims if c["kind"] in PERTURBED]
    never = [c for c in claims if c["kind"] in NEVER_SAID]
    if perturbed:
        first = sum(c["first_right"] for c in perturbed) / len(perturbed)
        verdict = sum(c["verdict"] == EXPECTED[c["kind"]] for c in perturbed) / len(perturbed)
        print(f"{'all perturbed':<15}{len(perturbed):>7}{first:>13.1%}{verdict:>15.1%}{'-':>16}")
    if never:
        verdict = sum(c["verdict"] == EXPECTED[c["kind"]] for c in never) / len(never)
        safe = sum(c["verdict"] not in ("exact", "close") for c in never) / len(never)
        print(f"{'all never-said':<15}{len(never):>7}{'-':>13}{verdict:>15.1%}{safe:>16.1%}")


def show_errors(claims: list[dict], count: int) -> None:
    wrong = [c for c in claims if c["verdict"] != EXPECTED[c["kind"]]
             or (c["original"] and not c["first_right"])]
    for claim in wrong[:count]:
        top = claim["top"] or {}
        print(f"\n[{claim['kind']}] expected {EXPECTED[claim['kind']]}, got {claim['verdict']}"
              f"; right first: {claim['first_right']}")
        print(f"  claim:    {claim['text']!r} ({claim['speaker']})")
        if claim["original"]:
            print(f"  original: {claim['original']!r}")
        print(f"  top:      {top.get('quote')!r} ({top.get('speaker')}, "
              f"sim {top.get('similarity')}, matches {top.get('speaker_matches')})")


def latency(server: Server, claims: list[dict], count: int) -> None:
    rng = random.Random(7)
    sample = [c for c in claims if c["original"]]
    sample = rng.sample(sample, min(count, len(sample)))
    verify_ms, search_ms = [], []
    for claim in sample * 2:
        body = {"text": claim["text"]}
        if claim["speaker"]:
            body["speaker"] = claim["speaker"]
        started = time.perf_counter()
        server.post("/v1/quotes/verify", body)
        verify_ms.append((time.perf_counter() - started) * 1000)
        words = " ".join(re.findall(r"[^\W_]+", claim["text"]))
        started = time.perf_counter()
        server.get("/v1/quotes?" + urllib.parse.urlencode({"q": words}))
        search_ms.append((time.perf_counter() - started) * 1000)

    def pct(values, p):
        return statistics.quantiles(values, n=100)[p - 1]

    print(f"\nlatency over {len(verify_ms)} requests each (loopback, sequential, client wall time)")
    for name, values in (("verify", verify_ms), ("/v1/quotes?q=", search_ms)):
        print(f"  {name:<15} p50 {pct(values, 50):7.2f} ms   p95 {pct(values, 95):7.2f} ms")
    print(f"  ratio verify/search: p50 {pct(verify_ms, 50) / pct(search_ms, 50):.2f}x, "
          f"p95 {pct(verify_ms, 95) / pct(search_ms, 95):.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bin", type=Path, default=default_binary())
    parser.add_argument("--corpus", type=Path, default=Path("/work/shared/data/corpus"))
    parser.add_argument("--bbc", type=int, default=1500)
    parser.add_argument("--reuters", type=int, default=3000)
    parser.add_argument("--per-kind", type=int, default=150)
    parser.add_argument("--seed-a", type=int, default=1501)
    parser.add_argument("--seed-b", type=int, default=1502)
    parser.add_argument("--halves", default="AB", help="which halves to score (A, B or AB)")
    parser.add_argument("--errors", type=int, default=0)
    parser.add_argument("--latency", type=int, default=0, metavar="N")
    parser.add_argument("--save", type=Path, help="write every claim and answer as NDJSON")
    parser.add_argument("--index", type=Path, help="reuse (or keep) the index in this directory")
    parser.add_argument("--latency-index", type=Path, metavar="DIR",
                        help="measure --latency on this (larger) index instead, e.g. the 1M "
                             "articles of a benches/run.sh scale run, with the same claims")
    args = parser.parse_args()
    if not args.bin.exists():
        raise SystemExit(f"no binary at {args.bin}; run cargo build --release")

    scratch = Path(tempfile.mkdtemp(prefix="verify-eval-"))
    index = args.index or scratch / "index"
    articles = sample_articles(args.corpus, args.bbc, args.reuters)
    if not (index / "meta.json").exists():
        source = scratch / "articles.ndjson"
        source.write_text("".join(json.dumps(a) + "\n" for a in articles), encoding="utf-8")
        started = time.time()
        subprocess.run([str(args.bin), "import", str(source), "--index-dir", str(index)],
                       cwd=REPO, check=True, stdout=subprocess.DEVNULL)
        print(f"imported {len(articles)} articles in {time.time() - started:.0f} s", file=sys.stderr)
    server = Server(args.bin, index)
    try:
        export = server.get("/v1/quotes/export?format=ndjson").decode("utf-8")
        quotes: dict[str, list] = {}
        for line in export.splitlines():
            if line.strip():
                quote = json.loads(line)
                quotes.setdefault(quote["article"]["id"], []).append(quote)
        by_id = {a["id"]: a for a in articles}
        print(f"{len(by_id)} articles, {sum(map(len, quotes.values()))} quotes", file=sys.stderr)
        results = {}
        for half, seed in (("A", args.seed_a), ("B", args.seed_b)):
            if half not in args.halves:
                continue
            claims = build_claims(half, seed, by_id, quotes, args.per_kind)
            results[half] = score(server, claims)
            table(half, seed, results[half])
            if args.errors:
                show_errors(results[half], args.errors)
        if args.save:
            with args.save.open("w", encoding="utf-8") as out:
                for half, claims in results.items():
                    for claim in claims:
                        out.write(json.dumps({"half": half, **claim}, ensure_ascii=False) + "\n")
        if args.latency and args.latency_index:
            large = Server(args.bin, args.latency_index)
            try:
                print(f"latency on {args.latency_index}: "
                      f"{json.loads(large.get('/v1/stats')).get('articles')} articles")
                latency(large, results.get("B") or results.get("A"), args.latency)
            finally:
                large.stop()
        elif args.latency:
            latency(server, results.get("B") or results.get("A"), args.latency)
    finally:
        server.stop()
        if not args.index:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Check the most quoted speaker identities of a corpus for the defects a user sees first.

Usage (Python 3.11, standard library only):

    # against a running server (after `verbatim import` of BBC + Reuters)
    python3 tools/speaker_catalog_check.py --url http://127.0.0.1:8080 --limit 400
    # against `verbatim extract` output (speakers per article, before the corpus registry)
    python3 tools/speaker_catalog_check.py --extract quotes.ndjson --limit 400

Among the `--limit` most quoted identities it counts, and lists:

- legal suffix: a name ending in Inc, Corp, Co, Ltd, plc, ... (or only such words);
- generic plural: a generic source noun as a name (Dealers, Officials, Bankers, MPs);
- single letter: a name of one letter (P);
- place for a pronoun: (extract mode) quotes attributed to a place or government whose
  speaker mention is `he`, `she`, `it` or `they`;
- title left in: a person identity whose name is another person identity's name with
  words in front (`Treasurer Paul Keating` beside `Paul Keating`);
- surname split: a one-word person identity that is the last word of a multi-word
  person identity (`Reagan` beside `Ronald Reagan`).

Exit status 1 when any count is not zero, so it can gate a run.
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
import urllib.request

LEGAL_SUFFIXES = {
    "inc", "incorporated", "corp", "corporation", "co", "ltd", "limited", "plc", "llc",
    "lp", "ag", "sa", "nv", "bv", "gmbh", "spa",
}
GENERIC = {
    "analysts", "dealers", "traders", "officials", "bankers", "brokers", "sources",
    "economists", "shareholders", "investors", "executives", "experts", "observers",
    "diplomats", "delegates", "mps", "critics", "residents", "witnesses", "police",
    "authorities", "prices", "people", "members", "workers", "lawmakers", "aides",
    "spokesman", "spokeswoman", "official", "analyst", "dealer", "trader", "banker",
    "company", "group", "bank", "ministry", "commission", "government",
}
PRONOUNS = {"he", "she", "it", "they", "him", "her", "its", "their", "who"}


def words(name: str) -> list[str]:
    return [w.strip(".,").lower() for w in name.split()]


def from_server(url: str, limit: int) -> list[dict]:
    with urllib.request.urlopen(f"{url.rstrip('/')}/v1/speakers?limit={limit}") as response:
        body = json.load(response)
    values = body.get("values") or body.get("speakers") or []
    return [
        {"name": v.get("name") or v.get("value"), "count": v.get("count", 0), "kind": v.get("kind")}
        for v in values
    ]


def from_extract(path: str, limit: int) -> tuple[list[dict], int]:
    counts: collections.Counter = collections.Counter()
    kinds: dict[str, str] = {}
    pronoun_places = 0
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            for quote in json.loads(line).get("quotes", []):
                name = quote.get("speaker")
                if not name:
                    continue
                counts[name] += 1
                kinds[name] = quote.get("speaker_kind", "unknown")
                mention = ((quote.get("speaker_mention") or {}).get("text") or "").lower()
                if quote.get("speaker_kind") == "government" and mention in PRONOUNS:
                    pronoun_places += 1
    top = [{"name": n, "count": c, "kind": kinds[n]} for n, c in counts.most_common(limit)]
    return top, pronoun_places


def check(top: list[dict]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = collections.defaultdict(list)
    people = [t for t in top if t.get("kind") in ("person", None)]
    multi = {tuple(words(p["name"])) for p in people if len(p["name"].split()) > 1}
    for entry in top:
        name, ws = entry["name"], words(entry["name"])
        label = f"{name} ({entry['count']})"
        if ws and ws[-1] in LEGAL_SUFFIXES:
            found["legal suffix"].append(label)
        if len(ws) == 1 and ws[0] in GENERIC:
            found["generic plural"].append(label)
        if len(name.strip(". ")) <= 1:
            found["single letter"].append(label)
        if entry.get("kind") in ("person", None):
            tail = tuple(ws)
            if any(len(other) > len(tail) and other[-len(tail):] == tail and len(tail) > 1 for other in multi):
                found["title left in"].append(label)
            if len(tail) == 1 and any(len(other) > 1 and other[-1] == tail[0] for other in multi):
                found["surname split"].append(label)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--url")
    source.add_argument("--extract")
    parser.add_argument("--limit", type=int, default=400)
    args = parser.parse_args()
    pronoun_places = None
    if args.url:
        top = from_server(args.url, args.limit)
    else:
        top, pronoun_places = from_extract(args.extract, args.limit)
    found = check(top)
    if pronoun_places is not None:
        found_count = pronoun_places
    print(f"top {len(top)} speaker identities, {sum(t['count'] for t in top)} quotes")
    failed = False
    for check_name in ("legal suffix", "generic plural", "single letter", "title left in", "surname split"):
        hits = found.get(check_name, [])
        failed |= bool(hits)
        print(f"  {check_name:15s} {len(hits):3d}  {', '.join(hits[:12])}")
    if pronoun_places is not None:
        failed |= found_count > 0
        print(f"  {'place for he/it':15s} {found_count:3d}  (quotes)")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()

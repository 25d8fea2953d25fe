"""Schemathesis hooks for Verbatim's contract run (tools/contract.sh).

- Bulk bodies are NDJSON (`application/x-ndjson`): one JSON value per line.
  Schemathesis has no serializer for it; this one writes a generated array
  as one line per item, and any other value as a single line.
- Some rules are beyond what a schema can state, so generated cases that
  break only them are not sent: `offset + limit` of a search stays within
  `search.max_window`; the offsets of quotes supplied with an article fall
  within its body; `q` is a query language (a `q` using its syntax is left
  to the parser's own tests and fuzzing, `tests/it/randomized.rs` and
  `fuzz/`); a `cursor` is one the server gave (`next_cursor`); a URL to
  fetch exists (the test machine has no network: `tests/it/live.rs` covers it);
  unknown request headers are not errors (proxies and clients add their own),
  so a case whose only defect is an extra header is not sent.
"""

import datetime
import json
import re

import schemathesis

# search.max_window and search.default_limit of config/default.toml.
MAX_WINDOW = 10_000
DEFAULT_LIMIT = 10


@schemathesis.serializer("application/x-ndjson")
def ndjson(ctx, value):
    items = value if isinstance(value, list) else [value]
    return "".join(json.dumps(item) + "\n" for item in items).encode("utf-8")


def _count(value, default):
    if value is None:
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _within_window(params):
    if not isinstance(params, dict) or "offset" not in params:
        return True
    offset = _count(params.get("offset"), 0)
    limit = _count(params.get("limit"), DEFAULT_LIMIT)
    if offset is None or limit is None:
        return True
    return offset + limit <= MAX_WINDOW


# Characters and words with a meaning in the query language.
QUERY_SYNTAX = set('"():*+-&|')
QUERY_OPERATORS = {"AND", "OR", "NOT"}


def _plain_search(params):
    if not isinstance(params, dict):
        return True
    q = params.get("q")
    if isinstance(q, str) and (
        QUERY_SYNTAX & set(q) or QUERY_OPERATORS & set(q.split())
    ):
        return False
    return params.get("cursor") in (None, "")


def _time(text, end):
    """A `from` (or, with `end`, an inclusive `to`) as the server reads it."""
    if not isinstance(text, str) or not text.strip():
        return None
    text = text.strip()
    try:
        if len(text) == 10:
            day = datetime.datetime.fromisoformat(text).replace(tzinfo=datetime.timezone.utc)
            return day + datetime.timedelta(days=1) if end else day
        moment = datetime.datetime.fromisoformat(text.replace("z", "Z"))
        return moment + datetime.timedelta(seconds=1) if end else moment
    except ValueError:
        return None


def _dates_in_order(params):
    if not isinstance(params, dict):
        return True
    start, end = _time(params.get("from"), False), _time(params.get("to"), True)
    try:
        return start is None or end is None or start < end
    except TypeError:
        return True


@schemathesis.hook
def filter_query(ctx, query):
    return _within_window(query) and _plain_search(query) and _dates_in_order(query)


# The `url` pattern of `POST /v1/articles/from-url` and `POST /v1/feeds`, and the `webhook`
# pattern of `POST /v1/alerts` (http::params).
FETCHABLE_URL = re.compile(
    r"^[Hh][Tt][Tt][Pp][Ss]?://[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*(:[0-9]{1,4})?"
    r"([/?#][A-Za-z0-9._~%!$&'()*+,;=:@/?#-]*)?$"
)


def _fetches_nothing(body):
    """Whether a URL the schema allows exists is beyond what a schema states: the test
    machine has no network, so a valid URL to fetch names a host that does not resolve
    (422) or an address that answers nothing (502/504). Such cases are left to
    `tests/it/live.rs`, which serves pages on loopback; URLs the schema refuses are
    still sent."""
    if not isinstance(body, dict):
        return True
    # An alert's webhook is resolved and checked when the alert is created.
    return not any(isinstance(body.get(key), str) and FETCHABLE_URL.match(body[key])
                   for key in ("url", "webhook"))


@schemathesis.hook
def filter_body(ctx, body):
    if not (_within_window(body) and _plain_search(body) and _dates_in_order(body)
            and _fetches_nothing(body)):
        return False
    # An alert's saved `query` is read as `/v1/quotes` parameters are.
    saved = body.get("query") if isinstance(body, dict) else None
    if isinstance(saved, dict) and not (_within_window(saved) and _plain_search(saved)
                                        and _dates_in_order(saved)):
        return False
    articles = body if isinstance(body, list) else [body]
    return not any(isinstance(a, dict) and a.get("quotes") for a in articles)


@schemathesis.hook
def filter_headers(ctx, headers):
    return not (isinstance(headers, dict)
                and any(str(name).lower().startswith("x-schemathesis-unknown") for name in headers))

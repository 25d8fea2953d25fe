#!/usr/bin/env python3
# Two builds of `verbatim serve --backend opensearch` side by side on one index:
# times each query of benches/queries.json against both (alternating, ROUNDS
# rounds, p50 per query), counts the OpenSearch requests each sends per search
# (two more servers of the same builds behind tools/opensearch/count-requests.py),
# and checks that both answer alike.
#
#   tools/opensearch/compare-servers.py [ROUNDS]
#
# Expects: timed servers 'before' on 127.0.0.1:7780 and 'after' on :7781 (straight to
# the node), counted ones on :7782 and :7783 whose --opensearch-url is a
# count-requests.py proxy on :9271 and :9272 (see BENCHMARKS.md, *Speaker registry
# by write state*, for the whole setup). Run from the repository's root.
import json, time, statistics, urllib.request, urllib.parse, sys
ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 else 15
timed = {'before': 'http://127.0.0.1:7780', 'after': 'http://127.0.0.1:7781'}
counted = {'before': ('http://127.0.0.1:7782', 'http://127.0.0.1:9271'),
           'after': ('http://127.0.0.1:7783', 'http://127.0.0.1:9272')}
queries = json.load(open('benches/queries.json'))
def path(q, cursor=None):
    pairs = [('q', q.get('q', '')), ('limit', '10')]
    if q.get('facets'): pairs.append(('facets', ','.join(q['facets'])))
    for k in ('speaker', 'topic'):
        if q.get(k): pairs.append((k, q[k]))
    if cursor: pairs.append(('cursor', cursor))
    endpoint = '/v1/quotes' if q['target'] == 'quotes' else '/v1/search'
    return endpoint + '?' + urllib.parse.urlencode(pairs)
def get(url):
    with urllib.request.urlopen(url) as r:
        return json.loads(r.read())
def label(q):
    l = f"{q['class']}: {q['target']} q={q.get('q','')!r}"
    for k in ('speaker', 'topic'):
        if q.get(k): l += f" {k}={q[k]}"
    if q.get('facets'): l += ' facets=' + ','.join(q['facets'])
    if q.get('page'): l += ' (a page after a cursor)'
    return l
# Deep pages: a cursor a few pages in (the same on both servers).
paths = []
for q in queries:
    if q.get('page'):
        cursor = None
        for _ in range(5):
            cursor = get(timed['after'] + path(q, cursor))['next_cursor']
        paths.append(path(q, cursor))
    else:
        paths.append(path(q))
# Same answers.
def strip(a):
    a = dict(a); a.pop('took_ms', None); return a
for q, p in zip(queries, paths):
    b, a = strip(get(timed['before'] + p)), strip(get(timed['after'] + p))
    if b != a:
        print('DIFFERENT ANSWERS', label(q), json.dumps(b)[:300], json.dumps(a)[:300])
# Counts, cold (first request of each counted server) then warm.
def counts(proxy, reset=True):
    return get(proxy + '/__counts' + ('?reset' if reset else ''))
for name, (server, proxy) in counted.items():
    counts(proxy)
cold = {}
for name, (server, proxy) in counted.items():
    get(server + paths[17])  # quote-speaker James Baker, first search of the server
    cold[name] = counts(proxy)
print('cold (first speaker-filtered search of a fresh server):', json.dumps(cold))
warm = []
for q, p in zip(queries, paths):
    row = {}
    for name, (server, proxy) in counted.items():
        get(server + p); counts(proxy)
        get(server + p); row[name] = counts(proxy)
    warm.append(row)
# Times.
times = [{'before': [], 'after': []} for _ in queries]
for r in range(ROUNDS):
    order = ['before', 'after'] if r % 2 == 0 else ['after', 'before']
    for i, p in enumerate(paths):
        for name in order:
            t = time.perf_counter(); get(timed[name] + p); times[i][name].append((time.perf_counter() - t) * 1000)
print(f'| query | before p50 ms | after p50 ms | before OpenSearch requests | after OpenSearch requests |')
print('|---|---|---|---|---|')
by_class = {}
for q, t, c in zip(queries, times, warm):
    b, a = statistics.median(t['before']), statistics.median(t['after'])
    fmt = lambda c: f"{c.get('all',0)} ({', '.join(f'{k} {v}' for k, v in sorted(c.items()) if k != 'all')})"
    print(f"| {label(q)} | {b:.1f} | {a:.1f} | {fmt(c['before'])} | {fmt(c['after'])} |")
    cl = by_class.setdefault(q['class'], [[], [], [], []])
    cl[0].append(b); cl[1].append(a); cl[2].append(c['before'].get('all', 0)); cl[3].append(c['after'].get('all', 0))
print()
print('| class | before p50 ms | after p50 ms | before requests/search | after requests/search |')
print('|---|---|---|---|---|')
for k, (b, a, cb, ca) in by_class.items():
    print(f"| {k} | {statistics.mean(b):.1f} | {statistics.mean(a):.1f} | {statistics.mean(cb):.2f} | {statistics.mean(ca):.2f} |")

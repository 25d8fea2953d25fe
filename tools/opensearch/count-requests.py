#!/usr/bin/env python3
# A counting HTTP proxy in front of an OpenSearch node, to count the requests a
# Verbatim server sends per search (by kind: _search, _stats, _bulk ...).
#
#   tools/opensearch/count-requests.py PORT UPSTREAM_HOST:PORT
#
# Point `verbatim serve --opensearch-url http://127.0.0.1:PORT` at it; GET /__counts
# answers the counts as JSON, GET /__counts?reset answers them and starts again.
# Used by tools/opensearch/compare-servers.py.
import http.client, http.server, json, sys, threading, collections
port, upstream = int(sys.argv[1]), sys.argv[2]
counts = collections.Counter()
lock = threading.Lock()
local = threading.local()
def kind(method, path):
    p = path.split('?')[0]
    for k in ('_msearch', '_search/point_in_time', '_pit', '_search', '_stats', '_count', '_mget', '_bulk', '_refresh'):
        if k in p:
            return k
    return method + ' other'
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    def log_message(self, *a): pass
    def handle_any(self):
        length = int(self.headers.get('content-length') or 0)
        body = self.rfile.read(length) if length else None
        if self.path.startswith('/__counts'):
            with lock:
                data = json.dumps(counts).encode()
                if 'reset' in self.path: counts.clear()
            self.send_response(200); self.send_header('content-length', str(len(data))); self.end_headers(); self.wfile.write(data); return
        with lock:
            counts[kind(self.command, self.path)] += 1
            counts['all'] += 1
        if not hasattr(local, 'c'):
            local.c = http.client.HTTPConnection(upstream)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ('host', 'connection')}
        try:
            local.c.request(self.command, self.path, body=body, headers=headers)
            r = local.c.getresponse()
        except Exception:
            local.c = http.client.HTTPConnection(upstream)
            local.c.request(self.command, self.path, body=body, headers=headers)
            r = local.c.getresponse()
        data = r.read()
        self.send_response(r.status)
        for k, v in r.getheaders():
            if k.lower() not in ('content-length', 'transfer-encoding', 'connection'):
                self.send_header(k, v)
        self.send_header('content-length', str(len(data)))
        self.end_headers()
        self.wfile.write(data)
    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = handle_any
http.server.ThreadingHTTPServer(('127.0.0.1', port), H).serve_forever()

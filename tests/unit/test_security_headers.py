"""The response transforms of tanso.security_headers, without a server: nonces, policy, gzip scope."""

import re

from tornado.httputil import HTTPHeaders, HTTPServerRequest

from tanso.security_headers import SecurityHeaders, StaticGzip

PAGE = b'<html><script type="text/javascript">Bokeh.embed()</script><script src="static/js/bokeh.min.js"></script>' \
       b'<scripture>not a script tag</scripture><SCRIPT>x()</SCRIPT></html>'


def request(path: str, gzip: bool = True) -> HTTPServerRequest:
    return HTTPServerRequest(method="GET", uri=path, headers=HTTPHeaders({"Accept-Encoding": "gzip"} if gzip else {}))


def transform(path: str, content_type: str, body: bytes):
    headers = HTTPHeaders({"Content-Type": content_type, "Content-Length": str(len(body)), "Server": "TornadoServer/6"})
    return SecurityHeaders(request(path)).transform_first_chunk(200, headers, body, True)


def test_every_script_of_a_page_gets_the_responses_nonce_and_the_policy_names_it():
    _, headers, body = transform("/national_trends", "text/html; charset=utf-8", PAGE)
    policy = headers["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
    assert body.count(f'<script nonce="{nonce}"'.encode()) == 3  # <SCRIPT> too
    assert body.count(b"nonce=") == 3 and b"<scripture>" in body  # whole tag names only
    assert headers["Content-Length"] == str(len(body))
    assert "Server" not in headers and headers["X-Frame-Options"] == "DENY"
    scripts = next(d for d in policy.split("; ") if d.startswith("script-src"))
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts


def test_each_page_gets_a_new_nonce_and_other_responses_none():
    first = transform("/national_trends", "text/html", PAGE)[1]["Content-Security-Policy"]
    second = transform("/national_trends", "text/html", PAGE)[1]["Content-Security-Policy"]
    assert first != second
    _, headers, body = transform("/static/js/bokeh.min.js", "application/javascript", b"<script")
    assert body == b"<script" and "'nonce-" not in headers["Content-Security-Policy"]


def test_no_app_may_evaluate_strings():
    for path in ("/footprint", "/recycling_impact", "/national_trends"):
        assert "'unsafe-eval'" not in transform(path, "text/html", PAGE)[1]["Content-Security-Policy"]


def test_gzip_only_for_static_files_the_browser_accepts_gzip_for():
    assert StaticGzip(request("/static/js/bokeh.min.js"))._gzipping
    assert not StaticGzip(request("/static/js/bokeh.min.js", gzip=False))._gzipping
    assert not StaticGzip(request("/national_trends"))._gzipping

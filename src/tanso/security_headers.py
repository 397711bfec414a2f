"""Security headers and compression on every response of the app server: `panel serve ... --plugins
tanso.security_headers`.

Panel reads a plugin's ROUTES (none here); importing the module installs two Tornado output transforms
on every Bokeh application created afterwards, so pages, static files, /liveness and /metrics all carry:

- a Content-Security-Policy the pages pass. Scripts: this server's files, `blob:` (Panel loads ES
  modules through blob URLs) and inline scripts that carry the response's nonce — every `<script>` of
  an HTML page the server renders gets a fresh random nonce, so a script that got into a page any other
  way does not run. The Fast template's two inline `onclick` handlers are allowed by their hashes
  (`'unsafe-hashes'`), nothing else inline. No `'unsafe-eval'`: no page compiles JavaScript from strings
  (no `jscallback`/`CustomJS`/ReactiveHTML such as `pn.FlexBox` — `tanso.ui.view.wrap_row` instead; the
  language switch is plain links). Styles keep `'unsafe-inline'`: BokehJS sets `style` attributes and `<style>` elements on every component, and a
  style cannot run script. Everything else from this server only (no CDN, no font host); no plugins,
  no `<base>` change, no framing;
- `frame-ancestors 'none'` and `X-Frame-Options: DENY` (no clickjacking in a frame);
- `X-Content-Type-Options: nosniff`, `Referrer-Policy: same-origin`;
- no `Server: TornadoServer/<version>` banner;
- gzip for static files (`/static/…`: BokehJS, Panel, Tabulator, Fast — 4.5 MB a page, ≈1.2 MB gzipped)
  when the browser accepts it. Pages and JSON are not compressed: a page embeds the session token next
  to values from the link, the mix that compression side channels (BREACH) need.
"""

from __future__ import annotations

import base64
import hashlib
import re
import secrets

import tornado.web

ROUTES: list = []  # read by `panel serve --plugins`

# The inline event handlers of Panel's Fast templates (sidebar and full-screen buttons), allowed by hash.
TEMPLATE_HANDLERS = ("openNav()", "closeNav()", "openNavRight()", "closeNavRight()", "toggleFullScreen(this)")


def _sha256(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode()).digest()).decode() + "'"


HANDLER_HASHES = " ".join(_sha256(handler) for handler in TEMPLATE_HANDLERS)


def content_security_policy(nonce: str | None = None) -> str:
    """The policy; ``nonce`` allows the inline scripts of one HTML response."""
    scripts = "script-src 'self' blob:" + (f" 'nonce-{nonce}' 'unsafe-hashes' {HANDLER_HASHES}" if nonce else "")
    return "; ".join((
        "default-src 'self'",
        scripts,
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ))


HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
_SCRIPT_TAG = re.compile(rb"<script(?=[\s>])", re.IGNORECASE)


class SecurityHeaders(tornado.web.OutputTransform):
    """Adds the headers to every response, a nonce to every `<script>` of an HTML page, and removes the
    Server banner."""

    def __init__(self, request):
        self._nonce: str | None = None

    def transform_first_chunk(self, status_code, headers, chunk, finishing):
        for name, value in HEADERS.items():
            headers.setdefault(name, value)
        headers.pop("Server", None)
        if headers.get("Content-Type", "").startswith("text/html"):
            self._nonce = secrets.token_urlsafe(18)
            chunk = self.transform_chunk(chunk, finishing)
            if "Content-Length" in headers:
                headers["Content-Length"] = str(len(chunk))
        headers.setdefault("Content-Security-Policy",
                           content_security_policy(self._nonce))
        return status_code, headers, chunk

    def transform_chunk(self, chunk, finishing):
        if self._nonce is None:
            return chunk
        return _SCRIPT_TAG.sub(b'<script nonce="' + self._nonce.encode() + b'"', chunk)


class StaticGzip(tornado.web.GZipContentEncoding):
    """Tornado's gzip transform, for static files only (see the module docstring)."""

    def __init__(self, request):
        super().__init__(request)
        self._gzipping = self._gzipping and "/static/" in request.path


def install() -> None:
    """Make every BokehTornado application (created after this call) use both transforms."""
    from bokeh.server.tornado import BokehTornado

    if getattr(BokehTornado, "_tanso_security_headers", False):
        return
    original = BokehTornado.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        self.add_transform(SecurityHeaders)  # first: sees the page before it is compressed
        self.add_transform(StaticGzip)

    BokehTornado.__init__ = init
    BokehTornado._tanso_security_headers = True


install()

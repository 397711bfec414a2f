"""Security headers on every response of the app server: `panel serve ... --plugins tanso.security_headers`.

Panel reads a plugin's ROUTES (none here); importing the module installs a Tornado output transform
on every Bokeh application created afterwards, so pages, static files, /liveness and /metrics all carry:

- a Content-Security-Policy the pages pass: everything from this server only (no CDN, no font host),
  `'unsafe-inline'`/`'unsafe-eval'` for scripts because BokehJS embeds the document in inline scripts
  and Panel compiles `jscallback`s with `new Function` — the policy still stops any request to another
  host, plugins, `<base>` changes and framing;
- `frame-ancestors 'none'` and `X-Frame-Options: DENY` (no clickjacking in a frame);
- `X-Content-Type-Options: nosniff`, `Referrer-Policy: same-origin`;
- no `Server: TornadoServer/<version>` banner.
"""

from __future__ import annotations

import tornado.web

ROUTES: list = []  # read by `panel serve --plugins`

CSP_DIRECTIVES = (
    "default-src 'self'",
    "script-src 'self' 'unsafe-inline' 'unsafe-eval' blob:",  # Panel loads ES modules through blob: URLs
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
)
CONTENT_SECURITY_POLICY = "; ".join(CSP_DIRECTIVES)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


class SecurityHeaders(tornado.web.OutputTransform):
    """Adds HEADERS to every response and removes the Server banner."""

    def transform_first_chunk(self, status_code, headers, chunk, finishing):
        for name, value in HEADERS.items():
            headers.setdefault(name, value)
        headers.pop("Server", None)
        return status_code, headers, chunk


def install() -> None:
    """Make every BokehTornado application (created after this call) use SecurityHeaders."""
    from bokeh.server.tornado import BokehTornado

    if getattr(BokehTornado, "_tanso_security_headers", False):
        return
    original = BokehTornado.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        self.add_transform(SecurityHeaders)

    BokehTornado.__init__ = init
    BokehTornado._tanso_security_headers = True


install()

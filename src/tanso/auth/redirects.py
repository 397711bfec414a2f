"""Where `next=` may send the browser after sign-in: a path inside this site, nothing else.

Browsers are generous with what they treat as another host: `//evil.example`,
`/\\evil.example`, `\\\\evil.example`, `/%5Cevil.example` after decoding, tabs and newlines
inside the scheme (`java\\tscript:`), `https:evil.example`. Rather than listing the bad
forms, accept only one good form: a single leading slash, then a character that is neither
a slash nor a backslash, and no control characters or backslashes anywhere.
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

HOME = "/"


def safe_next(target: str | None, *, default: str = HOME) -> str:
    """`target` when it is a same-site path (with its query), otherwise `default`."""
    if not target or len(target) > 2000:
        return default
    decoded = unquote(target)
    for candidate in (target, decoded):
        if not candidate.startswith("/") or candidate.startswith(("//", "/\\")):
            return default
        if "\\" in candidate or any(ord(c) < 0x20 or ord(c) == 0x7F for c in candidate):
            return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target

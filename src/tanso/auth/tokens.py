"""Random session ids and XSRF form tokens (pure functions, no I/O).

A session id is 256 bits from the OS CSPRNG (ASVS 7.2.3); the database keeps only its
SHA-256, so a leaked table cannot be replayed as cookies. The same hash is what a served
app sees (`tanso_session_ref`, see tanso.auth.web): useless as a cookie, since the server
hashes every cookie it receives.

XSRF: signed double submit. A random `tanso_xsrf` cookie (httponly, SameSite=Strict) and a
hidden form field holding HMAC-SHA256(secret, cookie); a post is accepted only when the
field matches the cookie's HMAC. A cookie planted by a sibling subdomain is useless without
the server secret, and a page on another site can read neither.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets


def new_session_id() -> str:
    return secrets.token_urlsafe(32)


def session_hash(session_id: str) -> bytes:
    return hashlib.sha256(session_id.encode("utf-8", "surrogatepass")).digest()


def new_xsrf_cookie() -> str:
    return secrets.token_urlsafe(32)


def xsrf_form_token(secret: bytes, cookie: str) -> str:
    return hmac.new(secret, b"xsrf:" + cookie.encode("utf-8", "surrogatepass"),
                    hashlib.sha256).hexdigest()


def xsrf_token_valid(secret: bytes, cookie: str | None, token: str | None) -> bool:
    if not cookie or not token:
        return False
    return hmac.compare_digest(xsrf_form_token(secret, cookie), token)

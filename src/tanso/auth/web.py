"""Who is asking: the session cookie checked on every HTTP request and websocket upgrade.

Bokeh calls `get_user(handler)` (through the auth module tanso/auth/bokeh_auth.py) before
it serves an app page, a static file of an app, or opens a websocket. Guests browse
everything, so a visitor without a cookie is `GUEST`, never a redirect to /login.

The raw session id never reaches an app: Bokeh copies the request's cookies into the
session token it embeds in the page (readable by scripts), so `get_user` replaces the
httponly cookie with `tanso_session_ref`, the id's SHA-256, before Bokeh copies them. A
ref cannot be replayed as a cookie (the server hashes what it receives), and a websocket
whose token carries a ref must come with the cookie that hashes to it.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from functools import lru_cache

import sqlalchemy as sa
from tornado.web import RequestHandler
from tornado.websocket import WebSocketHandler

from tanso.auth import sessions
from tanso.auth.policy import auth_policy
from tanso.auth.tokens import session_hash
from tanso.auth.users import GUEST, User, user_from_row

log = logging.getLogger("tanso.auth")

COOKIE = "tanso_session"
SECURE_COOKIE = "__Host-tanso_session"   # behind TLS: Secure, Path=/, no Domain (ASVS 3.3.1)
REF_COOKIE = "tanso_session_ref"
XSRF_COOKIE = "tanso_xsrf"


def now() -> datetime:
    return datetime.now(UTC)


@lru_cache(maxsize=1)
def engine() -> sa.Engine:
    # Once per process: finding the embedded server reads its pid file and probes the process,
    # milliseconds this must not add to every request. (A failure is not cached.)
    from tanso.db.engine import get_engine

    return get_engine(start_embedded=False)


SESSION_CHECK = "tanso-session-check"   # its connections' application_name


@lru_cache(maxsize=1)
def _reader() -> sa.Engine:
    # The session check runs on every request: one round trip each. Autocommit (no BEGIN/
    # ROLLBACK), and no pool pre-ping (a `SELECT 1` before every use): `lookup` retries once
    # instead when the server dropped a pooled connection (a restart, a failover).
    from tanso.db.engine import get_engine

    return get_engine(start_embedded=False, pre_ping=False, application_name=SESSION_CHECK
                      ).execution_options(isolation_level="AUTOCOMMIT")


def is_tls(request) -> bool:
    # with --use-xheaders Tornado takes the protocol from X-Forwarded-Proto / X-Scheme
    return request.protocol == "https"


def session_cookie_name(request) -> str:
    return SECURE_COOKIE if is_tls(request) else COOKIE


def client_address(request) -> str:
    return request.remote_ip or "unknown"


def lookup(token_hash: bytes) -> User | None:
    for attempt in (1, 2):
        try:
            with _reader().connect() as conn:   # the rare idle-clock touch commits on its own
                row = sessions.user_for(conn, token_hash, now=now(), policy=auth_policy())
            break
        except sa.exc.DBAPIError as exc:   # a dropped connection: the pool has discarded it
            if attempt == 2 or not exc.connection_invalidated:
                raise
    return user_from_row(row) if row is not None else None


def _token_ref(handler: WebSocketHandler) -> str | None:
    """The session ref inside the Bokeh token the browser offers with a websocket."""
    from bokeh.util.token import get_token_payload

    protocols = [p.strip() for p in handler.request.headers.get("Sec-WebSocket-Protocol", "")
                 .split(",")]
    if len(protocols) != 2:
        return None
    try:
        cookies = get_token_payload(protocols[1]).get("cookies") or {}
    except Exception:
        return None
    return cookies.get(REF_COOKIE)


def identify(handler: RequestHandler) -> tuple[str | None, User | None]:
    """(raw session id, its user) — (None, GUEST) without a cookie, (id, None) when stale."""
    raw = handler.get_cookie(session_cookie_name(handler.request))
    if not raw:
        return None, GUEST
    return raw, lookup(session_hash(raw))


def get_user(handler: RequestHandler) -> User | None:
    """Bokeh's hook: the signed-in user, GUEST, or None (refused: stale cookie on a websocket)."""
    if hasattr(handler, "_tanso_user"):
        return handler._tanso_user
    request = handler.request
    raw, user = identify(handler)
    cookies = request.cookies
    for cookie in (REF_COOKIE, COOKIE, SECURE_COOKIE, XSRF_COOKIE):   # never into a page token
        cookies.pop(cookie, None)
    ref = session_hash(raw).hex() if raw and user is not None else None
    if ref:
        cookies[REF_COOKIE] = ref
    websocket = isinstance(handler, WebSocketHandler)
    if user is None:
        log.info("stale session cookie refused",
                 extra={"path": request.path, "websocket": websocket})
        if not websocket:
            clear_session_cookie(handler)
            user = GUEST                     # the page still renders, as for any visitor
    if websocket and user is not None:
        offered = _token_ref(handler)
        if offered is not None and offered != ref:
            log.info("websocket token of another session refused", extra={"path": request.path})
            user = None
    handler._tanso_user = user
    return user


def set_session_cookie(handler: RequestHandler, session_id: str) -> None:
    request = handler.request
    handler.set_cookie(session_cookie_name(request), session_id, path="/", httponly=True,
                       secure=is_tls(request), samesite="Lax",
                       expires_days=auth_policy().session_max_seconds / 86_400)


def clear_session_cookie(handler: RequestHandler) -> None:
    handler.clear_cookie(session_cookie_name(handler.request), path="/")

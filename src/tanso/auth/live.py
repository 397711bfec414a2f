"""Ending live app sessions whose sign-in was revoked (sign-out, password change, disable).

The cookie is checked when a page or websocket opens, but an open websocket would keep an
app session alive after its sign-in is gone. Each server process therefore re-validates
the sign-ins of its live app sessions every TANSO_SESSION_RECHECK_SECONDS, in one query,
and closes the websockets of those no longer valid. Their reconnect is refused too (the
token's ref no longer matches a valid cookie, see tanso.auth.web), so the page must reload
and comes back as a guest.
"""

from __future__ import annotations

import logging

from tornado.ioloop import PeriodicCallback

from tanso.auth import sessions
from tanso.auth.policy import auth_policy

log = logging.getLogger("tanso.auth.live")

CLOSE_CODE = 4001   # application-defined websocket close code: "sign-in ended"

_live: dict[bytes, set] = {}       # session hash -> Bokeh session contexts signed in with it
_timer: PeriodicCallback | None = None


def session_ref(session_context) -> bytes | None:
    from tanso.auth.web import REF_COOKIE

    ref = (session_context.request.cookies or {}).get(REF_COOKIE)
    try:
        return bytes.fromhex(ref) if ref else None
    except ValueError:
        return None


def _on_created(session_context) -> None:
    global _timer
    if (ref := session_ref(session_context)) is None:
        return
    _live.setdefault(ref, set()).add(session_context)
    if _timer is None:
        _timer = PeriodicCallback(recheck, auth_policy().session_recheck_seconds * 1000)
        _timer.start()


def _on_destroyed(session_context) -> None:
    if (ref := session_ref(session_context)) in _live:
        _live[ref].discard(session_context)
        if not _live[ref]:
            del _live[ref]


def end_session(session_context) -> int:
    """Close every websocket of one app session; returns how many were closed."""
    server_session = getattr(session_context, "_session", None)
    connections = list(getattr(server_session, "_subscribed_connections", ()))
    for connection in connections:
        connection._socket.close(CLOSE_CODE, "sign-in ended")
    return len(connections)


def recheck() -> None:
    from tanso.auth.web import engine, now

    refs = list(_live)
    if not refs:
        return
    try:
        with engine().begin() as conn:
            valid = sessions.still_valid(conn, refs, now=now(), policy=auth_policy())
    except Exception:
        log.warning("could not re-validate live sessions", exc_info=True)
        return
    for ref in set(refs) - valid:
        closed = sum(end_session(context) for context in _live.pop(ref, ()))
        log.info("app sessions of a revoked sign-in ended", extra={"websockets_closed": closed})


def install() -> None:
    """Watch the app sessions of this process (idempotent; call outside a session)."""
    import panel as pn

    if _on_created not in pn.state._on_session_created:
        pn.state.on_session_created(_on_created)
    if _on_destroyed not in pn.state._on_session_destroyed:
        pn.state.on_session_destroyed(_on_destroyed)

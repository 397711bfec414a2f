"""Security events: one row in `ops.security_events`, one JSON log line, and the
Prometheus counter of failed sign-ins (served by the `/metrics` plugin, tanso.server_metrics).

Nothing here ever receives a password; callers pass who, what and from where. A failed
sign-in for an unknown account is recorded without the typed email (people type passwords
into the email field), so neither the table nor the logs can hold one.
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from prometheus_client import Counter

from tanso.db.tables.accounts import security_events

log = logging.getLogger("tanso.auth.audit")

SIGN_IN_FAILURES = Counter(
    "tanso_sign_in_failures",
    "Refused sign-ins: bad_credentials (wrong password, unknown or disabled account) or "
    "throttled (too many recent failures for the account or the address)",
    ["reason"])
for _reason in ("bad_credentials", "throttled"):   # both series exist from the start, at 0
    SIGN_IN_FAILURES.labels(_reason)

EVENTS = {
    "sign_in", "sign_in_failed", "sign_in_throttled", "sign_out", "register",
    "register_existing", "register_throttled",
    "password_changed", "profile_changed", "role_changed", "disabled", "enabled",
    "session_revoked", "xsrf_refused",
}


def record(conn: sa.Connection, event: str, *, user_id: int | None = None,
           email: str | None = None, address: str | None = None, actor: str = "web",
           **detail) -> None:
    if event not in EVENTS:
        raise ValueError(f"unknown security event {event!r}")
    conn.execute(security_events.insert().values(
        event=event, user_id=user_id, email=email, address=address, actor=actor,
        detail=detail or None))
    if event == "sign_in_failed":
        SIGN_IN_FAILURES.labels("bad_credentials").inc()
    elif event == "sign_in_throttled":
        SIGN_IN_FAILURES.labels("throttled").inc()
    level = logging.WARNING if event in ("sign_in_failed", "sign_in_throttled", "register_throttled",
                                         "xsrf_refused") else logging.INFO
    log.log(level, "security event: %s", event,
            extra={"event": event, "user_id": user_id, "email": email, "address": address,
                   "actor": actor, **detail})

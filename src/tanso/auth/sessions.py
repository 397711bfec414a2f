"""Server-side sessions in `app.sessions`, checked on every request and every app session.

The browser holds a random id; the table holds its SHA-256 (tanso.auth.tokens). A session
is valid while its row exists, the account is enabled, it was used within the idle timeout
and it is younger than the absolute timeout. Signing out, changing the password and
disabling an account delete rows, which every process and pod sees at its next check.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

from tanso.auth.policy import AuthPolicy
from tanso.auth.tokens import new_session_id, session_hash
from tanso.db.tables.accounts import sessions, users

# last_seen_at is written at most this often per session (a read per request, not a write);
# a quarter of the idle timeout when that is shorter, so the idle clock stays accurate enough
TOUCH_EVERY = timedelta(seconds=60)


def create(conn: sa.Connection, user_id: int, *, address: str | None, user_agent: str | None,
           now: datetime, policy: AuthPolicy) -> str:
    """A new session (always a new id: no fixation, ASVS 7.2.4); returns the cookie value."""
    session_id = new_session_id()
    conn.execute(sessions.insert().values(
        token_hash=session_hash(session_id), user_id=user_id, created_at=now, last_seen_at=now,
        expires_at=now + timedelta(seconds=policy.session_max_seconds),
        address=address, user_agent=(user_agent or "")[:300]))
    return session_id


def _valid(now: datetime, policy: AuthPolicy):
    return sa.and_(sessions.c.expires_at > now,
                   sessions.c.last_seen_at > now - timedelta(seconds=policy.session_idle_seconds),
                   users.c.disabled_at.is_(None))


# Built once: this runs on every request of a signed-in browser (benchmarks/auth.py)
_USER_FOR = (
    sa.select(users, sessions.c.last_seen_at)
    .join(sessions, sessions.c.user_id == users.c.id)
    .where(sessions.c.token_hash == sa.bindparam("token_hash"),
           sessions.c.expires_at > sa.bindparam("now"),
           sessions.c.last_seen_at > sa.bindparam("idle_since"),
           users.c.disabled_at.is_(None)))


def user_for(conn: sa.Connection, token_hash: bytes, *, now: datetime, policy: AuthPolicy,
             touch: bool = True):
    """The `app.users` row of a valid session, or None. Refreshes the idle clock."""
    row = conn.execute(_USER_FOR, {
        "token_hash": token_hash, "now": now,
        "idle_since": now - timedelta(seconds=policy.session_idle_seconds)}).first()
    touch_every = min(TOUCH_EVERY, timedelta(seconds=policy.session_idle_seconds / 4))
    if row is not None and touch and row.last_seen_at < now - touch_every:
        conn.execute(sessions.update().where(sessions.c.token_hash == token_hash)
                     .values(last_seen_at=now))
    return row


def still_valid(conn: sa.Connection, token_hashes: list[bytes], *, now: datetime,
                policy: AuthPolicy) -> set[bytes]:
    """Which of these sessions are still valid (one query for all live app sessions)."""
    if not token_hashes:
        return set()
    rows = conn.execute(
        sa.select(sessions.c.token_hash).join(users, sessions.c.user_id == users.c.id)
        .where(sessions.c.token_hash.in_(token_hashes), _valid(now, policy))).all()
    return {bytes(r.token_hash) for r in rows}


def revoke(conn: sa.Connection, token_hash: bytes) -> int | None:
    """End one session; returns its user id (None if it did not exist)."""
    return conn.execute(sessions.delete().where(sessions.c.token_hash == token_hash)
                        .returning(sessions.c.user_id)).scalar()


def revoke_all(conn: sa.Connection, user_id: int) -> int:
    return conn.execute(sessions.delete().where(sessions.c.user_id == user_id)).rowcount


def prune(conn: sa.Connection, *, now: datetime, policy: AuthPolicy) -> int:
    """Delete expired rows (called at sign-in; expired rows are never valid anyway)."""
    idle = now - timedelta(seconds=policy.session_idle_seconds)
    return conn.execute(sessions.delete().where(
        sa.or_(sessions.c.expires_at <= now, sessions.c.last_seen_at <= idle))).rowcount

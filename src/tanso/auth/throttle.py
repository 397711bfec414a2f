"""Throttling of failed sign-ins, per account and per client address, without lockout;
and of self-registrations per client address (each one tells whether an email is new).

A sliding window: when an account (or an address) has `max` failures within the last
`window` seconds, further attempts are refused *before* the password is checked, so a
guesser learns nothing, until the oldest failure leaves the window. Refused attempts are
not counted, so waiting always helps and nobody can lock an account for good (ASVS 6.1.1,
6.3.1). Failures live in PostgreSQL (`ops.sign_in_failures`): every process and pod sees
the same counts. Registrations are counted from their audit rows (`ops.security_events`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from tanso.auth.policy import AuthPolicy
from tanso.db.tables.accounts import security_events, sign_in_failures


@dataclass(frozen=True)
class Throttle:
    allowed: bool
    retry_after_seconds: int = 0   # when refused: until the oldest counted failure expires


def decide(*, account_failures: list[datetime], address_failures: list[datetime],
           now: datetime, policy: AuthPolicy) -> Throttle:
    """Whether another attempt may be checked, from the failure times in the window."""
    waits = [_wait(times, limit, now=now, policy=policy)
             for times, limit in ((account_failures, policy.signin_max_per_account),
                                  (address_failures, policy.signin_max_per_address))]
    return Throttle(allowed=not any(waits), retry_after_seconds=max(waits))


def _wait(times: list[datetime], limit: int, *, now: datetime, policy: AuthPolicy) -> int:
    """Seconds until fewer than `limit` of `times` are inside the window; 0 = go ahead."""
    window = timedelta(seconds=policy.signin_window_seconds)
    recent = sorted(t for t in times if t > now - window)
    if len(recent) < limit:
        return 0
    # the attempt is allowed again once enough of the oldest ones have aged out
    frees_at = recent[len(recent) - limit] + window
    return max(1, math.ceil((frees_at - now).total_seconds()))


def check(conn: sa.Connection, *, account: str, address: str, now: datetime,
          policy: AuthPolicy) -> Throttle:
    since = now - timedelta(seconds=policy.signin_window_seconds)
    rows = conn.execute(
        sa.select(sign_in_failures.c.account, sign_in_failures.c.address, sign_in_failures.c.at)
        .where(sign_in_failures.c.at > since)
        .where(sa.or_(sign_in_failures.c.account == account,
                      sign_in_failures.c.address == address))).all()
    return decide(account_failures=[r.at for r in rows if r.account == account],
                  address_failures=[r.at for r in rows if r.address == address],
                  now=now, policy=policy)


def record_failure(conn: sa.Connection, *, account: str, address: str, now: datetime,
                   policy: AuthPolicy) -> None:
    conn.execute(sign_in_failures.insert().values(account=account, address=address, at=now))
    # the table only ever holds one window of failures, so this delete stays small
    conn.execute(sign_in_failures.delete().where(
        sign_in_failures.c.at < now - timedelta(seconds=policy.signin_window_seconds)))


REGISTRATIONS = ("register", "register_existing")


def registrations(conn: sa.Connection, *, address: str, now: datetime, policy: AuthPolicy) -> Throttle:
    """Whether this address may try another registration (web sign-ups in the window)."""
    since = now - timedelta(seconds=policy.signin_window_seconds)
    times = conn.execute(
        sa.select(security_events.c.at)
        .where(security_events.c.at > since, security_events.c.address == address,
               security_events.c.actor == "web", security_events.c.event.in_(REGISTRATIONS))).scalars().all()
    wait = _wait(list(times), policy.register_max_per_address, now=now, policy=policy)
    return Throttle(allowed=not wait, retry_after_seconds=wait)

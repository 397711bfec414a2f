"""Accounts: register, sign in, change password, profile, role, disable (PostgreSQL, `app.users`).

Every function takes an open connection inside the caller's transaction and writes its
security event there too, so an account change and its audit row commit together.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert

from tanso.auth import audit, sessions, throttle
from tanso.auth.passwords import hash_password, password_problem, verify_password
from tanso.auth.policy import AuthPolicy
from tanso.db.tables.accounts import ROLES, users

LANGUAGES = ("en", "ko")
MAX_EMAIL = 254
MAX_DISPLAY_NAME = 80
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class AccountError(ValueError):
    """A request the account system refuses; the message is shown to the user as is."""


@dataclass(frozen=True)
class User:
    id: int | None
    email: str
    display_name: str
    language: str
    role: str   # "guest" for visitors who have not signed in

    @property
    def is_guest(self) -> bool:
        return self.id is None

    def has_role(self, role: str) -> bool:
        """True when the user's role is `role` or above (member < moderator < admin)."""
        return not self.is_guest and ROLES.index(self.role) >= ROLES.index(role)


GUEST = User(id=None, email="", display_name="", language="en", role="guest")


def user_from_row(row) -> User:
    return User(id=row.id, email=row.email, display_name=row.display_name,
                language=row.language, role=row.role)


def normalise_email(email: str) -> str:
    email = (email or "").strip().lower()
    if len(email) > MAX_EMAIL or not _EMAIL.fullmatch(email) or _CONTROL.search(email):
        raise AccountError("Enter a valid email address.")
    return email


def clean_display_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise AccountError("Enter a display name.")
    if len(name) > MAX_DISPLAY_NAME or _CONTROL.search(name):
        raise AccountError(f"Use at most {MAX_DISPLAY_NAME} printable characters for the name.")
    return name


def clean_language(language: str) -> str:
    if language not in LANGUAGES:
        raise AccountError("Choose a language from the list.")
    return language


def account_key(email: str) -> str:
    """What the throttle counts by: a hash, so a password typed as the email is not kept."""
    return hashlib.sha256((email or "").strip().lower().encode()).hexdigest()


def _check_password(password: str, email: str, display_name: str) -> None:
    if problem := password_problem(password, email=email, display_name=display_name):
        raise AccountError(problem)


def create_user(conn: sa.Connection, *, email: str, display_name: str, password: str,
                language: str = "en", role: str = "member", actor: str = "web",
                address: str | None = None) -> User:
    email = normalise_email(email)
    display_name = clean_display_name(display_name)
    language = clean_language(language)
    if role not in ROLES:
        raise AccountError(f"Unknown role {role!r}; roles are {', '.join(ROLES)}.")
    _check_password(password, email, display_name)
    row = conn.execute(
        pg_insert(users).values(email=email, display_name=display_name, language=language,
                                role=role, password_hash=hash_password(password))
        .on_conflict_do_nothing(index_elements=["email"]).returning(*users.c)).first()
    if row is None:
        raise AccountError("An account with this email exists; sign in instead.")
    user = user_from_row(row)
    audit.record(conn, "register", user_id=user.id, email=email, address=address, actor=actor,
                 role=role)
    return user


@dataclass(frozen=True)
class SignIn:
    user: User | None
    retry_after_seconds: int = 0   # > 0 when refused by the throttle


def sign_in(conn: sa.Connection, *, email: str, password: str, address: str,
            now: datetime, policy: AuthPolicy) -> SignIn:
    """Check the password unless throttled; record the outcome. Same cost for unknown emails."""
    key = account_key(email)
    # one attempt per account at a time, in every process: parallel guesses cannot all slip
    # in under the limit before any failure is recorded
    conn.execute(sa.text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"), {"key": key})
    verdict = throttle.check(conn, account=key, address=address, now=now, policy=policy)
    if not verdict.allowed:
        audit.record(conn, "sign_in_throttled", address=address,
                     retry_after_seconds=verdict.retry_after_seconds)
        return SignIn(user=None, retry_after_seconds=verdict.retry_after_seconds)
    try:
        normalised = normalise_email(email)
    except AccountError:
        normalised = None
    row = conn.execute(sa.select(users).where(users.c.email == normalised)).first() \
        if normalised else None
    usable = row is not None and row.disabled_at is None
    check = verify_password(row.password_hash if usable else None, password)
    if not check.ok:
        throttle.record_failure(conn, account=key, address=address, now=now, policy=policy)
        audit.record(conn, "sign_in_failed", user_id=row.id if row else None,
                     email=row.email if row else None, address=address,
                     reason="disabled" if row is not None and not usable else
                     ("wrong_password" if row is not None else "unknown_account"))
        return SignIn(user=None)
    if check.new_hash:
        conn.execute(users.update().where(users.c.id == row.id)
                     .values(password_hash=check.new_hash))
    audit.record(conn, "sign_in", user_id=row.id, email=row.email, address=address,
                 rehashed=bool(check.new_hash))
    return SignIn(user=user_from_row(row))


def change_password(conn: sa.Connection, user: User, *, current: str, new: str,
                    address: str | None, now: datetime, policy: AuthPolicy) -> None:
    """Needs the current password (ASVS 6.2.3); ends every session of the account."""
    row = conn.execute(sa.select(users).where(users.c.id == user.id)).one()
    verdict = throttle.check(conn, account=account_key(row.email), address=address or "",
                             now=now, policy=policy)
    if not verdict.allowed:
        raise AccountError("Too many wrong passwords; try again later.")
    if not verify_password(row.password_hash, current).ok:
        throttle.record_failure(conn, account=account_key(row.email), address=address or "",
                                now=now, policy=policy)
        raise AccountError("The current password is not correct.")
    _check_password(new, row.email, row.display_name)
    conn.execute(users.update().where(users.c.id == user.id)
                 .values(password_hash=hash_password(new), password_changed_at=now))
    ended = sessions.revoke_all(conn, user.id)
    audit.record(conn, "password_changed", user_id=user.id, email=row.email, address=address,
                 sessions_ended=ended)


def update_profile(conn: sa.Connection, user: User, *, display_name: str, language: str,
                   address: str | None = None) -> User:
    display_name = clean_display_name(display_name)
    language = clean_language(language)
    row = conn.execute(users.update().where(users.c.id == user.id)
                       .values(display_name=display_name, language=language)
                       .returning(*users.c)).one()
    audit.record(conn, "profile_changed", user_id=user.id, email=row.email, address=address)
    return user_from_row(row)


def _row_by_email(conn: sa.Connection, email: str):
    row = conn.execute(sa.select(users).where(users.c.email == normalise_email(email))).first()
    if row is None:
        raise AccountError(f"No account with the email {email.strip()!r}.")
    return row


def set_role(conn: sa.Connection, email: str, role: str, *, actor: str) -> User:
    if role not in ROLES:
        raise AccountError(f"Unknown role {role!r}; roles are {', '.join(ROLES)}.")
    row = _row_by_email(conn, email)
    conn.execute(users.update().where(users.c.id == row.id).values(role=role))
    audit.record(conn, "role_changed", user_id=row.id, email=row.email, actor=actor,
                 old=row.role, new=role)
    return dataclasses.replace(user_from_row(row), role=role)


def set_disabled(conn: sa.Connection, email: str, disabled: bool, *, actor: str) -> int:
    """Disable (ending every session at once) or enable an account; returns sessions ended."""
    row = _row_by_email(conn, email)
    conn.execute(users.update().where(users.c.id == row.id)
                 .values(disabled_at=sa.func.now() if disabled else None))
    ended = sessions.revoke_all(conn, row.id) if disabled else 0
    audit.record(conn, "disabled" if disabled else "enabled", user_id=row.id, email=row.email,
                 actor=actor, sessions_ended=ended)
    return ended


def list_users(conn: sa.Connection) -> list[dict]:
    rows = conn.execute(sa.select(users.c.id, users.c.email, users.c.display_name,
                                  users.c.language, users.c.role, users.c.created_at,
                                  users.c.disabled_at).order_by(users.c.id)).all()
    return [dict(r._mapping) for r in rows]

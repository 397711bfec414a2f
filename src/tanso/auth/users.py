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
    """A request the account system refuses: a message key of the catalogs (tanso.ui.i18n)
    and its values. `str()` is the English text (the CLI prints it); pages show `text(lang)`."""

    def __init__(self, key: str, **values):
        self.key, self.values = key, values
        super().__init__(self.text("en"))

    def text(self, lang: str) -> str:
        from tanso.ui.i18n import t

        return t(self.key, lang, **self.values)


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
        raise AccountError("account.error.email")
    return email


def clean_display_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise AccountError("account.error.name_missing")
    if len(name) > MAX_DISPLAY_NAME or _CONTROL.search(name):
        raise AccountError("account.error.name_long", n=MAX_DISPLAY_NAME)
    return name


def clean_language(language: str) -> str:
    if language not in LANGUAGES:
        raise AccountError("account.error.language")
    return language


def account_key(email: str) -> str:
    """What the throttle counts by: a hash, so a password typed as the email is not kept."""
    return hashlib.sha256((email or "").strip().lower().encode()).hexdigest()


def _check_password(password: str, email: str, display_name: str) -> None:
    if problem := password_problem(password, email=email, display_name=display_name):
        key, values = problem
        raise AccountError(key, **values)


def _check_role(role: str) -> str:
    if role not in ROLES:
        raise AccountError("account.error.role", role=role, roles=", ".join(ROLES))
    return role


def _insert_user(conn: sa.Connection, *, email: str, display_name: str, password: str,
                 language: str, role: str):
    """The new `app.users` row, or None when the email has an account. The password is
    hashed either way, so both cost the same argon2 time."""
    email = normalise_email(email)
    display_name = clean_display_name(display_name)
    language = clean_language(language)
    _check_password(password, email, display_name)
    return conn.execute(
        pg_insert(users).values(email=email, display_name=display_name, language=language,
                                role=_check_role(role), password_hash=hash_password(password))
        .on_conflict_do_nothing(index_elements=["email"]).returning(*users.c)).first()


def create_user(conn: sa.Connection, *, email: str, display_name: str, password: str,
                language: str = "en", role: str = "member", actor: str = "cli",
                address: str | None = None) -> User:
    """An account made by an administrator (`tanso user create`), who may know it exists."""
    row = _insert_user(conn, email=email, display_name=display_name, password=password,
                       language=language, role=role)
    if row is None:
        raise AccountError("account.error.exists")
    user = user_from_row(row)
    audit.record(conn, "register", user_id=user.id, email=user.email, address=address,
                 actor=actor, role=role)
    return user


@dataclass(frozen=True)
class Registration:
    retry_after_seconds: int = 0   # > 0 when refused by the per-address throttle


def register(conn: sa.Connection, *, email: str, display_name: str, password: str,
             language: str, address: str, now: datetime, policy: AuthPolicy) -> Registration:
    """Self-registration on the web, which must not tell whether an email has an account.

    A new email gets its account, a known one is left as it is; either way the same work is
    done (validation, an argon2 hash, one insert attempt, one audit row) and the caller shows
    the same page, without signing anybody in: the person then signs in with the password.
    Attempts are throttled per client address (a slow enumeration is still an enumeration).
    Bad input (not an email, a weak password) is refused before, alike for both.
    """
    conn.execute(sa.text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
                 {"key": f"tanso.register:{address}"})   # parallel attempts count one by one
    verdict = throttle.registrations(conn, address=address, now=now, policy=policy)
    if not verdict.allowed:
        audit.record(conn, "register_throttled", address=address,
                     retry_after_seconds=verdict.retry_after_seconds)
        return Registration(retry_after_seconds=verdict.retry_after_seconds)
    row = _insert_user(conn, email=email, display_name=display_name, password=password,
                       language=language, role="member")
    if row is not None:
        audit.record(conn, "register", user_id=row.id, email=row.email, address=address)
    else:
        audit.record(conn, "register_existing", email=normalise_email(email), address=address)
    return Registration()


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
        raise AccountError("account.error.password_throttled")
    if not verify_password(row.password_hash, current).ok:
        throttle.record_failure(conn, account=account_key(row.email), address=address or "",
                                now=now, policy=policy)
        raise AccountError("account.error.current_password")
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
        raise AccountError("account.error.no_account", email=email.strip())
    return row


def set_role(conn: sa.Connection, email: str, role: str, *, actor: str) -> User:
    _check_role(role)
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

"""Password hashing (argon2id) and the password rules (ASVS 5.0 §6.2).

Cost: argon2id with m = 19 MiB, t = 2, p = 1, the OWASP Password Storage Cheat Sheet
minimum. On the 2-core test machine one hash takes ≈ 30 ms, so ten sign-ins at once stay
under the 300 ms p95 target (benchmarks/auth.py prints it); argon2-cffi's default
(RFC 9106 low-memory, m = 64 MiB, t = 3, p = 4) took ≈ 200 ms each, ≈ 1 s at ten at once.
A hash made with other parameters is replaced at the next successful sign-in.

Rules: at least 8 characters, at most 256 (so a passphrase manager's 64+ characters work;
the cap only stops hashing megabytes), no composition rules, checked as typed (never trimmed
or truncated) against the list of common passwords shipped beside this module.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_LENGTH = 8
MAX_LENGTH = 256
COMMON_PASSWORDS = Path(__file__).with_name("common-passwords.txt.gz")

HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1, hash_len=32,
                        salt_len=16, type=Type.ID)

# Verified against when the account does not exist (or is disabled), so a sign-in for an
# unknown email costs the same argon2 time as one for a real account.
_DUMMY_HASH = HASHER.hash("tanso: no such account, constant-time placeholder")


def hash_password(password: str) -> str:
    return HASHER.hash(password)


@dataclass(frozen=True)
class Verification:
    ok: bool
    new_hash: str | None = None   # set when the stored hash used old parameters


def verify_password(stored_hash: str | None, password: str) -> Verification:
    """Check `password` against `stored_hash`; None (no such account) burns the same time."""
    try:
        HASHER.verify(stored_hash or _DUMMY_HASH, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return Verification(ok=False)
    if stored_hash is None:
        return Verification(ok=False)
    rehash = hash_password(password) if HASHER.check_needs_rehash(stored_hash) else None
    return Verification(ok=True, new_hash=rehash)


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    with gzip.open(COMMON_PASSWORDS, "rt", encoding="utf-8") as lines:
        return frozenset(line.strip() for line in lines if line.strip())


def password_problem(password: str, *, email: str = "", display_name: str = "") -> tuple[str, dict] | None:
    """Why `password` is not acceptable: a message key of the catalogs (tanso.ui.i18n) and its
    values, one sentence for the form; None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return "account.error.password_short", {"n": MIN_LENGTH}
    if len(password) > MAX_LENGTH:
        return "account.error.password_long", {"n": MAX_LENGTH}
    lowered = password.lower()
    if lowered in common_passwords():
        return "account.error.password_common", {}
    own = {email.lower(), email.lower().split("@")[0], display_name.lower()} - {""}
    if lowered in own:
        return "account.error.password_own", {}
    return None

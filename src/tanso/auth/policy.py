"""The numbers of the account system, from the environment (tests shorten the windows).

| variable                          | default  | meaning                                        |
|-----------------------------------|----------|------------------------------------------------|
| TANSO_SESSION_IDLE_SECONDS        | 86400    | a session unused this long ends                |
| TANSO_SESSION_MAX_SECONDS         | 1209600  | a session ends this long after sign-in (14 d)  |
| TANSO_SIGNIN_WINDOW_SECONDS       | 900      | failed sign-ins are counted over this window   |
| TANSO_SIGNIN_MAX_PER_ACCOUNT      | 10       | failures per account in the window, then wait  |
| TANSO_SIGNIN_MAX_PER_ADDRESS      | 50       | failures per client address in the window      |
| TANSO_REGISTER_MAX_PER_ADDRESS    | 10       | registrations per client address in the window |
| TANSO_SESSION_RECHECK_SECONDS     | 5        | how often live app sessions are re-validated   |
| TANSO_SECRET_KEY                  | (file)   | HMAC key of XSRF tokens; else $TANSO_HOME/secret_key |

Every process and pod must share TANSO_SECRET_KEY (the chart sets it from a Secret); the
file fallback serves one machine.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from functools import lru_cache

from tanso.config import settings


@dataclass(frozen=True)
class AuthPolicy:
    session_idle_seconds: int = 86_400
    session_max_seconds: int = 14 * 86_400
    signin_window_seconds: int = 900
    signin_max_per_account: int = 10
    signin_max_per_address: int = 50
    register_max_per_address: int = 10
    session_recheck_seconds: float = 5.0


_ENV = {
    "session_idle_seconds": ("TANSO_SESSION_IDLE_SECONDS", int),
    "session_max_seconds": ("TANSO_SESSION_MAX_SECONDS", int),
    "signin_window_seconds": ("TANSO_SIGNIN_WINDOW_SECONDS", int),
    "signin_max_per_account": ("TANSO_SIGNIN_MAX_PER_ACCOUNT", int),
    "signin_max_per_address": ("TANSO_SIGNIN_MAX_PER_ADDRESS", int),
    "register_max_per_address": ("TANSO_REGISTER_MAX_PER_ADDRESS", int),
    "session_recheck_seconds": ("TANSO_SESSION_RECHECK_SECONDS", float),
}


@lru_cache(maxsize=1)
def auth_policy() -> AuthPolicy:
    values = {}
    for field, (variable, kind) in _ENV.items():
        if raw := os.environ.get(variable):
            try:
                values[field] = kind(raw)
            except ValueError:
                raise ValueError(f"{variable}={raw!r} is not a number") from None
    return AuthPolicy(**values)


@lru_cache(maxsize=1)
def secret_key() -> bytes:
    if key := os.environ.get("TANSO_SECRET_KEY"):
        return key.encode()
    path = settings().home / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        # write then link: a second process starting at the same time reads the same key
        draft = path.with_name(f"secret_key.{os.getpid()}")
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_urlsafe(48))
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text().strip().encode()

"""`tanso user` and the account rules against real PostgreSQL: the first admin, roles, disabling,
bad input (one clear line, nothing changed), throttling shared across connections, the audit log."""

from __future__ import annotations

import json
import subprocess
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from tanso.auth import sessions, users
from tanso.auth.policy import AuthPolicy
from tanso.auth.tokens import session_hash
from tests.conftest import ROOT, TANSO

pytestmark = pytest.mark.integration

PASSWORD = "Admin passphrase 2050"


def create(backend, *args, password=PASSWORD, check=True):
    """`tanso user create ...` with the password on stdin, as a script would pipe it."""
    result = subprocess.run([*TANSO, "user", "create", *args], input=password + "\n",
                            env=backend.env, cwd=ROOT, capture_output=True, text=True,
                            timeout=120, check=False)
    if check:
        assert result.returncode == 0, result.stderr
    return result


def test_first_admin_from_stdin_then_list_role_disable(backend):
    result = create(backend, "--admin", "Chief@Example.org", "--name", "Chief")
    assert json.loads(result.stdout) == {"id": json.loads(result.stdout)["id"],
                                         "email": "chief@example.org", "display_name": "Chief",
                                         "role": "admin"}
    assert PASSWORD not in result.stdout + result.stderr
    create(backend, "member@example.org")
    listed = {u["email"]: u for u in json.loads(backend.cli("user", "list").stdout)}
    assert listed["chief@example.org"]["role"] == "admin"
    assert listed["member@example.org"]["role"] == "member"
    assert "password_hash" not in listed["member@example.org"]

    assert json.loads(backend.cli("user", "role", "member@example.org", "moderator").stdout) == \
        {"email": "member@example.org", "role": "moderator"}
    assert json.loads(backend.cli("user", "disable", "member@example.org").stdout)["disabled"]
    listed = {u["email"]: u for u in json.loads(backend.cli("user", "list").stdout)}
    assert listed["member@example.org"]["disabled_at"] is not None
    backend.cli("user", "enable", "member@example.org")

    with backend.engine.connect() as conn:
        events = conn.execute(sa.text(
            "SELECT event, actor, detail FROM ops.security_events WHERE email = "
            "'member@example.org' ORDER BY id")).all()
    assert [e.event for e in events] == ["register", "role_changed", "disabled", "enabled"]
    assert {e.actor for e in events} == {"cli"}
    assert events[1].detail == {"old": "member", "new": "moderator"}


@pytest.mark.parametrize(("args", "password", "message"), [
    (("dup@example.org",), PASSWORD, "exists"),                 # created once below, then again
    (("not-an-email",), PASSWORD, "valid email"),
    (("short@example.org",), "short", "at least 8"),
    (("common@example.org",), "password123", "most common"),
    (("empty@example.org",), "", "no password on stdin"),
    (("role@example.org", "--role", "owner"), PASSWORD, "Unknown role"),
])
def test_bad_input_is_one_line_and_changes_nothing(backend, args, password, message):
    if message == "exists":
        create(backend, *args)
    before = backend.count("app.users")
    result = create(backend, *args, password=password, check=False)
    assert result.returncode != 0
    assert result.stderr.strip().startswith("error:") and message in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert backend.count("app.users") == before


@pytest.mark.parametrize("command", [("disable", "nobody@example.org"),
                                     ("role", "nobody@example.org", "admin"),
                                     ("role", "chief@example.org", "superuser")])
def test_unknown_accounts_and_roles(backend, command):
    create(backend, "chief@example.org", check=False)
    result = backend.cli("user", *command, check=False)
    assert result.returncode == 1 and result.stderr.startswith("error:")
    assert "Traceback" not in result.stderr


def test_the_password_is_never_an_argument(backend):
    result = backend.cli("user", "create", "arg@example.org", "--password", PASSWORD, check=False)
    assert result.returncode != 0


def test_throttle_counts_across_connections_and_expires(backend):
    policy = AuthPolicy(signin_window_seconds=60, signin_max_per_account=3)
    now = datetime.now(UTC)
    engine = backend.engine
    with engine.begin() as conn:
        users.create_user(conn, email="throttle@example.org", display_name="T", password=PASSWORD)
    outcomes = []
    for attempt in range(5):
        with engine.begin() as conn:   # a fresh connection each time, as separate processes
            result = users.sign_in(conn, email="throttle@example.org", password=f"no {attempt}",
                                   address="192.0.2.1", now=now + timedelta(seconds=attempt),
                                   policy=policy)
        outcomes.append(result.retry_after_seconds)
    assert outcomes == [0, 0, 0, 57, 56]   # oldest failure at +0 s leaves the 60 s window at +60
    with engine.begin() as conn:
        later = users.sign_in(conn, email="throttle@example.org", password=PASSWORD,
                              address="192.0.2.1", now=now + timedelta(seconds=63), policy=policy)
    assert later.user is not None and later.user.email == "throttle@example.org"


def test_unknown_account_failures_keep_no_typed_email(backend):
    policy = AuthPolicy()
    typed = "my secret passphrase typed as email"
    with backend.engine.begin() as conn:
        result = users.sign_in(conn, email=typed, password="x", address="192.0.2.9",
                               now=datetime.now(UTC), policy=policy)
    assert result.user is None
    with backend.engine.connect() as conn:
        dump = conn.execute(sa.text(
            "SELECT string_agg(f::text, ' ') FROM ops.sign_in_failures f")).scalar() + \
            conn.execute(sa.text(
                "SELECT string_agg(e::text, ' ') FROM ops.security_events e")).scalar()
    assert typed not in dump


def test_sessions_expire_when_idle_or_old(backend):
    policy = AuthPolicy(session_idle_seconds=60, session_max_seconds=300)
    start = datetime.now(UTC)
    with backend.engine.begin() as conn:
        user = users.create_user(conn, email="expiry@example.org", display_name="E",
                                 password=PASSWORD)

    def new_session() -> bytes:
        with backend.engine.begin() as conn:
            return session_hash(sessions.create(conn, user.id, address=None, user_agent=None,
                                                now=start, policy=policy))

    def valid_at(token_hash: bytes, seconds: int) -> bool:
        with backend.engine.begin() as conn:
            return sessions.user_for(conn, token_hash, now=start + timedelta(seconds=seconds),
                                     policy=policy) is not None

    idle = new_session()
    assert valid_at(idle, 50)          # used at +50 s: the idle clock restarts there
    assert valid_at(idle, 105)         # 55 s after the last use
    assert not valid_at(idle, 166)     # 61 s without use: ended
    assert not valid_at(idle, 170)     # and stays ended

    busy = new_session()
    for seconds in (50, 100, 150, 200, 250, 299):   # used often: never idle...
        assert valid_at(busy, seconds)
    assert not valid_at(busy, 301)     # ...but 300 s after sign-in it ends anyway


def test_parallel_guesses_cannot_slip_under_the_limit(backend):
    from concurrent.futures import ThreadPoolExecutor

    policy = AuthPolicy(signin_window_seconds=600, signin_max_per_account=3)
    engine = sa.create_engine(backend.url, pool_size=10)
    with engine.begin() as conn:
        users.create_user(conn, email="parallel@example.org", display_name="P", password=PASSWORD)

    def guess(attempt: int) -> int:
        with engine.begin() as conn:
            return users.sign_in(conn, email="parallel@example.org", password=f"guess {attempt}",
                                 address=f"198.51.100.{attempt}", now=datetime.now(UTC),
                                 policy=policy).retry_after_seconds

    with ThreadPoolExecutor(10) as pool:
        waits = list(pool.map(guess, range(10)))
    engine.dispose()
    assert sum(wait == 0 for wait in waits) == 3     # exactly the limit was checked
    assert backend.count("ops.sign_in_failures WHERE address LIKE '198.51.100.%'") == 3


def test_the_session_check_survives_dropped_connections(backend, monkeypatch):
    """The per-request check has no pre-ping round trip; a connection the server dropped (as
    after a restart) costs one retry, never a refused or failed request."""
    from tanso.auth import web
    from tanso.db import engine as db_engine

    monkeypatch.setattr(db_engine, "database_url", lambda **_: backend.url)   # this backend
    web.engine.cache_clear()
    web._reader.cache_clear()
    with backend.engine.begin() as conn:
        user = users.create_user(conn, email="dropped@example.org", display_name="D",
                                 password=PASSWORD)
        token_hash = session_hash(sessions.create(conn, user.id, address=None, user_agent=None,
                                                  now=datetime.now(UTC), policy=AuthPolicy()))
    try:
        assert web.lookup(token_hash).email == "dropped@example.org"   # a pooled connection now
        with backend.engine.begin() as conn:
            ended = conn.execute(sa.text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE application_name = :name"), {"name": web.SESSION_CHECK}).scalar_one()
        assert ended >= 1
        assert web.lookup(token_hash).email == "dropped@example.org"
    finally:
        web._reader().dispose()
        web.engine.cache_clear()
        web._reader.cache_clear()

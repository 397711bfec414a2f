"""The pure parts of tanso.auth: password rules and hashing, tokens, redirects, throttle policy."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher

from tanso.auth import passwords
from tanso.auth.policy import AuthPolicy
from tanso.auth.redirects import safe_next
from tanso.auth.throttle import decide
from tanso.auth.tokens import (
    new_session_id,
    new_xsrf_cookie,
    session_hash,
    xsrf_form_token,
    xsrf_token_valid,
)
from tanso.auth.users import AccountError, clean_display_name, normalise_email

# --- passwords -------------------------------------------------------------------------


def test_hashes_are_argon2id_with_the_chosen_cost():
    stored = passwords.hash_password("a long enough passphrase")
    assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert passwords.verify_password(stored, "a long enough passphrase") == passwords.Verification(True)


def test_wrong_password_and_unknown_account_fail():
    stored = passwords.hash_password("a long enough passphrase")
    assert not passwords.verify_password(stored, "a long enough passphrasE").ok
    assert not passwords.verify_password(None, "a long enough passphrase").ok
    assert not passwords.verify_password("not a hash", "whatever").ok


def test_a_hash_with_old_parameters_is_replaced_at_sign_in():
    old = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1).hash("my old passphrase")
    result = passwords.verify_password(old, "my old passphrase")
    assert result.ok
    assert result.new_hash.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert passwords.verify_password(result.new_hash, "my old passphrase").ok


@pytest.mark.parametrize(("password", "problem", "english", "korean"), [
    ("short7!", ("account.error.password_short", {"n": 8}), "Use at least 8 characters.", "8자 이상으로 정하세요."),
    ("x" * 257, ("account.error.password_long", {"n": 256}), "Use at most 256 characters.", "256자 이내로 정하세요."),
    ("password1", ("account.error.password_common", {}), "most common", "흔히"),
    ("PASSWORD1", ("account.error.password_common", {}), "most common", "흔히"),  # the list is lower case
    ("iloveyou2", ("account.error.password_common", {}), "most common", "흔히"),
    ("jane.doe", ("account.error.password_own", {}), "email or name", "이메일이나 이름"),
    ("Jane Doe Smith", ("account.error.password_own", {}), "email or name", "이메일이나 이름"),
])
def test_password_rules(password, problem, english, korean):
    """Each rule is a catalog key and its values; the form shows it in the page's language."""
    assert passwords.password_problem(password, email="jane.doe@example.org",
                                      display_name="Jane Doe Smith") == problem
    error = AccountError(problem[0], **problem[1])
    assert english in str(error) and english in error.text("en") and korean in error.text("ko")


@pytest.mark.parametrize("password", [
    "eight ch",                           # exactly 8, spaces allowed
    "x" * 64, "y" * 256,                  # long passphrases, no cap below 256
    "  leading and trailing spaces  ",    # kept as typed, never trimmed
    "탄소중립 2050 목표!",                  # unicode
])
def test_acceptable_passwords(password):
    assert passwords.password_problem(password, email="a@b.org") is None
    stored = passwords.hash_password(password)
    assert passwords.verify_password(stored, password).ok
    assert not passwords.verify_password(stored, password.strip() + "!").ok


def test_common_password_list_is_shipped_and_complete():
    common = passwords.common_passwords()
    assert len(common) > 19_000         # 19,640 lines, a few equal once stripped
    assert {"123456", "password", "qwerty"} <= common


# --- tokens ----------------------------------------------------------------------------

def test_session_ids_are_random_256_bit_and_stored_as_sha256():
    ids = {new_session_id() for _ in range(100)}
    assert len(ids) == 100
    assert all(len(i) == 43 for i in ids)             # 32 bytes, url-safe base64 unpadded
    # SHA-256 of "abc" (FIPS 180-2 test vector)
    assert session_hash("abc").hex() == \
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def test_xsrf_token_is_bound_to_cookie_and_secret():
    cookie = new_xsrf_cookie()
    token = xsrf_form_token(b"secret", cookie)
    assert xsrf_token_valid(b"secret", cookie, token)
    assert not xsrf_token_valid(b"other secret", cookie, token)
    assert not xsrf_token_valid(b"secret", new_xsrf_cookie(), token)
    assert not xsrf_token_valid(b"secret", cookie, None)
    assert not xsrf_token_valid(b"secret", None, token)
    assert not xsrf_token_valid(b"secret", cookie, cookie)   # the bare cookie is not a token


# --- redirects -------------------------------------------------------------------------

@pytest.mark.parametrize("target", [
    "https://evil.example", "http://evil.example/login", "//evil.example", "///evil.example",
    "/\\evil.example", "\\\\evil.example", "/%5Cevil.example", "/%2F%2Fevil.example",
    "https:evil.example", "javascript:alert(1)", "java\tscript:alert(1)", "/\t/evil.example",
    "/%0d%0aSet-Cookie:x=1", "evil.example", "", None, "/" + "a" * 2001,
])
def test_next_never_leaves_the_site(target):
    assert safe_next(target) == "/"


@pytest.mark.parametrize("target", ["/", "/national_trends", "/national_trends?lang=ko&c=KOR",
                                    "/account#profile", "/a%20b"])
def test_next_inside_the_site_is_kept(target):
    assert safe_next(target) == target


# --- throttle --------------------------------------------------------------------------

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
POLICY = AuthPolicy(signin_window_seconds=900, signin_max_per_account=10,
                    signin_max_per_address=50)


def ago(*seconds: int) -> list[datetime]:
    return [NOW - timedelta(seconds=s) for s in seconds]


def test_under_the_limit_is_allowed():
    verdict = decide(account_failures=ago(*range(10, 100, 10)), address_failures=[], now=NOW,
                     policy=POLICY)   # 9 failures
    assert verdict.allowed and verdict.retry_after_seconds == 0


def test_tenth_failure_throttles_until_the_oldest_leaves_the_window():
    # failures 10 s, 20 s, ... 100 s ago: the oldest (100 s ago) leaves the 900 s window in 800 s
    verdict = decide(account_failures=ago(*range(10, 101, 10)), address_failures=[], now=NOW,
                     policy=POLICY)
    assert not verdict.allowed and verdict.retry_after_seconds == 800


def test_failures_outside_the_window_do_not_count():
    verdict = decide(account_failures=ago(*range(901, 920)), address_failures=[], now=NOW,
                     policy=POLICY)
    assert verdict.allowed


def test_with_more_than_the_limit_the_wait_is_until_enough_have_aged_out():
    # 12 failures 1..12 s ago, limit 10: allowed when 3 have left, i.e. the one 10 s ago: 890 s
    verdict = decide(account_failures=ago(*range(1, 13)), address_failures=[], now=NOW,
                     policy=POLICY)
    assert verdict.retry_after_seconds == 890


def test_address_limit_applies_across_accounts():
    verdict = decide(account_failures=[], address_failures=ago(*range(1, 51)), now=NOW,
                     policy=POLICY)
    assert not verdict.allowed and verdict.retry_after_seconds == 900 - 50


# --- account fields --------------------------------------------------------------------

def test_emails_are_normalised_and_checked():
    assert normalise_email("  Jane.Doe@Example.ORG ") == "jane.doe@example.org"
    assert normalise_email("o'brien+\"x\";--@example.org") == "o'brien+\"x\";--@example.org"
    for bad in ("", "no-at-sign", "two@@example.org", "a b@example.org", "a@b.org\x00",
                "x" * 250 + "@b.org"):
        with pytest.raises(AccountError):
            normalise_email(bad)


def test_display_names_keep_markup_characters_but_not_control_characters():
    assert clean_display_name(" <b>Robert'); DROP TABLE app.users;--</b> ") == \
        "<b>Robert'); DROP TABLE app.users;--</b>"
    for bad in ("", "   ", "a\nb", "x" * 81):
        with pytest.raises(AccountError):
            clean_display_name(bad)

"""Accounts as a person uses them in Chromium: register, sign in, see the name in the header, sign out,
sign in again; a replayed cookie gets a guest's page; the name is shown as text."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.integration]

EMAIL = "browser.person@example.org"
NAME = "<i>Ann</i> O'Neil & \"co\"; DROP TABLE app.users;--"
PASSWORD = "Browser passphrase 2050"


def header_name(page):
    return page.get_by_test_id("account-name")


def test_register_sign_out_sign_in_and_replayed_cookie(suite_url, page, browser):
    page.goto(f"{suite_url}/index")
    page.get_by_test_id("register").click()
    page.wait_for_url("**/register?next=**")
    page.fill("#email", EMAIL)
    page.fill("#display_name", NAME)
    page.fill("#password", PASSWORD)
    page.get_by_test_id("submit").click()

    # registering signs nobody in and says the same whether the email was new (users.register):
    # the sign-in form follows, email filled in
    notice = page.get_by_test_id("notice")
    notice.wait_for(timeout=60_000)
    assert notice.inner_text().startswith(f"If {EMAIL} had no account yet, it has one now")
    assert page.input_value("#email") == EMAIL
    page.fill("#password", PASSWORD)
    page.get_by_test_id("submit").click()
    header_name(page).wait_for(timeout=60_000)         # back on the landing page, signed in
    assert header_name(page).inner_text() == NAME      # shown verbatim, as text
    assert page.url.startswith(f"{suite_url}/index")
    cookie = next(c for c in page.context.cookies() if c["name"] == "tanso_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"

    page.get_by_test_id("sign-out").click()
    page.wait_for_url("**/logout?lang=*")   # the page's language kept
    page.get_by_test_id("submit").click()              # sign-out is a POST with its token
    page.get_by_test_id("sign-in").wait_for(timeout=60_000)
    assert not any(c["name"] == "tanso_session" for c in page.context.cookies())

    # the old cookie, replayed in another browser, gets a guest's page and no account page
    replay = browser.new_context()
    replay.add_cookies([{k: cookie[k] for k in ("name", "value", "domain", "path")}])
    other = replay.new_page()
    other.goto(f"{suite_url}/index")
    other.get_by_test_id("sign-in").wait_for(timeout=60_000)
    other.goto(f"{suite_url}/account")
    assert "/login?next=/account" in other.url
    replay.close()

    # sign in again through the header link: back where we were, by name
    page.get_by_test_id("sign-in").click()
    page.fill("#email", EMAIL.upper())
    page.fill("#password", PASSWORD)
    page.get_by_test_id("submit").click()
    header_name(page).wait_for(timeout=60_000)
    assert header_name(page).inner_text() == NAME
    assert page.js_errors == []


def test_wrong_password_is_a_clear_message(suite_url, page):
    page.goto(f"{suite_url}/login")
    page.fill("#email", "nobody@example.org")
    page.fill("#password", "not the password")
    page.get_by_test_id("submit").click()
    assert page.get_by_test_id("error").inner_text() == "Wrong email or password."
    assert page.input_value("#email") == "nobody@example.org"
    assert page.input_value("#password") == ""


def test_no_typed_password_reaches_the_server_log(suite_url, suite_log, page):
    """Runs after the tests above in this module: every password they typed, and one typed
    into the email field (people do), is absent from everything the server logged."""
    typed_as_email = "my secret passphrase 1"
    page.goto(f"{suite_url}/login")
    page.evaluate("document.querySelector('form').noValidate = true")   # past type=email's check
    page.fill("#email", typed_as_email)
    page.fill("#password", PASSWORD)
    page.get_by_test_id("submit").click()
    page.get_by_test_id("error").wait_for(timeout=60_000)
    log = suite_log.read_text()
    assert "security event" in log      # the server does log sign-ins (this is the right file)
    for typed in (PASSWORD, "not the password", typed_as_email):
        assert typed not in log

"""The admin page in Chromium: an administrator sees accounts, reports and runs and changes a
role (audited); a member and a guest are refused with a clear message; no payload runs."""

from __future__ import annotations

import secrets

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from tanso.auth.users import create_user

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "Admin browser passphrase 2050"


@pytest.fixture(scope="module")
def accounts(loaded_embedded):
    tag = secrets.token_hex(3)
    engine = loaded_embedded.engine
    with engine.begin() as conn:
        made = {role: create_user(conn, email=f"{role}.{tag}@example.org",
                                  display_name=f"<img src=x onerror=alert(1)>{role}",
                                  password=PASSWORD, role=role, actor="test")
                for role in ("admin", "member")}
        conn.execute(sa.text(
            "INSERT INTO ops.pipeline_runs (run_id, pipeline, step, status, started_at, "
            "finished_at, error) VALUES (:r, 'admin-browser', 'broken', 'failed', now(), now(), "
            "'RuntimeError: <b>boom</b>')"), {"r": f"browser-{tag}"})
    return engine, made


def sign_in(page, suite_url, email):
    page.goto(f"{suite_url}/login?next=/admin")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.get_by_test_id("submit").click()
    page.wait_for_url("**/admin**", timeout=60_000)


def test_admin_sees_the_page_and_a_role_change_is_audited(page, suite_url, accounts, artifacts):
    engine, made = accounts
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    sign_in(page, suite_url, made["admin"].email)
    expect(page.get_by_text("Signed in as").first).to_be_visible(timeout=60_000)
    expect(page.get_by_text(made["member"].email).first).to_be_visible()

    page.get_by_role("combobox", name="Account").select_option(made["member"].email)
    page.get_by_role("combobox", name="Role").select_option("moderator")
    # the server has both choices when it says what the button will do
    expect(page.locator(".admin-plan").get_by_text(
        f"{made['member'].email} — Change role makes this account moderator.")).to_be_visible(
        timeout=30_000)
    page.get_by_role("button", name="Change role").click()
    expect(page.get_by_text(f"{made['member'].email} is now moderator.").first).to_be_visible(
        timeout=30_000)
    with engine.connect() as conn:
        event = conn.execute(sa.text(
            "SELECT actor, detail->>'old', detail->>'new' FROM ops.security_events "
            "WHERE event = 'role_changed' AND email = :e"), {"e": made["member"].email}).one()
    assert tuple(event) == (made["admin"].email, "member", "moderator")

    page.get_by_text("Pipeline runs").first.click()
    expect(page.get_by_text("did not succeed").first).to_be_visible(timeout=30_000)
    expect(page.get_by_text("RuntimeError: <b>boom</b>").first).to_be_visible()
    page.wait_for_timeout(1000)
    page.screenshot(path=artifacts / "admin.png", full_page=True)
    assert dialogs == [] and page.js_errors == []


def test_member_and_guest_are_refused(page, browser, suite_url, accounts):
    engine, made = accounts
    page.goto(f"{suite_url}/admin")
    expect(page.get_by_text("This page is for administrators.").first).to_be_visible(timeout=60_000)
    expect(page.get_by_text("Sign in").first).to_be_visible()
    assert page.get_by_text("Change role").count() == 0

    with engine.begin() as conn:   # the other test may have promoted the member: make it a member
        conn.execute(sa.text("UPDATE app.users SET role = 'member' WHERE id = :i"),
                     {"i": made["member"].id})
    member = browser.new_context().new_page()
    sign_in(member, suite_url, made["member"].email)
    expect(member.get_by_text("Your account's role is member").first).to_be_visible(timeout=60_000)
    assert member.get_by_text("Change role").count() == 0
    assert member.get_by_text(made["admin"].email).count() == 0
    member.context.close()

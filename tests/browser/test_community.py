"""The VCM community as people use it in Chromium: a member signs in, proposes a project,
supports and comments on a registry project, signs out; a moderator publishes the proposal;
the XSS payload corpus in comments, proposal names and descriptions is shown as inert text
(no dialog, no page error). Screenshots go to test-artifacts/."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "Community passphrase 2050"
PROJECT = "GLD1005"
PAYLOADS = [line for line in (Path(__file__).parents[1] / "data" / "xss_payloads.txt")
            .read_text().splitlines() if line and not line.startswith("#")]


@pytest.fixture(scope="module")
def vcm_url(suite_url, loaded_embedded):
    if loaded_embedded.count("core.vcm_projects") == 0:
        loaded_embedded.cli("pipeline", "run", "vcm")
    return suite_url + "/vcm_explorer"


@pytest.fixture(scope="module")
def people(loaded_embedded):
    """Accounts by role: {role: User}, all with PASSWORD."""
    from tanso.auth.users import AccountError, create_user, user_from_row

    engine = loaded_embedded.engine
    out = {}
    for role, email, name in (("member", "ann.community@example.org", "Ann"),
                              ("other", "bo.community@example.org", "Bo"),
                              ("moderator", "mo.community@example.org", "Mo")):
        with engine.begin() as conn:
            try:
                out[role] = create_user(conn, email=email, display_name=name, password=PASSWORD,
                                        role="moderator" if role == "moderator" else "member")
            except AccountError:   # made by an earlier module of this session
                out[role] = user_from_row(conn.execute(sa.text(
                    "SELECT * FROM app.users WHERE email = :e"), {"e": email}).one())
    return out


@pytest.fixture
def watched(page):
    """The page, recording any dialog (a payload that ran) and page errors."""
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.dialogs = dialogs
    return page


def field(page, label: str):
    """A text box of the page by its label (the sidebar's facets have labels like these)."""
    return page.get_by_role("textbox", name=label, exact=True)


def settle(page) -> None:
    """Leave the field and let its value reach the server before a button is pressed: Panel
    applies typed values in a batch, and a click arriving first would act on the old text."""
    page.keyboard.press("Tab")
    page.wait_for_timeout(700)


def sign_in(page, base: str, user, path: str) -> None:
    page.goto(f"{base}/login?next={quote(path, safe='/')}")
    page.fill("#email", user.email)
    page.fill("#password", PASSWORD)
    page.get_by_test_id("submit").click()
    page.get_by_test_id("account-name").wait_for(timeout=60_000)


def sign_out(page, base: str) -> None:
    """The header's Sign out leads to /logout (tests/browser/test_accounts.py clicks it)."""
    page.goto(f"{base}/logout")
    page.get_by_test_id("submit").click()
    page.get_by_test_id("sign-in").wait_for(timeout=60_000)


def test_sign_in_propose_support_comment_sign_out(watched, vcm_url, people, browser,
                                                  artifacts):
    page, base = watched, vcm_url.rsplit("/", 1)[0]
    name = "Jeju <b>clean</b> cookstoves"
    sign_in(page, base, people["member"], "/vcm_explorer?tab=proposals")
    page.get_by_role("button", name="New proposal").click()
    field(page, "Name").fill(name)
    field(page, "Expected credits (tCO2e)").fill("lots")
    settle(page)
    page.get_by_role("button", name="Save draft").click()
    # a clear message naming the field; what was typed stays
    expect(page.get_by_text("Expected credits (tCO2e): enter a number such as 125000"))\
        .to_be_visible(timeout=20_000)
    expect(field(page, "Name")).to_have_value(name)
    field(page, "Expected credits (tCO2e)").fill("12,500")
    field(page, "Country").fill("KR")
    field(page, "Project type").fill("Cookstoves")
    field(page, "Methodology").fill("VMR0006")
    field(page, "Description (Markdown)").fill("Efficient **stoves** for 2,000 homes.")
    settle(page)
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Draft saved.")).to_be_visible(timeout=20_000)
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_text("Submitted for review.")).to_be_visible(timeout=20_000)
    expect(page.get_by_text(name).first).to_be_visible()
    page.screenshot(path=artifacts / "community-proposal-submitted.png")

    page.goto(f"{vcm_url}?tab=project&project={PROJECT}")
    page.get_by_role("button", name="▲ Support · 0").click()
    expect(page.get_by_role("button", name="✓ Supported · 1 (withdraw)")).to_be_visible(
        timeout=20_000)
    comment = "Stove *uptake* looks real; see the monitoring report."
    page.get_by_placeholder("Write a comment").fill(comment)
    settle(page)
    page.get_by_role("button", name="Post comment").click()
    posted = page.get_by_text("Stove uptake looks real; see the monitoring report.")
    expect(posted).to_be_visible(timeout=20_000)
    expect(page.locator("em", has_text="uptake")).to_be_visible()   # Markdown rendered
    posted.scroll_into_view_if_needed()
    page.screenshot(path=artifacts / "community-project-comment.png")
    sign_out(page, base)

    # a guest sees the comment and the count, and cannot press the button
    page.goto(f"{vcm_url}?tab=project&project={PROJECT}")
    expect(page.get_by_text("Stove uptake looks real")).to_be_visible(timeout=60_000)
    expect(page.get_by_role("button", name="▲ Support · 1")).to_be_disabled()
    expect(page.get_by_role("button", name="Post comment")).to_have_count(0)

    # a moderator publishes the proposal; then it has its own support and comments
    moderator = browser.new_context(viewport={"width": 1400, "height": 1000})
    mod = moderator.new_page()
    mod_errors: list[str] = []
    mod.on("pageerror", lambda exc: mod_errors.append(str(exc)))
    mod.on("dialog", lambda dialog: (mod_errors.append(dialog.message), dialog.dismiss()))
    sign_in(mod, base, people["moderator"], "/vcm_explorer?tab=proposals")
    mod.get_by_text(name).first.click()
    mod.get_by_role("button", name="Publish").click()
    expect(mod.get_by_text("Published.")).to_be_visible(timeout=20_000)
    mod.get_by_placeholder("Write a comment").fill("Published: thanks for the details.")
    settle(mod)
    mod.get_by_role("button", name="Post comment").click()
    expect(mod.locator("p", has_text="Published: thanks for the details.")).to_be_visible(
        timeout=20_000)
    mod.screenshot(path=artifacts / "community-proposal-published.png", full_page=True)
    moderator.close()
    assert mod_errors == []
    assert page.dialogs == [] and page.js_errors == []


def test_payloads_in_comments_and_proposals_are_inert(watched, vcm_url, people,
                                                      loaded_embedded, artifacts):
    from tanso.community import comments, proposals
    from tanso.community.policy import CommunityPolicy
    from tanso.community.targets import Target

    engine = loaded_embedded.engine
    unlimited = CommunityPolicy(comments_per_window=1000)
    published = []
    with engine.begin() as conn:
        for payload in PAYLOADS:
            comments.add(conn, people["other"], Target.project(PROJECT), payload,
                         policy=unlimited)
            proposal = proposals.create(conn, people["other"], {
                "name": f"P {payload}", "country": payload, "project_type": payload,
                "methodology": payload, "description": payload})
            proposals.submit(conn, people["other"], proposal.id)
            published.append(proposals.publish(conn, people["moderator"], proposal.id).id)
            comments.add(conn, people["other"], Target.proposal(proposal.id), payload,
                         policy=unlimited)

    page = watched
    for path in (f"?tab=project&project={PROJECT}", "?tab=proposals",
                 *[f"?tab=proposals&proposal={pid}" for pid in published[:6]]):
        page.goto(vcm_url + path)
        ready = "Choose a proposal in the list." if path == "?tab=proposals" else "Comments ("
        expect(page.get_by_text(ready).first).to_be_visible(timeout=60_000)
        page.wait_for_timeout(1500)   # a payload that ran would open its dialog by now
    page.goto(f"{vcm_url}?tab=project&project={PROJECT}")
    expect(page.get_by_text(PAYLOADS[0]).first).to_be_visible(timeout=60_000)  # shown as text
    page.get_by_text(PAYLOADS[0]).first.scroll_into_view_if_needed()
    page.screenshot(path=artifacts / "community-payload-comments.png")
    page.goto(f"{vcm_url}?tab=proposals&proposal={published[0]}")
    expect(page.get_by_text(f"P {PAYLOADS[0]}").first).to_be_visible(timeout=60_000)
    page.screenshot(path=artifacts / "community-payload-proposal.png")
    assert page.dialogs == []
    assert page.js_errors == []

"""A member creates a campaign, enters what was collected and sees its KPI; a guest cannot save."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.integration]

EMAIL = "campaign.operator@example.org"
PASSWORD = "Campaign passphrase 2050"


def register(page, suite_url):
    page.goto(f"{suite_url}/register?next=/recycling_impact?tab=campaigns")
    page.fill("#email", EMAIL)
    page.fill("#display_name", "Operator")
    page.fill("#password", PASSWORD)
    page.get_by_test_id("submit").click()
    page.get_by_test_id("account-name").wait_for(timeout=60_000)


def add_entry(page, pathway_label, kg):
    page.locator(".entry-pathway select").select_option(label=pathway_label)
    page.locator(".entry-kg input").fill(kg)
    page.locator(".entry-add button").click()


def test_create_a_campaign_and_see_its_kpi(suite_url, page, artifacts):
    register(page, suite_url)
    page.goto(f"{suite_url}/recycling_impact?tab=campaigns&lang=en")
    page.locator(".campaign-name input").fill("Otter <b>rescue</b>")
    page.locator(".campaign-org input").fill("Kogiri")
    page.locator(".campaign-create button").click()
    expect(page.get_by_text("Campaign 'Otter <b>rescue</b>' created.")).to_be_visible(timeout=30_000)

    add_entry(page, "reuse", "120")
    expect(page.get_by_text("Entry added.")).to_be_visible(timeout=30_000)
    add_entry(page, "upcycling", "264")
    add_entry(page, "recycling", "96")
    # 120×2.75×3 + 264×2.75×2.5 + 96×2.75 = 3,069 kg: 205 % of the 1.5 t monthly basic tier
    expect(page.get_by_text("3,069.0 kg CO2e").first).to_be_visible(timeout=30_000)
    expect(page.get_by_text("Basic 1.5 t: 205 %").first).to_be_visible()
    expect(page.get_by_text("weighted pathway factor 2.33").first).to_be_visible()

    page.locator(".entry-kg input").fill("-5")
    page.locator(".entry-add button").click()
    expect(page.get_by_text("kg: A weight cannot be negative")).to_be_visible(timeout=30_000)
    page.wait_for_timeout(1500)
    page.screenshot(path=artifacts / "recycling_campaign.png", full_page=True)
    assert page.js_errors == []


def test_a_guest_sees_campaigns_but_no_forms(suite_url, browser):
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{suite_url}/recycling_impact?tab=campaigns&lang=en")
    expect(page.get_by_text("You are not signed in")).to_be_visible(timeout=60_000)
    expect(page.locator(".campaign-create button")).to_be_hidden()
    context.close()

"""The recycling calculator as a user sees it: live results while typing, a bad weight named at its
field, KPI attainment and equivalents in English and Korean, at desktop and phone sizes."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import SCREEN_SIZES, settled_screenshot, sized_page
from tests.browser.members import register

pytestmark = [pytest.mark.browser, pytest.mark.slow]



def type_weights(page, *steps):
    """Fill the weights one field at a time, as a person does, waiting for each running total."""
    for name, value, total in steps:
        page.locator(f".kg-{name} input").fill(value)
        expect(page.get_by_text(total).first).to_be_visible(timeout=20000)


def test_live_results_kpi_and_equivalents(page, suite_url, artifacts):
    page.goto(suite_url + "/recycling_impact?lang=en")
    expect(page.get_by_text("Enter the kilograms collected").first).to_be_visible(timeout=30000)
    type_weights(page, ("reuse", "200", "1,650.0 kg CO2e"),             # 200 × 2.75 × 3.0
                 ("upcycle", "500", "5,087.5 kg CO2e"),                  # + 500 × 2.75 × 2.5
                 ("recycle", "300", "5,912.5 kg CO2e"))                  # + 300 × 2.75 × 1.0
    expect(page.get_by_text("weighted pathway factor 2.15")).to_be_visible()
    expect(page.get_by_text("what 269 trees absorb in a year")).to_be_visible()
    expect(page.get_by_text("Download CSV").first).to_be_visible()

    page.locator(".kg-recycle input").fill("3OO")
    expect(page.get_by_text("'3OO' is not a number of kilograms")).to_be_visible(timeout=20000)
    expect(page.get_by_text("Showing the last valid figures").first).to_be_visible()    # last good state kept
    expect(page.get_by_text("5,912.5 kg CO2e").first).to_be_visible()
    assert page.js_errors == []


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("size", list(SCREEN_SIZES))
def test_screenshots(browser, suite_url, artifacts, lang, size):
    with sized_page(browser, size) as page:
        page.goto(f"{suite_url}/recycling_impact?lang={lang}&reuse=310&upcycle=682&recycle=248")
        expect(page.get_by_text("7,928.2", exact=False).first).to_be_visible(timeout=30000)
        if lang == "ko":
            expect(page.get_by_text("나무 360그루").first).to_be_visible()
        else:
            expect(page.get_by_text("Basic 1.5 t: 529 %").first).to_be_visible()   # 7.92825 t of 1.5 t
        settled_screenshot(page, artifacts / f"recycling_impact-{lang}-{size}.png")


def test_kpi_gauges_appear_after_typing(page, suite_url):
    page.goto(suite_url + "/recycling_impact?lang=en")
    expect(page.get_by_text("Enter the kilograms collected").first).to_be_visible(timeout=30000)
    type_weights(page, ("reuse", "200", "1,650.0 kg CO2e"), ("upcycle", "500", "5,087.5 kg CO2e"),
                 ("recycle", "300", "5,912.5 kg CO2e"))
    expect(page.get_by_text("Basic 1.5 t: 394 %")).to_be_visible(timeout=10000)   # 5.9125 t of 1.5 t


def add_entry(page, pathway: str, kg: str, preview: str, total: str) -> None:
    """Choose the pathway, type the weight, wait for the live preview (the server has the form), add."""
    page.locator(".entry-pathway select").select_option(label=pathway)
    page.locator(".entry-kg input").fill(kg)
    expect(page.locator(".entry-preview").get_by_text(preview)).to_be_visible(timeout=20000)
    page.locator(".entry-add button").click()
    expect(page.get_by_text(total).first).to_be_visible(timeout=30000)


def test_member_creates_a_campaign_edits_an_entry_with_history_and_finds_it_after_reload(page, suite_url, artifacts):
    register(page, suite_url, email="campaign.operator@example.org", name="Campaign Operator",
             next_path="/recycling_impact?lang=en&tab=campaigns")
    page.goto(suite_url + "/recycling_impact?lang=en&tab=campaigns")
    expect(page.get_by_text("New campaign").first).to_be_visible(timeout=30000)
    page.locator(".campaign-name input").fill("Toy drive <b>2026</b>")
    page.locator(".campaign-org input").fill("Seoul Toy Bank")
    expect(page.locator(".campaign-draft").get_by_text("Ready to create")).to_be_visible(timeout=20000)
    page.locator(".campaign-create button").click()
    expect(page.get_by_text("Campaign 'Toy drive <b>2026</b>' created.")).to_be_visible(timeout=30000)

    # the seed's 1,000 kg of toys at 20/50/30: 5,912.5 kg CO2e
    add_entry(page, "reuse", "200", "1,650.0 kg CO2e", "1,650.0 kg CO2e avoided")
    add_entry(page, "upcycling", "500", "3,437.5 kg CO2e", "5,087.5 kg CO2e avoided")
    add_entry(page, "recycling", "300", "825.0 kg CO2e", "5,912.5 kg CO2e avoided")
    expect(page.get_by_text("Basic 1.5 t: 394 %").first).to_be_visible(timeout=20000)

    # a duplicate name in the same organisation is refused at the field, before anything is saved
    page.locator(".campaign-name input").fill("toy drive <b>2026</b>")
    expect(page.locator(".campaign-draft").get_by_text("already exists in this organisation")).to_be_visible(
        timeout=20000)

    # edit: the reuse entry becomes 400 kg (3,300 + 3,437.5 + 825 = 7,562.5); the history keeps both
    page.locator(".campaign-entries .tabulator-row").first.click()
    page.locator(".entry-pathway select").select_option(label="reuse")
    page.locator(".entry-kg input").fill("400")
    expect(page.locator(".entry-preview").get_by_text("3,300.0 kg CO2e")).to_be_visible(timeout=20000)
    page.locator(".entry-update button").click()
    expect(page.get_by_text("Entry updated").first).to_be_visible(timeout=30000)
    expect(page.get_by_text("7,562.5 kg CO2e avoided").first).to_be_visible(timeout=30000)
    expect(page.get_by_text("updated", exact=True).first).to_be_visible()

    page.reload()
    expect(page.get_by_text("Toy drive <b>2026</b>").first).to_be_visible(timeout=30000)
    expect(page.get_by_text("7,562.5 kg CO2e avoided").first).to_be_visible(timeout=30000)
    expect(page.get_by_text("created", exact=True).first).to_be_visible()
    page.screenshot(path=artifacts / "recycling_impact-campaign.png", full_page=True)
    assert page.js_errors == []

"""The footprint app as a guest sees it: the example day, an edit that changes the totals at once,
a bad entry named, screenshots at desktop and phone sizes in English and Korean."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SIZES = {"desktop": (1440, 900), "phone": (390, 844)}


def test_guest_day_edit_updates_totals(page, suite_url):
    page.goto(suite_url + "/footprint?lang=en")
    expect(page.get_by_text("6.20 kg CO2e")).to_be_visible(timeout=30000)   # the example day
    expect(page.get_by_text("110 points")).to_be_visible()
    expect(page.get_by_text("Sign in to save your days").first).to_be_visible()
    expect(page.get_by_text("Take the subway instead of the car for 15 km: −2.36 kg CO2e")).to_be_visible()

    cell = page.locator(".table-transport .tabulator-row").first.locator(".tabulator-cell[tabulator-field=minutes]")
    cell.click()
    editor = cell.locator("input")
    editor.fill("60")
    editor.press("Enter")
    expect(page.get_by_text("8.76 kg CO2e")).to_be_visible(timeout=20000)    # + 30 min × 30 km/h × 0.171
    assert page.js_errors == []


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("size", list(SIZES))
def test_screenshots(browser, suite_url, artifacts, lang, size):
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(f"{suite_url}/footprint?lang={lang}")
    expect(page.get_by_text("6.20 kg CO2e").first).to_be_visible(timeout=30000)
    page.wait_for_timeout(1500)
    page.screenshot(path=artifacts / f"footprint-{lang}-{size}.png", full_page=True)
    context.close()

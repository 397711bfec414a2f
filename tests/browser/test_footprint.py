"""The footprint app as a guest sees it: the example day, an edit that changes the totals at once,
a bad entry named, screenshots at desktop and phone sizes in English and Korean."""

from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from tests.browser.conftest import SCREEN_SIZES, in_shadow_roots, settled_screenshot, sized_page
from tests.browser.members import register

pytestmark = [pytest.mark.browser, pytest.mark.slow]



def edit_cell(page, table: str, field: str, value: str) -> None:
    cell = page.locator(f".table-{table} .tabulator-row").first.locator(f".tabulator-cell[tabulator-field={field}]")
    editor = cell.locator("input")
    for _ in range(6):  # a click while the table redraws (its data arriving under load) opens no editor
        cell.click()
        try:
            editor.wait_for(timeout=5000)
            break
        except PlaywrightTimeout:
            continue
    editor.fill(value)
    editor.press("Enter")


def test_guest_day_edit_updates_totals(page, suite_url):
    page.goto(suite_url + "/footprint?lang=en")
    expect(page.get_by_text("6.20 kg CO2e")).to_be_visible(timeout=30000)   # the example day
    expect(page.get_by_text("110 points")).to_be_visible()
    expect(page.get_by_text("Sign in to save your days").first).to_be_visible()
    expect(page.get_by_text("Take the subway instead of the car for 15 km: −2.36 kg CO2e")).to_be_visible()
    with page.expect_download() as download:
        page.locator(".footprint-download button").click()
    rows = Path(download.value.path()).read_text().splitlines()
    assert rows[0] == "section,category,item,quantity,unit,factor,kg_co2e,source"
    assert any(row.startswith("total,,,,,,6.1995") for row in rows)

    edit_cell(page, "transport", "minutes", "60")
    expect(page.get_by_text("8.76 kg CO2e")).to_be_visible(timeout=20000)    # + 30 min × 30 km/h × 0.171
    edit_cell(page, "waste", "kg", "1")
    expect(page.get_by_text("10.01 kg CO2e")).to_be_visible(timeout=20000)   # + 0.5 kg × 2.5
    assert page.js_errors == []


def test_member_saves_a_day_and_sees_it_in_history_and_points(page, suite_url, artifacts):
    register(page, suite_url, email="footprint.member@example.org", name="Footprint Member",
             next_path="/footprint?lang=en")
    page.goto(suite_url + "/footprint?lang=en")
    expect(page.get_by_text("6.20 kg CO2e")).to_be_visible(timeout=30000)
    expect(page.get_by_text("Sign in to save your days")).to_be_hidden()
    page.locator(".footprint-save button").click()
    expect(page.get_by_text(": 6.20 kg CO2e, 110 points.")).to_be_visible(timeout=30000)

    # the same day saved again after an edit replaces the log: the points are not counted twice
    edit_cell(page, "transport", "minutes", "60")
    expect(page.get_by_text("8.76 kg CO2e")).to_be_visible(timeout=20000)
    page.locator(".footprint-save button").click()
    expect(page.get_by_text(": 8.76 kg CO2e, 110 points.")).to_be_visible(timeout=30000)
    page.locator(".bk-tab", has_text="History").click()
    expect(page.get_by_text("Points balance: 110")).to_be_visible(timeout=30000)   # 10 second-hand + 100 below
    expect(page.get_by_text("No saved days yet.")).to_be_hidden()

    page.reload()                                                              # kept in the database
    page.locator(".bk-tab", has_text="History").click()
    expect(page.get_by_text("Points balance: 110")).to_be_visible(timeout=30000)
    page.screenshot(path=artifacts / "footprint-history.png", full_page=True)
    assert page.js_errors == []


# every category table's header titles, as (table, title, shown width, needed width)
HEADER_WIDTHS = in_shadow_roots("""
  return all(document, '[class*="table-"]').flatMap(table => {
    const name = [...table.classList].find(c => c.startsWith('table-'));
    return all(table.shadowRoot || table, '.tabulator-col-title').filter(title => title.textContent.trim())
      .map(title => [name, title.textContent, title.clientWidth, title.scrollWidth]);
  });""")


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("size", list(SCREEN_SIZES))
def test_screenshots_with_whole_column_headers(browser, suite_url, artifacts, lang, size):
    with sized_page(browser, size) as page:
        page.goto(f"{suite_url}/footprint?lang={lang}")
        expect(page.get_by_text("6.20 kg CO2e").first).to_be_visible(timeout=30000)
        page.wait_for_timeout(1000)
        headers = page.evaluate(HEADER_WIDTHS)
        assert len(headers) == 16, headers   # six tables of 2–3 columns
        cut = [(table, title) for table, title, shown, needed in headers if needed > shown or shown == 0]
        assert cut == [], f"headers cut off at {SCREEN_SIZES[size][0]} px: {cut}"
        settled_screenshot(page, artifacts / f"footprint-{lang}-{size}.png")

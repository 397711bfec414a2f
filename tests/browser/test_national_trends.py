"""National trends & targets in Chromium: pick countries, switch indicator and years, read the gap table."""

import csv
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def shown_csv(page) -> list[dict]:
    """Download the CSV of what the chart shows and parse it (first line is the source comment)."""
    with page.expect_download() as download:
        page.get_by_text("Download CSV").first.click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert text.startswith("# Source: OWID CO₂ & GHG 2025-05")
    return list(csv.DictReader(io.StringIO(text.split("\n", 1)[1])))


CHART_TEXT = """() => {
  const out = [];
  for (const m of Bokeh.documents[0].all_models) {
    const kind = m.constructor.__name__;
    if (kind === "Title") out.push(m.text);
    if (kind === "Legend") for (const item of m.items) out.push(item.label && (item.label.value ?? item.label));
  }
  return out;
}"""


def chart_text(page, expected: str, timeout_ms: int = 10000) -> list[str]:
    """Titles and legend labels of the Bokeh models in the browser, once ``expected`` is among them."""
    for _ in range(timeout_ms // 250):
        texts = page.evaluate(CHART_TEXT)
        if expected in texts:
            return texts
        page.wait_for_timeout(250)
    raise AssertionError(f"{expected!r} not drawn; the browser has {texts}")


def test_pick_countries_switch_indicator_and_years(page, suite_url, artifacts):
    page.goto(suite_url + "/national_trends")
    expect(page.get_by_text("National trends & targets").first).to_be_visible(timeout=30000)
    expect(page.locator(".bk-Canvas").first).to_be_visible(timeout=30000)
    assert "World" in chart_text(page, "Total GHG (incl. land use), 1990–2024")
    rows = shown_csv(page)
    assert {r["country_code"] for r in rows} == {"KOR", "OWID_WRL"}

    # Korea and Japan: add Japan through the search, remove World
    search = page.get_by_placeholder("Search a country or region…")
    search.click()
    search.fill("Japan")
    page.get_by_role("option", name=re.compile(r"^Japan \(JPN\)")).click()
    page.locator(".choices__item", has_text="World").locator("button").click()
    expect(page).to_have_url(re.compile(r"countries=KOR%2CJPN"), timeout=10000)

    # another indicator
    page.locator("select:not([multiple])").first.select_option(label="CO₂ per capita")
    expect(page).to_have_url(re.compile(r"indicator=co2_per_capita"), timeout=10000)

    # a narrower year range: move the lower handle of the slider with the keyboard
    handle = page.locator(".noUi-handle-lower").first
    handle.focus()
    for _ in range(10):
        handle.press("ArrowRight")
        page.wait_for_timeout(100)
    expect(page).to_have_url(re.compile(r"years=(199[1-9]|20\d\d)-"), timeout=10000)
    page.wait_for_timeout(500)
    first_year = int(re.search(r"years=(\d{4})-", page.url).group(1))

    # the browser's own figure shows it (not only the server's state)
    texts = chart_text(page, f"CO₂ per capita, {first_year}–2024")
    assert "Japan" in texts and "World" not in texts
    rows = shown_csv(page)
    assert {r["country_code"] for r in rows} == {"KOR", "JPN"}
    assert {r["indicator"] for r in rows} == {"co2_per_capita"}
    assert min(int(r["year"]) for r in rows) == first_year > 1990
    page.wait_for_timeout(2000)  # let BokehJS draw the last update before the screenshot
    page.screenshot(path=artifacts / "national_trends.png", full_page=True)

    # the gap table follows the selection: Japan's and Korea's targets, stated and rebased
    page.get_by_text("Gap to target", exact=True).click()
    table = page.locator(".tabulator").first
    expect(table).to_be_visible(timeout=20000)
    expect(table.locator(".tabulator-row", has_text="Japan").first).to_be_visible()
    expect(table.locator(".tabulator-row", has_text="South Korea").first).to_contain_text("2030 NDC")
    expect(table).to_contain_text("Stated % on this data's 2018 value")
    expect(page.get_by_text("differs from this data's 2018 total_ghg").first).to_be_visible()
    page.screenshot(path=artifacts / "national_trends_gap.png", full_page=True)
    assert page.js_errors == []


def test_a_link_reopens_the_view_and_bad_values_are_messages(page, suite_url, artifacts):
    page.goto(suite_url + "/national_trends?countries=KOR,XXX&indicator=nope&years=1990-2010&tab=scenario"
              "&sc_rates=150&scale=log")
    expect(page.get_by_text("unknown country codes, ignored: XXX")).to_be_visible(timeout=30000)
    expect(page.get_by_text("indicator=nope")).to_be_visible()
    expect(page.get_by_text("between 0 and 100 %, got 150 %")).to_be_visible()
    assert "years=1990-2010" in page.url and "scale=log" in page.url
    page.screenshot(path=artifacts / "national_trends_bad_link.png", full_page=True)

    page.goto(suite_url + "/national_trends?countries=KOR&years=1750-1760")
    expect(page.get_by_text("No Total GHG (incl. land use) data for South Korea in 1750–1760")).to_be_visible(
        timeout=30000)
    assert page.js_errors == []

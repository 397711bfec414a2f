"""The landing page and Data & runs, as a user sees them in Chromium."""

import csv
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_landing_page_has_a_card_per_app_and_switches_to_korean(page, suite_url, artifacts):
    page.goto(suite_url + "/")
    expect(page.get_by_text("Tanso — carbon-neutrality analytics")).to_be_visible(timeout=20000)
    expect(page.get_by_text("Data & runs").first).to_be_visible()
    links = page.locator("a.tanso-open")
    expect(links.first).to_be_visible()
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert "./data_runs?lang=en" in hrefs
    page.screenshot(path=artifacts / "landing.png", full_page=True)

    page.get_by_role("link", name="한국어").click()
    expect(page.get_by_text("탄소 — 탄소중립 분석")).to_be_visible(timeout=20000)
    assert "lang=ko" in page.url
    expect(page.get_by_text("데이터와 실행 기록").first).to_be_visible()
    page.screenshot(path=artifacts / "landing-ko.png", full_page=True)
    assert page.js_errors == []


def test_data_and_runs_lists_datasets_loaded_versions_and_runs(page, suite_url, artifacts):
    page.goto(suite_url + "/")
    page.locator("a[data-testid=open-data_runs]").click()
    expect(page).to_have_url(re.compile(r"/data_runs\?lang=en$"))
    expect(page.get_by_text("Catalog datasets")).to_be_visible(timeout=20000)
    expect(page.get_by_text("Loaded in the database")).to_be_visible()
    expect(page.get_by_text("Latest pipeline runs")).to_be_visible()

    catalog = page.locator(".tabulator").nth(0)
    for name in ("owid_co2", "gcb_co2", "targets"):
        expect(catalog.get_by_text(name, exact=True)).to_be_visible()
    expect(catalog.get_by_text("verified").first).to_be_visible()

    loaded = page.locator(".tabulator").nth(1)
    row = loaded.locator(".tabulator-row", has_text="owid_co2")
    expect(row).to_contain_text("2025-05")
    expect(row).to_contain_text("50,446")
    expect(row).to_contain_text("yes")

    runs = page.locator(".tabulator").nth(2)
    expect(runs.get_by_text("succeeded").first).to_be_visible()
    expect(runs.get_by_text("etl").first).to_be_visible()
    page.screenshot(path=artifacts / "data_runs.png", full_page=True)

    # each table as CSV: the database's values (numbers, booleans, UTC times), not the display text
    downloads = page.locator("text=Download CSV (this table)")
    expect(downloads).to_have_count(3)
    with page.expect_download() as loaded_file:
        downloads.nth(1).click()
    assert loaded_file.value.suggested_filename == "tanso_loaded_datasets.csv"
    rows = list(csv.DictReader(io.StringIO(Path(loaded_file.value.path()).read_text(encoding="utf-8"))))
    owid = next(r for r in rows if r["dataset"] == "owid_co2")
    assert owid["rows"] == "50446" and owid["up_to_date"] == "True"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", owid["loaded_at"])
    with page.expect_download() as runs_file:
        downloads.nth(2).click()
    runs_rows = list(csv.DictReader(io.StringIO(Path(runs_file.value.path()).read_text(encoding="utf-8"))))
    assert {"run_id", "pipeline", "status", "started_at", "seconds"} <= set(runs_rows[0])
    assert any(r["pipeline"] == "etl" and r["status"] == "succeeded" for r in runs_rows)
    float(runs_rows[0]["seconds"])  # a number, not "12.3 s"
    assert page.js_errors == []

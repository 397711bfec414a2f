"""Sector contribution in Chromium: levels with the sink below zero, waterfall, URL state, Korean, bad links."""

import csv
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.test_national_trends import chart_text, plot_titled

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def sectors_url(loaded_embedded, suite_url):
    loaded_embedded.cli("pipeline", "run", "sectors")
    return suite_url + "/sector_contribution"


def test_levels_waterfall_csv_and_url_state(page, sectors_url, artifacts):
    page.goto(sectors_url, timeout=120000)
    expect(page.locator(".bk-Canvas").first).to_be_visible(timeout=60000)
    texts = chart_text(page, "Emissions by sector, South Korea")
    assert "LULUCF" in texts and "Source: GIR national inventory 2024" in texts
    page.screenshot(path=str(artifacts / "sector_contribution_levels.png"))

    with page.expect_download() as download:
        page.get_by_text("Download CSV").first.click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert text.startswith("# Source: GIR national inventory 2024")
    rows = list(csv.DictReader(io.StringIO(text.split("\n", 1)[1])))
    lulucf = [r for r in rows if r["sector"] == "lulucf"]
    assert lulucf and all(float(r["value_mt"]) < 0 for r in lulucf)

    page.get_by_text("Change by sector", exact=True).click()
    expect(page).to_have_url(re.compile(r"tab=waterfall"), timeout=10000)
    chart_text(page, "Change in gross emissions 2018→2022: -59.6 Mt CO₂e")
    expect(page.get_by_text("101.09").first).to_be_visible(timeout=10000)  # energy's share of the change
    assert page.js_errors == []


def test_korean_link_with_a_bad_value_says_so_on_the_page(page, sectors_url, artifacts):
    page.goto(sectors_url + "?lang=ko&tab=decompose&from=2000&to=2020&view=pie", timeout=120000)
    expect(page.locator(".bk-Canvas").first).to_be_visible(timeout=60000)
    chart_text(page, "CO₂ 변화의 요인 2000→2020: +157.7 Mt")
    expect(page.get_by_text("링크의 다음 값은 적용할 수 없습니다: view=pie")).to_be_visible()
    page.screenshot(path=str(artifacts / "sector_contribution_decompose_ko.png"))

    page.goto(sectors_url + "?country=XXX", timeout=120000)
    expect(page.get_by_text("Unknown country code XXX: no sector data for it.")).to_be_visible(timeout=60000)
    assert "Traceback" not in page.content()


def test_a_shared_link_restores_the_view_on_a_phone_and_tabs_say_their_bases_and_limits(page, sectors_url,
                                                                                        artifacts):
    page.set_viewport_size({"width": 390, "height": 1400})
    page.goto(sectors_url + "?country=JPN&view=share&from=2005&to=2020", timeout=120000)
    expect(page.locator(".bk-Canvas").first).to_be_visible(timeout=60000)
    chart_text(page, "Share of gross emissions by sector, Japan")
    page.screenshot(path=str(artifacts / "sector_contribution_phone_share.png"))

    page.get_by_text("Drivers (Kaya)", exact=True).click()
    expect(page).to_have_url(re.compile(r"tab=decompose"), timeout=10000)
    assert re.search(r"country=JPN", page.url) and re.search(r"view=share", page.url)
    # Japan's gross total 2005→2020 split into GDP and each sector's emissions per GDP; no structure effect
    plot_titled(page, "Change in gross emissions 2005→2020:", timeout_ms=30000)
    expect(page.get_by_text("so it is not computed", exact=False)).to_be_visible()

    page.goto(sectors_url + "?tab=bases&lang=ko", timeout=120000)
    expect(page.get_by_text("2035 NDC")).to_be_visible(timeout=60000)
    row = page.locator("tr", has_text="2035 NDC")
    expect(row).to_contain_text("GIR 순배출량")
    page.screenshot(path=str(artifacts / "sector_contribution_phone_bases_ko.png"))
    assert page.js_errors == []


def test_the_compare_box_keeps_the_order_of_a_shared_link(page, sectors_url, artifacts):
    page.goto(sectors_url + "?tab=compare&compare=USA,KOR,DEU", timeout=120000)  # not in name order
    items = page.locator(".choices__list--multiple .choices__item")
    expect(items).to_have_count(3, timeout=60000)
    assert items.evaluate_all("els => els.map(e => e.dataset.value)") == [
        "United States (USA)", "South Korea (KOR)", "Germany (DEU)"]  # (Panel sends the labels as values)
    page.screenshot(path=str(artifacts / "sector_contribution_compare_order.png"))
    assert page.js_errors == []


def test_a_korean_page_says_year_and_its_dataset_names_in_korean(page, sectors_url, artifacts):
    page.goto(sectors_url + "?lang=ko", timeout=120000)
    expect(page.locator(".bk-Canvas").first).to_be_visible(timeout=60000)
    assert "자료: GIR 국가 온실가스 인벤토리 2024" in chart_text(page, "자료: GIR 국가 온실가스 인벤토리 2024")
    tooltips = page.evaluate("""() => [...Bokeh.documents[0].all_models]
        .filter(m => m.constructor.__name__ === "HoverTool").flatMap(m => m.tooltips.map(t => t[0]))""")
    assert "연도" in tooltips and "year" not in tooltips
    page.screenshot(path=str(artifacts / "sector_contribution_levels_ko.png"))
    assert page.js_errors == []

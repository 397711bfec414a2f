"""National trends & targets in Chromium: pick countries, switch indicator and years, read the gap table;
the chart bugs of issue 8 §3 (each test failed on the code before the app kit); phones and Korean."""

import csv
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def shown_csv(page) -> tuple[str, list[dict]]:
    """Download the CSV of what the open tab shows: its filename and rows (plain CSV, one header row)."""
    with page.expect_download() as download:
        page.locator("text=Download CSV >> visible=true").first.click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    return download.value.suggested_filename, list(csv.DictReader(io.StringIO(text)))


# Titles as one line: a long one is drawn on several (tanso.ui.titles.fit breaks it at spaces).
BROWSER_MODELS = """() => {
  const out = {titles: [], legend: [], plots: [], ranges: {}}, line = text => text && text.replaceAll("\\n", " ");
  for (const m of Bokeh.documents[0].all_models) {
    const kind = m.constructor.__name__;
    if (kind === "Title") out.titles.push(line(m.text));
    if (kind === "Legend") for (const item of m.items) out.legend.push(item.label && (item.label.value ?? item.label));
    if (kind === "Figure" || kind === "Plot") {
      out.plots.push({title: m.title && line(m.title.text), x: m.x_range.id, y: m.y_range.id,
                      y0: m.y_range.start, y1: m.y_range.end});
    }
  }
  out.models = Bokeh.documents[0].all_models.size;
  return out;
}"""


def browser_models(page) -> dict:
    return page.evaluate(BROWSER_MODELS)


def chart_text(page, expected: str, timeout_ms: int = 15000) -> list[str]:
    """Titles and legend labels of the Bokeh models in the browser, once ``expected`` is among them."""
    for _ in range(timeout_ms // 250):
        models = browser_models(page)
        texts = models["titles"] + models["legend"]
        if expected in texts:
            return texts
        page.wait_for_timeout(250)
    raise AssertionError(f"{expected!r} not drawn; the browser has {texts}")


def plot_titled(page, start: str, timeout_ms: int = 15000) -> dict:
    for _ in range(timeout_ms // 250):
        plots = [p for p in browser_models(page)["plots"] if (p["title"] or "").startswith(start)]
        if plots:
            return plots[0]
        page.wait_for_timeout(250)
    raise AssertionError(f"no plot titled {start!r}")


def open_app(page, suite_url, query: str = "", *, chart: bool = True):
    page.goto(suite_url + "/national_trends" + query, timeout=60000)
    if chart:
        expect(page.locator(".bk-Canvas >> visible=true").first).to_be_visible(timeout=60000)


def test_pick_countries_switch_indicator_and_years(page, suite_url, artifacts):
    open_app(page, suite_url)
    expect(page.get_by_text("National trends & targets").first).to_be_visible()
    # Korea by default; the title states the years plotted (OWID ends in 2023), not the range asked for
    assert "South Korea" in chart_text(page, "Total GHG (incl. land use), 1990–2023")
    name, rows = shown_csv(page)
    assert name == "tanso_total_ghg_KOR_1990-2024.csv"
    assert {r["country_code"] for r in rows} == {"KOR"} and float(rows[0]["value_mt_co2e"]) > 0
    assert rows[0]["source"].startswith("OWID CO₂ & GHG 2025-05")

    search = page.get_by_placeholder("Search a country or region…")
    search.click()
    search.fill("Japan")
    page.get_by_role("option", name=re.compile(r"^Japan \(JPN\)")).click()
    expect(page).to_have_url(re.compile(r"countries=KOR%2CJPN"), timeout=10000)
    chips = page.locator(".choices__list--multiple .choices__item[data-value]")
    assert [chips.nth(i).get_attribute("data-value") for i in range(chips.count())][:2] == [
        "South Korea (KOR)", "Japan (JPN)"]

    page.locator("select:not([multiple])").first.select_option(label="CO₂ per capita")
    expect(page).to_have_url(re.compile(r"indicator=co2_per_capita"), timeout=10000)

    # an exact first year through the numeric input
    start = page.get_by_label("From")
    start.fill("2001")
    start.press("Enter")
    expect(page).to_have_url(re.compile(r"years=2001-"), timeout=10000)
    texts = chart_text(page, "CO₂ per capita, 2001–2023")
    assert "Japan" in texts
    name, rows = shown_csv(page)
    assert {r["country_code"] for r in rows} == {"KOR", "JPN"} and {r["indicator"] for r in rows} == {"co2_per_capita"}
    assert min(int(r["year"]) for r in rows) == 2001 and "value_t_co2_per_person" in rows[0]
    page.wait_for_timeout(1500)
    page.screenshot(path=artifacts / "national_trends.png", full_page=True)

    # the gap table follows the selection: Japan's and Korea's targets, stated and rebased
    page.get_by_text("Gap to target", exact=True).click()
    table = page.locator(".gap-table table").first
    expect(table).to_be_visible(timeout=20000)
    expect(table.locator("tbody tr", has_text="Japan").first).to_be_visible()
    expect(table.locator("tbody tr", has_text="South Korea").first).to_contain_text("2030 NDC")
    expect(table).to_contain_text("Stated % on data's 2018 value")
    # on a laptop the numbers a reader came for fit beside the custom-target form, no sideways scrolling
    fit = table.evaluate("t => [t.scrollWidth, t.parentElement.clientWidth, t.getBoundingClientRect().right]")
    form = page.get_by_text("Custom target", exact=True).first.bounding_box()
    assert fit[0] <= fit[1] + 1 and fit[2] <= form["x"], f"table {fit}, form at {form}"
    assert table.locator("thead th").count() == 9
    expect(page.get_by_text("differs from this data's 2018 total_ghg").first).to_be_visible()
    name, rows = shown_csv(page)
    assert name == "tanso_gap_to_target_KOR-JPN_window5.csv"
    stated = next(r for r in rows if r["country_code"] == "KOR" and r["target"] == "2030 NDC" and r["basis"] == "stated")
    assert float(stated["latest_value_mt"]) > 0 and stated["on_track"] in ("True", "False")
    page.screenshot(path=artifacts / "national_trends_gap.png", full_page=True)
    assert page.js_errors == []


def test_the_language_link_carries_the_view_changed_in_the_page(page, suite_url):
    """The header is rendered once (no message re-sends it on a change); the language links follow the
    URL in the browser (assets/lang_links.js), so the Korean page opens on the same view."""
    header_messages = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: header_messages.append(payload)
                                           if isinstance(payload, str) and "hreflang" in payload else None))
    open_app(page, suite_url, "?countries=KOR")
    header_messages.clear()  # the document itself, with the header as the server rendered it
    page.locator("select:not([multiple])").first.select_option(label="CO₂ per capita")
    expect(page).to_have_url(re.compile(r"indicator=co2_per_capita"), timeout=10000)
    korean = page.locator("a[data-testid=lang-ko]")
    expect(korean).to_have_attribute("href", re.compile(r"^\?countries=KOR&indicator=co2_per_capita&.*lang=ko$"))
    assert header_messages == []
    korean.click()
    expect(page).to_have_url(re.compile(r"countries=KOR&indicator=co2_per_capita&.*lang=ko$"), timeout=10000)
    expect(page.locator(".bk-Canvas >> visible=true").first).to_be_visible(timeout=60000)
    plot_titled(page, "1인당 CO₂")  # the Korean page, on the indicator chosen
    expect(page.locator("a[data-testid=lang-en]")).to_have_attribute(
        "href", re.compile(r"^\?countries=KOR&indicator=co2_per_capita&.*lang=en$"))
    assert page.js_errors == []


def test_a_change_reaches_the_page_as_one_message(page, suite_url):
    """The app runs its changes on the server's event loop in one pass (`serve_app(threads=False)`):
    the URL's new query and the chart's new data come in one message, not one each (the browser
    re-rendered after each)."""
    messages = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: messages.append(payload)
                                           if isinstance(payload, str) and '"events"' in payload else None))
    open_app(page, suite_url, "?countries=KOR,JPN")
    page.wait_for_timeout(1000)
    messages.clear()
    page.locator("select:not([multiple])").first.select_option(label="CO₂ per capita")
    expect(page).to_have_url(re.compile(r"indicator=co2_per_capita"), timeout=10000)
    plot_titled(page, "CO₂ per capita")
    with_query = [m for m in messages if '"attr":"search"' in m]
    assert len(with_query) == 1 and "ColumnDataChanged" in with_query[0]
    assert page.js_errors == []


def test_a_link_reopens_the_view_and_bad_values_are_messages(page, suite_url, artifacts):
    open_app(page, suite_url, "?countries=KOR,XXX&indicator=nope&years=2040-2030&tab=scenario&sc_rates=150&scale=log",
             chart=False)
    expect(page.get_by_text("unknown country codes, ignored: XXX")).to_be_visible(timeout=30000)
    expect(page.get_by_text("indicator=nope")).to_be_visible()
    expect(page.get_by_text("years=2040–2030")).to_be_visible()  # a reversed range, written as in the link
    expect(page.get_by_text("between 0 and 100 %, got 150 %")).to_be_visible()
    assert "scale=log" in page.url
    page.screenshot(path=artifacts / "national_trends_bad_link.png", full_page=True)

    open_app(page, suite_url, "?countries=KOR&years=1750-1760", chart=False)
    expect(page.get_by_text("No Total GHG (incl. land use) data for South Korea in 1750–1760")).to_be_visible(
        timeout=30000)
    assert page.js_errors == []


def test_a_change_to_years_without_data_says_so_and_hides_the_chart(page, suite_url):
    open_app(page, suite_url, "?countries=KOR")
    for label, year in (("From", "1750"), ("To", "1760")):
        field = page.get_by_label(label, exact=True)
        field.fill(year)
        field.press("Enter")
    expect(page.get_by_text("No Total GHG (incl. land use) data for South Korea in 1750–1760")).to_be_visible(
        timeout=15000)
    expect(page.locator(".bk-Canvas >> visible=true")).to_have_count(0, timeout=15000)
    assert page.js_errors == []


def test_a_scenario_edit_that_cannot_be_computed_says_so_and_hides_the_chart(page, suite_url):
    open_app(page, suite_url, "?tab=scenario")
    expect(page.get_by_text("Cumulative emissions").first).to_be_visible(timeout=30000)
    rates = page.get_by_label("Annual reduction")
    rates.fill("150")
    rates.press("Enter")
    expect(page.get_by_text("between 0 and 100 %, got 150 %")).to_be_visible(timeout=15000)
    expect(page.locator(".bk-Canvas >> visible=true")).to_have_count(0, timeout=15000)
    rates.fill("4")  # and back: the chart returns
    rates.press("Enter")
    expect(page.locator(".bk-Canvas >> visible=true").first).to_be_visible(timeout=15000)
    assert page.js_errors == []


def test_y_range_follows_the_data_when_scale_and_mode_change(page, suite_url):
    open_app(page, suite_url, "?countries=KOR,JPN&years=2005-2023&scale=log")
    plot_titled(page, "Total GHG")
    page.get_by_role("button", name="Linear").click()
    page.get_by_role("button", name="Relative change").click()
    expect(page).to_have_url(re.compile(r"mode=relative"), timeout=10000)
    _, rows = shown_csv(page)
    lowest = min(float(r["change_from_first_year_pct"]) for r in rows)
    assert lowest < 0  # Japan fell below its 2005 level
    for _ in range(40):
        plot = plot_titled(page, "Total GHG")
        if plot["y0"] is not None and plot["y0"] <= lowest:
            break
        page.wait_for_timeout(250)
    assert plot["y0"] <= lowest <= plot["y1"], plot


def test_fuel_and_share_charts_start_at_zero(page, suite_url):
    for indicator, title in (("coal_co2", "CO₂ from coal"), ("share_global_co2", "Share of world CO₂")):
        open_app(page, suite_url, f"?countries=KOR&indicator={indicator}")
        assert plot_titled(page, title)["y0"] == 0


def test_no_two_charts_share_an_axis_and_edits_update_in_place(page, suite_url):
    open_app(page, suite_url, "?tab=scenario")
    expect(page.get_by_text("Cumulative emissions").first).to_be_visible(timeout=30000)
    before = browser_models(page)
    rates = page.get_by_label("Annual reduction")
    for rate in range(1, 13):
        rates.fill(str(rate))
        rates.press("Enter")
        page.wait_for_timeout(300)
    expect(page).to_have_url(re.compile(r"sc_rates=12"), timeout=10000)
    page.get_by_text("Ranking", exact=True).click()
    plot_titled(page, "Top 15")
    after = browser_models(page)
    assert len(after["plots"]) == len(before["plots"]) + 1  # the ranking chart, nothing left over
    assert after["models"] < before["models"] + 150
    ids = [p["x"] for p in after["plots"]] + [p["y"] for p in after["plots"]]
    assert len(ids) == len(set(ids)), after["plots"]
    ranking = plot_titled(page, "Top 15")
    assert ranking["y0"] is None or ranking["y0"] >= 0


@pytest.mark.parametrize(("width", "height"), [(390, 844), (1440, 900)])
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_layout_on_phones_and_laptops(browser, suite_url, artifacts, width, height, lang):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(f"{suite_url}/national_trends?lang={lang}", timeout=60000)
    expect(page.locator(".bk-Canvas >> visible=true").first).to_be_visible(timeout=60000)
    page.wait_for_timeout(1500)
    page.screenshot(path=artifacts / f"national_trends_{lang}_{width}x{height}.png", full_page=False)
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width + 1, f"page is {scroll_width} px wide at {width} px"
    canvas = page.locator(".bk-Canvas").first.bounding_box()
    assert canvas["width"] >= width * (0.85 if width < 700 else 0.5)  # the chart gets the width
    if lang == "ko":
        expect(page.get_by_text("추세", exact=True).first).to_be_visible()
        assert "대한민국" in browser_models(page)["legend"]
    context.close()


def test_gap_table_on_a_phone_lists_what_does_not_fit_under_each_row(browser, suite_url, artifacts):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(f"{suite_url}/national_trends?tab=gap&countries=KOR,JPN", timeout=60000)
    table = page.locator(".gap-table table").first
    row = table.locator("tbody tr", has_text="South Korea").first
    expect(row).to_contain_text("off track", timeout=60000)
    page.wait_for_timeout(1000)
    page.screenshot(path=artifacts / "national_trends_gap_390x844.png", full_page=True)
    right = table.evaluate("t => [t.scrollWidth, t.parentElement.clientWidth, t.getBoundingClientRect().right]")
    assert right[0] <= right[1] + 1 and right[2] <= 390, f"the table scrolls sideways: {right}"
    expect(table.locator("thead")).to_be_hidden()  # each row is a block: its cells listed under it
    expect(row.locator(".label", has_text="Latest")).to_be_visible()
    expect(row.locator(".label", has_text="Required")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 391
    page.get_by_text("All columns", exact=True).click()  # details on demand, still without scrolling
    expect(table.locator("tr.more .label", has_text="Margin, Mt").first).to_be_visible(timeout=20000)
    assert page.evaluate("document.documentElement.scrollWidth") <= 391
    context.close()


def test_gap_table_sorts_by_a_column_title_in_the_browser(page, suite_url):
    page.goto(f"{suite_url}/national_trends?tab=gap&countries=KOR,JPN", timeout=60000)
    table = page.locator(".gap-table table").first
    expect(table.locator("tbody tr", has_text="South Korea").first).to_be_visible(timeout=60000)

    def column(title: str) -> list[str]:  # the cells of one column, top to bottom, without the hidden titles
        return table.evaluate("""(t, title) => {
            const i = [...t.tHead.rows[0].cells].findIndex((c) => c.textContent.startsWith(title));
            return [...t.tBodies[0].rows].filter((r) => !r.classList.contains('more'))
                .map((r) => r.cells[i].lastChild.textContent);
        }""", title)

    def number(text: str) -> float:
        return float(text.split()[0].replace(",", ""))

    country = table.locator("thead th", has_text="Country")
    country.click()
    expect(country).to_have_attribute("aria-sort", "ascending")
    names = column("Country")
    assert names == sorted(names) and names[0] == "Japan", names
    country.press("Enter")  # by keyboard too; again reverses
    expect(country).to_have_attribute("aria-sort", "descending")
    assert column("Country")[0] == "South Korea"

    latest = table.locator("thead th", has_text="Latest")
    latest.click()  # numbers by value, not as text: "1,031.6 (2023)" after "627.0 (2023)"
    expect(latest).to_have_attribute("aria-sort", "ascending")
    expect(country).to_have_attribute("aria-sort", "none")
    shown = column("Latest")
    values = [number(v) for v in shown if v != "–"]
    assert values == sorted(values) and len(set(values)) > 1, shown
    assert "–" not in shown[:len(values)], shown  # missing values last


def test_the_all_columns_toggle_looks_like_a_button_and_shows_keyboard_focus(page, suite_url):
    page.goto(f"{suite_url}/national_trends?tab=gap&countries=KOR", timeout=60000)
    toggle = page.get_by_role("button", name="All columns")
    expect(toggle).to_be_visible(timeout=60000)

    def look() -> list[str]:
        return toggle.evaluate("b => { const s = getComputedStyle(b);"
                               " return [s.backgroundColor, s.borderTopColor, s.outlineStyle]; }")

    face, border, outline = look()  # Fast drew it white on the white page, its border transparent: plain text
    assert face != "rgb(255, 255, 255)" and border != "rgba(0, 0, 0, 0)", (face, border)
    assert outline == "none"
    toggle.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")  # reached by the keyboard: a ring shows where Enter goes (Fast removed it)
    assert toggle.evaluate("b => b.matches(':focus-visible')") and look()[2] == "solid"

"""The VCM explorer's search tab as it looks: translated column titles, the numbers people came for
on screen at desktop and phone widths, sidebar labels that do not run into each other, and the sort
control naming the order the results are in."""

import re
import time

import pytest
from playwright.sync_api import expect

from tanso.ui.i18n import t
from tanso.ui.vcm import results
from tests.browser.conftest import SCREEN_SIZES, sized_page

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DESKTOP_COLUMNS = ("project_id", "name", "registry", "country", "issued", "retired")
PHONE_COLUMNS = ("project_id", "name", "issued")
# The text of an element (not its box: a label's text can run past its widget), as a rectangle
TEXT_RECT = """e => { const range = document.createRange(); range.selectNodeContents(e);
  const r = range.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; }"""


@pytest.fixture(scope="module")
def vcm_url(suite_url, loaded_embedded):
    if loaded_embedded.count("core.vcm_projects") == 0:
        loaded_embedded.cli("pipeline", "run", "vcm")
    return suite_url + "/vcm_explorer"


def open_search(page, url: str) -> None:
    page.goto(url)
    expect(page.locator(".tabulator-row").first).to_be_visible(timeout=60000)
    page.wait_for_timeout(1000)  # the columns' responsive layout settles after the first rows


def header(page, column: str):
    return page.locator(f".tabulator-col[tabulator-field='{column}']").first


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_column_titles_are_translated_and_numbers_have_separators(browser, vcm_url, lang):
    with sized_page(browser, "desktop") as page:
        open_search(page, f"{vcm_url}?lang={lang}")
        titles = results.titles(lang)
        for column in DESKTOP_COLUMNS:
            expect(header(page, column).locator(".tabulator-col-title")).to_have_text(titles[column])
        shown = page.locator(".tabulator-col-title").all_inner_texts()
        assert not set(shown) & {"project_id", "name", "registry", "country", "issued"}, shown
        if lang == "ko":
            assert titles["issued"] == "발행 (tCO2e)" and titles["registry"] == "레지스트리"
        # the largest issuance first, as a number with thousands separators, right-aligned
        issued = page.locator(".tabulator-row").first.locator(".tabulator-cell[tabulator-field='issued']")
        assert re.fullmatch(r"\d{1,3}(,\d{3})+", issued.inner_text()), issued.inner_text()
        assert issued.evaluate("e => getComputedStyle(e).textAlign") == "right"


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("size", list(SCREEN_SIZES))
def test_the_numbers_are_on_screen_without_scrolling_sideways(browser, vcm_url, lang, size):
    wanted = DESKTOP_COLUMNS if size == "desktop" else PHONE_COLUMNS
    width = SCREEN_SIZES[size][0]
    with sized_page(browser, size) as page:
        open_search(page, f"{vcm_url}?lang={lang}")
        for column in wanted:
            box = header(page, column).bounding_box()
            assert box is not None and box["width"] > 0, column
            assert box["x"] >= 0 and box["x"] + box["width"] <= width, (column, box)
            cell = page.locator(f".tabulator-row .tabulator-cell[tabulator-field='{column}']").first
            assert cell.is_visible() and cell.inner_text().strip(), column
        holder = page.locator(".tabulator-tableholder").first
        assert holder.evaluate("e => e.scrollWidth <= e.clientWidth + 1"), "the table scrolls sideways"
        if size == "phone":  # the rest is hidden, not pushed off screen
            for column in set(results.SHOWN) - set(wanted):
                assert not header(page, column).is_visible(), column


def text_rects(page) -> dict[str, list[float]]:
    """Where the text of every label of the sidebar's widgets is, by "index: text"."""
    rects = {}
    for index, label in enumerate(page.locator("#sidebar label").all()):
        if text := label.inner_text().strip():
            rects[f"{index}: {text}"] = label.evaluate(TEXT_RECT)
    return rects


def assert_apart(rects: dict[str, list[float]]) -> None:
    """No two texts on one line closer than a space (6 px), let alone overlapping."""
    names = sorted(rects)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            (al, at, ar, ab), (bl, bt, br, bb) = rects[a], rects[b]
            same_line = at < bb and bt < ab
            assert not same_line or ar + 6 <= bl or br + 6 <= al, (a, rects[a], b, rects[b])


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("size", list(SCREEN_SIZES))
def test_the_range_labels_do_not_run_into_each_other(browser, vcm_url, lang, size):
    with sized_page(browser, size) as page:
        open_search(page, f"{vcm_url}?lang={lang}")
        if size == "phone":
            page.locator("#sidebar-button").click()  # the sidebar starts closed on a phone
        sidebar = page.locator("#sidebar")
        expect(sidebar.locator("label").last).to_be_visible()
        page.wait_for_timeout(500)
        rects = text_rects(page)
        assert len(rects) >= 13, rects  # 7 facets, CORSIA, CCB, two ranges' two inputs
        assert_apart(rects)
        # each range: one heading above its two inputs, "from" and "to"
        for field in ("first_vintage", "issued"):
            heading = sidebar.get_by_text(t(f"vcm.field.{field}", lang), exact=True)
            expect(heading).to_be_visible()
            rects[f"heading {field}"] = heading.evaluate(TEXT_RECT)
        for end in ("from", "to"):
            assert sum(name.endswith(f": {t(f'vcm.facet.{end}', lang)}") for name in rects) == 2, rects
        assert_apart(rects)


def sort_select(page):
    return page.get_by_label(t("vcm.sort"), exact=True)


def sort_shown(page) -> str:
    return sort_select(page).evaluate("e => e.options[e.selectedIndex].text")


def issued_on_page(page) -> list[int]:
    cells = page.locator(".tabulator-row .tabulator-cell[tabulator-field='issued']")
    return [int(v.replace(",", "") or 0) for v in cells.all_inner_texts()]


def wait_until(check, timeout: float = 30) -> None:
    for _ in range(int(timeout * 4)):
        if check():
            return
        time.sleep(0.25)
    assert check()


def test_without_text_the_sort_says_most_issued_and_text_brings_relevance_back(browser, vcm_url):
    with sized_page(browser, "desktop") as page:
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        # a link with the default sort and no text: the results are by credits issued and say so
        open_search(page, f"{vcm_url}?sort=relevance")
        assert sort_shown(page) == t("vcm.sort.issued")
        assert t("vcm.sort.relevance") not in sort_select(page).locator("option").all_inner_texts()
        first = issued_on_page(page)[:10]
        assert first == sorted(first, reverse=True) and first[0] > 0
        assert "sort=relevance" in page.url  # the link keeps the choice, not the fallback
        # text to rank by: relevance again
        box = page.get_by_placeholder("name, developer", exact=False)
        box.fill("cookstove kenya")
        box.press("Enter")
        expect(page.get_by_text("GLD3080").first).to_be_visible(timeout=30000)
        wait_until(lambda: sort_shown(page) == t("vcm.sort.relevance"))
        # a chosen sort is kept with text and without, and goes into the link
        sort_select(page).select_option(label=t("vcm.sort.retired"))
        expect(page).to_have_url(re.compile(r"sort=retired"), timeout=30000)
        box.fill("")
        box.press("Enter")
        expect(page.get_by_text("GLD3080")).to_have_count(0, timeout=30000)
        assert sort_shown(page) == t("vcm.sort.retired")
        retired = page.locator(".tabulator-row .tabulator-cell[tabulator-field='retired']")
        values = [int(v.replace(",", "") or 0) for v in retired.all_inner_texts()[:10]]
        assert values == sorted(values, reverse=True)
        assert errors == []

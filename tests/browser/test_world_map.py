"""The World map tab in Chromium, offline: renders, hover names a country, year control, click to add and
click again to remove a country from the comparison."""

import re

import numpy as np
import pytest
from playwright.sync_api import expect

from tanso.geo.boundaries import equal_earth
from tests.browser.conftest import confined_page

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# Screen position of a longitude/latitude on the map figure (the one drawn with MultiPolygons).
MAP_POINT = """([x, y]) => {
  const view = Bokeh.index.query_one(v => v.model.constructor.__name__ === "Figure"
      && v.model.renderers.some(r => r.glyph?.constructor.__name__ === "MultiPolygons"));
  if (view === null) return null;
  const rect = view.canvas_view.el.getBoundingClientRect();
  return [rect.left + view.frame.x_scale.compute(x), rect.top + view.frame.y_scale.compute(y), view.model.title.text];
}"""


def map_point(page, lon: float, lat: float, title: str | None = None):
    x, y = equal_earth(np.array([lon]), np.array([lat]))
    for _ in range(80):
        found = page.evaluate(MAP_POINT, [float(x[0]), float(y[0])])
        if found and (title is None or found[2] == title):
            return found
        page.wait_for_timeout(250)
    raise AssertionError(f"no map titled {title!r}; the browser has {found}")


@pytest.fixture
def offline_page(browser, suite_url):
    """A page that can reach the suite only: every other request is recorded and refused."""
    page = confined_page(browser, (suite_url,), {"width": 1440, "height": 900})
    yield page
    page.context.close()


def test_map_renders_offline_hovers_changes_year_and_compares(offline_page, suite_url, artifacts):
    page = offline_page
    page.goto(suite_url + "/national_trends?tab=map&countries=KOR", wait_until="domcontentloaded", timeout=90000)
    map_point(page, 103, 35, "Total GHG (incl. land use), 2023")
    page.wait_for_timeout(500)
    page.screenshot(path=str(artifacts / "world_map_1440x900.png"))

    # hover over China names it with its value
    x, y, _ = map_point(page, 103, 35)
    page.mouse.move(x, y)
    expect(page.locator(".bk-Tooltip").filter(has_text="China")).to_contain_text("Mt CO₂e", timeout=5000)

    # an exact year in the number input redraws the map and goes into the link
    year = page.locator(".map-year input")
    year.fill("2000")
    year.press("Enter")
    map_point(page, 103, 35, "Total GHG (incl. land use), 2000")
    expect(page).to_have_url(re.compile(r"map_year=2000"), timeout=10000)

    # a click on China adds it to the comparison (URL and sidebar chip); a second click removes it
    chips = page.locator(".choices__list--multiple .choices__item[data-value]")
    x, y, _ = map_point(page, 103, 35)
    page.mouse.click(x, y)
    expect(page).to_have_url(re.compile(r"countries=KOR%2CCHN"), timeout=10000)
    expect(chips.filter(has_text="China")).to_have_count(1)
    page.wait_for_timeout(500)  # not a double click
    page.mouse.click(x, y)
    expect(page).to_have_url(re.compile(r"countries=KOR(&|$)"), timeout=10000)
    expect(chips.filter(has_text="China")).to_have_count(0)
    expect(chips.filter(has_text="South Korea")).to_have_count(1)

    assert page.js_errors == []
    # Fonts from Google are the page template's (removed by the kit); the map itself asks nothing outside.
    assert [url for url in page.outside if "fonts.googleapis.com" not in url] == []


def test_map_on_a_phone(browser, suite_url, artifacts):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(suite_url + "/national_trends?tab=map&lang=ko", wait_until="domcontentloaded", timeout=90000)
    map_point(page, 127, 36)
    page.wait_for_timeout(500)
    page.screenshot(path=str(artifacts / "world_map_390x844_ko.png"))
    context.close()

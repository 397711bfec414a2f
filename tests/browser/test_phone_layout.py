"""The apps on a 390 × 844 phone (and at 1440 × 900): every tab name on screen, chart titles and
source captions that fit above and below their plot, no sideways page scroll."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import SCREEN_SIZES, in_shadow_roots, settled_screenshot, sized_page

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# Each tab's box and the tab bar's: Bokeh's bar hides what overflows it.
TABS = in_shadow_roots("""
  return all(document, '.bk-tab').filter(t => t.getBoundingClientRect().width > 0).map(t => {
    const r = t.getBoundingClientRect(), bar = t.closest('.bk-header').getBoundingClientRect();
    return {text: t.textContent, left: r.left, right: r.right, bar_left: bar.left, bar_right: bar.right};
  });""")

# Every title and caption of a drawn figure: its widest line (measured in the title's font) and the
# width of the plot it stands over or under.
TITLES = in_shadow_roots("""
  const ctx = document.createElement('canvas').getContext('2d'), out = [];
  // a size in em is relative to the font size where Bokeh draws (a detached canvas would use 10 px)
  const base = parseFloat(getComputedStyle(all(document, '.bk-Canvas')[0]).fontSize);
  const px = size => size.endsWith("em") ? `${parseFloat(size) * base}px` : size;
  for (const doc of Bokeh.documents) for (const m of doc.all_models) {
    const kind = m.constructor.__name__;
    if ((kind !== "Figure" && kind !== "Plot") || !(m.inner_width > 0)) continue;
    for (const t of [m.title, ...m.above, ...m.below]) {
      if (!t || t.constructor.__name__ !== "Title" || !t.text) continue;
      ctx.font = `${t.text_font_style} ${px(t.text_font_size)} ${t.text_font}`;
      const widest = Math.max(...t.text.split("\\n").map(line => ctx.measureText(line).width));
      out.push({text: t.text, width: Math.round(widest), plot: m.inner_width});
    }
  }
  return out;""")


@pytest.fixture(scope="module")
def vcm_loaded(loaded_embedded):
    if loaded_embedded.count("core.vcm_projects") == 0:
        loaded_embedded.cli("pipeline", "run", "vcm")


@pytest.mark.parametrize("size", SCREEN_SIZES)
@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("app", ["national_trends", "vcm_explorer"])
def test_every_tab_name_is_on_screen(browser, suite_url, vcm_loaded, artifacts, app, lang, size):
    with sized_page(browser, size) as page:
        page.goto(f"{suite_url}/{app}?lang={lang}", timeout=60000)
        expect(page.locator(".bk-tab").last).to_be_visible(timeout=60000)
        settled_screenshot(page, artifacts / f"tabs_{app}_{lang}_{size}.png", full_page=False)
        width = page.viewport_size["width"]
        tabs = page.evaluate(TABS)
        assert len(tabs) >= 5, tabs
        for tab in tabs:  # whole, inside the bar that clips it and inside the screen
            assert max(tab["bar_left"], 0) <= tab["left"] + 1 and tab["right"] <= min(tab["bar_right"], width) + 1, tab
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1


# Buttons whose box reaches past the screen's edge (a radio group with long labels)
BUTTONS_OFF_SCREEN = in_shadow_roots("""
  return all(document, '.bk-btn').map(b => [b.textContent, b.getBoundingClientRect()])
    .filter(([, r]) => r.width > 0 && r.right > innerWidth + 1).map(([text, r]) => [text, Math.round(r.right)]);""")


@pytest.mark.parametrize("path", ["national_trends?lang=en&tab=trends", "national_trends?lang=ko&tab=trends",
                                  "national_trends?lang=en&tab=scenario", "recycling_impact?lang=en&tab=campaigns",
                                  "vcm_explorer?lang=en&tab=stats"])
def test_chart_titles_and_buttons_fit_a_phone(browser, suite_url, vcm_loaded, artifacts, path):
    with sized_page(browser, "phone") as page:
        page.goto(f"{suite_url}/{path}", timeout=60000)
        expect(page.locator(".bk-Canvas >> visible=true").first).to_be_visible(timeout=60000)
        settled_screenshot(page, artifacts / f"titles_{path.replace('?', '_').replace('&', '_')}_phone.png")
        titles = page.evaluate(TITLES)
        assert len(titles) >= 2, titles
        too_wide = [t for t in titles if t["width"] > t["plot"]]
        assert not too_wide, f"cut off at {page.viewport_size['width']} px: {too_wide}"
        assert page.evaluate(BUTTONS_OFF_SCREEN) == []
        assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"] + 1


def test_the_sidebar_opens_within_a_phones_width(browser, suite_url, artifacts):
    with sized_page(browser, "phone") as page:
        page.goto(f"{suite_url}/national_trends?lang=ko", timeout=60000)
        sidebar = page.locator("#sidebar")
        expect(page.locator(".bk-tab").last).to_be_visible(timeout=60000)
        expect(sidebar).to_be_hidden()  # closed from the first paint
        page.locator("#sidebar-button").click()
        expect(sidebar.get_by_text("지표", exact=True)).to_be_visible()
        settled_screenshot(page, artifacts / "sidebar_open_national_trends_ko_phone.png", full_page=False)
        assert page.evaluate("document.documentElement.scrollWidth") <= 391
        box = sidebar.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 391, box
        page.locator("#sidebar-button").click()
        expect(sidebar).to_be_hidden()

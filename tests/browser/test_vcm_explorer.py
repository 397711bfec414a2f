"""The VCM explorer as a user sees it: ranked search with facets, a project page with its
sources, the JSON endpoint, payloads in the search box and every URL parameter, screenshots."""

import json
import re
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tanso.ui.vcm.store import URL
from tests.browser.conftest import SCREEN_SIZES, in_shadow_roots, settled_screenshot, sized_page

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAYLOADS = [line for line in (Path(__file__).parents[1] / "data" / "xss_payloads.txt")
            .read_text().splitlines() if line and not line.startswith("#")]
PAYLOADS += ["'; DROP TABLE core.vcm_projects; --", "!!! & | <-> :* (", "%_\\"]


@pytest.fixture(scope="module")
def vcm_url(suite_url, loaded_embedded):
    if loaded_embedded.count("core.vcm_projects") == 0:
        loaded_embedded.cli("pipeline", "run", "vcm")
    return suite_url + "/vcm_explorer"


def test_search_facets_and_project_page(page, vcm_url):
    page.goto(vcm_url + "?q=cookstove%20kenya")
    expect(page.get_by_text("GS1366 Micro Energy PoA VPA 4 Mogotio Improved Cookstoves Kenya")
           ).to_be_visible(timeout=60000)
    expect(page.get_by_text("projects", exact=False).first).to_be_visible()
    page.get_by_text("GLD3080").first.click()
    expect(page.get_by_text("Open on the registry")).to_be_visible(timeout=30000)
    assert "project=GLD3080" in page.url and "tab=project" in page.url
    assert page.js_errors == []


def test_json_endpoint_answers_the_same_queries(vcm_url):
    base = vcm_url.rsplit("/", 1)[0]
    with urllib.request.urlopen(f"{base}/api/vcm/projects?query=gs%201005&per_page=1") as r:
        body = json.loads(r.read())
    assert body["results"][0]["project_id"] == "GLD1005" and "registry" in body["facets"]
    with pytest.raises(urllib.error.HTTPError) as failure:
        urllib.request.urlopen(f"{base}/api/vcm/projects?page=two")
    assert failure.value.code == 400
    assert "page must be a whole number" in failure.value.read().decode()


def test_payloads_in_search_box_and_url_run_no_script(page, vcm_url):
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    keys = list(URL.values())
    for round_ in range(3):
        query = {key: PAYLOADS[(round_ * 5 + i) % len(PAYLOADS)] for i, key in enumerate(keys)}
        page.goto(f"{vcm_url}?{urllib.parse.urlencode(query)}")
        expect(page.locator(".tabulator").first).to_be_visible(timeout=60000)
        page.wait_for_timeout(1000)
    page.goto(vcm_url)
    box = page.get_by_placeholder("name, developer", exact=False)
    for payload in PAYLOADS[:8]:
        box.fill(payload)
        box.press("Enter")
        page.wait_for_timeout(800)
    assert dialogs == []
    assert page.js_errors == []


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("size", list(SCREEN_SIZES))
def test_screenshots(browser, vcm_url, artifacts, lang, size):
    with sized_page(browser, size) as page:
        page.goto(f"{vcm_url}?lang={lang}&q=cookstove%20kenya")
        expect(page.get_by_text("GLD3080").first).to_be_visible(timeout=60000)
        settled_screenshot(page, artifacts / f"vcm_explorer-{lang}-{size}.png", full_page=False)
        page.goto(f"{vcm_url}?lang={lang}&tab=project&project=GLD1005")
        expect(page.get_by_text("GLD1005").first).to_be_visible(timeout=60000)
        settled_screenshot(page, artifacts / f"vcm_explorer-project-{lang}-{size}.png")


# Bokeh canvases shown on the page (each chart draws on one)
CANVASES = in_shadow_roots("""
  return all(document, 'canvas').filter(c => c.getBoundingClientRect().width > 0).length;""")


def test_a_korean_project_page_names_its_fields_and_says_when_no_source_has_years(page, vcm_url, artifacts):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{vcm_url}?lang=ko&tab=project&project=GLD1005")
    expect(page.get_by_text("출처별 전체 항목")).to_be_visible(timeout=60000)
    for label in ("항목", "출처의 ID", "레지스트리", "방법론 버전", "발행 (tCO2e)", "CORSIA 적격"):
        expect(page.locator("th, td", has_text=re.compile(f"^{re.escape(label)}$")).first).to_be_visible()
    for english in ("field", "source_id", "methodology_version", "corsia"):
        expect(page.locator("th, td", has_text=re.compile(f"^{english}$"))).to_have_count(0)
    # no VROD yearly rows for this project: a message naming what was looked at, no empty chart or table
    expect(page.get_by_text("이 프로젝트의 연도별 발행·상쇄 기록이 없습니다.")).to_be_visible()
    expect(page.get_by_text("VROD 2025-12 연도별 자료", exact=False)).to_be_visible()
    expect(page.get_by_text("연도별 크레딧 (VROD, tCO2e)")).to_have_count(0)
    assert page.evaluate(CANVASES) == 0
    settled_screenshot(page, artifacts / "vcm_explorer-project-no-years-ko-phone.png")
    # a project with yearly figures: the chart and the table, no message
    page.goto(f"{vcm_url}?lang=en&tab=project&project=ACR119")
    expect(page.get_by_text("Credits by year (VROD, tCO2e)")).to_be_visible(timeout=60000)
    expect(page.locator("th", has_text="Issued by vintage").first).to_be_visible()
    expect(page.get_by_text("No issuance or retirement by year")).to_have_count(0)
    page.wait_for_timeout(1000)
    assert page.evaluate(CANVASES) >= 1
    assert page.js_errors == []


def test_did_you_mean_a_hand_written_share_link_and_the_map(page, vcm_url):
    page.goto(vcm_url + "?q=cokstove%20kenya")
    page.get_by_text("Did you mean: cookstove kenya?").click(timeout=60000)
    expect(page.get_by_text("GLD11970")).to_be_visible(timeout=30000)  # only the corrected search has it
    expect(page).to_have_url(re.compile(r"q=cookstove(\+|%20)kenya"), timeout=30000)
    page.goto(vcm_url + "?registry=verra&country=Kenya&sort=issued&lang=ko")
    # the chosen values as the facet widgets' chips
    expect(page.locator(".choices__item", has_text="verra (").first).to_be_visible(timeout=60000)
    expect(page.locator(".choices__item", has_text="Kenya (").first).to_be_visible()
    sort = page.locator("select:has(option[value='발행 크레딧'])").first  # the sort, translated
    expect(sort).to_have_value("발행 크레딧")
    expect(page.get_by_text("링크의", exact=False)).to_have_count(0)  # no value refused
    page.get_by_text("통계", exact=True).click()
    expect(page.get_by_text("국가별 프로젝트 수").first).to_be_visible(timeout=30000)
    assert page.js_errors == []

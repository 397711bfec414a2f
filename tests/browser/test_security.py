"""Security of the served pages: no script from a link, signed session ids, headers, nothing external.

The payload corpus (tests/data/xss_payloads.txt) goes into every URL parameter of every app; a
payload that ran would open a dialog or throw, and the test listens for both.
"""

import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tanso.ui.national.store import URL_KEYS
from tanso.ui.sectors.store import URL_PARAMETERS as SECTOR_URL_PARAMETERS

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAYLOADS = [line for line in (Path(__file__).parents[1] / "data" / "xss_payloads.txt").read_text().splitlines()
            if line and not line.startswith("#")]
# Every query parameter each app reads (lang is read by every page).
APP_PARAMETERS = {
    "": ["lang"],
    "data_runs": ["lang"],
    "national_trends": ["lang", *URL_KEYS],
    "sector_contribution": ["lang", *SECTOR_URL_PARAMETERS.values()],
}
# The message each app shows for link values it refused (the payloads are shown there, as text).
REFUSED = {"national_trends": "The link has values that cannot be used",
           "sector_contribution": "These link values could not be applied"}
ROUNDS = 3  # each round shifts the payloads across the parameters


@pytest.fixture(scope="module", autouse=True)
def sector_data(loaded_embedded):
    """The sector app's data (the etl pipeline does not load it); a no-op when loaded already."""
    loaded_embedded.cli("pipeline", "run", "sectors")


def payload_url(suite_url: str, app: str, round_: int) -> str:
    parameters = APP_PARAMETERS[app]
    query = {name: PAYLOADS[(round_ * 7 + i) % len(PAYLOADS)] for i, name in enumerate(parameters)}
    return f"{suite_url}/{app}?{urllib.parse.urlencode(query)}"


@pytest.mark.parametrize("app", list(APP_PARAMETERS))
def test_payloads_in_every_url_parameter_run_no_script(page, suite_url, app):
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    for round_ in range(ROUNDS):
        page.goto(payload_url(suite_url, app, round_))
        if app in REFUSED:  # the rejected values are shown, as text (an unknown country draws no chart)
            expect(page.get_by_text(REFUSED[app]).first).to_be_visible(timeout=30000)
        else:
            expect(page.locator(".bk-Canvas, .tabulator, .card").first).to_be_visible(timeout=30000)
        page.wait_for_timeout(1500)  # let deferred handlers (onerror, onload, autofocus) fire
    assert dialogs == [], f"a payload ran: {dialogs}"
    assert page.js_errors == []


def test_a_session_id_nobody_was_given_is_refused(suite_url):
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{suite_url}/national_trends?bokeh-session-id=someone-elses-session", timeout=30)
    assert refused.value.code == 403


def test_every_response_has_security_headers_and_no_server_banner(suite_url):
    for path in ("/", "/national_trends", "/liveness", "/static/extensions/panel/css/markdown.css"):
        with urllib.request.urlopen(suite_url + path, timeout=60) as response:
            headers = response.headers
        csp = headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp, path
        assert headers["X-Frame-Options"] == "DENY" and headers["X-Content-Type-Options"] == "nosniff", path
        assert headers["Referrer-Policy"] == "same-origin", path
        assert "Server" not in headers, path


PAGES = ["", "national_trends", "national_trends?tab=map", "national_trends?tab=gap", "national_trends?tab=scenario",
         "national_trends?tab=ranking", "data_runs", "sector_contribution", "vcm_explorer", "footprint",
         "recycling_impact"]
# Reports every violation of the page's policy to the console, where the test collects errors.
REPORT_VIOLATIONS = """document.addEventListener('securitypolicyviolation', e => console.error(
    'CSP violation', e.violatedDirective, e.blockedURI, e.sourceFile, e.lineNumber))"""


def test_static_files_are_gzipped_pages_are_not(suite_url):
    def get(path):
        request = urllib.request.Request(suite_url + path, headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.headers.get("Content-Encoding"), len(response.read())

    encoding, size = get("/static/js/bokeh.min.js")
    assert encoding == "gzip" and size < 600_000  # 1.27 MB as sent without compression
    assert get("/national_trends")[0] is None  # session token beside link values: never compressed


@pytest.mark.parametrize("app", PAGES)
def test_pages_ask_no_other_host_break_no_policy_and_ship_no_mathjax(browser, suite_url, app):
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    context.add_init_script(REPORT_VIOLATIONS)
    page = context.new_page()
    requests, problems = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    response = page.goto(f"{suite_url}/{app}")
    expect(page.locator(".bk-Canvas, .tabulator, .card").first).to_be_visible(timeout=30000)
    page.wait_for_timeout(1000)
    context.close()
    foreign = [url for url in requests if not url.startswith((suite_url, "data:", "blob:" + suite_url))]
    assert foreign == []
    assert not [url for url in requests if "mathjax" in url.lower()]
    assert problems == []
    scripts = next(d for d in response.headers["content-security-policy"].split("; ") if d.startswith("script-src"))
    assert "'unsafe-inline'" not in scripts and "'nonce-" in scripts
    assert "'unsafe-eval'" not in scripts


def test_a_script_injected_into_a_page_does_not_run(browser, suite_url):
    """The policy itself, apart from escaping: an inline script without the response's nonce is refused."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{suite_url}/data_runs")
    expect(page.locator(".tabulator").first).to_be_visible(timeout=30000)
    ran = page.evaluate("""() => { window.__ran = false; const s = document.createElement('script');
        s.textContent = 'window.__ran = true'; document.body.appendChild(s); return window.__ran; }""")
    handler = page.evaluate("""() => { window.__clicked = false; const b = document.createElement('button');
        b.setAttribute('onclick', 'window.__clicked = true'); document.body.appendChild(b); b.click();
        return window.__clicked; }""")
    context.close()
    assert ran is False and handler is False

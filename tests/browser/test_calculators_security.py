"""The two calculators against the XSS payload corpus (tests/data/xss_payloads.txt): in every URL parameter
they read and in every box a person types into. A payload that ran would open a dialog or throw; the test
listens for both and checks that each payload typed is shown back as the text it is.

The footprint's day tables take numbers (number editors) and items from a list, so its free text comes
only through the URL; the recycling app has the weights (anyone) and the campaign form (members).
"""

import urllib.parse
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.members import register

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAYLOADS = [line for line in (Path(__file__).parents[1] / "data" / "xss_payloads.txt").read_text().splitlines()
            if line and not line.startswith("#")]
APP_PARAMETERS = {
    "recycling_impact": ["lang", "tab", "material", "factors", "reuse", "upcycle", "recycle"],
    "footprint": ["lang", "tab", "factors"],
}
READY = {"recycling_impact": ".kg-reuse input", "footprint": ".table-transport .tabulator-row"}


def listen(page) -> list[str]:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    return dialogs


@pytest.mark.parametrize("app", list(APP_PARAMETERS))
def test_payloads_in_every_url_parameter_run_no_script(page, suite_url, app):
    dialogs = listen(page)
    parameters = APP_PARAMETERS[app]
    rounds = -(-len(PAYLOADS) // len(parameters))           # every payload in some parameter
    for round_ in range(rounds):
        query = {name: PAYLOADS[(round_ * len(parameters) + i) % len(PAYLOADS)] for i, name in enumerate(parameters)}
        page.goto(f"{suite_url}/{app}?{urllib.parse.urlencode(query)}")
        expect(page.locator(READY[app]).first).to_be_visible(timeout=30000)
        page.wait_for_timeout(500)  # let deferred handlers (onerror, onload, autofocus) fire
    assert dialogs == [], f"a payload ran: {dialogs}"
    assert page.js_errors == []


def test_payloads_typed_into_the_weights_are_shown_as_text(page, suite_url):
    dialogs = listen(page)
    page.goto(suite_url + "/recycling_impact?lang=en")
    expect(page.get_by_text("Enter the kilograms collected").first).to_be_visible(timeout=30000)
    for i, payload in enumerate(PAYLOADS):
        box = ("reuse", "upcycle", "recycle")[i % 3]
        page.locator(f".kg-{box} input").fill(payload)
        expect(page.get_by_text(f"'{payload}' is not a number of kilograms").first).to_be_visible(timeout=20000)
        page.locator(f".kg-{box} input").fill("")
    assert dialogs == [], f"a payload ran: {dialogs}"
    assert page.js_errors == []


def test_payloads_typed_into_the_campaign_form_are_shown_as_text(page, suite_url):
    dialogs = listen(page)
    register(page, suite_url, email="payload.operator@example.org", name=PAYLOADS[0],
             next_path="/recycling_impact?lang=en&tab=campaigns")
    page.goto(suite_url + "/recycling_impact?lang=en&tab=campaigns")
    expect(page.get_by_text("New campaign").first).to_be_visible(timeout=30000)
    draft = page.locator(".campaign-draft")
    for payload in PAYLOADS:
        page.locator(".campaign-name input").fill(payload)
        expect(draft).to_contain_text(f"Ready to create {payload.strip()}", timeout=20000)
    page.locator(".entry-kg input").fill(PAYLOADS[1])
    expect(page.locator(".entry-preview")).to_contain_text(PAYLOADS[1], timeout=20000)

    name, organisation = PAYLOADS[2], PAYLOADS[3]               # saved, listed and reloaded as text
    page.locator(".campaign-name input").fill(name)
    page.locator(".campaign-org input").fill(organisation)
    expect(draft).to_contain_text(organisation, timeout=20000)
    page.locator(".campaign-create button").click()
    expect(page.get_by_text(f"Campaign '{name}' created.")).to_be_visible(timeout=30000)
    page.reload()
    expect(page.locator(".tabulator-cell", has_text=organisation).first).to_be_visible(timeout=30000)
    page.wait_for_timeout(500)
    assert dialogs == [], f"a payload ran: {dialogs}"
    assert page.js_errors == []

"""The country picker (Bokeh's MultiChoice = Choices.js, which puts option labels into the page as HTML)
with entity names from the payload corpus: every name shows as its own text and none runs."""

import time
import urllib.request

import pandas as pd
import panel as pn
import pytest
from playwright.sync_api import expect

from tanso.emissions.national_view import NationalData
from tanso.ui.national.controls import Controls
from tanso.ui.national.store import NationalStore
from tests.browser.test_security import PAYLOADS
from tests.conftest import free_port

pytestmark = [pytest.mark.browser, pytest.mark.slow]

HOSTILE = PAYLOADS[:6]  # tags, script, attribute break-out, javascript: links


def hostile_data() -> NationalData:
    rows = [{"country_code": f"X{i:02d}", "country": name, "kind": "country", "year": year, "total_ghg": 1.0}
            for i, name in enumerate(HOSTILE) for year in (2020, 2021)]
    rows += [{"country_code": "KOR", "country": "South Korea", "kind": "country", "year": year, "total_ghg": 2.0}
             for year in (2020, 2021)]
    return NationalData(pd.DataFrame(rows).sort_values(["country_code", "year"], ignore_index=True))


@pytest.fixture
def picker_url():
    data = hostile_data()

    def page():
        store = NationalStore(data=data)
        store.selection.countries = ["KOR", "X00"]  # a hostile name as a chosen chip too
        return Controls(store=store)

    port = free_port()
    server = pn.serve({"picker": page}, port=port, threaded=True, show=False, start=True)
    url = f"http://localhost:{port}/picker"
    for _ in range(120):  # the server thread starts listening a moment later
        try:
            urllib.request.urlopen(url, timeout=10).close()
            break
        except OSError:
            time.sleep(0.5)
    yield url
    server.stop()


def test_hostile_entity_names_show_as_text_in_the_picker(page, picker_url):
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(picker_url)
    chips = page.locator(".choices__list--multiple .choices__item[data-value]")
    expect(chips).to_have_count(2, timeout=30000)
    expect(chips.nth(1)).to_contain_text(f"{HOSTILE[0]} (X00)")  # the chip: the name's own text
    page.locator(".choices").first.click()  # the open list shows every option
    options = page.locator(".choices__list--dropdown .choices__item--choice")
    for i, name in enumerate(HOSTILE[1:], start=1):
        expect(options.filter(has_text=f"{name} (X{i:02d})")).to_have_count(1)
    page.wait_for_timeout(1000)  # let onerror/onload handlers fire, if any element was made
    injected = page.evaluate("""() => [...document.querySelectorAll('*')].flatMap(e => e.shadowRoot ?
        [...e.shadowRoot.querySelectorAll('.choices img, .choices svg, .choices iframe, .choices script, '
                                         + '.choices a[href]')] : []).length""")
    assert injected == 0 and dialogs == [] and page.js_errors == []

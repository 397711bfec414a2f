"""A report written by `tanso.reports.save_html` renders in Chromium with every network request refused."""

import holoviews as hv
import pandas as pd
import panel as pn
import pytest

from tanso.reports import inline_panel_assets, save_html
from tests.browser.conftest import confined_page

pytestmark = [pytest.mark.browser]


def test_cdn_addresses_become_the_wheels_files():
    html = inline_panel_assets('<link href="https://cdn.holoviz.org/panel/1.9.4/dist/css/loading.css?v=1.9.4">'
                               '{"url":"https://cdn.holoviz.org/panel/1.9.4/dist/bundled/theme/default.css"}'
                               '"https://cdn.holoviz.org/panel/1.9.4/dist/no/such.css"')
    assert html.count("data:text/css;base64,") == 2
    assert "https://cdn.holoviz.org/panel/1.9.4/dist/no/such.css" in html  # unknown files are left as they are


def test_report_renders_offline(browser, tmp_path, artifacts):
    hv.extension("bokeh")
    layout = pn.Column(
        pn.pane.Markdown("# Offline report\n\nNarrative *Markdown*.", sizing_mode="stretch_width"),
        pn.pane.HoloViews(hv.Curve([(2019, 700.0), (2020, 656.0), (2023, 624.0)], "year", "Mt"), height=300,
                          sizing_mode="stretch_width"),
        pn.pane.DataFrame(pd.DataFrame({"target": ["2030 NDC"], "gap (Mt)": [187.2]}), index=False),
        pn.widgets.Tabulator(pd.DataFrame({"year": [2030], "value": [436.6]}), disabled=True),
    )
    path = save_html(layout, tmp_path / "report.html", title="Offline report")
    assert "cdn.holoviz.org" not in path.read_text(encoding="utf-8")

    page = confined_page(browser, ("file:",), {"width": 1100, "height": 900})
    page.goto(path.as_uri())
    page.locator(".bk-Canvas").first.wait_for(timeout=30000)
    page.get_by_text("Narrative").wait_for()
    # Panel's stylesheets applied: the Markdown pane's heading has its style, the table its borders.
    assert page.evaluate("() => Bokeh.documents.length") == 1
    page.wait_for_timeout(500)
    page.screenshot(path=str(artifacts / "report_offline.png"), full_page=True)
    page.context.close()
    assert page.outside == []
    assert page.js_errors == []

"""`tanso report` of a recycling campaign: one offline HTML file, user text shown as text."""

import pytest

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def test_campaign_report_is_offline_and_escapes_the_name(embedded_backend, tmp_path):
    out = tmp_path / "otter.html"
    embedded_backend.cli("report", "notebooks/analysis/recycling_campaign.py", "-p", "name=Otter <b>x</b>",
                         "-p", "reuse=120", "-p", "upcycle=264", "-p", "recycle=96", "-o", str(out))
    html = out.read_text(encoding="utf-8")
    assert "3,069.0 kg CO2e" in html                       # 120×2.75×3 + 264×2.75×2.5 + 96×2.75
    assert "epa_warm@2021" in html and "operator@2025-12" in html
    assert "<b>x</b>" not in html                          # the name is text, not markup
    assert "<script src=\"https://cdn.bokeh.org" not in html


def test_campaign_report_with_nothing_collected_fails_clearly(embedded_backend, tmp_path):
    result = embedded_backend.cli("report", "notebooks/analysis/recycling_campaign.py", "-p", "name=Empty",
                                  "-o", str(tmp_path / "x.html"), check=False)
    assert result.returncode == 1 and "nothing collected" in result.stderr

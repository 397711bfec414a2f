"""`tanso report`: a notebook run through papermill becomes one offline HTML file."""

import pytest

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def test_country_profile_report_is_self_contained(loaded_embedded, tmp_path):
    out = tmp_path / "kor.html"
    result = loaded_embedded.cli("report", "notebooks/analysis/country_profile.py",
                                 "-p", "country=KOR", "-o", str(out))
    assert "wrote" in result.stdout
    html = out.read_text(encoding="utf-8")
    assert "South Korea: emissions profile since 1990" in html
    assert "Bokeh.embed" in html or "embed_items" in html
    assert '<script type="text/javascript" src="http' not in html  # BokehJS inlined
    assert "<script src=\"https://cdn.bokeh.org" not in html


def test_report_bad_parameters_are_named(loaded_embedded, tmp_path):
    result = loaded_embedded.cli("report", "notebooks/analysis/country_profile.py", "-p",
                                 "colour=red", "-o", str(tmp_path / "x.html"), check=False)
    assert result.returncode == 1 and "no parameter(s) colour" in result.stderr
    result = loaded_embedded.cli("report", "notebooks/analysis/country_profile.py", "-p",
                                 "country=XXX", "-o", str(tmp_path / "x.html"), check=False)
    assert result.returncode == 1 and "no data for country code 'XXX'" in result.stderr

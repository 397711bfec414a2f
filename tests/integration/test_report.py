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


@pytest.mark.parametrize(("target", "args", "message"), [
    ("notebooks/analysis", (), "notebooks/analysis is a folder; give a report notebook"),
    ("README.md", (), "README.md is not a notebook (a jupytext .py or an .ipynb file)"),
    ("src/tanso/errors.py", (), "has no `parameters` cell, so it is not a report notebook"),
    ("notebooks/analysis/country_profile.py", ("-p", "since=abc"),
     "country_profile.py: parameter since must be a number like its default 1990, got 'abc'"),
    ("notebooks/analysis/country_profile.py", ("-o", "/proc/x/report.html"),
     "--output /proc/x/report.html: cannot create its folder"),
    ("notebooks/analysis/country_profile.py", ("-o", "/tmp"), "--output /tmp is a folder"),
])
def test_bad_report_input_is_refused_before_any_work(embedded_backend, target, args, message):
    result = embedded_backend.cli("report", target, *args, check=False, timeout=60)
    assert result.returncode == 1, result.stdout + result.stderr
    assert message in result.stderr and "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1  # one line

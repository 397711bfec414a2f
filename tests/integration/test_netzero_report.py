"""The flagship Korea net-zero gap report, exported offline by `tanso report`."""

import pytest

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def test_korea_gap_report_is_offline_html(loaded_embedded, tmp_path, artifacts):
    out = tmp_path / "kor_gap.html"
    result = loaded_embedded.cli("report", "notebooks/analysis/netzero_gap.py", "-p", "country=KOR",
                                 "-p", "target=2030 NDC", "-p", 'rates="2024-2030: 4; 2031-2050: 7"', "-o", str(out))
    assert "wrote" in result.stdout
    html = out.read_text(encoding="utf-8")
    for text in ("South Korea: gap to the 2030 NDC", "Gap to each stated target", "Scenarios to 2050",
                 "Caveats", "727.6", "GHG 2025-05; GCB 2025; Tanso targets 2026-11"):
        assert text in html, text
    assert '<script type="text/javascript" src="http' not in html
    assert "cdn.holoviz.org" not in html  # Panel's stylesheets inlined too
    (artifacts / "kor_netzero_gap.html").write_bytes(out.read_bytes())


def test_unknown_target_is_named(loaded_embedded, tmp_path):
    result = loaded_embedded.cli("report", "notebooks/analysis/netzero_gap.py", "-p", "country=KOR",
                                 "-p", "target=2040 NDC", "-o", str(tmp_path / "x.html"), check=False)
    assert result.returncode == 1 and "no target '2040 NDC' for KOR" in result.stderr

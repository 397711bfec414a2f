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


def test_report_of_a_saved_campaign(embedded_backend, tmp_path):
    import datetime as dt

    import sqlalchemy as sa

    from tanso.db import campaigns as db

    engine = embedded_backend.engine
    with engine.begin() as conn:
        user = conn.execute(sa.text("INSERT INTO app.users (email, display_name, password_hash) "
                                    "VALUES ('report@calc.test', 'Report', 'x') RETURNING id")).scalar_one()
    otter = db.create_campaign(engine, organisation="Report org", name="Saved otter", period_start=dt.date(2025, 3, 1),
                               period_end=dt.date(2025, 3, 31), user_id=user)
    for pathway, kg in (("reuse", 310), ("upcycle", 682), ("recycle", 248)):
        db.add_entry(engine, otter, material="mixed", pathway=pathway, kg=kg, user_id=user)
    out = tmp_path / "saved.html"
    embedded_backend.cli("report", "notebooks/analysis/recycling_campaign.py", "-p", f"campaign_id={otter}",
                         "-o", str(out))
    html = out.read_text(encoding="utf-8")
    assert "Saved otter" in html and "7,928.2 kg CO2e" in html    # the seed's Q1 example, saved

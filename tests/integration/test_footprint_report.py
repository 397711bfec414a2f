"""`tanso report` of one day's footprint: the CLI's numbers, one offline HTML file, user text shown as text."""

import json

import pytest

pytestmark = [pytest.mark.integration, pytest.mark.slow]

NOTEBOOK = "notebooks/analysis/footprint_day.py"
HOSTILE = "<img src=x onerror=alert(1)>"
# The issue's example day (tests/unit/test_footprint.py::ISSUE_DAY) plus a dish of the user's own naming.
DAY = {"transport": [{"mode": "car", "minutes": 30}], "clothing": [{"item": "tshirt", "count": 1, "second_hand": True}],
       "food": [{"dish": "gimbap", "servings": 1}], "waste": [{"type": "plastic", "kg": 0.5}, {"type": "can", "count": 3}],
       "electricity": [{"appliance": "aircon", "hours": 2}], "water": [{"use": "shower", "count": 1}]}


def shown(html: str, text: str) -> bool:
    """`text` is in the report: as written, or JSON-escaped (\\uXXXX) inside the embedded documents."""
    return text in html or json.dumps(text)[1:-1] in html


def write(tmp_path, day) -> str:
    path = tmp_path / "DAY.json"
    path.write_text(day if isinstance(day, str) else json.dumps(day), encoding="utf-8")
    return str(path)


def test_report_of_the_issue_day_is_offline_with_sources_and_benchmarks(embedded_backend, tmp_path):
    out = tmp_path / "day.html"
    embedded_backend.cli("report", NOTEBOOK, "-p", f"day={write(tmp_path, DAY)}", "-o", str(out))
    html = out.read_text(encoding="utf-8")
    # 2.565 + 0.2 + 0.4 + 1.25 + 0.0675 + 1.696 + 0.021 = 6.1995; points 0 + 10 + min(100, 166) = 110
    assert "6.20 kg CO2e" in html and "110 points" in html
    assert "ecojourney@2025" in html                                  # every line names its factor's source
    assert "14.5 kg" in html and "GIR inventory 2022" in html         # both reference figures, labelled
    assert shown(html, "This day against both reference figures (kg CO2e)")
    assert "<script src=\"https://cdn.bokeh.org" not in html and "cdn.holoviz.org" not in html


def test_user_text_in_the_day_is_not_markup(embedded_backend, tmp_path):
    day = {"food": [{"dish": HOSTILE, "servings": 1, "ingredients": [{"product": "rice", "kg": 0.1}]}]}
    out = tmp_path / "hostile.html"
    embedded_backend.cli("report", NOTEBOOK, "-p", f"day={write(tmp_path, day)}", "-p", "lang=ko", "-o", str(out))
    html = out.read_text(encoding="utf-8")
    assert "onerror" in html and HOSTILE not in html                 # shown, as text


@pytest.mark.parametrize(("content", "message"), [
    (None, "does not exist"),
    ("{not json", "not valid JSON"),
    (json.dumps({"transport": [{"mode": "car", "km": -3}]}), "transport[0].km"),
])
def test_bad_day_fails_with_one_clear_line(embedded_backend, tmp_path, content, message):
    path = write(tmp_path, content) if content is not None else str(tmp_path / "missing.json")
    result = embedded_backend.cli("report", NOTEBOOK, "-p", f"day={path}", "-o", str(tmp_path / "x.html"), check=False)
    assert result.returncode == 1 and message in result.stderr
    assert not (tmp_path / "x.html").exists()


def test_report_with_a_members_saved_history_and_points(embedded_backend, tmp_path):
    import datetime as dt

    import sqlalchemy as sa

    from tanso.db.footprint_log import save_day
    from tanso.footprint import estimate_day, load_factor_set

    engine = embedded_backend.engine
    with engine.begin() as conn:
        user = conn.execute(sa.text("INSERT INTO app.users (email, display_name, password_hash) "
                                    "VALUES ('footprint-report@calc.test', 'Day', 'x') RETURNING id")).scalar_one()
    result = estimate_day(DAY, factors=load_factor_set("ecojourney"))
    for day in (dt.date(2025, 3, 3), dt.date(2025, 3, 4)):
        save_day(engine, user_id=user, day=day, activities=DAY, result=result)
    out = tmp_path / "member.html"
    embedded_backend.cli("report", NOTEBOOK, "-p", f"day={write(tmp_path, DAY)}",
                         "-p", "member=Footprint-Report@calc.test", "-o", str(out))
    html = out.read_text(encoding="utf-8")
    assert "Points balance: &amp;lt;strong&amp;gt;220&amp;lt;" in html          # 2 days × 110, bold
    assert "kg CO2e per logged day (week)" in html and "2025-03" in html

    missing = embedded_backend.cli("report", NOTEBOOK, "-p", f"day={write(tmp_path, DAY)}",
                                   "-p", "member=nobody@calc.test", "-o", str(tmp_path / "y.html"), check=False)
    assert missing.returncode == 1 and "member: no account nobody@calc.test" in missing.stderr


def test_korean_report_labels_charts_items_and_history_from_the_apps_catalogs(embedded_backend, tmp_path):
    import datetime as dt

    import sqlalchemy as sa

    from tanso.db.footprint_log import save_day
    from tanso.footprint import estimate_day, load_factor_set
    from tanso.ui.i18n import t

    day = DAY | {"food": [{"dish": "gimbap", "servings": 1}, {"product": "Beef (dairy herd)", "kg": 0.1}]}
    engine = embedded_backend.engine
    with engine.begin() as conn:
        user = conn.execute(sa.text("INSERT INTO app.users (email, display_name, password_hash) "
                                    "VALUES ('footprint-report-ko@calc.test', 'Day', 'x') RETURNING id")).scalar_one()
    save_day(engine, user_id=user, day=dt.date(2025, 3, 3), activities=day,
             result=estimate_day(day, factors=load_factor_set("ecojourney")))
    out = tmp_path / "ko.html"
    embedded_backend.cli("report", NOTEBOOK, "-p", f"day={write(tmp_path, day)}", "-p", "lang=ko",
                         "-p", "member=footprint-report-ko@calc.test", "-o", str(out))
    html = out.read_text(encoding="utf-8")
    korean = [t(key, "ko") for key in (
        "footprint.by_category", "footprint.compare.title", "footprint.compare.figure", "footprint.compare.day",
        "footprint.compare.benchmark", "footprint.compare.territorial", "footprint.benchmark.average",
        "footprint.benchmark.territorial", "footprint.history.period", "footprint.col.category")]
    korean += ["분야", "오늘과 두 기준치 비교 (kg CO2e)", "기간", "기록한 날 하루 평균 kg CO2e (주)",
               "김밥", "젖소 소고기", "자동차", "티셔츠 (중고)", "Tanso가 만들었습니다"]
    assert [text for text in korean if not shown(html, text)] == []
    english = [t(key, "en") for key in ("footprint.compare.title", "footprint.compare.day",
                                        "footprint.compare.benchmark", "footprint.compare.territorial",
                                        "footprint.history.period", "footprint.report.footer")]
    english += ["Beef (dairy herd)", "tshirt (second-hand)", "kg_per_day"]
    assert [text for text in english if shown(html, text.split("{")[0])] == []

"""The two calculators' views without a browser: models built once and updated in place, edits that reach
the totals through the table's value (the path the browser takes)."""

import panel as pn

from tanso.ui.footprint.store import FootprintStore
from tanso.ui.footprint.views import DayView
from tanso.ui.recycling.store import CalculatorStore, RecyclingStore
from tanso.ui.recycling.views import CalculatorView


def test_kpi_gauges_exist_before_a_result_and_are_updated_in_place():
    calc = CalculatorStore(lang="en")
    view = CalculatorView(store=RecyclingStore(lang="en", calculator=calc, campaigns=None))
    pn.Column(view).get_root()
    label, bar, box = view._result._gauges[("monthly", "basic")]
    assert bar.value == 0 and "0 %" in label.object
    calc.param.update(reuse="200", upcycle="500", recycle="300")      # 5.9125 t against 1.5 t
    assert view._result._gauges[("monthly", "basic")] == (label, bar, box)
    assert "394 %" in label.object and bar.value == 100 and bar.bar_color == "success"
    _, yearly, _ = view._result._gauges[("yearly", "basic")]
    assert yearly.value == 33 and yearly.bar_color == "warning"       # 5.9125 of 18 t


def test_a_linked_value_is_written_back_but_typing_is_not_overwritten():
    calc = CalculatorStore(lang="en")
    view = CalculatorView(store=RecyclingStore(lang="en", calculator=calc, campaigns=None))
    pn.Column(view).get_root()
    box = view._boxes["reuse"]
    box.value_input = "20"
    box.value_input = "200"
    assert calc.reuse == "200" and box.value == ""                     # typed text stays the box's own
    calc.upcycle = "500"                                               # from a link
    assert view._boxes["upcycle"].value == "500"


def test_a_table_value_change_updates_the_totals():
    store = FootprintStore(lang="en")
    view = DayView(store=store)
    pn.Column(view).get_root()
    assert round(store.result.total_kg, 2) == 6.20
    table = view._body.select(pn.widgets.Tabulator)[0]
    assert table.label == "transport"
    frame = table.value.copy()
    frame.loc[0, "minutes"] = 60                                      # + 15 km × 0.171
    table.value = frame
    assert round(store.result.total_kg, 2) == 8.76
    assert "8\\.76 kg CO2e" in view._total.object                      # Markdown-escaped


def test_the_day_as_csv_names_every_line_source_total_points_and_factor_set():
    import io

    import pandas as pd

    store = FootprintStore(lang="en")
    frame = pd.read_csv(io.StringIO(store.day_csv()))
    lines = frame[frame["section"] == "line"]
    assert lines["item"].tolist() == ["car", "tshirt (second-hand)", "gimbap", "plastic", "can", "aircon", "shower"]
    car = lines.iloc[0]
    assert (car["quantity"], car["unit"], car["factor"]) == (15.0, "km", 0.171)      # 30 min at 30 km/h
    assert round(car["kg_co2e"], 4) == 2.565 and '"provider": "local"' in car["source"]
    assert round(frame.loc[frame["section"] == "total", "kg_co2e"].item(), 4) == 6.1995
    points = frame[frame["section"] == "points"].set_index("item")["quantity"]
    assert points.to_dict() == {"saved": 0, "second_hand": 10, "below_average": 100, "total": 110}
    assert frame.loc[frame["section"] == "factor_set", "item"].item().startswith("ecojourney@")


def test_table_problems_name_the_row_and_read_in_korean():
    import pandas as pd

    from tanso.ui.footprint.problems import problem_text

    store = FootprintStore(lang="ko")
    before = store.result.total_kg
    store.set_table("transport", pd.DataFrame({"mode": ["bus", "car", None], "minutes": [None, 10, 5],
                                               "km": [2000, 3, None]}))
    store.set_table("waste", pd.DataFrame({"type": ["plastic"], "kg": [None], "count": [2]}))
    assert store.result is None                                  # nothing computed from a partly valid day
    texts = [problem_text(f, m, "ko") for f, m in store.problems]
    assert "교통 1행 km: 버스 하루 2,000 km: 가능한 최대치 1,200보다 많습니다. 숫자를 확인하세요" in texts
    assert "교통 2행: 다음 중 하나만 입력하세요: 분, km" in texts
    assert "교통 3행 수단: 항목을 고르세요 (예: 자동차, 버스, 지하철, 도보)" in texts
    assert "쓰레기 1행 분: 플라스틱 쓰레기는 개수가 아니라 kg으로 입력하세요" not in texts   # field is count
    assert "쓰레기 1행 개수: 플라스틱 쓰레기는 개수가 아니라 kg으로 입력하세요" in texts
    assert problem_text("transport[1]", "give exactly one of minutes, km (got minutes, km)", "en") == (
        "Transport, row 2: give exactly one of minutes, km (got minutes, km)")
    store.set_table("transport", pd.DataFrame({"mode": ["car"], "minutes": [30], "km": [None]}))
    store.set_table("waste", pd.DataFrame({"type": ["plastic", "can"], "kg": [0.5, None], "count": [None, 3]}))
    assert store.result.total_kg == before                       # fixed: the example day again


def test_campaign_problems_name_the_field_and_read_in_korean():
    import datetime as dt

    import pytest

    from tanso.recycling import RecyclingInputError
    from tanso.recycling.validation import validate_campaign
    from tanso.ui.recycling.problems import problems_text

    with pytest.raises(RecyclingInputError) as bad:
        validate_campaign(name="Otter", start=dt.date(2025, 3, 1), end=dt.date(2025, 2, 1), existing_names={"otter"})
    assert problems_text(bad.value.problems, "ko") == (
        "캠페인 이름: 이 기관에 같은 이름의 캠페인이 이미 있습니다: 'Otter'; "
        "기간: 종료일(2025-02-01)이 시작일(2025-03-01)보다 빠릅니다")
    assert problems_text(bad.value.problems, "en").startswith(
        "Campaign name: a campaign named 'Otter' already exists in this organisation; Period: the period ends")

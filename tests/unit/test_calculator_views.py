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
    assert table.name == "transport"
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

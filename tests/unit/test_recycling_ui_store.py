"""The recycling app's calculator store: live parsing per field, results, sentences, CSV."""

import pandas as pd

from tanso.ui.recycling.store import CalculatorStore, parse_kg, promo_sentences


def test_weights_as_typed():
    assert parse_kg("", "en") == (0.0, "")
    assert parse_kg(" 1,240 ", "en") == (1240.0, "")
    assert parse_kg("12kg", "en") == (None, "'12kg' is not a number of kilograms")
    assert parse_kg("-1", "ko") == (None, "무게는 음수일 수 없습니다")
    assert parse_kg("inf", "en")[0] is None


def test_live_result_and_field_errors():
    calc = CalculatorStore()
    assert calc.result is None and calc.errors == {}
    calc.param.update(reuse="200", upcycle="500", recycle="300")
    assert calc.result.reduction_kg == 5912.5 and calc.result.weighted_factor == 2.15
    calc.upcycle = "five hundred"
    assert set(calc.errors) == {"upcycle"} and calc.result.reduction_kg == 5912.5   # last good result kept
    calc.reuse = "-1"
    assert set(calc.errors) == {"reuse", "upcycle"} and calc.result.reduction_kg == 5912.5
    calc.reuse = "200"
    calc.upcycle = "500"
    calc.factors = "epa_warm"
    assert calc.result.factor_set["name"] == "epa_warm" and calc.result.weighted_factor == 1.0


def test_promotional_sentences_in_both_languages():
    calc = CalculatorStore(reuse="200", upcycle="500", recycle="300")
    en = promo_sentences(calc.result, material="mixed", lang="en")
    assert en[0] == "Keeping 1,000 kg of mixed plastic / toys in use equals what 269 trees absorb in a year."
    assert "15.4 months (1.29 car-years)" in en[1]          # 5,912.5 / 4,600 = 1.2853 car-years
    assert "44.0 m²" in en[2] and "operator's figure" in en[2]
    ko = promo_sentences(calc.result, material="mixed", lang="ko")
    assert ko[0] == "혼합 플라스틱(장난감) 1,000 kg 순환은 나무 269그루가 1년간 흡수하는 탄소와 같습니다."


def test_csv_export_names_the_factor_set():
    calc = CalculatorStore(reuse="310", upcycle="682", recycle="248")
    frame = pd.read_csv(__import__("io").StringIO(calc.csv()))
    totals = frame[frame["section"] == "total"].set_index("key")["value"]
    assert totals["reduction"] == 7928.25 and totals["weighted_factor"] == 2.325
    kpi = frame[frame["section"] == "kpi_monthly"].set_index("key")["value"]
    assert round(kpi["basic"]) == 529                       # 7.92825 t of 1.5 t
    assert frame["key"].iloc[-1] == "operator@2025-12"


"""Korea's targets name the inventory basis they are stated on (issue 11), in the gap caveats the
national app, the report and the CLI show."""

from pathlib import Path

import pandas as pd
import pytest

from tanso.emissions.gap import analyse_target
from tanso.emissions.targets import load_targets
from tanso.sectors.bases import BY_KEY, basis_caveat, target_bases
from tanso.ui.national.translate import caveat_text

TARGETS = Path(__file__).parents[2] / "data" / "raw" / "targets" / "2026-11" / "targets.csv"


def test_every_recorded_basis_names_a_shipped_target_and_a_known_basis():
    targets = {(t.country_code, t.name) for t in load_targets(TARGETS)}
    bases = target_bases()
    assert set(zip(bases["country_code"], bases["target_name"], strict=True)) <= targets
    assert set(bases["basis"]) <= set(BY_KEY)
    korea = {t.name for t in load_targets(TARGETS) if t.country_code == "KOR"}
    assert korea == set(bases.loc[bases["country_code"] == "KOR", "target_name"])  # every Korean target


def test_the_gap_of_a_korean_target_says_both_bases():
    ndc = next(t for t in load_targets(TARGETS) if (t.country_code, t.name) == ("KOR", "2035 NDC"))
    series = pd.Series([742.0, 720.0, 700.0], index=[2018, 2020, 2022])
    caveats = analyse_target(series, ndc).caveats
    assert ("Inventory basis: the target is stated on GIR net total (gir_net); this series is OWID total GHG "
            "incl. LULUCF (owid_ghg).") in caveats


@pytest.mark.parametrize(("country", "target", "metric", "expected"), [
    ("KOR", "2030 NDC", "total_ghg_excluding_lucf", "OWID total GHG excl. LULUCF (owid_ghg_excl_lulucf)"),
    ("KOR", "2030 NDC", "co2", "OWID co2"),
    ("USA", "2030 NDC", "total_ghg", None),
])
def test_basis_caveat_names_the_series_basis(country, target, metric, expected):
    caveat = basis_caveat(country, target, metric)
    assert (caveat is None) if expected is None else caveat.endswith(f"this series is {expected}.")


def test_the_basis_caveat_in_korean_names_both_bases_in_korean():
    text = caveat_text(basis_caveat("KOR", "2035 NDC", "total_ghg"), "ko")
    assert text == ("인벤토리 기준: 목표는 GIR 순배출량(gir_net) 기준으로 정해졌고, "
                    "이 계열은 OWID 총 온실가스(LULUCF 포함)(owid_ghg)입니다.")

"""GIR tree and file reading, the GIR → Climate Watch mapping and its checks, Climate Watch tidying."""

import pandas as pd
import pytest

from tanso import catalog
from tanso.emissions.national import InputError
from tanso.sectors import climatewatch, gir, mapping


@pytest.fixture(scope="module")
def tree():
    return gir.read_categories()


@pytest.fixture(scope="module")
def raw():
    return gir.read_inventory(catalog.verified_path("gir_inventory"))


@pytest.fixture(scope="module")
def emissions(raw, tree):
    return gir.tidy_inventory(raw, tree)


def test_tree_has_every_column_with_codes_and_both_names(tree):
    assert len(tree) == 161
    assert tree.set_index("code").loc["1.A.1.a", ["name_ko", "name_en", "level"]].tolist() == \
        ["공공 전기 및 열 생산", "Public electricity and heat production", 4]
    assert tree.loc[tree["level"] == 1, "code"].tolist() == ["1", "2", "3", "4", "5", "M"]
    assert tree["is_leaf"].sum() == 118
    # the column published as "E 사바나 소각" is the parent of the F items
    assert tree.set_index("code").loc["3.F", "source_column"] == "E 사바나 소각"


def test_values_in_mt_match_the_published_totals(emissions):
    fields = gir.field_values(emissions)
    y2018 = fields[fields["year"] == 2018].set_index("sector")["value_mt"]
    # hand-read from the CSV: 2018 gross 783.9 Mt, net 742.3 Mt (KOREA_FACTS)
    assert y2018.drop("lulucf").sum() == pytest.approx(783.9, abs=0.05)
    assert y2018.sum() == pytest.approx(742.3, abs=0.05)
    assert emissions.query("code == 'M.1.2'")["value_kt"].isna().all()  # 'C' = confidential


def test_every_parent_equals_its_parts_except_the_published_bunker_memo(tree, emissions):
    off = gir.sum_mismatches(tree, emissions)
    assert set(off["code"]) == {"M.1.1"}
    assert off.set_index("year").loc[2022, "difference_kt"] == pytest.approx(-4773.97, abs=0.01)


def test_a_moved_column_is_refused(raw, tree):
    moved = raw.copy()
    moved.iat[0, 5] = "something else"
    with pytest.raises(InputError, match="column 5: 'something else'"):
        gir.tidy_inventory(moved, tree)


def test_a_non_number_names_year_and_column(raw, tree):
    broken = raw.copy()
    broken.iat[3, 10] = "n/a"
    with pytest.raises(InputError, match="year 1992, column 'A 연료연소_a 철강': 'n/a'"):
        gir.tidy_inventory(broken, tree)


def test_not_cp949_is_refused():
    with pytest.raises(InputError, match="not cp949"):
        gir.read_inventory("총배출량".encode("utf-16"))


@pytest.fixture(scope="module")
def sector_map():
    return mapping.read_mapping(catalog.verified_path("sector_mapping"))


def test_the_shipped_mapping_passes_its_checks(tree, sector_map, emissions):
    mapping.check_mapping(tree, sector_map, emissions)
    cw = mapping.map_to_climatewatch(emissions, sector_map)
    y2022 = cw[cw["year"] == 2022].set_index("sector")["value_mt"]
    # GIR 1.A.4.a + 1.A.4.b = 13,997.34 + 30,677.58 kt
    assert y2022["buildings"] == pytest.approx(44.67492, abs=1e-5)
    # regrouped, the gross total is still GIR's 724,294.06 kt
    assert y2022.drop(["lulucf", "bunker_fuels"]).sum() == pytest.approx(724.29406, abs=1e-5)


def test_mapping_problems_are_all_listed(tree, sector_map, emissions):
    broken = pd.concat([sector_map[sector_map["gir_code"] != "1.A.3.b"],
                        sector_map[sector_map["gir_code"] == "2.E"],
                        pd.DataFrame({"gir_code": ["1.A"], "climatewatch_sector": ["nope"],
                                      "note": [pd.NA]}).astype("string")])
    with pytest.raises(mapping.MappingError) as caught:
        mapping.check_mapping(tree, broken, emissions)
    message = str(caught.value)
    for part in ("not mapped: 1.A.3.b", "more than once: 2.E", "not GIR leaves: 1.A",
                 "unknown Climate Watch sectors: nope"):
        assert part in message


def test_a_field_total_mismatch_is_reported(tree, sector_map, emissions):
    shifted = emissions.copy()
    shifted.loc[(shifted["code"] == "5.A.1") & (shifted["year"] == 2000), "value_kt"] += 10
    with pytest.raises(mapping.MappingError, match="waste 2000"):
        mapping.check_mapping(tree, sector_map, shifted)


def test_climatewatch_tidy_converts_tonnes_and_keeps_negative_lulucf_only():
    countries = pd.DataFrame({"code": ["KOR"], "name": ["South Korea"]})
    frame = pd.DataFrame({"Entity": ["South Korea"], "Code": ["KOR"], "Year": [2022]}
                         | {c: [1e6] for c in ("Agriculture", "waste", "buildings", "industry",
                                                "manufacturing and construction", "transport",
                                                "electricity and heat", "other fuel combustion",
                                                "Fugitive emissions from energy production",
                                                "bunker fuels")}
                         | {"land-use change and forestry": [-45.71e6]})
    tidy = climatewatch.tidy_climatewatch(frame, countries).set_index("sector")["value_mt"]
    assert tidy["lulucf"] == pytest.approx(-45.71) and tidy["waste"] == 1.0
    with pytest.raises(Exception, match="only_lulucf_is_negative"):
        climatewatch.tidy_climatewatch(frame.assign(waste=-1.0), countries)
    with pytest.raises(InputError, match="not in the country dimension: Atlantis"):
        climatewatch.tidy_climatewatch(frame.assign(Entity="Atlantis"), countries)

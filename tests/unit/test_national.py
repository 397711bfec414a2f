import pandas as pd
import pytest

from tanso.emissions import national
from tanso.errors import DataError


def owid_rows(**overrides) -> pd.DataFrame:
    frame = pd.DataFrame({
        "country": ["South Korea", "South Korea", "World", "High-income countries"],
        "year": [2022, 2023, 2023, 2023],
        "iso_code": ["KOR", "KOR", None, None],
        "co2": [600.0, 577.4, 37791.6, 15000.0],
        "share_global_co2": [1.6, 1.53, 100.0, 40.0],
    })
    return frame.assign(**overrides)


def test_countries_get_iso_or_owid_codes_and_a_kind():
    countries = national.build_countries(owid_rows())
    assert countries.set_index("name")["code"].to_dict() == {
        "South Korea": "KOR", "World": "OWID_WRL", "High-income countries": "OWID_HIGH_INCOME_COUNTRIES"}
    assert countries.set_index("code")["kind"].to_dict() == {
        "KOR": "country", "OWID_WRL": "world", "OWID_HIGH_INCOME_COUNTRIES": "income_group"}


def test_every_owid_aggregate_in_the_shipped_data_is_mapped():
    from tanso import catalog

    countries = national.build_countries(catalog.read("owid_co2"))
    assert len(countries) == 255
    assert countries["kind"].value_counts()["country"] == 219
    assert {"OWID_WRL", "EU27", "OWID_ASIA"} <= set(countries["code"])


def test_an_unknown_aggregate_is_named():
    rows = owid_rows(country=["South Korea", "South Korea", "World", "Atlantis (GCP)"])
    with pytest.raises(national.InputError, match="Atlantis"):
        national.build_countries(rows)


def test_a_missing_column_is_named():
    with pytest.raises(national.InputError, match=r"owid_co2: required column.*iso_code"):
        national.build_countries(owid_rows().drop(columns="iso_code"))
    gcb = pd.DataFrame({"Entity": ["World"], "Year": [2024]})
    with pytest.raises(national.InputError, match=r"gcb_co2: required column.*Emissions"):
        national.tidy_gcb(gcb, national.build_countries(owid_rows()))


def test_an_out_of_range_value_fails_the_schema_with_column_and_row():
    rows = owid_rows(co2=[600.0, -5.0, 37791.6, 15000.0])
    with pytest.raises(DataError) as err:
        national.tidy_owid(rows, national.build_countries(rows))
    assert str(err.value) == "owid_co2, row 1, column co2: value -5.0 fails greater_than_or_equal_to(0)"


def test_duplicate_country_years_fail():
    rows = owid_rows(year=[2023, 2023, 2023, 2023])
    with pytest.raises(DataError) as err:
        national.tidy_owid(rows, national.build_countries(rows))
    assert str(err.value) == "owid_co2, rows 0, 1: duplicate key country_code='KOR', year=2023"


def test_gcb_tonnes_become_megatonnes_keyed_by_code():
    countries = national.build_countries(owid_rows())
    gcb = pd.DataFrame({"Entity": ["South Korea", "World"], "Year": [2024, 2024],
                        "Emissions": [584_000_000, 38_000_000_000]})
    tidy = national.tidy_gcb(gcb, countries)
    assert tidy.to_dict("list") == {"country_code": ["KOR", "OWID_WRL"], "year": [2024, 2024],
                                    "co2_mt": [584.0, 38000.0]}
    with pytest.raises(national.InputError, match="Mars"):
        national.tidy_gcb(gcb.assign(Entity=["Mars", "World"]), countries)


def test_a_year_beyond_int16_is_refused_not_wrapped_round():
    # 70000 as int16 is 70000 − 65536 = 4464: a plausible-looking year if narrowed unchecked
    rows = owid_rows(year=[2022, 70000, 2023, 2023])
    with pytest.raises(DataError, match=r"owid_co2: column year, row 1: value 70000 is not a whole "
                                        r"number within -32768–32767 \(1 such rows\)"):
        national.tidy_owid(rows, national.build_countries(rows))

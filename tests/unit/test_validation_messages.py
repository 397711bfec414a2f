"""pandera failures of the VCM and sector sources as one line per problem, saying where:
the file and row, or the key of a row in a frame that was reshaped or combined from files."""

import pandas as pd
import pytest

from tanso import catalog
from tanso.errors import DataError
from tanso.sectors import climatewatch, gir
from tanso.vcm import schema

CLIMATEWATCH_COLUMNS = ("Agriculture", "waste", "buildings", "industry", "manufacturing and construction",
                        "transport", "electricity and heat", "other fuel combustion",
                        "Fugitive emissions from energy production", "bunker fuels",
                        "land-use change and forestry")


def message(call, *args) -> str:
    with pytest.raises(DataError) as err:
        call(*args)
    return str(err.value)


def test_vcm_transactions_name_the_file_and_row_of_each_problem():
    frame = pd.DataFrame({
        "project_id": ["VCS12", "VCS12"], "source": ["verra", "verra"],
        "source_file": ["verra_issuances.csv", "verra_issuances.csv"], "source_row": [7, 8],
        "registry": ["verra", "verra"], "kind": ["issuance", "retirement"], "quantity": [-5.0, 3.0],
        "transaction_date": ["2020-01-01", "2020-13"]})
    assert message(schema.conform_transactions, frame).splitlines() == [
        "vcm transactions, source_file='verra_issuances.csv' source_row=7, column quantity: "
        "value -5.0 fails greater_than_or_equal_to(0)",
        "vcm transactions, source_file='verra_issuances.csv' source_row=8, column transaction_date: "
        r"value '2020-13' fails str_matches('^\d{4}-\d{2}-\d{2}$')"]


def test_vcm_projects_name_the_source_and_its_id():
    frame = pd.DataFrame({"project_id": ["VCS12"], "source": ["vrod"], "source_id": ["VCS12"],
                          "registry": ["verra"], "issued": [-1.0]})
    assert message(schema.conform_projects, frame) == (
        "vcm projects, source='vrod' source_id='VCS12', column issued: value -1.0 fails "
        "greater_than_or_equal_to(0)")


def test_combined_vcm_projects_name_each_duplicate_by_its_key():
    """Two ids of one source that become one canonical id (as a registry's files may spell it)."""
    def project(source_id: str) -> pd.DataFrame:
        return pd.DataFrame({"project_id": ["GLD5"], "source": ["offsetsdb"], "source_id": [source_id],
                             "registry": ["gold-standard"]})
    with schema.deferred_checks():  # as harmonise.build_tables: each file shaped, all checked once
        parts = [schema.conform_projects(project("GS5")), schema.conform_projects(project("GS-5"))]
    combined = pd.concat(parts, ignore_index=True)
    assert message(schema.check_projects, combined) == (
        "vcm projects: duplicate key project_id='GLD5', source='offsetsdb' in rows "
        "source='offsetsdb' source_id='GS5'; source='offsetsdb' source_id='GS-5'")


def test_a_whole_row_check_is_one_line_naming_the_row_and_its_values():
    countries = pd.DataFrame({"code": ["KOR"], "name": ["South Korea"]})
    frame = pd.DataFrame({"Entity": ["South Korea"], "Code": ["KOR"], "Year": [2022]}
                         | {c: [1e6] for c in CLIMATEWATCH_COLUMNS} | {"waste": [-2e6]})
    # -2e6 t is -2 Mt: only land use may be negative
    assert message(climatewatch.tidy_climatewatch, frame, countries) == (
        "climatewatch_sectors, country_code='KOR' year=2022 sector='waste': value_mt=-2.0 "
        "fails only_lulucf_is_negative")


def test_gir_values_name_the_category_and_year():
    raw = gir.read_inventory(catalog.verified_path("gir_inventory"))
    raw.iat[2, 2] = "6,000,000"  # row 2 is 1991, column 2 the net total: 6,000 Mt, a unit error
    assert message(gir.tidy_inventory, raw, gir.read_categories()) == (
        "gir_inventory, code='TOTAL_NET' year=1991, column value_kt: value 6000000.0 fails "
        "below 5 Gt (larger is a unit error)")


def test_many_problems_end_with_a_count_of_the_rest():
    frame = pd.DataFrame({"project_id": [f"VCS{i}" for i in range(25)], "source": ["vrod"] * 25,
                          "source_id": [f"VCS{i}" for i in range(25)], "registry": ["verra"] * 25,
                          "issued": [-1.0] * 25})
    lines = message(schema.conform_projects, frame).splitlines()
    assert len(lines) == 21 and lines[-1] == "vcm projects: … and 5 more problems"
    assert lines[19].startswith("vcm projects, source='vrod' source_id='VCS19', column issued")

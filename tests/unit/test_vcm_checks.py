"""VCM bad input: every message names the file, row and column; nothing is guessed."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from tanso.vcm import apx, harmonise, ids, verra, vrod
from tanso.vcm.checks import InputError, parse_dates, parse_quantities

EXPORTS = Path(__file__).resolve().parents[2] / "data" / "raw" / "vcm_registry_exports" / "2026-06"


def csv(name: str) -> pd.DataFrame:
    return pd.read_csv(EXPORTS / name, dtype=str, keep_default_na=False)


def test_ids_with_spaces_lower_case_and_prefix_spellings():
    raw = pd.Series([" gs 1234", "GLD1234", "GOLD-1234", "vcs981", " VCS 981 ", "car1062",
                     "ACR_102", "art101", "VCSOPR2"])
    assert ids.canonical_ids(raw, source="t", column="id").tolist() == [
        "GLD1234", "GLD1234", "GLD1234", "VCS981", "VCS981", "CAR1062", "ACR102", "ART101",
        "VCSOPR2"]


def test_bare_numbers_take_the_registry_prefix():
    raw = pd.Series(["1234", "981.0"])
    assert ids.canonical_ids(raw, registry="gold-standard", source="t",
                             column="GSID").tolist() == ["GLD1234", "GLD981"]


def test_unknown_id_names_the_row():
    raw = pd.Series(["VCS1", "XYZ123"])
    with pytest.raises(InputError, match=r"f\.csv: column 'ID' row 3: project id 'XYZ123'"):
        ids.canonical_ids(raw, source="f.csv", column="ID")


def test_unknown_registry():
    with pytest.raises(InputError, match="unknown registry 'Plan Vivo'"):
        ids.registry_name("Plan Vivo")
    with pytest.raises(InputError, match="registry export 'plan-vivo': unknown registry"):
        harmonise.parse_registry_export("plan-vivo", {})


def test_quantities_with_thousands_separators():
    values = pd.Series(["1,234", " 5 ", "1,454,054", "0.5"])
    assert parse_quantities(values, source="f", column="q").tolist() == [
        1234.0, 5.0, 1_454_054.0, 0.5]


@pytest.mark.parametrize(("value", "message"), [
    ("abc", r"f\.csv: column 'Quantity' is not a number in row\(s\) 3: 'abc'"),
    ("-5", r"f\.csv: column 'Quantity' is negative in row\(s\) 3"),
    ("", r"f\.csv: column 'Quantity' is empty in row\(s\) 3"),
])
def test_bad_quantities_name_file_row_and_column(value, message):
    with pytest.raises(InputError, match=message):
        parse_quantities(pd.Series(["10", value]), source="f.csv", column="Quantity")


def test_bad_date_names_the_row():
    with pytest.raises(InputError, match=r"column 'Date Issued' is not a date in row\(s\) 2"):
        parse_dates(pd.Series(["31/31/2020"]), source="f", column="Date Issued")


def test_renamed_column_is_named():
    raw = csv("verra/projects.csv").rename(columns={"Name": "Project Name"})
    with pytest.raises(InputError, match=r"verra/projects\.csv: required column\(s\) "
                                         r"missing: 'Name'"):
        verra.parse_projects(raw)


def test_missing_column_in_transactions_is_named():
    raw = csv("climate-action-reserve/retirements.csv").drop(
        columns=["Quantity of Offset Credits"])
    with pytest.raises(InputError, match="'Quantity of Offset Credits'"):
        apx.parse_transactions(raw, registry="climate-action-reserve", kind="retirement")


def test_negative_quantity_in_a_real_export():
    raw = csv("american-carbon-registry/issuances.csv")
    raw.loc[4, "Total Credits Issued"] = "-100"
    with pytest.raises(InputError, match=r"american-carbon-registry/issuances\.csv: column "
                                         r"'Total Credits Issued' is negative in row\(s\) 6"):
        apx.parse_transactions(raw, registry="american-carbon-registry", kind="issuance")


def test_thousands_strings_and_messy_ids_in_a_real_export():
    raw = csv("american-carbon-registry/issuances.csv")
    raw.loc[0, "Total Credits Issued"] = "1,234"
    raw.loc[0, "Project ID"] = " acr 1185 "
    frame = apx.parse_transactions(raw, registry="american-carbon-registry", kind="issuance")
    first = frame[frame["source_row"] == 2].iloc[0]
    assert (first["project_id"], first["quantity"]) == ("ACR1185", 1234.0)


def test_unknown_export_file():
    with pytest.raises(InputError, match=r"verra/transfers.csv: unknown export file"):
        harmonise.parse_registry_export("verra", {"transfers": pd.DataFrame()})


def test_vrod_unknown_registry_and_missing_block():
    raw = pd.read_parquet(Path(__file__).resolve().parents[2] / "data" / "raw" / "vrod" /
                          "2025-12" / "Voluntary-Registry-Offsets-Database--v2025-12-year-end"
                          ".parquet").head(5)
    bad = raw.copy()
    bad.loc[2, "Voluntary Registry"] = "PLANVIVO"
    with pytest.raises(InputError, match="column 'Voluntary Registry' row 4: unknown registry "
                                         "'PLANVIVO'"):
        vrod.parse_projects(bad)
    with pytest.raises(InputError, match="yearly blocks"):
        vrod.parse_projects(raw.drop(columns=["2001.2"]))

"""VCM parsers on the real pinned files: values checked by hand against the raw rows."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd
import pytest

from tanso.vcm import (
    apx,
    cercarbono,
    gold_standard,
    ids,
    isometric,
    offsetsdb,
    verra,
    vrod,
    vrod_tabs,
)

RAW = Path(__file__).resolve().parents[2] / "data" / "raw"
EXPORTS = RAW / "vcm_registry_exports" / "2026-06"
TABS = RAW / "vrod_2021_tabs" / "2021-12"


def csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


@cache
def vrod_raw() -> pd.DataFrame:
    return pd.read_parquet(RAW / "vrod" / "2025-12" /
                           "Voluntary-Registry-Offsets-Database--v2025-12-year-end.parquet")


def row(frame: pd.DataFrame, **match) -> pd.Series:
    mask = pd.Series(True, index=frame.index)
    for column, value in match.items():
        mask &= frame[column] == value
    assert mask.sum() == 1, f"{match}: {mask.sum()} rows"
    return frame[mask].iloc[0]


def test_vrod_projects_keep_every_project_with_canonical_ids():
    projects = vrod.parse_projects(vrod_raw())
    assert len(projects) == 10_975
    assert projects["registry"].value_counts().to_dict() == {
        "verra": 4830, "gold-standard": 3982, "climate-action-reserve": 1182,
        "american-carbon-registry": 954, "art-trees": 27}
    acr102 = row(projects, project_id="ACR102")
    # Spreadsheet row ACR102: Total Credits Issued 7,984,006, Retired 17,666, Remaining 7,966,340
    assert (acr102["issued"], acr102["retired"], acr102["remaining"]) == (
        7_984_006, 17_666, 7_966_340)
    assert acr102["name"] == "Air Bag Gas Substitution"
    assert acr102["developer"] == "Nike"
    assert acr102["first_vintage"] == 2003
    gold = projects[projects["registry"] == "gold-standard"]
    assert gold["project_id"].str.startswith("GLD").all()
    assert gold["source_id"].str.startswith("GS").all()  # VROD's own id kept
    assert projects["issued"].sum() == 2_554_813_143
    assert projects["retired"].sum() == 1_462_296_090


def test_vrod_credit_years_are_the_four_blocks_in_long_form():
    years = vrod.parse_credit_years(vrod_raw())
    acr102 = years[years["project_id"] == "ACR102"]

    def block(kind):
        part = acr102[acr102["kind"] == kind]
        return dict(zip(part["year"].astype(int), part["quantity"]))

    assert block("issued_by_vintage") == {2003: 1_898_382, 2004: 3_004_613, 2005: 3_081_011}
    assert block("retired_by_year") == {2011: 5000, 2012: 1966, 2013: 400, 2014: 10025,
                                        2015: 275}
    assert block("remaining_by_vintage") == {2003: 1_890_716, 2004: 3_004_613,
                                             2005: 3_071_011}
    assert block("issued_by_issuance_year") == {2005: 1_898_000, 2006: 6_086_006}
    # Corrections recorded as negative issuance stay signed: CAR883 2012 = -41,583
    car883 = years[(years["project_id"] == "CAR883") & (years["year"] == 2012)
                   & (years["kind"] == "issued_by_issuance_year")]
    assert car883["quantity"].tolist() == [-41_583]


def test_offsetsdb_project_list_with_categories():
    projects = offsetsdb.parse_project_types(csv(RAW / "offsetsdb" / "2024-11" /
                                                 "project-types.csv"))
    assert len(projects) == 9790
    acr1000 = row(projects, project_id="ACR1000")
    assert acr1000["project_type"] == "hfc replacement in foam production"
    assert acr1000["category"] == "ghg-management"
    assert projects["project_id"].str.match(r"^(VCS|GLD|ACR|CAR|ART)").all()


def test_verra_transactions_split_issuances_and_retirements():
    frame = verra.parse_transactions(csv(EXPORTS / "verra" / "transactions.csv"))
    first = frame[(frame["source_row"] == 2)]
    # Row 2: VCS 1340, vintage 2020, Total Vintage Quantity "1,454,054" issued 2026-04-03,
    # block of 425 retired 2026-04-10
    issuance = row(first, kind="issuance")
    assert (issuance["project_id"], issuance["quantity"], issuance["vintage"],
            issuance["transaction_date"]) == ("VCS1340", 1_454_054, 2020, "2026-04-03")
    retirement = row(first, kind="retirement")
    assert (retirement["quantity"], retirement["transaction_date"]) == (425, "2026-04-10")


def test_verra_projects():
    projects = verra.parse_projects(csv(EXPORTS / "verra" / "projects.csv"))
    first = row(projects, project_id="VCS5962")
    assert first["country"] == "Indonesia"
    assert first["registry_url"] == "https://registry.verra.org/app/projectDetail/VCS/5962"


def test_gold_standard_issuance_uses_gld_ids():
    frame = gold_standard.parse_transactions(
        csv(EXPORTS / "gold-standard" / "issuances.csv"), kind="issuance")
    first = row(frame, source_row=2)
    assert (first["project_id"], first["quantity"], first["vintage"],
            first["transaction_date"]) == ("GLD11236", 19149, 2024, "2026-04-13")


@pytest.mark.parametrize(("registry", "kind", "expected"), [
    ("american-carbon-registry", "cancellation",
     ("ACR1185", 85847, 2025, "2026-01-22", None, "Convert to Ecology offset credits")),
    ("climate-action-reserve", "retirement",
     ("CAR1335", 5000, 2025, "2025-10-27", "Retired on behalf of Kinaxis Inc. F2024 period",
      "On Behalf of Third Party")),
    ("art-trees", "issuance", ("ART130", 109796, 2023, "2026-03-09", None, None)),
    ("art-trees", "retirement",
     ("ART130", 46404, 2023, "2026-04-08", "Emergent retiring on behalf of Chanel",
      "Contribution Towards Corporate Climate Pledge AND Host Country NDC")),
])
def test_apx_transactions(registry, kind, expected):
    frame = apx.parse_transactions(csv(EXPORTS / registry / f"{kind}s.csv"),
                                   registry=registry, kind=kind)
    first = row(frame, source_row=2)
    got = tuple(None if pd.isna(first[c]) else first[c] for c in
                ("project_id", "quantity", "vintage", "transaction_date", "beneficiary",
                 "reason"))
    assert got == expected


def test_apx_projects_each_registry():
    counts = {r: len(apx.parse_projects(csv(EXPORTS / r / "projects.csv"), registry=r))
              for r in apx.REGISTRIES}
    assert counts == {"american-carbon-registry": 50, "climate-action-reserve": 50,
                      "art-trees": 28}


def test_isometric_transactions_map_internal_ids_to_short_codes():
    raw_projects = csv(EXPORTS / "isometric" / "projects.csv")
    projects = isometric.parse_projects(raw_projects)
    ts26 = row(projects, project_id="ISOTS26")
    assert ts26["name"] == "A Biochar Project at Satyapura"
    assert ts26["issued"] == 1.47
    retirements = isometric.parse_transactions(
        csv(EXPORTS / "isometric" / "retirements.csv"), kind="retirement",
        project_ids=isometric.short_codes(raw_projects))
    first = row(retirements, source_row=2)
    # prj_1HHYZFVGW1S044ZY is short code 01P4 in projects.csv
    assert (first["project_id"], first["quantity"], first["beneficiary"]) == (
        "ISO01P4", 531.0, "Workday")


def test_cercarbono_issuance_project_from_serial():
    issuances = cercarbono.parse_transactions(csv(EXPORTS / "cercarbono" / "issuances.csv"),
                                              kind="issuance")
    first = row(issuances, source_row=2)
    assert (first["project_id"], first["quantity"], first["vintage"],
            first["transaction_date"]) == ("CCB1", 62740, 2018, "2019-03-07")
    projects = cercarbono.parse_projects(csv(EXPORTS / "cercarbono" / "projects.csv"))
    assert row(projects, project_id="CCB1")["country"] == "Colombia"


def test_vrod_2021_tabs():
    vcs = vrod_tabs.parse_tab(csv(TABS / "VCS_issuances.csv"), tab="VCS_issuances")
    first = row(vcs, source_row=2)
    assert (first["project_id"], first["quantity"], first["vintage"],
            first["transaction_date"]) == ("VCS1", 12630, 2007, "2009-03-19")
    acr = vrod_tabs.parse_tab(csv(TABS / "ACR_issuances.csv"), tab="ACR_issuances")
    first = row(acr, source_row=2)
    # "8/2/06": month/day/two-digit year
    assert (first["project_id"], first["quantity"], first["transaction_date"]) == (
        "ACR102", 3_081_011, "2006-08-02")


def test_registry_urls_follow_each_registry():
    project_ids = pd.Series(["VCS981", "GLD337", "ACR102"], dtype="string")
    registries = ids.registry_of(project_ids)
    assert registries.tolist() == ["verra", "gold-standard", "american-carbon-registry"]
    assert ids.registry_urls(project_ids, registries).tolist() == [
        "https://registry.verra.org/app/projectDetail/VCS/981",
        "https://registry.goldstandard.org/projects?q=gs337",
        "https://acr2.apx.com/mymodule/reg/prjView.asp?id1=102"]

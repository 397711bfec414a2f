"""Reconciliation and flags on small frames whose answers are worked out by hand."""

from __future__ import annotations

import pandas as pd

from tanso.vcm import flags, reconcile
from tanso.vcm.schema import conform_projects


def projects(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    frame["source_id"] = frame["project_id"]
    return conform_projects(frame)


SOURCES = projects([
    # In VROD and OffsetsDB, same type once spelt differently: no disagreement
    {"project_id": "VCS1", "source": "vrod", "registry": "verra", "country": "United States",
     "project_type": "Cookstoves", "issued": 100.0, "retired": 50.0, "remaining": 50.0},
    {"project_id": "VCS1", "source": "offsetsdb", "registry": "verra",
     "project_type": "cookstoves"},
    # ACR export writes the country as an ISO code: same country
    {"project_id": "ACR2", "source": "vrod", "registry": "american-carbon-registry",
     "country": "United States", "issued": 1000.0, "retired": 1200.0, "remaining": -200.0},
    {"project_id": "ACR2", "source": "american-carbon-registry",
     "registry": "american-carbon-registry", "country": "US"},
    # A different country, and a different type from OffsetsDB
    {"project_id": "ART3", "source": "vrod", "registry": "art-trees", "country": "Brazil",
     "project_type": "Jurisdictional REDD+", "issued": 200.0},
    {"project_id": "ART3", "source": "art-trees", "registry": "art-trees", "country": "PERU",
     "issued": 201.0},
    {"project_id": "ART3", "source": "offsetsdb", "registry": "art-trees",
     "project_type": "improved forest management"},
    # Only OffsetsDB / only an export
    {"project_id": "GLD4", "source": "offsetsdb", "registry": "gold-standard"},
    {"project_id": "ISOX5", "source": "isometric", "registry": "isometric", "issued": 10.0},
    {"project_id": "CAR6", "source": "vrod", "registry": "climate-action-reserve",
     "issued": 100.0},
    {"project_id": "CAR6", "source": "climate-action-reserve",
     "registry": "climate-action-reserve", "issued": 110.0},
])


def test_disagreements_are_real_differences_only():
    found = reconcile.find_disagreements(SOURCES, tolerance=0.01)
    pairs = set(zip(found["project_id"], found["field"], found["source_b"]))
    # ART3 issued 200 vs 201 is 0.5 % (within 1 %); CAR6 100 vs 110 is 9 %
    assert pairs == {("ART3", "country", "art-trees"),
                     ("ART3", "project_type", "offsetsdb"),
                     ("CAR6", "issued", "climate-action-reserve")}


def test_summary_counts_presence():
    merged = reconcile.merge_projects(SOURCES)
    summary = reconcile.summarise(merged, reconcile.find_disagreements(SOURCES))
    # both: VCS1, ART3; VROD only: ACR2, CAR6; OffsetsDB only: GLD4 (ISOX5 is in neither)
    assert summary.as_dict() == {
        "both": 2, "vrod_only": 2, "offsetsdb_only": 1,
        "disagreements": {"registry": 0, "country": 1, "project_type": 1, "issued": 1,
                          "retired": 0}}


def test_merged_rows_prefer_vrod_and_list_sources():
    merged = reconcile.merge_projects(SOURCES).set_index("project_id")
    assert merged.loc["ART3", "country"] == "Brazil"
    assert merged.loc["ART3", "sources"] == "art-trees,offsetsdb,vrod"
    assert merged.loc["GLD4", "sources"] == "offsetsdb"
    assert bool(merged.loc["ACR2", "in_registry_export"])
    # offsetsdb_type_categories.json: "cookstoves" → category "fuel-switching"
    assert merged.loc["VCS1", "category"] == "fuel-switching"


def test_flags():
    merged = reconcile.merge_projects(SOURCES)
    disagreements = reconcile.find_disagreements(SOURCES)
    credit_years = pd.DataFrame({"project_id": ["VCS1", "VCS1"], "source": "vrod",
                                 "year": [2020, 2021], "kind": "issued_by_vintage",
                                 "quantity": [60.0, 30.0]})
    transactions = pd.DataFrame({"project_id": ["VCS1", "VCS99"], "source_file": "f.csv",
                                 "source_row": [2, 3], "vintage": pd.array([2030, 2019],
                                                                           dtype="Int16"),
                                 "transaction_date": ["2020-05-01", "2020-01-01"]})
    result = flags.build_flags(source_projects=SOURCES, merged=merged,
                               credit_years=credit_years, transactions=transactions,
                               disagreements=disagreements)
    got = dict(zip(zip(result["project_id"], result["flag"]), result["detail"]))
    assert got[("ACR2", "retired_exceeds_issued")] == "vrod: retired 1,200 > issued 1,000"
    assert got[("ACR2", "negative_remaining")] == "vrod: remaining -200"
    # VROD says 100 issued, its vintage block sums to 90
    assert got[("VCS1", "totals_differ_from_years")] == "issued 100 vs issued_by_vintage sum 90"
    assert got[("VCS99", "transactions_without_project")] == "in f.csv"
    assert got[("VCS1", "vintage_after_transaction")] == "vintage 2030 in f.csv row 2"
    assert got[("ART3", "sources_disagree")] == "country, project_type"

"""The vcm pipeline on the real shipped data, and `tanso vcm` against real PostgreSQL."""

from __future__ import annotations

import hashlib
import json
import shutil

import pandas as pd
import pytest
import sqlalchemy as sa
import yaml

from tests.conftest import ROOT, run_cli

pytestmark = [pytest.mark.integration, pytest.mark.slow]

VROD = ROOT / "data/raw/vrod/2025-12/Voluntary-Registry-Offsets-Database--v2025-12-year-end.parquet"
OFFSETSDB = ROOT / "data/raw/offsetsdb/2024-11/project-types.csv"
LOADED: set[str] = set()


@pytest.fixture
def vcm(backend):
    """The backend with the vcm pipeline run once per test session."""
    if backend.name not in LOADED:
        backend.cli("pipeline", "run", "vcm")
        with backend.engine.begin() as conn:
            conn.execute(sa.text("ANALYZE core.vcm_projects"))
        LOADED.add(backend.name)
    return backend


def vcm_json(backend, *args: str, check: bool = True):
    result = backend.cli("vcm", *args, "--json", check=check)
    return json.loads(result.stdout) if result.returncode == 0 else result


def test_stats_by_registry_match_the_raw_vrod_totals(vcm):
    raw = pd.read_parquet(VROD)
    # Independent of the parser: group the spreadsheet's own columns
    expected = raw.groupby("Voluntary Registry").agg(
        projects=("Project ID", "size"), issued=("Total Credits \nIssued", "sum"),
        retired=("Total Credits \nRetired", "sum"))
    names = {"VCS": "verra", "GOLD": "gold-standard", "ACR": "american-carbon-registry",
             "CAR": "climate-action-reserve", "ART": "art-trees"}
    rows = {r["registry"]: r for r in vcm_json(vcm, "stats", "--source", "vrod", "--by",
                                                 "registry")}
    assert set(rows) == set(names.values())
    for code, name in names.items():
        assert rows[name]["projects"] == expected.loc[code, "projects"]
        assert rows[name]["issued"] == expected.loc[code, "issued"]
        assert rows[name]["retired"] == expected.loc[code, "retired"]
    assert rows["verra"]["projects"] == 4830 and rows["art-trees"]["projects"] == 27
    offsetsdb = {r["registry"]: r for r in vcm_json(vcm, "stats", "--source", "offsetsdb")}
    assert offsetsdb["gold-standard"]["projects"] == 3558
    assert offsetsdb["verra"]["issued"] is None  # the list has no totals


def test_reconcile_counts_match_plain_set_arithmetic(vcm):
    vrod_ids = {pid.replace("GS", "GLD", 1) if pid.startswith("GS") else pid
                for pid in pd.read_parquet(VROD)["Project ID"]}
    offsetsdb_ids = set(pd.read_csv(OFFSETSDB)["project_id"])
    result = vcm_json(vcm, "reconcile")
    assert result["both"] == len(vrod_ids & offsetsdb_ids)
    assert result["vrod_only"] == len(vrod_ids - offsetsdb_ids)
    assert result["offsetsdb_only"] == len(offsetsdb_ids - vrod_ids)
    # ART jurisdictional programmes typed IFM by OffsetsDB's automation (offsets-db-data #106)
    assert result["disagreements"]["project_type"] >= 20
    with vcm.engine.connect() as conn:
        art = conn.execute(sa.text(
            "SELECT value_a, value_b FROM mart.vcm_disagreements WHERE project_id = 'ART102' "
            "AND field = 'project_type'")).one()
    assert tuple(art) == ("Jurisdictional REDD+", "improved forest management")


def test_search_ranks_ids_names_and_words(vcm):
    by_id = vcm_json(vcm, "search", "gs 1005", "--limit", "3")
    assert by_id["results"][0]["project_id"] == "GLD1005"
    cookstoves = vcm_json(vcm, "search", "cookstove kenya", "--limit", "200")
    assert cookstoves["total"] > 50
    assert all(r["country"] == "Kenya" or "Kenya" in r["name"]
               for r in cookstoves["results"][:10])
    first = cookstoves["results"][0]
    assert "Cookstove" in first["name"] and "Kenya" in first["name"]
    ranks = [r["rank"] for r in cookstoves["results"]]
    assert ranks == sorted(ranks, reverse=True)
    gold = vcm_json(vcm, "search", "cookstove kenya", "--registry", "GOLD", "--limit", "200")
    assert gold["total"] < cookstoves["total"]
    assert {r["registry"] for r in gold["results"]} == {"gold-standard"}
    misspelt = vcm_json(vcm, "search", "cokstove", "--limit", "5")
    assert misspelt.get("fuzzy") is True and "ookstove" in misspelt["results"][0]["name"]
    assert misspelt["suggestion"] == "cookstove"
    both = vcm_json(vcm, "search", "Cokstove Kenya", "--limit", "5")
    assert both["suggestion"] == "cookstove Kenya"  # known words stay as typed
    assert "suggestion" not in cookstoves


@pytest.mark.parametrize("filters", [
    {}, {"registry": ("verra",), "corsia": True}, {"country": ("Kenya",), "vintage_min": 2015},
    {"country": ("Atlantis",)}])  # nothing passes: a total of 0, not NULL
def test_the_stored_facet_combinations_count_what_the_keys_count(vcm, filters):
    """A search without text counts its facets from the stored combinations (unfiltered: from
    the stored counts): the same rows, in the same order, as counting every project's keys."""
    from tanso.vcm import queries

    params = queries._params(queries.Filters(**filters))
    with vcm.engine.connect() as conn:
        stored = conn.execute(queries.FACET_COMBOS, params).all()
        live = conn.execute(queries.FACET_OWN["all"], params).all()
        unfiltered = conn.execute(queries.STORED_FACETS).all()
        by_registry = dict(conn.execute(sa.text(
            "SELECT registry, count(*) FROM core.vcm_projects GROUP BY 1")).all())
    assert stored == live
    if not filters:
        assert unfiltered == stored
        assert {v: n for f, v, n in stored if f == "registry"} == by_registry
        assert [n for f, _, n in stored if f == "total"] == [vcm.count("core.vcm_projects")]


def test_text_search_reads_the_indexes_after_a_load(vcm):
    """The pipeline vacuums after its DELETE + INSERT load: with dead rows and the GIN pending
    lists left, the planner scanned every project for a one-word search."""
    from tanso.vcm import queries

    filters = queries.Filters(query="biochar")  # 45 projects: an index read, not a scan
    with vcm.engine.connect() as conn:
        plan = conn.execute(queries._statement(
            "EXPLAIN " + queries.PAGE["text", ("relevance", True)].text),
            queries._params(filters) | {"limit": 25, "offset": 0}).scalars().all()
    assert any("vcm_projects_search_idx" in line for line in plan), plan
    assert not any("Seq Scan on vcm_projects" in line for line in plan), plan


@pytest.mark.parametrize("payload", [
    "'; DROP TABLE core.vcm_projects; --", "\" OR 1=1 --", "%", "_", "\\", "!!! & | <-> :* (",
    "<script>alert(1)</script>", "a:*B & !c", "' UNION SELECT * FROM ops.pipeline_runs --",
    "\u0000", "ＶＣＳ９８１", "🌳" * 300])
def test_search_metacharacters_are_text(vcm, payload):
    result = vcm.cli("vcm", "search", payload.replace("\u0000", ""), "--json", check=False)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert isinstance(json.loads(result.stdout)["total"], int)
    assert vcm.count("core.vcm_projects") > 10_000


def test_empty_search_lists_everything_by_issued(vcm):
    everything = vcm_json(vcm, "search", "", "--limit", "3")
    assert everything["total"] == vcm.count("core.vcm_projects")
    issued = [r["issued"] for r in everything["results"]]
    assert issued == sorted(issued, reverse=True)


# What a search without text must give, computed here from the projects view with pandas (the
# explorer reads its narrow keys table and stored counts instead)
_BUCKETS = [(1, "0"), (10_000, "1-10k"), (100_000, "10k-100k"), (1_000_000, "100k-1M"),
            (10_000_000, "1M-10M")]


def _issued_range(issued) -> str:
    if pd.isna(issued):
        return "unknown"
    return next((label for bound, label in _BUCKETS if issued < bound), "10M+")


def _passes(frame: pd.DataFrame, filters) -> dict[str, pd.Series]:
    """Per facet, which projects its own filter lets through."""
    everyone = pd.Series(True, index=frame.index)
    ok = {}
    for facet in ("registry", "country", "category", "project_type", "methodology", "status",
                  "reduction_removal"):
        chosen = getattr(filters, facet)
        ok[facet] = frame[facet].isin(chosen) if chosen else everyone
    for flag in ("corsia", "ccb"):
        wanted = getattr(filters, flag)
        ok[flag] = everyone if wanted is None else frame[flag].fillna(False) == wanted
    vintage = frame["first_vintage"]
    ok["vintage"] = ((vintage >= filters.vintage_min) if filters.vintage_min is not None
                     else everyone) & ((vintage <= filters.vintage_max)
                                       if filters.vintage_max is not None else everyone)
    issued = frame["issued"]
    ok["issued_range"] = ((issued >= filters.issued_min) if filters.issued_min is not None
                          else everyone) & ((issued <= filters.issued_max)
                                            if filters.issued_max is not None else everyone)
    return ok


def _facet_value(frame: pd.DataFrame, facet: str) -> pd.Series:
    if facet in ("corsia", "ccb"):
        return frame[facet].fillna(False).map({True: "true", False: "false"})
    if facet == "vintage":
        return frame["first_vintage"].map(lambda v: "" if pd.isna(v) else str(int(v)))
    if facet == "issued_range":
        return frame["issued"].map(_issued_range)
    return frame[facet].fillna("")


@pytest.mark.parametrize("filters", [
    {"registry": ("gold-standard",), "vintage_min": 2020},
    {"corsia": True, "sort": "retired"},
    {"country": ("Kenya", "India"), "issued_min": 1000.0, "sort": "retired", "descending": False,
     "page": 2},
    {"ccb": False, "category": ("forest", "land-use"), "sort": "first_vintage"},
    {"status": ("Registered",), "vintage_max": 2012, "sort": "project_id", "descending": False},
])
def test_a_search_without_text_is_what_the_projects_say(vcm, filters):
    from tanso.vcm import queries

    filters = queries.Filters(**filters)
    with vcm.engine.connect() as conn:
        # the id's place in the database's collation breaks ties, as ORDER BY … project_id does
        frame = pd.read_sql(sa.text("SELECT *, row_number() OVER (ORDER BY project_id) AS id_order "
                                    "FROM mart.vcm_projects"), conn).drop(columns="search_vector")
    ok = _passes(frame, filters)
    chosen = frame[pd.concat(ok, axis=1).all(axis=1)]
    key = "issued" if filters.sort == "relevance" else filters.sort
    ordered = (chosen.sort_values("id_order", ascending=not filters.descending)
               if key == "project_id" else
               chosen.sort_values("id_order").sort_values(
                   key, ascending=not filters.descending, na_position="last", kind="stable"))
    start = (filters.page - 1) * filters.per_page

    result = queries.search(vcm.engine, filters)
    assert result.total == len(chosen) > filters.per_page
    assert list(result.rows["project_id"]) == list(
        ordered["project_id"].iloc[start:start + filters.per_page])
    for facet, counted in result.facets.items():
        others = pd.concat([v for f, v in ok.items() if f != facet], axis=1).all(axis=1)
        expected = _facet_value(frame[others], facet).value_counts().to_dict()
        assert dict(counted) == expected, facet
    assert queries.search(vcm.engine, filters, facets=False).total == len(chosen)


@pytest.mark.parametrize(("filters", "matches"), [
    ({"query": "cookstove", "country": ("Kenya", "India"), "vintage_min": 2015},
     "search_vector @@ websearch_to_tsquery('english', 'cookstove')"),
    ({"query": "cookstove", "ccb": False, "issued_min": 1.0, "sort": "issued"},
     "search_vector @@ websearch_to_tsquery('english', 'cookstove')"),
    ({"query": "cokstove", "registry": ("gold-standard",)}, "'cokstove' <% name"),  # fuzzy
])
def test_a_search_with_text_counts_each_facet_under_the_other_filters(vcm, filters, matches):
    from tanso.vcm import queries

    filters = queries.Filters(**filters)
    with vcm.engine.connect() as conn:
        frame = pd.read_sql(sa.text(f"SELECT * FROM mart.vcm_projects WHERE {matches}"),  # nosec B608 - test constants
                            conn).drop(columns="search_vector")
    ok = _passes(frame, filters)
    result = queries.search(vcm.engine, filters)
    assert result.fuzzy == filters.query.startswith("cok")
    assert result.total == pd.concat(ok, axis=1).all(axis=1).sum() > 0
    for facet, counted in result.facets.items():
        others = pd.concat([v for f, v in ok.items() if f != facet], axis=1).all(axis=1)
        assert dict(counted) == _facet_value(frame[others], facet).value_counts().to_dict(), facet
    assert queries.search(vcm.engine, filters, facets=False).total == result.total


def test_name_order_without_text_is_the_databases(vcm):
    from tanso.vcm import queries

    for descending in (True, False):
        with vcm.engine.connect() as conn:
            expected = conn.execute(sa.text(
                "SELECT project_id FROM mart.vcm_projects WHERE registry = 'verra' ORDER BY name "
                f"{'DESC' if descending else 'ASC'} NULLS LAST, project_id LIMIT 50")).scalars().all()
        result = queries.search(vcm.engine, queries.Filters(
            registry=("verra",), sort="name", descending=descending, per_page=50))
        assert list(result.rows["project_id"]) == expected


def test_bad_cli_input_is_one_line(vcm):
    for args, message in [(("search", "x", "--limit", "0"), "--limit must be 1–200"),
                          (("search", "x", "--registry", "plan-vivo"), "unknown registry"),
                          (("stats", "--source", "nope"), "unknown --source"),
                          (("stats", "--by", "colour"), "unknown --by")]:
        result = vcm.cli("vcm", *args, "--json", check=False)
        assert result.returncode == 1 and message in result.stderr
        assert "Traceback" not in result.stderr


@pytest.fixture
def broken_export(tmp_path):
    """A project copy whose ACR issuances export renamed a column (manifest and pin updated,
    so the checksum passes and the parser must catch it)."""
    for folder in ("catalog", "data"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    (tmp_path / "notebooks").symlink_to(ROOT / "notebooks")
    (tmp_path / "pipelines").symlink_to(ROOT / "pipelines")
    folder = tmp_path / "data/raw/vcm_registry_exports/2026-06"
    path = folder / "american-carbon-registry/issuances.csv"
    path.write_text(path.read_text().replace("Total Credits Issued", "Credits Total", 1))
    manifest = pd.read_csv(folder / "MANIFEST.csv")
    manifest.loc[manifest["path"] == "american-carbon-registry/issuances.csv", "sha256"] = \
        hashlib.sha256(path.read_bytes()).hexdigest()
    manifest.to_csv(folder / "MANIFEST.csv", index=False)
    catalog = tmp_path / "catalog/catalog.yaml"
    spec = yaml.safe_load(catalog.read_text())
    new_sha = hashlib.sha256((folder / "MANIFEST.csv").read_bytes()).hexdigest()
    spec["data"]["vcm_registry_exports_csv"]["metadata"]["sha256"] = new_sha
    spec["entries"]["vcm_registry_exports"]["metadata"]["sha256"] = new_sha
    catalog.write_text(yaml.safe_dump(spec, sort_keys=False))
    return tmp_path


def test_a_renamed_column_fails_clearly_and_keeps_the_previous_load(vcm, broken_export):
    before = {t: vcm.count(t) for t in ("core.vcm_projects", "core.vcm_transactions")}
    env = vcm.env | {"TANSO_PROJECT_ROOT": str(broken_export)}
    result = run_cli("pipeline", "run", "vcm", "--force", env=env, check=False)
    assert result.returncode == 1
    assert "american-carbon-registry/issuances.csv: required column(s) missing: " \
           "'Total Credits Issued'" in result.stderr
    assert {t: vcm.count(t) for t in before} == before


def test_a_shared_link_restores_each_value_it_can_and_names_the_rest(vcm):
    """Panel applies a link's values in one update; the store applies them one by one, read from
    the link's text (hand-written `registry=verra` or the app's own JSON list)."""
    from tanso.ui.vcm.store import VcmStore

    store = VcmStore(vcm.engine)
    store.apply_url_problems({"page": "2", "registry": "verra", "country": '["Kenya"]',
                              "sort": "issued", "corsia": False, "vintage_min": "soon"})
    assert (store.registry, store.country, store.sort, store.corsia, store.page) == (
        ["verra"], ["Kenya"], "issued", "false", 2)
    assert store.problems == ["The link's value for “vintage_min” could not be used: soon"]
    kenya = vcm_json(vcm, "search", "", "--registry", "verra", "--country", "Kenya")["total"]
    assert store.result.total <= kenya and store.result.total > 25  # page 2 exists
    assert set(store.result.rows["country"]) == {"Kenya"}


@pytest.mark.parametrize("filters", [
    {"query": "cookstove kenya", "registry": ("verra",)},
    {"query": "cokstove"},  # no exact match: the similar names the page shows
    {"corsia": True, "sort": "retired", "descending": False},
])
def test_the_export_is_every_page_of_the_view_in_its_order(vcm, filters):
    from tanso.vcm import queries

    shown, page = [], 1
    while True:
        result = queries.search(vcm.engine, queries.Filters(**filters, page=page, per_page=50))
        shown += list(result.rows["project_id"])
        if len(result.rows) < 50:
            break
        page += 1
    exported = queries.export(vcm.engine, queries.Filters(**filters))
    assert list(exported["project_id"]) == shown and len(shown) == result.total > 0
    assert list(exported.columns) == list(queries.EXPORT_COLUMNS)

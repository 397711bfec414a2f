"""The sectors pipeline on the real shipped data, the sector marts, and `tanso analyze sectors|decompose`."""

import json
import math

import pytest

pytestmark = [pytest.mark.integration, pytest.mark.slow]

EXPECTED_ROWS = {"core.gir_categories": 161, "core.gir_emissions": 160 * 33,
                 "core.gir_sector_map": 118, "core.climatewatch_emissions": 70801, "core.sectors": 16}


@pytest.fixture(scope="module")
def loaded(backend):
    backend.cli("pipeline", "run", "etl")  # the country dimension and the Kaya inputs
    backend.cli("pipeline", "run", "sectors")
    return backend


def test_pipeline_loads_the_tree_values_and_mapping_and_a_rerun_changes_nothing(loaded):
    assert {t: loaded.count(t) for t in EXPECTED_ROWS} == EXPECTED_ROWS
    rerun = loaded.cli("pipeline", "run", "sectors").stdout
    for step in ("gir_inventory", "climatewatch_sectors", "sector_mapping"):
        assert "rows=0" in rerun.split(step, 1)[1].splitlines()[0]
    assert {t: loaded.count(t) for t in EXPECTED_ROWS} == EXPECTED_ROWS


def test_marts_keep_gir_totals_in_both_taxonomies(loaded):
    import sqlalchemy as sa

    with loaded.engine.connect() as conn:
        totals = dict(conn.execute(sa.text(
            "SELECT taxonomy, sum(value_mt) FROM mart.sector_emissions WHERE source = 'gir' "
            "AND year = 2018 AND in_gross_total GROUP BY taxonomy")).all())
        tree = conn.execute(sa.text(
            "SELECT name_ko, name_en, level, value_mt FROM mart.gir_tree "
            "WHERE code = 'TOTAL_GROSS' AND year = 2018")).one()
    # GIR 2018 gross total as published: 783,873.5691 kt
    assert totals == pytest.approx({"gir": 783.8735691, "climatewatch": 783.8735691})
    assert tree == ("총배출량", "Total emissions (gross, excluding LULUCF)", 0, pytest.approx(783.8735691))


def test_analyze_sectors_gir_json(loaded):
    out = json.loads(loaded.cli("analyze", "sectors", "--country", "KOR", "--source", "gir",
                                "--from", "2018", "--to", "2022", "--json").stdout)
    assert [s["sector"] for s in out["sectors"]] == ["energy", "ippu", "agriculture", "waste", "lulucf"]
    assert (out["country"], out["source"], out["from"], out["to"], out["unit"]) == \
        ("KOR", "gir", 2018, 2022, "Mt CO2e")
    # published gross totals: 783,873.5691 and 724,294.0625 kt; energy 612,119.8213 → 551,889.3261 kt
    assert out["total_from"] == pytest.approx(783.8735691)
    assert out["total_to"] == pytest.approx(724.2940625)
    energy = out["sectors"][0]
    assert energy["change"] == pytest.approx(551.8893261 - 612.1198213)
    assert energy["share_of_change_pct"] == pytest.approx(60.2304952 / 59.5795066 * 100)
    counted = [s["change"] for s in out["sectors"] if s["in_total"]]
    assert math.fsum(counted) == pytest.approx(out["total_change"], rel=1e-9)
    assert out["sectors"][-1]["in_total"] is False


def test_analyze_sectors_climatewatch_for_any_country(loaded):
    out = json.loads(loaded.cli("analyze", "sectors", "--country", "DEU", "--source", "climatewatch",
                                "--from", "1990", "--to", "2022", "--json").stdout)
    by = {s["sector"]: s for s in out["sectors"]}
    assert len(by) == 11 and by["lulucf"]["in_total"] is False and by["bunker_fuels"]["in_total"] is False
    assert math.fsum(s["change"] for s in out["sectors"] if s["in_total"]) == \
        pytest.approx(out["total_change"], rel=1e-9)


def test_analyze_decompose_kaya_json(loaded):
    out = json.loads(loaded.cli("analyze", "decompose", "--country", "KOR", "--from", "2000",
                                "--to", "2020", "--json").stdout)
    effects = out["effects"]
    assert list(effects) == ["population", "affluence", "energy_intensity", "carbon_intensity"]
    # OWID: CO2 439.981 → 597.634 Mt, population 46,766,659 → 51,858,480
    weight = (597.634 - 439.981) / math.log(597.634 / 439.981)
    assert effects["population"] == pytest.approx(weight * math.log(51858480 / 46766659))
    assert out["total_change"] == pytest.approx(597.634 - 439.981)
    assert math.fsum(effects.values()) == pytest.approx(out["total_change"], rel=1e-9)
    assert effects["affluence"] > 0 > effects["energy_intensity"]


@pytest.mark.parametrize(("args", "message"), [
    (("sectors", "--country", "XXX", "--source", "climatewatch"), "unknown country 'XXX'"),
    (("sectors", "--source", "edgar"), "unknown source 'edgar'"),
    (("sectors", "--country", "USA", "--source", "gir"), "KOR only"),
    (("sectors", "--from", "1985", "--to", "2020"), "no data for KOR (gir) in 1985; data covers 1990–2022"),
    (("sectors", "--from", "2022", "--to", "2018"), "--from (2022) must be before --to (2018)"),
    (("decompose", "--country", "XXX"), "unknown country 'XXX'"),
    (("decompose", "--from", "2010", "--to", "2023"), "gdp has no value for KOR in 2023"),
    (("decompose", "--from", "2020", "--to", "2020"), "must be before"),
])
def test_bad_input_is_one_clear_error(loaded, args, message):
    result = loaded.cli("analyze", *args, check=False)
    assert result.returncode != 0 and message in result.stderr and "Traceback" not in result.stderr


def test_korea_sector_report_is_one_offline_html_file(loaded, tmp_path):
    out = tmp_path / "korea_sectors.html"
    loaded.cli("report", "notebooks/analysis/korea_sectors.py", "-p", "year_from=2018", "-p", "year_to=2022",
               "-o", str(out))
    html = out.read_text(encoding="utf-8")
    assert "Korea: which sectors drive emissions" in html  # (the title is JSON-escaped in the page)
    assert "783.9" in html and "Source: GIR national inventory 2024" in html
    assert "cdn.bokeh.org" not in html  # renders from file:// with no network

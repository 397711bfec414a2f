"""The shipped targets CSV validates, and malformed files fail with row- and column-specific messages."""

from pathlib import Path

import pytest

from tanso.emissions.targets import Target, TargetsFileError, load_targets, read_targets

TARGETS_CSV = Path(__file__).parents[2] / "data" / "raw" / "targets" / "2026-11" / "targets.csv"
HEADER = ("country_code,country_name,target_name,metric,scope_note,base_year,base_value_mt,target_year,"
          "reduction_pct,reduction_pct_high,target_value_mt,target_type,conditional,net_zero_year,source,"
          "source_url,notes")
GOOD_ROW = "KOR,Korea,2030 NDC,total_ghg,,2018,727.6,2030,40,,436.6,absolute_vs_base,false,2050,NDC,https://x,"


def write(tmp_path, *rows, header=HEADER):
    path = tmp_path / "targets.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def test_shipped_targets_load():
    targets = load_targets(TARGETS_CSV)
    by_key = {(t.country_code, t.name): t for t in targets}
    ndc_2030 = by_key["KOR", "2030 NDC"]
    assert (ndc_2030.base_year, ndc_2030.base_value, ndc_2030.reduction_pct, ndc_2030.target_value) == (
        2018, 727.6, 40.0, 436.6)
    ndc_2035 = by_key["KOR", "2035 NDC"]
    assert (ndc_2035.reduction_pct, ndc_2035.reduction_pct_high, ndc_2035.base_value) == (53.0, 61.0, 742.3)
    assert by_key["KOR", "Carbon neutrality 2050"].target_type == "net_zero"
    expected = {"KOR", "EU27", "USA", "CHN", "IND", "JPN", "GBR", "DEU", "CAN", "AUS", "IDN", "BRA", "RUS",
                "MEX", "ZAF", "SAU", "TUR"}
    assert {t.country_code for t in targets} == expected
    assert all(t.source and t.source_url.startswith("https://") for t in targets)


def test_typed_frame():
    frame = read_targets(TARGETS_CSV)
    assert str(frame["target_year"].dtype) == "Int64"
    assert frame["conditional"].dtype == bool


def test_target_level():
    ndc = Target(country_code="KOR", country_name="Korea", name="2030", metric="total_ghg",
                 target_type="absolute_vs_base", target_year=2030, base_year=2018, base_value=727.6,
                 reduction_pct=40)
    # 727.6 × 0.6 = 436.56; on another base: 711.2 × 0.6 = 426.72
    assert ndc.level() == pytest.approx(436.56)
    assert ndc.level(711.2) == pytest.approx(426.72)
    bau = Target(country_code="TUR", country_name="Türkiye", name="2030", metric="total_ghg",
                 target_type="vs_bau", target_year=2030, reduction_pct=41)
    assert bau.level() is None and not bau.sets_level


def test_missing_column(tmp_path):
    header = HEADER.replace(",reduction_pct,", ",")
    with pytest.raises(TargetsFileError, match="missing column\\(s\\) reduction_pct"):
        load_targets(write(tmp_path, GOOD_ROW, header=header))


def test_percent_out_of_range(tmp_path):
    bad = GOOD_ROW.replace(",40,", ",140,")
    with pytest.raises(TargetsFileError, match=r"row 2 \(CSV line 3\), column reduction_pct: 140.0 fails in_range"):
        load_targets(write(tmp_path, GOOD_ROW, bad))


def test_target_year_before_base_year(tmp_path):
    bad = GOOD_ROW.replace(",2030,", ",2010,")
    with pytest.raises(TargetsFileError) as caught:
        load_targets(write(tmp_path, bad))
    message = str(caught.value)
    assert "row 1 (CSV line 2), column target_year: target_year must be after base_year" in message
    assert message.count("target_year must be after base_year") == 1  # one line per row, not per column


def test_bad_cells_are_all_reported(tmp_path):
    bad = (GOOD_ROW.replace("2018,727.6", "abc,727.6").replace(",false,", ",maybe,")
           .replace("total_ghg", "ghg").replace("https://x", "ftp://x"))
    with pytest.raises(TargetsFileError) as caught:
        load_targets(write(tmp_path, bad))
    message = str(caught.value)
    for expected in ("column base_year: 'abc' is not a number", "column conditional: 'maybe' is not true/false",
                     "column metric: 'ghg' fails isin", "column source_url: 'ftp://x' fails str_startswith"):
        assert expected in message


def test_type_rules(tmp_path):
    no_level = "ZAF,South Africa,2030,total_ghg,,,,2030,,,,absolute_level,false,,NDC,https://x,"
    bad_net_zero = "KOR,Korea,NZ,total_ghg,,,,2050,,,0,net_zero,false,2060,law,https://x,"
    with pytest.raises(TargetsFileError) as caught:
        load_targets(write(tmp_path, no_level, bad_net_zero))
    message = str(caught.value)
    assert "row 1 (CSV line 2), column target_value_mt: an absolute_level or net_zero target needs" in message
    assert "row 2 (CSV line 3), column net_zero_year: a net_zero target needs net_zero_year" in message

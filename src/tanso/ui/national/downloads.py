"""CSV downloads a machine can read: numbers as numbers, units in the headers, the context (country,
indicator, year, source) as columns, and a filename that names the content."""

from __future__ import annotations

import io
from collections.abc import Callable

import pandas as pd
import panel as pn

from tanso.emissions.indicators import BY_KEY
from tanso.emissions.national_format import csv_text, gap_rows, unit_slug


def _codes(store) -> str:
    return "-".join(store.codes) or "none"


def trend_csv(store) -> pd.DataFrame:
    """country_code, country, indicator, year, value_<unit> (or change_pct), source."""
    s, ind = store.selection, store.ind
    frame = store.chart_frame()
    column = "change_from_first_year_pct" if s.mode == "relative" else f"value_{unit_slug(ind.unit)}"
    out = pd.DataFrame({"country_code": frame["country_code"], "country": frame["country"],
                        "indicator": s.indicator, "year": frame["year"], column: frame["value"]})
    return out.assign(source=store.data.source_label(s.indicator))


def _trend_name(store) -> str:
    s = store.selection
    suffix = "_change" if s.mode == "relative" else ""
    return f"tanso_{s.indicator}{suffix}_{_codes(store)}_{s.years[0]}-{s.years[1]}.csv"


def gap_csv(store) -> pd.DataFrame:
    """One row per target measure (stated, rebased) with numeric columns; window and source as columns."""
    rows = gap_rows(store.gaps(), store.data)
    return rows.assign(window_years=store.gap.window, source=store.data.source_label())


def _gap_name(store) -> str:
    return f"tanso_gap_to_target_{_codes(store)}_window{store.gap.window}.csv"


def scenario_csv(store) -> pd.DataFrame:
    """year, scenario_mt, straight_line_mt with the country, metric, rates and net-zero year as columns."""
    sc = store.scenario
    try:
        result = store.scenario_result()
    except ValueError:
        return pd.DataFrame(columns=["country_code", "metric", "year", "scenario_mt", "straight_line_mt"])
    frame = result.frame().rename(columns={"scenario": f"scenario_{unit_slug(BY_KEY[sc.metric].unit)}",
                                           "straight_line": f"straight_line_{unit_slug(BY_KEY[sc.metric].unit)}"})
    frame.insert(0, "metric", sc.metric)
    frame.insert(0, "country", store.label(result.code))
    frame.insert(0, "country_code", result.code)
    return frame.assign(annual_reduction_rates_pct=sc.rates, net_zero_year=sc.net_zero_year,
                        source=store.data.source_label(sc.metric))


def _scenario_name(store) -> str:
    sc = store.scenario
    return f"tanso_scenario_{store.scenario_code}_{sc.metric}_to{sc.net_zero_year}.csv"


def ranking_csv(store) -> pd.DataFrame:
    """rank, country_code, country, indicator, year, value_<unit>, source."""
    r, ind = store.ranking, store.ind
    frame = store.ranking_frame()
    return pd.DataFrame({"rank": frame["rank"], "country_code": frame["country_code"], "country": frame["country"],
                         "indicator": ind.key, "year": r.year, f"value_{unit_slug(ind.unit)}": frame["value"],
                         "source": store.data.source_label(ind.key)})


def _ranking_name(store) -> str:
    r = store.ranking
    return f"tanso_ranking_{store.selection.indicator}_{r.kind}_{r.year}_top{r.top}.csv"


FILENAMES: dict[Callable, Callable] = {trend_csv: _trend_name, gap_csv: _gap_name, scenario_csv: _scenario_name,
                                       ranking_csv: _ranking_name}


def csv_download(store, frame_fn, label: str) -> pn.widgets.FileDownload:
    """A download button whose file is ``frame_fn(store)`` as CSV, named for its content at click time."""
    name = FILENAMES[frame_fn]

    def callback():
        download.filename = name(store)
        return io.StringIO(csv_text(frame_fn(store)))

    download = pn.widgets.FileDownload(callback=callback, filename=name(store), label=label, color="light",
                                       width=200, embed=False, margin=(4, 10))
    return download

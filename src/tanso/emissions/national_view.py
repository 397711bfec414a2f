"""What the national-trends app, the gap report and the CLI show, as pure functions on `NationalData`.

`NationalData` is mart.national and mart.targets read once (`load_national_data` caches it per
database and loaded dataset versions, so a new ETL load is picked up by the next session). Every
other function takes it and returns a DataFrame or a dict: no Panel, no database.
"""

from __future__ import annotations

import itertools
import re
import threading
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from tanso.emissions.analysis import fit_line
from tanso.emissions.gap import GapInputError, analyse_all_gaps, analyse_target
from tanso.emissions.indicators import BY_KEY, target_metric_matches
from tanso.emissions.inputs import AnalysisInputError, check_percent
from tanso.emissions.scenario import project_scenario, straight_line_to_net_zero, summarise_scenario
from tanso.emissions.targets import Target

DEFAULT_CODES = ("KOR",)  # the flagship: its own scale, targets and pathways (World would flatten it)
ENTITY_KINDS = ("country", "region", "income_group", "world", "other")
SOURCE_NAMES = {"owid_co2": "OWID CO₂ & GHG", "gcb_co2": "GCB", "targets": "Tanso targets"}


@dataclass(frozen=True)
class NationalData:
    """mart.national (wide: country_code, country, kind, year, indicators…) and the stated targets."""

    frame: pd.DataFrame
    targets: tuple[Target, ...] = ()
    versions: dict[str, str] = field(default_factory=dict)

    @cached_property
    def entities(self) -> pd.DataFrame:
        """One row per entity: code (index), name, kind."""
        first = self.frame.drop_duplicates("country_code")
        return pd.DataFrame({"name": first["country"].to_numpy(), "kind": first["kind"].to_numpy()},
                            index=pd.Index(first["country_code"].to_numpy(), name="code"))

    @cached_property
    def rows_by_code(self) -> dict[str, np.ndarray]:
        """Row positions of each country in ``frame`` (the frame is sorted by code and year)."""
        return self.frame.groupby("country_code", sort=False).indices

    @cached_property
    def year_range(self) -> tuple[int, int]:
        return int(self.frame["year"].min()), int(self.frame["year"].max())

    @cached_property
    def names(self) -> dict[str, str]:
        """Code → English name (a dict: the map labels ~180 countries per view, a Series lookup each)."""
        return dict(zip(self.entities.index, self.entities["name"].astype(str), strict=True))

    def name(self, code: str) -> str:
        return self.names.get(code, code)

    def positions(self, codes) -> np.ndarray:
        """Row positions of ``codes`` in ``frame``, in the order given (unknown codes are skipped)."""
        index = self.rows_by_code
        parts = [index[c] for c in codes if c in index]
        return np.concatenate(parts) if parts else np.empty(0, dtype=np.intp)

    def rows(self, codes) -> pd.DataFrame:
        """The frame's rows for ``codes`` in the order given (unknown codes are skipped)."""
        return self.frame.iloc[self.positions(codes)]

    @cached_property
    def _arrays(self) -> dict[str, np.ndarray]:
        return {}

    def array(self, column: str) -> np.ndarray:
        """``frame[column]`` as a NumPy array (int years, float indicators, object text), converted once:
        a view reads a few of its rows by position instead of taking rows of the 81-column frame (its
        text columns are Arrow strings: ~2.5 ms to convert and ~5 ms to take rows from, per call)."""
        arrays = self._arrays
        if column not in arrays:
            values = self.frame[column]
            kind = int if column == "year" else float if pd.api.types.is_numeric_dtype(values) else object
            arrays[column] = values.to_numpy(kind)
        return arrays[column]

    def series(self, code: str, column: str) -> pd.Series | None:
        """One country's ``column`` indexed by year (NaNs kept), or None for an unknown code or column."""
        positions = self.rows_by_code.get(code)
        if positions is None or column not in self.frame.columns:
            return None
        return pd.Series(self.array(column)[positions], index=self.array("year")[positions])

    def targets_for(self, codes) -> list[Target]:
        wanted = set(codes)
        return [t for t in self.targets if t.country_code in wanted]

    def source_label(self, indicator_key: str | None = None) -> str:
        """"OWID CO₂ & GHG 2025-05; GCB 2025; Tanso targets 2026-11" — the loaded versions named."""
        names = ["owid_co2", "gcb_co2", "targets"]
        if indicator_key is not None and BY_KEY[indicator_key].source == "gcb_co2":
            names = ["gcb_co2", "targets"]
        return "; ".join(f"{SOURCE_NAMES[n]} {self.versions[n]}" for n in names if n in self.versions)


# ---------------------------------------------------------------- loading

_CACHE: dict[tuple, NationalData] = {}
_LOCK = threading.Lock()


def targets_from_mart(frame: pd.DataFrame) -> tuple[Target, ...]:
    """`Target` records from mart.targets rows."""
    def opt(value, kind=float):
        return None if pd.isna(value) else kind(value)

    return tuple(
        Target(country_code=r.country_code, country_name=r.country, name=r.target_name, metric=r.metric,
               target_type=r.target_type, target_year=int(r.target_year), base_year=opt(r.base_year, int),
               base_value=opt(r.base_value_mt), reduction_pct=opt(r.reduction_pct),
               reduction_pct_high=opt(r.reduction_pct_high), target_value=opt(r.target_value_mt),
               conditional=bool(r.conditional), net_zero_year=opt(r.net_zero_year, int),
               scope_note=opt(r.scope_note, str) or "", source=r.source, source_url=r.source_url,
               notes=opt(r.notes, str) or "")
        for r in frame.itertuples(index=False)
    )


def load_national_data(engine, *, countries: list[str] | None = None) -> NationalData:
    """mart.national and mart.targets, read once per database and set of loaded versions.

    One cheap query (ops.loaded_datasets) per call; the full read (~3 s) only when the versions
    change, e.g. after `tanso pipeline run etl` loaded a new release. With `countries`, only those
    entities' rows are read (a report on one country: ~0.01 s instead of ~1 s CPU), not cached.
    """
    from tanso.emissions.queries import loaded_versions

    versions = loaded_versions(engine)
    if countries is not None:
        return _read_national(engine, versions, countries)
    key = (str(engine.url), tuple(sorted(versions.items())))
    with _LOCK:
        if key not in _CACHE:
            data = _read_national(engine, versions)
            _CACHE.clear()  # one dataset version in memory at a time
            _CACHE[key] = data
        return _CACHE[key]


def _read_national(engine, versions: dict[str, str], countries: list[str] | None = None) -> NationalData:
    from tanso.emissions.queries import national

    frame = national(engine, countries=countries).sort_values(["country_code", "year"], ignore_index=True)
    with engine.connect() as conn:
        targets = pd.read_sql("SELECT * FROM mart.targets ORDER BY country_code, target_year", conn)
    return NationalData(frame, targets_from_mart(targets), versions)


# ---------------------------------------------------------------- derived frames


def unknown_codes(data: NationalData, codes) -> list[str]:
    return [c for c in codes if c not in data.rows_by_code]


def series_frame(data: NationalData, codes, column: str, *, years: tuple[int, int],
                 relative: bool = False) -> pd.DataFrame:
    """Tidy rows for the chart and the CSV: country_code, country, year, value (NaNs dropped).

    ``relative``: value becomes the % change from each country's first observed year in range.
    """
    positions = data.positions(codes)
    year = data.array("year")[positions]
    positions = positions[(year >= years[0]) & (year <= years[1])]
    positions = positions[~np.isnan(data.array(column)[positions])]
    out = pd.DataFrame({name: data.array(name)[positions] for name in ("country_code", "country", "year")}
                       | {"value": data.array(column)[positions]})
    if relative and not out.empty:
        first = out.groupby("country_code", sort=False)["value"].transform("first")
        out["value"] = (out["value"] / first.where(first != 0) - 1) * 100
        out = out.dropna(subset=["value"]).reset_index(drop=True)
    return out


def trend_lines(tidy: pd.DataFrame) -> pd.DataFrame:
    """Per country, the OLS line over the shown years: country, year (first, last), value, slope."""
    parts = []
    for (code, name), group in tidy.groupby(["country_code", "country"], sort=False):
        if group["year"].nunique() < 2:
            continue
        fit = fit_line(group["year"].to_numpy(), group["value"].to_numpy())
        ends = np.array([group["year"].min(), group["year"].max()])
        parts.append(pd.DataFrame({"country_code": code, "country": name, "year": ends,
                                   "value": fit.intercept + fit.slope * ends, "slope": fit.slope}))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
        columns=["country_code", "country", "year", "value", "slope"])


def ranking(data: NationalData, column: str, *, year: int, top: int,
            kinds=("country",)) -> pd.DataFrame:
    """The ``top`` entities of ``kinds`` by ``column`` in ``year``: rank, country_code, country, value."""
    frame = data.frame
    rows = frame[(frame["year"] == year) & frame["kind"].isin(list(kinds))]
    rows = rows[["country_code", "country", column]].dropna().rename(columns={column: "value"})
    rows = rows.sort_values("value", ascending=False, kind="stable").head(top).reset_index(drop=True)
    rows.insert(0, "rank", np.arange(1, len(rows) + 1))
    return rows


def gap_table(data: NationalData, codes, *, extra_targets=(), window: int = 5) -> pd.DataFrame:
    """The gap of every stated target of ``codes`` (plus ``extra_targets``), one row per target."""
    targets = data.targets_for(codes) + list(extra_targets)
    if not targets:
        return pd.DataFrame()
    wanted = {t.country_code for t in targets}
    metrics = sorted({t.metric for t in targets if t.metric in data.frame.columns})
    frame = data.rows([c for c in dict.fromkeys(t.country_code for t in targets) if c in wanted])
    return analyse_all_gaps(frame[["country_code", "year", *metrics]], targets, window=window)


def target_overlays(data: NationalData, codes, indicator_key: str, *, extra_targets=(), window: int = 5,
                    names: dict[str, str] | None = None,
                    pathway_label: str = "{country}: {target} — pathway") -> tuple[pd.DataFrame, pd.DataFrame]:
    """Target markers and pathway polylines drawable on the chart of ``indicator_key`` for ``codes``.

    One rule for app and report: the level is the target's own level (`Target.level`, or the stated %
    applied to the data's base year) and the pathway is the gap analysis's (`GapResult.pathway`:
    base year → target year → net-zero year, from the stated base value when the target states one).
    Returns (marks, paths), both with country_code, label, year, value.
    """
    columns = ["country_code", "label", "year", "value"]
    names = names or {}
    marks, paths = [], []
    wanted = set(codes)
    targets = data.targets_for(codes) + [x for x in extra_targets if x.country_code in wanted]
    for target in targets:
        if not target.sets_level or not target_metric_matches(indicator_key, target.metric):
            continue
        series = data.series(target.country_code, target.metric)
        if series is None:
            continue
        try:
            gap = analyse_target(series, target, window=window)
        except (GapInputError, ValueError):
            continue
        if not gap.comparable or gap.target_value is None:
            continue
        country = names.get(target.country_code, data.name(target.country_code))
        label = f"{country}: {target.name}"
        marks.append({"country_code": target.country_code, "label": label, "year": target.target_year,
                      "value": gap.target_value})
        if target.target_type != "net_zero":
            for year, value in gap.pathway:
                paths.append({"country_code": target.country_code, "year": year, "value": value,
                              "label": pathway_label.format(country=country, target=target.name)})
    return pd.DataFrame(marks, columns=columns), pd.DataFrame(paths, columns=columns)


# ---------------------------------------------------------------- scenarios

_PERIOD = re.compile(r"^\s*(\d{4})\s*[-–~]\s*(\d{4})\s*[:=]\s*(-?\d+(?:\.\d+)?)\s*%?\s*$")
_NUMBER = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*%?\s*$")


class ScenarioInputError(ValueError):
    """The rates text cannot be read or a rate is outside 0–100 %."""


def parse_rates(text: str, *, first_year: int, until: int):
    """"4" → 4.0; "2024-2030: 3; 2031-2050: 7" → [(2024, 2030, 3.0), (2031, 2050, 7.0)].

    Periods may leave out the years before the first one (they take the first period's rate) and
    after the last one (they take the last period's rate), so "2030-2050: 8" alone is fine.
    Raises ScenarioInputError naming the bad part.
    """
    text = (text or "").strip()
    if not text:
        raise ScenarioInputError("give an annual reduction rate, e.g. 4 or 2024-2030: 3; 2031-2050: 7")
    if match := _NUMBER.match(text):
        rate = float(match.group(1))
        _check_rate(rate)
        return rate
    periods = []
    for part in re.split(r"[;,\n]", text):
        if not part.strip():
            continue
        match = _PERIOD.match(part)
        if not match:
            raise ScenarioInputError(f"cannot read {part.strip()!r}: write periods as 2024-2030: 3")
        start, end, rate = int(match.group(1)), int(match.group(2)), float(match.group(3))
        _check_rate(rate)
        if end < start:
            raise ScenarioInputError(f"period {start}–{end} ends before it starts")
        periods.append((start, end, rate))
    periods.sort()
    for (_, e1, _), (s2, _, _) in itertools.pairwise(periods):
        if s2 <= e1:
            raise ScenarioInputError(f"periods overlap at {s2}")
        if s2 > e1 + 1:
            raise ScenarioInputError(f"no rate for {e1 + 1}–{s2 - 1}")
    # clip to the projected years and extend the ends
    s0, e0, r0 = periods[0]
    periods[0] = (min(s0, first_year), e0, r0)
    s_last, e_last, r_last = periods[-1]
    periods[-1] = (s_last, max(e_last, until), r_last)
    clipped = [(max(s, first_year), min(e, until), r) for s, e, r in periods if e >= first_year and s <= until]
    if not clipped:
        raise ScenarioInputError(f"no period covers {first_year}–{until}")
    return clipped


def _check_rate(rate: float) -> None:
    try:
        check_percent(rate, name="an annual reduction rate")
    except AnalysisInputError as exc:
        raise ScenarioInputError(str(exc)) from None


@dataclass(frozen=True)
class ScenarioTarget:
    """A target level a scenario is measured against and the first year the projection meets it."""

    name: str
    target_year: int
    level_mt: float
    year_met: int | None


@dataclass(frozen=True)
class ScenarioResult:
    """History, the projection under the rates, the straight line to net zero and the summary values."""

    code: str
    metric: str
    history: pd.DataFrame          # year, value
    projection: pd.DataFrame       # year, value, rate_pct (from the latest year)
    straight_line: pd.DataFrame    # year, value (latest year → 0 in net_zero_year)
    latest_year: int
    latest_value: float
    net_zero_year: int
    start_year: int                # first projected year
    end_year: int
    cumulative_scenario_mt: float
    cumulative_straight_line_mt: float
    targets: tuple[ScenarioTarget, ...] = ()

    @property
    def cumulative_excess_mt(self) -> float:
        return self.cumulative_scenario_mt - self.cumulative_straight_line_mt

    @property
    def end_value(self) -> float:
        return float(self.projection["value"].iloc[-1])

    def frame(self) -> pd.DataFrame:
        """year, scenario, straight_line (Mt) from the latest year to the end (CSV, tables)."""
        projection = self.projection[["year", "value"]].rename(columns={"value": "scenario"})
        line = self.straight_line.rename(columns={"value": "straight_line"})
        return projection.merge(line, on="year", how="outer").sort_values("year", ignore_index=True)


def scenario_result(data: NationalData, code: str, column: str, *, rates, net_zero_year: int = 2050,
                    until: int = 2050, extra_targets=()) -> ScenarioResult:
    """History, projection, straight line to net zero and the summary for one country and metric.

    ``rates`` is a number, periods ``(first, last, pct)`` or the text `parse_rates` reads.
    Raises ValueError (ScenarioInputError for the rates) with a clear message.
    """
    series = data.series(code, column)
    history = (pd.DataFrame({"year": series.index, "value": series.to_numpy()}).dropna()
               if series is not None else pd.DataFrame())
    if history.empty:
        raise ValueError(f"no {column} data for {data.name(code)}")
    latest_year, latest_value = int(history["year"].iloc[-1]), float(history["value"].iloc[-1])
    if latest_year >= until:
        raise ValueError(f"the data already reach {until}")
    if isinstance(rates, str):
        rates = parse_rates(rates, first_year=latest_year + 1, until=until)
    projection = project_scenario(latest_year, latest_value, rates=rates, until=until)
    levels = []
    for target in [*data.targets_for([code]), *extra_targets]:
        if target.country_code != code or not target.sets_level or not target_metric_matches(column, target.metric):
            continue
        level = target.level()
        if level is not None:
            levels.append((target, level))
    summary = summarise_scenario(projection, net_zero_year=net_zero_year,
                                 targets={str(i): level for i, (_, level) in enumerate(levels)})
    met = summary["target_years"]
    return ScenarioResult(
        code=code, metric=column, history=history, projection=projection,
        straight_line=straight_line_to_net_zero(latest_year, latest_value, net_zero_year),
        latest_year=latest_year, latest_value=latest_value, net_zero_year=net_zero_year,
        start_year=summary["start_year"], end_year=summary["end_year"],
        cumulative_scenario_mt=summary["cumulative_scenario_mt"],
        cumulative_straight_line_mt=summary["cumulative_straight_line_mt"],
        targets=tuple(ScenarioTarget(name=target.name, target_year=target.target_year, level_mt=level,
                                     year_met=met[str(i)]) for i, (target, level) in enumerate(levels)))

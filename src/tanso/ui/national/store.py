"""The national-trends store: the data, and one small state per part of the page.

`NationalStore` holds the data (`NationalData`, read once per process and dataset version), the
language, the active tab and the link problems; each tab's own settings live in a sub-state
(`selection` — the sidebar, shared by Trends, Map, Gap and Ranking —, `map`, `gap`, `scenario`,
`ranking`).
Every parameter that belongs in a share link is in `URL_KEYS`. Derived data (frames for the charts,
gap rows, the scenario) are methods over the domain functions of `tanso.emissions.national_view`.
"""

from __future__ import annotations

import re

import pandas as pd
import param

from tanso.emissions.indicators import BY_KEY, LEVEL_KEYS
from tanso.emissions.national_view import (
    DEFAULT_CODES,
    ENTITY_KINDS,
    NationalData,
    ScenarioResult,
    gap_table,
    ranking,
    scenario_result,
    series_frame,
    target_overlays,
    unknown_codes,
)
from tanso.emissions.targets import METRICS as TARGET_METRICS
from tanso.emissions.targets import Target
from tanso.ui.i18n import t
from tanso.ui.national.names import entity_name

TABS = ("trends", "map", "gap", "scenario", "ranking")


class CodeList(param.List):
    """A list of entity codes, written in a URL as KOR,JPN (any string is kept; the store checks them)."""

    @classmethod
    def serialize(cls, value):
        return ",".join(value or [])

    @classmethod
    def deserialize(cls, value):
        if isinstance(value, str):
            return [code.strip().upper() for code in value.split(",") if code.strip()]
        return list(value) if isinstance(value, (list, tuple)) else value


class YearRange(param.Range):
    """An inclusive (first, last) year range, written in a URL as 1990-2023; a reversed range is refused."""

    @classmethod
    def serialize(cls, value):
        return f"{int(value[0])}-{int(value[1])}" if value else ""

    @classmethod
    def deserialize(cls, value):
        if isinstance(value, str) and (match := re.fullmatch(r"\s*(\d{3,4})\s*[-–~,]\s*(\d{3,4})\s*", value)):
            return int(match.group(1)), int(match.group(2))
        if isinstance(value, (list, tuple)) and len(value) == 2:
            return tuple(int(v) for v in value)
        return value

    def _validate_value(self, value, allow_None):
        super()._validate_value(value, allow_None)
        if value is not None and value[0] > value[1]:
            raise ValueError(f"the first year {value[0]} comes after the last {value[1]}")


class Selection(param.Parameterized):
    """The sidebar: which entities, which indicator, which years and how they are drawn."""

    countries = CodeList(default=list(DEFAULT_CODES), item_type=str,
                         doc="Entity codes shown (ISO3 or OWID_*); unknown ones are reported and ignored")
    indicator = param.Selector(default="total_ghg", objects=list(BY_KEY), doc="Indicator key")
    years = YearRange(default=(1990, 2024), bounds=(1750, 2100), doc="Year range shown (first ≤ last)")
    scale = param.Selector(default="linear", objects=["linear", "log"], doc="y-axis scale")
    mode = param.Selector(default="absolute", objects=["absolute", "relative"],
                          doc="Values, or % change from the first year shown")
    trend = param.Boolean(default=False, doc="Overlay an OLS trend line per country")
    show_targets = param.Boolean(default=True, doc="Target markers and pathway lines")


class GapState(param.Parameterized):
    """The gap tab: the recent-pace window and a user's own target."""

    window = param.Integer(default=5, bounds=(1, 30), doc="Years of the recent rate and trend in the gap")
    custom_country = param.Selector(default="", objects=[""], doc="Entity code of a user-defined target ('' = the first shown)")
    custom_metric = param.Selector(default="total_ghg", objects=list(TARGET_METRICS), doc="Custom target series")
    custom_base_year = param.Integer(default=2018, bounds=(1850, 2100), doc="Custom target base year")
    custom_target_year = param.Integer(default=2030, bounds=(1990, 2100), doc="Custom target year")
    custom_reduction_pct = param.Number(default=None, allow_None=True,
                                        doc="Custom target: % below the base year (0–100); None = no target")


class ScenarioState(param.Parameterized):
    """The scenario tab: whose emissions, which series, which reduction rates."""

    country = param.Selector(default="KOR", objects=["KOR"], doc="Entity code of the scenario (the store sets the choices)")
    metric = param.Selector(default="total_ghg", objects=list(LEVEL_KEYS), doc="Scenario series")
    rates = param.String(default="4", doc="Annual reduction %, or periods '2024-2030: 3; 2031-2050: 7'")
    net_zero_year = param.Integer(default=2050, bounds=(2025, 2100), doc="End of the straight line")


class MapState(param.Parameterized):
    """The world-map tab: which year (the sidebar's indicator is mapped)."""

    year = param.Integer(default=None, allow_None=True, bounds=(1750, 2100),
                         doc="Year of the world map (None = the latest with data for the indicator)")


class RankingState(param.Parameterized):
    """The ranking tab: which year, how many, which kind of entity."""

    year = param.Integer(default=2023, bounds=(1750, 2100), doc="Year of the ranking")
    top = param.Integer(default=15, bounds=(3, 60), doc="Entities in the ranking")
    kind = param.Selector(default="country", objects=list(ENTITY_KINDS), doc="Entity kind ranked")


# Sub-state attribute → {parameter: query key}. The keys are those of links already shared.
URL_PARAMETERS: dict[str, dict[str, str]] = {
    "": {"tab": "tab"},
    "selection": {"countries": "countries", "indicator": "indicator", "years": "years", "scale": "scale",
                  "mode": "mode", "trend": "trend", "show_targets": "targets"},
    "gap": {"window": "window", "custom_country": "ct_country", "custom_metric": "ct_metric",
            "custom_base_year": "ct_base", "custom_target_year": "ct_year", "custom_reduction_pct": "ct_pct"},
    "scenario": {"country": "sc_country", "metric": "sc_metric", "rates": "sc_rates",
                 "net_zero_year": "net_zero"},
    "map": {"year": "map_year"},
    "ranking": {"year": "rank_year", "top": "top", "kind": "rank_kind"},
}
URL_KEYS: tuple[str, ...] = tuple(key for mapping in URL_PARAMETERS.values() for key in mapping.values())


class NationalStore(param.Parameterized):
    """Data, language, active tab and the per-tab states of the national-trends app."""

    data = param.ClassSelector(class_=NationalData, doc="mart.national and mart.targets as read")
    lang = param.Selector(default="en", objects=["en", "ko"], doc="Language of labels")
    tab = param.Selector(default="trends", objects=list(TABS), doc="Active tab")
    selection = param.ClassSelector(class_=Selection, doc="Sidebar state")
    map = param.ClassSelector(class_=MapState, doc="World map tab state")
    gap = param.ClassSelector(class_=GapState, doc="Gap tab state")
    scenario = param.ClassSelector(class_=ScenarioState, doc="Scenario tab state")
    ranking = param.ClassSelector(class_=RankingState, doc="Ranking tab state")
    url_problems = param.List(default=[], doc="Link values that could not be applied (shown as text)")

    def __init__(self, **params):
        for name, kind in (("selection", Selection), ("map", MapState), ("gap", GapState),
                           ("scenario", ScenarioState), ("ranking", RankingState)):
            params.setdefault(name, kind())
        super().__init__(**params)
        first, last = self.data.year_range
        self.selection.param.years.bounds = (first, last)
        if tuple(self.selection.years) == Selection.param.years.default:
            self.selection.years = (max(first, 1990), last)
        codes = list(self.data.rows_by_code)
        self.scenario.param.country.objects = codes
        self.gap.param.custom_country.objects = ["", *codes]
        self.ranking.param.year.bounds = (first, last)
        self.ranking.year = min(self.ranking.year, last)

    # -------------------------------------------------------- URL
    def part(self, name: str) -> param.Parameterized:
        return self if name == "" else getattr(self, name)

    def url_error_handler(self, name: str):
        """on_error for `Location.sync` of the sub-state ``name``: apply what can be, report the rest."""
        part, keys = self.part(name), URL_PARAMETERS[name]

        def apply(values: dict) -> None:
            bad = []
            for parameter, value in values.items():
                if isinstance(part.param[parameter], param.String) and isinstance(value, (int, float)):
                    value = f"{value:g}"  # the URL parser turned "150" into a number
                try:
                    part.param.update(**{parameter: value})
                except Exception:
                    bad.append(f"{keys.get(parameter, parameter)}={self.url_text(part, parameter, value)}")
            new = [item for item in bad if item not in self.url_problems]
            if new:
                self.url_problems = self.url_problems + new

        return apply

    @staticmethod
    def url_text(part: param.Parameterized, parameter: str, value) -> str:
        """A value as it reads in a link (2040–2030, not a Python tuple)."""
        if isinstance(value, (tuple, list)) and len(value) == 2 and isinstance(part.param[parameter], YearRange):
            return f"{value[0]}–{value[1]}"
        return str(value)

    # -------------------------------------------------------- derived state
    @property
    def codes(self) -> list[str]:
        """Known codes of the selection, in the order given; the defaults when a link named only unknown ones."""
        countries = self.selection.countries
        known = [c for c in dict.fromkeys(countries) if c in self.data.rows_by_code]
        if not known and countries:
            return list(DEFAULT_CODES)
        return known

    @property
    def unknown(self) -> list[str]:
        return unknown_codes(self.data, self.selection.countries)

    @property
    def ind(self):
        return BY_KEY[self.selection.indicator]

    def label(self, code: str) -> str:
        return entity_name(self.data, code, self.lang)

    def names(self, codes) -> dict[str, str]:
        return {code: self.label(code) for code in codes}

    def chart_frame(self) -> pd.DataFrame:
        s = self.selection
        frame = series_frame(self.data, self.codes, self.ind.column, years=s.years, relative=s.mode == "relative")
        if self.lang != "en" and not frame.empty:
            frame["country"] = frame["country_code"].map(self.label)
        return frame

    def custom_target(self) -> Target | None:
        """The user's target, None when not set; ValueError with a message when invalid."""
        g = self.gap
        pct = g.custom_reduction_pct
        if pct is None:
            return None
        if self.custom_target_errors():
            raise ValueError(" ".join(self.custom_target_errors().values()))
        code = g.custom_country or (self.codes or ["KOR"])[0]
        name = t("nt.custom.name", self.lang, pct=f"{pct:g}", base=g.custom_base_year, year=g.custom_target_year)
        return Target(country_code=code, country_name=self.label(code), name=name, metric=g.custom_metric,
                      target_type="absolute_vs_base", target_year=g.custom_target_year,
                      base_year=g.custom_base_year, reduction_pct=float(pct),
                      net_zero_year=self.scenario.net_zero_year)

    def custom_target_errors(self) -> dict[str, str]:
        """Field → message for the custom-target form (empty when valid or not set)."""
        g, errors = self.gap, {}
        if g.custom_reduction_pct is None:
            return errors
        if not 0 <= g.custom_reduction_pct <= 100:
            errors["custom_reduction_pct"] = t("nt.custom.bad_pct", self.lang, value=f"{g.custom_reduction_pct:g}")
        if g.custom_target_year <= g.custom_base_year:
            errors["custom_target_year"] = t("nt.custom.bad_years", self.lang)
        return errors

    def _valid_custom(self) -> list[Target]:
        try:
            return [c for c in [self.custom_target()] if c is not None]
        except ValueError:
            return []

    def gaps(self) -> pd.DataFrame:
        """The gap rows of the selected entities' targets (and a valid custom one)."""
        return gap_table(self.data, self.codes, extra_targets=self._valid_custom(), window=self.gap.window)

    def chart_targets(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Target markers and pathway polylines drawable on the current chart (same metric, levels)."""
        s = self.selection
        if not s.show_targets or s.mode != "absolute" or not self.ind.is_level:
            empty = pd.DataFrame(columns=["country_code", "label", "year", "value"])
            return empty, empty
        return target_overlays(self.data, self.codes, s.indicator, extra_targets=self._valid_custom(),
                               window=self.gap.window, names=self.names(self.codes),
                               pathway_label=t("nt.pathway_label", self.lang))

    @property
    def scenario_code(self) -> str:
        return self.scenario.country

    def scenario_result(self) -> ScenarioResult:
        """The scenario; ValueError (ScenarioInputError for the rates) with a message when it cannot be computed."""
        sc = self.scenario
        return scenario_result(self.data, self.scenario_code, sc.metric, rates=sc.rates,
                               net_zero_year=sc.net_zero_year, extra_targets=self._valid_custom())

    def ranking_frame(self) -> pd.DataFrame:
        r = self.ranking
        frame = ranking(self.data, self.ind.column, year=r.year, top=r.top, kinds=[r.kind])
        if self.lang != "en" and not frame.empty:
            frame["country"] = frame["country_code"].map(self.label)
        return frame

    def source(self) -> str:
        return t("nt.source", self.lang, source=self.data.source_label(self.selection.indicator))

"""National trends & targets: the store (data + view state) and the views of `apps/national_trends.py`.

`NationalTrendsStore` owns the data (`NationalData`, read once per process and dataset version) and
every filter; its parameters are the URL state. Views are `Viewer`s that take the store and only
render; bad input (unknown codes in a link, an empty selection, a year range without data, a rate
outside 0–100 %) becomes a message on the page, never a traceback.
"""

from __future__ import annotations

import io
import re

import pandas as pd
import panel as pn
import param
from panel.viewable import Viewer

from tanso.emissions.gap import GapInputError
from tanso.emissions.indicators import BY_KEY, INDICATORS, LEVEL_KEYS, target_metric_matches
from tanso.emissions.national_view import (
    DEFAULT_CODES,
    ENTITY_KINDS,
    NationalData,
    ScenarioInputError,
    gap_table,
    ranking,
    scenario_result,
    series_frame,
    trend_lines,
    unknown_codes,
)
from tanso.emissions.targets import METRICS as TARGET_METRICS
from tanso.emissions.targets import Target
from tanso.server_metrics import observe_callback
from tanso.ui import national_charts as charts
from tanso.ui import safe
from tanso.ui.i18n import markup, t

TABS = ("trends", "map", "gap", "scenario", "ranking")
URL_PARAMETERS = {
    "countries": "countries", "indicator": "indicator", "years": "years", "scale": "scale", "mode": "mode",
    "trend": "trend", "show_targets": "targets", "tab": "tab", "window": "window",
    "map_year": "map_year", "rank_year": "rank_year", "rank_top": "top", "rank_kind": "rank_kind",
    "scenario_country": "sc_country", "scenario_metric": "sc_metric", "scenario_rates": "sc_rates",
    "net_zero_year": "net_zero", "custom_country": "ct_country", "custom_metric": "ct_metric",
    "custom_base_year": "ct_base", "custom_target_year": "ct_year", "custom_reduction_pct": "ct_pct",
}


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
    """An inclusive (first, last) year range, written in a URL as 1990-2023."""

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


class NationalTrendsStore(param.Parameterized):
    """The data and the whole view state of the national-trends app (its parameters are the URL)."""

    data = param.ClassSelector(class_=NationalData, doc="mart.national and mart.targets as read")
    lang = param.Selector(default="en", objects=["en", "ko"], doc="Language of labels")
    countries = CodeList(default=list(DEFAULT_CODES), item_type=str,
                         doc="Entity codes shown (ISO3 or OWID_*); unknown ones are reported and ignored")
    indicator = param.Selector(default="total_ghg", objects=list(BY_KEY), doc="Indicator key")
    years = YearRange(default=(1990, 2024), bounds=(1750, 2100), doc="Year range shown")
    scale = param.Selector(default="linear", objects=["linear", "log"], doc="y-axis scale")
    mode = param.Selector(default="absolute", objects=["absolute", "relative"],
                          doc="Values, or % change from the first year shown")
    trend = param.Boolean(default=False, doc="Overlay an OLS trend line per country")
    show_targets = param.Boolean(default=True, doc="Target markers and pathway lines")
    tab = param.Selector(default="trends", objects=list(TABS), doc="Active tab")
    window = param.Integer(default=5, bounds=(1, 30), doc="Years of the recent rate and trend in the gap")
    map_year = param.Integer(default=None, allow_None=True, bounds=(1750, 2100),
                             doc="Year of the world map (None = the latest with data for the indicator)")
    rank_year = param.Integer(default=2023, bounds=(1750, 2100), doc="Year of the ranking")
    rank_top = param.Integer(default=15, bounds=(3, 60), doc="Entities in the ranking")
    rank_kind = param.Selector(default="country", objects=list(ENTITY_KINDS), doc="Entity kind ranked")
    scenario_country = param.String(default="KOR", doc="Entity code of the scenario")
    scenario_metric = param.Selector(default="total_ghg", objects=list(LEVEL_KEYS), doc="Scenario series")
    scenario_rates = param.String(default="4", doc="Annual reduction %, or periods '2024-2030: 3; 2031-2050: 7'")
    net_zero_year = param.Integer(default=2050, bounds=(2025, 2100), doc="End of the straight line")
    custom_country = param.String(default="", doc="Entity code of a user-defined target ('' = none)")
    custom_metric = param.Selector(default="total_ghg", objects=list(TARGET_METRICS), doc="Custom target series")
    custom_base_year = param.Integer(default=2018, bounds=(1850, 2100), doc="Custom target base year")
    custom_target_year = param.Integer(default=2030, bounds=(1990, 2100), doc="Custom target year")
    custom_reduction_pct = param.Number(default=None, allow_None=True,
                                        doc="Custom target: % below the base year (0–100)")
    url_problems = param.List(default=[], doc="Link values that could not be applied (shown, not synced)")

    def __init__(self, **params):
        super().__init__(**params)
        first, last = self.data.year_range
        if "years" not in params:
            self.years = (max(first, 1990), last)
        self.param.years.bounds = (first, last)

    # -------------------------------------------------------- URL
    def apply_url_values(self, values: dict) -> None:
        """Apply link values one by one; the ones that fail are reported in ``url_problems``."""
        bad = []
        for name, value in values.items():
            if isinstance(self.param[name], param.String) and isinstance(value, (int, float)):
                value = f"{value:g}"  # the URL parser turned "150" into a number
            try:
                self.param.update(**{name: value})
            except Exception:
                bad.append(f"{URL_PARAMETERS.get(name, name)}={value}")
        if bad:
            self.url_problems = self.url_problems + bad

    # -------------------------------------------------------- derived state
    @property
    def codes(self) -> list[str]:
        """Known codes of the selection; the defaults when a link named only unknown ones."""
        known = [c for c in dict.fromkeys(self.countries) if c in self.data.rows_by_code]
        if not known and self.countries:
            return list(DEFAULT_CODES)
        return known

    @property
    def unknown(self) -> list[str]:
        return unknown_codes(self.data, self.countries)

    @property
    def ind(self):
        return BY_KEY[self.indicator]

    def label(self, code: str) -> str:
        return self.data.name(code)

    def chart_frame(self) -> pd.DataFrame:
        return series_frame(self.data, self.codes, self.ind.column, years=self.years,
                            relative=self.mode == "relative")

    def custom_target(self) -> Target | None:
        """The user's target, None when not set; ValueError with a message when invalid."""
        pct = self.custom_reduction_pct
        if pct is None:
            return None
        if not 0 <= pct <= 100:
            raise ValueError(t("nt.custom.bad_pct", self.lang, value=f"{pct:g}"))
        if self.custom_target_year <= self.custom_base_year:
            raise ValueError(t("nt.custom.bad_years", self.lang))
        code = self.custom_country if self.custom_country in self.data.rows_by_code else (self.codes or ["KOR"])[0]
        name = t("nt.custom.name", self.lang, pct=f"{pct:g}", base=self.custom_base_year,
                 year=self.custom_target_year)
        return Target(country_code=code, country_name=self.label(code), name=name, metric=self.custom_metric,
                      target_type="absolute_vs_base", target_year=self.custom_target_year,
                      base_year=self.custom_base_year, reduction_pct=float(pct), net_zero_year=self.net_zero_year)

    def gaps(self) -> tuple[pd.DataFrame, str | None]:
        """The gap rows of the selected countries' targets (and the custom one); an error message."""
        extra, message = [], None
        try:
            custom = self.custom_target()
            if custom is not None:
                extra.append(custom)
        except ValueError as error:
            message = str(error)
        frame = gap_table(self.data, self.codes, extra_targets=extra, window=self.window)
        return frame, message

    def chart_targets(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Target markers and pathway polylines drawable on the current chart (same metric, levels)."""
        empty = pd.DataFrame(columns=["country_code", "label", "year", "value"])
        if not self.show_targets or self.mode != "absolute" or not self.ind.is_level:
            return empty, empty
        try:
            custom = [c for c in [self.custom_target()] if c is not None]
        except ValueError:
            custom = []
        marks, paths = [], []
        for target in self.data.targets_for(self.codes) + [c for c in custom if c.country_code in self.codes]:
            if not target.sets_level or not target_metric_matches(self.indicator, target.metric):
                continue
            level = target.level()
            if level is None and target.base_year is not None:
                base = self.data.rows([target.country_code])
                at_base = base.loc[base["year"] == target.base_year, target.metric].dropna()
                level = target.level(float(at_base.iloc[0])) if len(at_base) else None
            if level is None:
                continue
            label = f"{self.label(target.country_code)}: {target.name}"
            marks.append({"country_code": target.country_code, "label": label, "year": target.target_year,
                          "value": level})
            if target.target_type == "absolute_vs_base" and target.base_year is not None:
                base_value = target.base_value or (level / (1 - target.reduction_pct / 100)
                                                   if target.reduction_pct not in (None, 100) else None)
                points = [(target.base_year, base_value), (target.target_year, level)]
                if target.net_zero_year and target.net_zero_year > target.target_year:
                    points.append((target.net_zero_year, 0.0))
                for year, value in points:
                    if value is not None:
                        paths.append({"country_code": target.country_code,
                                      "label": f"{label} — {t('nt.pathway', self.lang)}", "year": year,
                                      "value": value})
        return (pd.DataFrame(marks) if marks else empty), (pd.DataFrame(paths) if paths else empty)

    def scenario(self) -> dict:
        """The scenario result; ValueError with a message for bad rates or a country without data."""
        code = self.scenario_country if self.scenario_country in self.data.rows_by_code else "KOR"
        try:
            custom = [c for c in [self.custom_target()] if c is not None]
        except ValueError:
            custom = []
        return scenario_result(self.data, code, self.scenario_metric, rates=self.scenario_rates,
                               net_zero_year=self.net_zero_year, extra_targets=custom)

    def ranking_frame(self) -> pd.DataFrame:
        return ranking(self.data, self.ind.column, year=self.rank_year, top=self.rank_top,
                       kinds=[self.rank_kind])

    def source(self) -> str:
        return t("nt.source", self.lang, source=self.data.source_label(self.indicator))


# ---------------------------------------------------------------- helpers


def _two_way(widget, store: param.Parameterized, name: str, *, to_widget=None, to_store=None) -> None:
    """Keep ``widget.value`` and ``store.<name>`` in step (optionally converting each way)."""
    to_widget = to_widget or (lambda v: v)
    to_store = to_store or (lambda v: v)

    def push(event):
        value = to_store(event.new)
        if getattr(store, name) != value:
            setattr(store, name, value)

    def pull(event):
        value = to_widget(event.new)
        if widget.value != value:
            widget.value = value

    widget.param.watch(push, "value")
    store.param.watch(pull, name)


def _csv_download(store: NationalTrendsStore, frame_fn, filename_fn, label_key: str) -> pn.widgets.FileDownload:
    def callback():
        frame = frame_fn()
        buffer = io.StringIO()
        buffer.write(f"# {store.source()}\n")
        frame.to_csv(buffer, index=False)
        buffer.seek(0)
        return buffer

    return pn.widgets.FileDownload(callback=callback, filename=filename_fn(), label=t(label_key, store.lang),
                                   button_type="light", width=220, embed=False, margin=(4, 10))


_OPTIONS: dict[tuple, dict[str, str]] = {}


def entity_options(data: NationalData, lang: str, kinds: tuple[str, ...], *, codes_in_label: bool = False) -> dict:
    """label → code for the entities of ``kinds``, kinds in ENTITY_KINDS order then by name (cached)."""
    key = (id(data), lang, kinds, codes_in_label)
    if key not in _OPTIONS:
        entities = data.entities
        shown = entities[entities["kind"].isin(kinds)]
        rank = shown["kind"].map({k: i for i, k in enumerate(ENTITY_KINDS)})
        shown = shown.assign(_rank=rank.to_numpy()).sort_values(["_rank", "name"])
        suffix = {k: t(f"kind.{k}", lang) for k in ENTITY_KINDS}
        labels = [f"{name} ({code})" if kind == "country" or codes_in_label else f"{name} · {suffix[kind]}"
                  for code, name, kind in zip(shown.index, shown["name"], shown["kind"], strict=True)]
        if len(_OPTIONS) > 64:
            _OPTIONS.clear()
        _OPTIONS[key] = dict(zip(labels, shown.index, strict=True))
    return _OPTIONS[key]


def _skip_unless_active(store: NationalTrendsStore, tab: str) -> None:
    """Leave a hidden tab as it is; it is redrawn (it depends on ``tab``) when it is shown again."""
    if store.tab != tab:
        raise param.Skip


def _fmt(value, spec: str = ",.1f", none: str = "–") -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return none
    return format(value, spec)


# ---------------------------------------------------------------- views


class Notices(Viewer):
    """Problems with the link or the selection, as alerts above the tabs."""

    store = param.ClassSelector(class_=NationalTrendsStore)

    def _alerts(self, countries, url_problems, lang):
        out = []
        if unknown := unknown_codes(self.store.data, countries):
            out.append(safe.Alert(t("nt.unknown_codes", lang, codes=", ".join(unknown)), alert_type="warning",
                                     margin=(5, 10)))
        if url_problems:
            out.append(safe.Alert(t("nt.bad_url", lang, items=", ".join(url_problems)), alert_type="warning",
                                     margin=(5, 10)))
        if not countries:
            out.append(safe.Alert(t("nt.empty", lang), alert_type="info", margin=(5, 10)))
        return pn.Column(*out, sizing_mode="stretch_width", margin=0)

    def __panel__(self):
        s = self.store
        return pn.panel(pn.bind(self._alerts, s.param.countries, s.param.url_problems, s.param.lang))


class Controls(Viewer):
    """Sidebar: countries (filtered by kind), indicator, years, scale, mode, overlays."""

    store = param.ClassSelector(class_=NationalTrendsStore)

    def _country_options(self, kinds) -> dict[str, str]:
        options = entity_options(self.store.data, self.store.lang, tuple(kinds))
        missing = [c for c in self.store.codes if c not in options.values()]
        if missing:  # selected entities stay choosable when their kind is filtered out
            everything = entity_options(self.store.data, self.store.lang, ENTITY_KINDS)
            options = options | {label: code for label, code in everything.items() if code in missing}
        return options

    def __panel__(self):
        s, lang = self.store, self.store.lang
        kinds = pn.widgets.CheckButtonGroup(
            label=t("nt.kinds", lang), options={t(f"kind.{k}", lang): k for k in ENTITY_KINDS if k != "other"},
            value=["country", "world"], button_type="primary", button_style="outline", sizing_mode="stretch_width")
        picker = pn.widgets.MultiChoice(
            label=t("nt.countries", lang), options=self._country_options(kinds.value), value=s.codes,
            search_option_limit=40, option_limit=300, placeholder=t("nt.search", lang),
            sizing_mode="stretch_width", solid=False)
        kinds.param.watch(lambda e: picker.param.update(options=self._country_options(e.new)), "value")
        _two_way(picker, s, "countries", to_widget=lambda codes: [c for c in codes if c in picker.options.values()])

        groups = {}
        for ind in INDICATORS:
            groups.setdefault(t(f"nt.group.{ind.group}", lang), {})[ind.label(lang)] = ind.key
        indicator = pn.widgets.Select(label=t("nt.indicator", lang), groups=groups, value=s.indicator,
                                      sizing_mode="stretch_width")
        _two_way(indicator, s, "indicator")
        first, last = s.param.years.bounds
        years = pn.widgets.IntRangeSlider(label=t("nt.years", lang), start=first, end=last, value=tuple(s.years),
                                          sizing_mode="stretch_width")
        _two_way(years, s, "years", to_store=tuple, to_widget=tuple)
        scale = pn.widgets.RadioButtonGroup(label=t("nt.scale", lang), value=s.scale, button_type="primary",
                                            button_style="outline",
                                            options={t("scale.linear", lang): "linear", t("scale.log", lang): "log"})
        _two_way(scale, s, "scale")
        mode = pn.widgets.RadioButtonGroup(label=t("nt.mode", lang), value=s.mode, button_type="primary",
                                           button_style="outline",
                                           options={t("mode.absolute", lang): "absolute",
                                                    t("mode.relative", lang): "relative"})
        _two_way(mode, s, "mode")
        trend = pn.widgets.Checkbox(label=t("nt.trend", lang), value=s.trend)
        _two_way(trend, s, "trend")
        targets = pn.widgets.Checkbox(label=t("nt.targets", lang), value=s.show_targets)
        _two_way(targets, s, "show_targets")
        def heading(key):
            return safe.HTML(safe.Markup(f"<b>{safe.escape(t(key, lang))}</b>"), margin=(8, 10, 0, 10))

        return pn.Column(
            picker, heading("nt.kinds"), kinds, indicator, years,
            heading("nt.scale"), scale, heading("nt.mode"), mode,
            trend, targets, sizing_mode="stretch_width")


class TrendChart(Viewer):
    """The indicator over time for the selected countries, with trends, targets and pathways."""

    store = param.ClassSelector(class_=NationalTrendsStore)

    DEPENDS = ("countries", "indicator", "years", "scale", "mode", "trend", "show_targets", "custom_reduction_pct",
               "custom_country", "custom_metric", "custom_base_year", "custom_target_year")

    def __init__(self, **params):
        super().__init__(**params)
        self._chart = charts.TrendFigure(source=self.store.source())
        self._pane = pn.pane.Bokeh(self._chart.figure, sizing_mode="stretch_width", min_height=440)
        self._message = safe.Alert("", alert_type="info", visible=False, margin=(5, 10),
                                      sizing_mode="stretch_width")
        self._refresh()
        # A side effect: the live figure's series are swapped in place (see TrendFigure). Served with
        # threads, the change must run on the event loop holding the document lock, or BokehJS misses it.
        self.store.param.watch(lambda *_: pn.state.execute(self._refresh), list(self.DEPENDS))

    def _show(self, message: str | None, kind: str = "info", *, chart: bool) -> None:
        self._message.param.update(object=message or "", alert_type=kind, visible=bool(message))
        self._pane.visible = chart

    @observe_callback("national_trends")
    def _refresh(self, *_) -> None:
        s, lang = self.store, self.store.lang
        ind, years = s.ind, s.years
        if not s.countries:
            return self._show(t("nt.empty", lang), chart=False)
        tidy = s.chart_frame()
        if tidy.empty:
            return self._show(t("nt.no_data", lang, indicator=ind.label(lang), start=years[0], end=years[1],
                                countries=", ".join(s.label(c) for c in s.codes)), "warning", chart=False)
        note = None
        logy = s.scale == "log"
        if logy and (tidy["value"] <= 0).any():
            tidy = tidy[tidy["value"] > 0]
            note = t("nt.log_dropped", lang)
        relative = s.mode == "relative"
        unit = "%" if relative else ind.unit
        ylabel = t("nt.relative_axis", lang) if relative else f"{ind.label(lang)} ({ind.unit})"
        marks, paths = s.chart_targets()
        title = t("nt.chart_title", lang, indicator=ind.label(lang), start=years[0], end=years[1])
        self._chart.update(
            tidy, order=s.codes, unit=unit, ylabel=ylabel, title=title, source=s.source(), logy=logy,
            trends=trend_lines(tidy) if s.trend else None, targets=marks if len(marks) else None,
            pathways=paths if len(paths) else None, trend_label=t("nt.trend_label", lang),
            targets_label=t("nt.sc.targets", lang))
        self._show(note, chart=True)

    def _csv(self) -> pd.DataFrame:
        s = self.store
        frame = s.chart_frame()
        frame.insert(3, "indicator", s.indicator)
        frame["unit"] = "% change from first year shown" if s.mode == "relative" else s.ind.unit
        return frame

    def _caption(self, indicator, mode, lang):
        ind = BY_KEY[indicator]
        return safe.Markdown(markup("nt.caption", lang, column=ind.codebook, source=self.store.source()),
                                styles={"color": "#555", "font-size": "0.85em"}, margin=(0, 10),
                                sizing_mode="stretch_width")

    def __panel__(self):
        s = self.store

        def filename(countries, indicator, years):
            return f"tanso_{indicator}_{'-'.join(s.codes) or 'none'}_{years[0]}-{years[1]}.csv"

        download = _csv_download(s, self._csv, lambda: "tanso_national_trends.csv", "nt.download_csv")
        download.filename = pn.bind(filename, s.param.countries, s.param.indicator, s.param.years)
        return pn.Column(
            self._message, self._pane,
            pn.Row(pn.panel(pn.bind(self._caption, s.param.indicator, s.param.mode, s.param.lang),
                            sizing_mode="stretch_width"), download, sizing_mode="stretch_width"),
            sizing_mode="stretch_width")


GAP_COLUMNS = ("country", "target", "basis", "status", "margin_mt", "margin_pct", "target_level", "latest",
               "gap_now", "required_rate", "recent_rate", "slope", "projected", "projected_trend", "year_reached",
               "year_reached_trend", "metric")


def gap_display(frame: pd.DataFrame, data: NationalData, lang: str) -> tuple[pd.DataFrame, list[str]]:
    """The gap rows as shown: one row per target measure (stated, and rebased when the bases differ)."""
    rows, caveats = [], []
    not_reached = t("nt.not_reached", lang)
    for r in frame.to_dict("records"):
        name = data.name(r["country"])
        head = {"country": name, "target": r["target_name"], "metric": r["metric"]}
        if r.get("error"):
            rows.append(head | {"basis": "–", "status": r["error"]})
            continue
        for cav in r.get("caveats") or []:
            caveats.append(safe.markdown("**{name} — {target}**: {caveat}", name=name, target=r["target_name"], caveat=cav))
        latest = f"{r['latest_value']:,.1f} ({r['latest_year']})"
        common = {"latest": latest, "recent_rate": _fmt(r["recent_annual_rate_pct"], "+.2f"),
                  "slope": _fmt(r["trend_slope_per_year"], "+,.1f")}
        if not r["comparable"]:
            rows.append(head | common | {"basis": "–", "status": t("nt.not_comparable", lang)})
            continue
        measures = [("stated", r)]
        if isinstance(r.get("rebased"), dict):
            measures.append(("rebased", r["rebased"]))
        for basis, m in measures:
            year_rate = m["projected_year_reaching_target"]
            year_trend = m["projected_year_reaching_target_trend"]
            rows.append(head | common | {
                "basis": t(f"nt.basis.{basis}", lang, year=_fmt(r.get("base_year"), ".0f", none="")),
                "target_level": f"{m['target_value']:,.1f} ({r['target_year']})",
                "gap_now": _fmt(m["gap_now"], "+,.1f"),
                "required_rate": _fmt(m["required_annual_rate_pct"], "+.2f",
                                      none=f"{_fmt(m['required_annual_change_mt'], '+,.1f')} Mt/yr"),
                "projected": _fmt(r["projected_value_at_target_year"]),
                "projected_trend": _fmt(r["projected_value_at_target_year_trend"]),
                "year_reached": not_reached if pd.isna(year_rate) else str(int(year_rate)),
                "year_reached_trend": not_reached if pd.isna(year_trend) else str(int(year_trend)),
                "status": t("nt.on_track" if m["on_track"] else "nt.off_track", lang),
                "margin_mt": _fmt(m["on_track_margin_mt"], "+,.1f"),
                "margin_pct": _fmt(m["on_track_margin_pct"], "+.1f"),
            })
    shown = pd.DataFrame(rows, columns=list(GAP_COLUMNS)).fillna("–")
    return shown, caveats


class GapView(Viewer):
    """Gap to every stated target of the selected countries, a custom target, and the caveats."""

    store = param.ClassSelector(class_=NationalTrendsStore)

    @observe_callback("national_trends")
    def _table(self, *_):
        s, lang = self.store, self.store.lang
        _skip_unless_active(s, "gap")
        if not s.countries:
            return safe.Alert(t("nt.empty", lang), alert_type="info")
        frame, message = s.gaps()
        parts = []
        if message:
            parts.append(safe.Alert(message, alert_type="danger"))
        if frame.empty:
            parts.append(safe.Alert(t("nt.gap.none", lang), alert_type="info"))
            return pn.Column(*parts, sizing_mode="stretch_width")
        shown, caveats = gap_display(frame, s.data, lang)
        titles = {c: t(f"nt.col.{c}", lang) for c in GAP_COLUMNS}
        status_colours = {t("nt.on_track", lang): "#15803d", t("nt.off_track", lang): "#b91c1c"}
        table = pn.widgets.Tabulator(
            shown.rename(columns=titles), disabled=True, show_index=False, layout="fit_data_table",
            sizing_mode="stretch_width", max_height=460, frozen_columns=[titles["country"], titles["target"]],
            text_align={titles[c]: "right" for c in GAP_COLUMNS[4:-1]})
        table.style.map(lambda v: f"color: {status_colours[v]}; font-weight: 600" if v in status_colours else "",
                        subset=[titles["status"]])
        parts.append(table)
        parts.append(safe.Markdown(markup("nt.gap.source", lang, source=s.source(), window=s.window),
                                      styles={"color": "#555", "font-size": "0.85em"}))
        if caveats:
            parts.append(safe.Markdown(safe.Markup(f"#### {safe.escape(t('nt.gap.caveats', lang))}\n" + "\n".join(f"- {c}" for c in caveats)),
                                          sizing_mode="stretch_width"))
        return pn.Column(*parts, sizing_mode="stretch_width")

    def _csv(self) -> pd.DataFrame:
        frame, _ = self.store.gaps()
        return gap_display(frame, self.store.data, "en")[0] if not frame.empty else frame

    def _custom_form(self):
        s, lang = self.store, self.store.lang
        country = pn.widgets.Select(label=t("nt.custom.country", lang), width=220,
                                    options=entity_options(s.data, lang, ("country", "world", "region")))
        country.value = s.custom_country if s.custom_country in s.data.rows_by_code else (s.codes or ["KOR"])[0]
        _two_way(country, s, "custom_country")
        metric = pn.widgets.Select(label=t("nt.custom.metric", lang), width=220, value=s.custom_metric,
                                   options={BY_KEY[m].label(lang): m for m in TARGET_METRICS})
        _two_way(metric, s, "custom_metric")
        base = pn.widgets.IntInput(label=t("nt.custom.base_year", lang), value=s.custom_base_year, width=110,
                                   start=1850, end=2100)
        _two_way(base, s, "custom_base_year")
        year = pn.widgets.IntInput(label=t("nt.custom.target_year", lang), value=s.custom_target_year, width=110,
                                   start=1990, end=2100)
        _two_way(year, s, "custom_target_year")
        pct = pn.widgets.FloatInput(label=t("nt.custom.pct", lang), value=s.custom_reduction_pct, width=130,
                                    placeholder="e.g. 40")
        _two_way(pct, s, "custom_reduction_pct")
        clear = pn.widgets.Button(label=t("nt.custom.clear", lang), button_type="light", margin=(28, 10, 10, 10))
        clear.on_click(lambda _: setattr(s, "custom_reduction_pct", None))
        window = pn.widgets.IntInput(label=t("nt.window", lang), value=s.window, start=1, end=30, width=110)
        _two_way(window, s, "window")
        return pn.Card(safe.Markdown(markup("nt.custom.help", lang), margin=(0, 10)),
                       pn.FlexBox(country, metric, base, year, pct, clear, window),
                       title=t("nt.custom.title", lang), collapsed=False, sizing_mode="stretch_width",
                       margin=(10, 10))

    def __panel__(self):
        s = self.store
        deps = [s.param.countries, s.param.window, s.param.custom_reduction_pct, s.param.custom_country,
                s.param.custom_metric, s.param.custom_base_year, s.param.custom_target_year, s.param.tab]
        download = _csv_download(s, self._csv, lambda: "tanso_gap_to_target.csv", "nt.download_csv")
        return pn.Column(safe.Markdown(markup("nt.gap.intro", s.lang), sizing_mode="stretch_width"),
                         pn.panel(pn.bind(self._table, *deps), sizing_mode="stretch_width", lazy=True),
                         pn.Row(pn.HSpacer(), download), self._custom_form(), sizing_mode="stretch_width")


class ScenarioView(Viewer):
    """Annual reduction rates from the latest year to 2050: the year each target is met, cumulative emissions."""

    store = param.ClassSelector(class_=NationalTrendsStore)

    @observe_callback("national_trends")
    def _result(self, *_):
        s, lang = self.store, self.store.lang
        _skip_unless_active(s, "scenario")
        try:
            result = s.scenario()
        except (ScenarioInputError, GapInputError, ValueError) as error:
            return safe.Alert(f"{t('nt.sc.error', lang)} {error}", alert_type="danger")
        ind = BY_KEY[s.scenario_metric]
        summary = result["summary"]
        labels = {"history": t("nt.sc.history", lang), "scenario": t("nt.sc.scenario", lang),
                  "straight": t("nt.sc.straight", lang, year=s.net_zero_year), "targets": t("nt.sc.targets", lang)}
        marks = pd.DataFrame([
            {"label": name, "year": int(re.search(r"\((\d{4}),", name).group(1)),
             "value": float(re.search(r", ([\d,\.]+) Mt\)", name).group(1).replace(",", ""))}
            for name in summary["target_years"]]) if summary["target_years"] else None
        code = s.scenario_country if s.scenario_country in s.data.rows_by_code else "KOR"
        title = t("nt.sc.title", lang, country=s.label(code), indicator=ind.label(lang))
        plot = charts.scenario_chart(result, unit=ind.unit, title=title, source=s.source(), labels=labels,
                                     targets=marks)
        met = [{t("nt.sc.col.target", lang): name,
                t("nt.sc.col.year", lang): (str(year) if year else t("nt.sc.not_met", lang, year=summary["end_year"]))}
               for name, year in summary["target_years"].items()]
        cumulative = markup("nt.sc.cumulative", lang, start=summary["start_year"], end=summary["end_year"],
                       scenario=f"{summary['cumulative_scenario_mt']:,.0f}",
                       line=f"{summary['cumulative_straight_line_mt']:,.0f}",
                       diff=f"{summary['cumulative_excess_mt']:+,.0f}", year=s.net_zero_year)
        value_2050 = float(result["projection"]["value"].iloc[-1])
        headline = markup("nt.sc.headline", lang, latest_year=result["latest_year"],
                     latest=f"{result['latest_value']:,.1f}", end=summary["end_year"], value=f"{value_2050:,.1f}",
                     unit=ind.unit)
        parts = [pn.pane.HoloViews(plot, sizing_mode="stretch_width", min_height=400),
                 safe.Markdown(safe.Markup(f"{headline}\n\n{cumulative}"), sizing_mode="stretch_width")]
        if met:
            parts.append(pn.widgets.Tabulator(pd.DataFrame(met), disabled=True, show_index=False,
                                              layout="fit_data_table"))
        return pn.Column(*parts, sizing_mode="stretch_width")

    def _csv(self) -> pd.DataFrame:
        result = self.store.scenario()
        projection = result["projection"].rename(columns={"value": "scenario"})
        line = result["straight_line"].rename(columns={"value": "straight_line"})
        return projection.merge(line, on="year", how="outer")

    def __panel__(self):
        s, lang = self.store, self.store.lang
        options = entity_options(s.data, lang, ("country", "world", "region"))
        country = pn.widgets.Select(label=t("nt.sc.country", lang), options=options, width=240,
                                    value=s.scenario_country if s.scenario_country in options.values() else "KOR")
        _two_way(country, s, "scenario_country")
        metric = pn.widgets.Select(label=t("nt.sc.metric", lang), width=260, value=s.scenario_metric,
                                   options={BY_KEY[k].label(lang): k for k in LEVEL_KEYS})
        _two_way(metric, s, "scenario_metric")
        rates = pn.widgets.TextInput(label=t("nt.sc.rates", lang), value=s.scenario_rates, width=320)
        _two_way(rates, s, "scenario_rates")
        net_zero = pn.widgets.IntInput(label=t("nt.sc.net_zero", lang), value=s.net_zero_year, start=2025,
                                       end=2100, width=120)
        _two_way(net_zero, s, "net_zero_year")
        deps = [s.param.scenario_country, s.param.scenario_metric, s.param.scenario_rates, s.param.net_zero_year,
                s.param.custom_reduction_pct, s.param.custom_country, s.param.tab]

        def safe_csv():
            try:
                return self._csv()
            except ValueError:
                return pd.DataFrame()

        download = _csv_download(s, safe_csv, lambda: "tanso_scenario.csv", "nt.download_csv")
        return pn.Column(
            safe.Markdown(markup("nt.sc.intro", lang), sizing_mode="stretch_width"),
            pn.FlexBox(country, metric, rates, net_zero),
            safe.Markdown(markup("nt.sc.rates_help", lang), styles={"color": "#555", "font-size": "0.85em"},
                             margin=(0, 10)),
            pn.panel(pn.bind(self._result, *deps), sizing_mode="stretch_width", lazy=True),
            pn.Row(pn.HSpacer(), download), sizing_mode="stretch_width")


class RankingView(Viewer):
    """Top N entities for the indicator in one year, as a sorted bar chart."""

    store = param.ClassSelector(class_=NationalTrendsStore)

    def _chart(self, indicator, year, top, kind, countries, lang, tab):
        s = self.store
        _skip_unless_active(s, "ranking")
        ind = BY_KEY[indicator]
        frame = s.ranking_frame()
        if frame.empty:
            return safe.Alert(t("nt.rank.empty", lang, indicator=ind.label(lang), year=year),
                                 alert_type="warning")
        title = t("nt.rank.title", lang, n=len(frame), indicator=ind.label(lang), year=year)
        plot = charts.ranking_chart(frame, unit=ind.unit, title=title, source=s.source(), highlight=set(s.codes))
        return pn.pane.HoloViews(plot, sizing_mode="stretch_width")

    def __panel__(self):
        s, lang = self.store, self.store.lang
        first, last = s.data.year_range
        year = pn.widgets.IntSlider(label=t("nt.rank.year", lang), start=first, end=last, value=s.rank_year,
                                    width=320)
        _two_way(year, s, "rank_year")
        top = pn.widgets.IntInput(label=t("nt.rank.top", lang), value=s.rank_top, start=3, end=60, width=110)
        _two_way(top, s, "rank_top")
        kind = pn.widgets.Select(label=t("nt.rank.kind", lang), value=s.rank_kind, width=200,
                                 options={t(f"kind.{k}", lang): k for k in ENTITY_KINDS})
        _two_way(kind, s, "rank_kind")
        download = _csv_download(s, s.ranking_frame, lambda: "tanso_ranking.csv", "nt.download_csv")
        return pn.Column(
            safe.Markdown(markup("nt.rank.intro", lang), sizing_mode="stretch_width"),
            pn.FlexBox(year, top, kind),
            pn.panel(pn.bind(self._chart, s.param.indicator, s.param.rank_year, s.param.rank_top, s.param.rank_kind,
                             s.param.countries, s.param.lang, s.param.tab), sizing_mode="stretch_width", lazy=True),
            pn.Row(pn.HSpacer(), download), sizing_mode="stretch_width")


class NationalTrendsApp(Viewer):
    """The whole page body: notices and the four tabs (only the active one is rendered)."""

    store = param.ClassSelector(class_=NationalTrendsStore)

    def sidebar(self) -> list:
        return [Controls(store=self.store)]

    def __init__(self, **params):
        super().__init__(**params)
        self._views: dict[str, Viewer] = {}

    def _tab_body(self, name: str, tab: str):
        """Build a tab's view the first time it is shown, then leave it alone (it updates itself)."""
        if name in self._views or tab != name:
            raise param.Skip
        from tanso.ui.national_map import MapView  # imported when the tab is first opened

        views = {"trends": TrendChart, "map": MapView, "gap": GapView, "scenario": ScenarioView,
                 "ranking": RankingView}
        self._views[name] = views[name](store=self.store)
        return self._views[name]

    def __panel__(self):
        s, lang = self.store, self.store.lang
        tabs = pn.Tabs(*[(t(f"nt.tab.{name}", lang),
                          pn.panel(pn.bind(self._tab_body, name, s.param.tab), lazy=True,
                                   sizing_mode="stretch_width"))
                         for name in TABS], dynamic=True, active=TABS.index(s.tab), sizing_mode="stretch_width")
        tabs.param.watch(lambda e: setattr(s, "tab", TABS[e.new]), "active")
        s.param.watch(lambda e: setattr(tabs, "active", TABS.index(e.new)), "tab")
        return pn.Column(Notices(store=s), tabs, sizing_mode="stretch_width")


def build(data: NationalData, lang: str, *, url: bool = True) -> tuple[NationalTrendsStore, NationalTrendsApp]:
    store = NationalTrendsStore(data=data, lang=lang)
    if url and pn.state.location is not None:
        pn.state.location.sync(store, URL_PARAMETERS, on_error=store.apply_url_values)
    return store, NationalTrendsApp(store=store)


def build_page(ctx):
    """The served page (see `tanso.ui.app.serve_app`)."""
    from tanso.emissions.national_view import load_national_data
    from tanso.ui.app import Page

    store = NationalTrendsStore(data=load_national_data(ctx.engine), lang=ctx.lang)
    ctx.sync_url(store, URL_PARAMETERS, on_error=store.apply_url_values)
    app = NationalTrendsApp(store=store)
    return Page(main=[app], sidebar=app.sidebar())

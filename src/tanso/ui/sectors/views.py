"""Views of the sector-contribution app: controls, notices and one tab view per question.

Views only render what the store derives; each tab is a kit `TabView` (built when first shown,
redrawn only while visible). Every chart says its source and version; every tab has a CSV of
exactly what it shows; any text from the link or the data reaches the page as escaped text.
"""

from __future__ import annotations

import io

import pandas as pd
import panel as pn
import param

from tanso.sectors.bases import BASES, target_bases
from tanso.sectors.contributions import ContributionError
from tanso.sectors.lmdi import KAYA_FACTORS, DecompositionError
from tanso.ui import safe
from tanso.ui.national.translate import target_name
from tanso.ui.sectors import charts
from tanso.ui.sectors.store import TABS, SectorStore
from tanso.ui.view import TabView, View

SELECTION = ("country", "source", "taxonomy", "lang")
PERIOD = (*SELECTION, "year_from", "year_to")


def csv_download(view: View, frame_fn, filename_fn, caption_kind: str) -> pn.widgets.FileDownload:
    """A CSV of what the tab shows, its first line naming the source and version."""
    def callback():
        button.filename = filename_fn()  # named for the selection at the time of the click
        buffer = io.StringIO()
        buffer.write(f"# {view.store.source_caption(caption_kind)}\n")
        frame_fn().to_csv(buffer, index=False)
        buffer.seek(0)
        return buffer

    button = pn.widgets.FileDownload(callback=callback, filename=filename_fn(), label=view.t("sc.csv"),
                                     color="light", width=200, embed=False, margin=(4, 10))
    return button


def group_years(pairs) -> dict[str, list[int]]:
    """(label, year) pairs as {label: [years]}, in order."""
    grouped: dict[str, list[int]] = {}
    for label, year in pairs:
        grouped.setdefault(label, []).append(year)
    return grouped


def year_spans(years) -> str:
    """Years as runs: 1990, 1991, 1992, 1995 → "1990–1992, 1995"."""
    runs: list[list[int]] = []
    for year in sorted(years):
        if runs and year == runs[-1][1] + 1:
            runs[-1][1] = year
        else:
            runs.append([year, year])
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in runs)


class Slot:
    """Where one chart of a tab goes: one Bokeh pane per figure shape, only the current one visible.

    The chart functions update a figure of the same shape (same sectors, same kind of chart) in place;
    a new shape gets its own pane once, and going back to a shape is a visibility toggle. (Giving a
    pane another figure makes Panel walk every model of it: ≈ 250 ms, five times the budget.)
    """

    def __init__(self):
        self.panes: dict = {}     # shape → Bokeh pane
        self._boxes: dict = {}    # shape → the column holding it (the Bokeh pane syncs its own `visible`
        self.layout = pn.Column(sizing_mode="stretch_width", margin=0)  # with the figure's, so its box is
                                                                        # what is shown or hidden)

    def draw(self, shape, draw) -> None:
        """``draw(previous figure of this shape or None)`` returns the figure to show."""
        pane = self.panes.get(shape)
        figure = draw(pane.object if pane is not None else None)
        if pane is None:
            pane = self.panes[shape] = pn.pane.Bokeh(figure, sizing_mode="stretch_width")
            self._boxes[shape] = pn.Column(pane, sizing_mode="stretch_width", margin=0)
            self.layout.append(self._boxes[shape])
        elif figure is not pane.object:
            pane.object = figure
        for key, box in self._boxes.items():
            box.visible = key == shape

    def shown(self, shape) -> bool:
        return self._boxes[shape].visible


class ChartTab(TabView):
    """A tab with an alert line, one or more chart slots and a CSV button."""

    charts: int = 1
    caption_kind = "sectors"

    def body(self):
        self._alert = safe.Alert("", alert_type="warning", visible=False, margin=(5, 10),
                                 sizing_mode="stretch_width")
        self._slots = [Slot() for _ in range(self.charts)]
        self._extra = pn.Column(sizing_mode="stretch_width", margin=0)
        download = csv_download(self, self.csv, self.filename, self.caption_kind)
        return pn.Column(self.intro(), self._alert, *(slot.layout for slot in self._slots), self._extra,
                         pn.Row(pn.HSpacer(), download), sizing_mode="stretch_width")

    def intro(self):
        return self.note(f"sc.{self.tab}.intro")

    def filename(self) -> str:
        s = self.store
        return f"tanso_{self.tab}_{s.code}_{s.year_from}-{s.year_to}.csv"

    def show_problem(self, message: str | None) -> bool:
        """Show a plain-text problem instead of the charts; True when there is one."""
        self._alert.object = message or ""
        self._alert.visible = bool(message)
        for slot in self._slots:
            slot.layout.visible = not message
        return bool(message)

    def refresh(self) -> None:
        if self.show_problem(self.store.problem()):
            return
        try:
            self.draw()
        except (ContributionError, DecompositionError) as exc:
            self.show_problem(str(exc))

    def draw(self) -> None:
        raise NotImplementedError

    def csv(self) -> pd.DataFrame:
        raise NotImplementedError


class LevelsView(ChartTab):
    tab = "levels"
    depends = (*SELECTION, "mode")

    def draw(self):
        s = self.store
        share = s.mode == "share"
        order = tuple(o for o in s.sectors()[["sector", "label"]].itertuples(index=False, name=None)
                      if o[0] != "bunker_fuels")
        value = "share_pct" if share else "value_mt"
        columns = s.data.cached(("stack", *s.selection, value, s.lang), lambda: charts.stack_columns(
            s.levels(), value=value, order=list(order)))
        self._slots[0].draw(order, lambda fig: charts.stacked_area(
            columns, order=list(order), fig=fig,
            title=self.t("sc.levels.title_share" if share else "sc.levels.title",
                         country=s.country_name(s.code)),
            y_label=self.t("sc.unit.pct" if share else "sc.unit.mt"), source=s.source_caption("sectors"),
            year_label=self.t("sc.hover.year")))
        # a missing value is a gap in its sector's area, never drawn as 0: the page says which ones
        if missing := charts.missing_values(s.levels(), value=value, order=list(order)):
            self._alert.object = self.t("sc.levels.missing", items="; ".join(
                f"{label} {year_spans(years)}" for label, years in group_years(missing).items()))
            self._alert.visible = True

    def csv(self):
        return self.store.levels()


class WaterfallView(ChartTab):
    tab = "waterfall"
    depends = PERIOD

    def body(self):
        self._table = safe.HTML("", sizing_mode="stretch_width", margin=(0, 10), stylesheets=[safe.TABLE_CSS])
        column = super().body()
        self._extra.objects = [self._table]
        return column

    def draw(self):
        s = self.store
        result = s.contributions()
        table = s.contributions_frame()
        self._slots[0].draw("waterfall", lambda fig: charts.waterfall(
            table, total_from=result.total_from, total_to=result.total_to, start_label=str(s.year_from),
            end_label=str(s.year_to), title=self.t("sc.waterfall.title", start=s.year_from, end=s.year_to,
                                                    change=f"{result.total_change:+,.1f}"),
            source=s.source_caption("sectors"), y_label=self.t("sc.unit.mt"), fig=fig))
        # an HTML table, its text replaced: a Tabulator re-creates its columns on every change (≈ 70 ms)
        yes_no = {True: self.t("sc.yes"), False: self.t("sc.no")}

        def num(value, spec=",.2f"):  # a missing value is "–", never 0
            return "–" if pd.isna(value) else format(value, spec)

        self._table.object = safe.table(
            [self.t("sc.col.sector"), str(s.year_from), str(s.year_to), self.t("sc.col.change"),
             self.t("sc.col.share_change"), self.t("sc.col.in_total")],
            [(r.label, num(r.value_from), num(r.value_to), num(r.change, "+,.2f"), num(r.share_of_change_pct),
              yes_no[r.in_total]) for r in table.itertuples()], numeric=(1, 2, 3, 4))
        if result.missing:  # said like the decomposition tab: which sector, which year
            labels = dict(zip(table["sector"], table["label"], strict=True))
            self._alert.object = self.t("sc.error.missing_values", items=", ".join(
                f"{labels[sector]} {year}" for sector, year in result.missing))
            self._alert.visible = True

    def csv(self):
        return self.store.contributions_frame()


class CategoriesView(ChartTab):
    tab = "categories"
    depends = ("tree_year", "lang")
    caption_kind = "tree"

    def body(self):
        column = super().body()
        year = pn.widgets.IntSlider.from_param(self.store.param.tree_year, label=self.t("sc.tree_year"),
                                               start=1990, end=int(self.store.data.tree["year"].max()),
                                               width=320)
        column.insert(1, year)
        return column

    def refresh(self):
        s = self.store
        tree = s.tree()
        if self.show_problem(None if len(tree) else self.t("sc.error.tree_year", year=s.tree_year)):
            return
        wedges = s.data.cached(("wedges", s.tree_year, s.lang), lambda: charts.sunburst_wedges(tree))
        self._slots[0].draw("sunburst", lambda fig: charts.sunburst(
            wedges, title=self.t("sc.categories.title", year=s.tree_year), source=s.source_caption("tree"),
            unit=self.t("sc.unit.mt"), fig=fig))

    def filename(self):
        return f"tanso_gir_categories_{self.store.tree_year}.csv"

    def csv(self):
        return self.store.tree()[["code", "parent_code", "level", "name_ko", "name_en",
                                  "climatewatch_sector", "year", "value_mt"]]


class DecomposeView(ChartTab):
    tab = "decompose"
    depends = PERIOD
    charts = 3
    caption_kind = "kaya"

    def draw(self):
        s = self.store
        result = s.decomposition()
        labels = {k: self.t(f"sc.factor.{k}") for k in (*KAYA_FACTORS, "co2")}
        self._slots[0].draw("effects", lambda fig: charts.effect_bars(
            result.effects, labels=labels, total_label=self.t("sc.total_change"),
            title=self.t("sc.decompose.title", start=s.year_from, end=s.year_to,
                         change=f"{result.change:+,.1f}"),
            source=s.source_caption("kaya"), y_label=self.t("sc.unit.mt_co2"), fig=fig))
        self._slots[1].draw("trends", lambda fig: charts.index_lines(
            s.factor_trends(), labels=labels, title=self.t("sc.decompose.trends", start=s.year_from),
            source=s.source_caption("kaya"), y_label=self.t("sc.unit.index"), year_label=self.t("sc.hover.year"),
            fig=fig))
        try:
            effects, sector_labels = self._sector_effects()
        except DecompositionError as exc:  # e.g. a sector without a value: the Kaya charts still stand
            self._alert.object, self._alert.visible = str(exc), True
            self._slots[2].layout.visible = False
            return
        by_sector = s.sector_decomposition()
        self._slots[2].draw("sector_effects", lambda fig: charts.effect_bars(
            effects, labels=sector_labels, total_label=self.t("sc.total_change"),
            title=self.t("sc.decompose.sectors_title", start=s.year_from, end=s.year_to,
                         change=f"{by_sector.change:+,.1f}"),
            source=s.source_caption("sectors_gdp"), y_label=self.t("sc.unit.mt"), fig=fig))

    def body(self):
        column = super().body()
        # the third chart's limits, said where it is drawn (no sector activity data: no structure effect)
        column.insert(column.objects.index(self._slots[2].layout), self.note("sc.decompose.no_structure"))
        return column

    def _sector_effects(self) -> tuple[dict[str, float], dict[str, str]]:
        """GDP's effect, then each counted sector's intensity effect in display order, with labels."""
        s = self.store
        terms = s.sector_decomposition().by_subcategory["intensity"]
        order = [(r.sector, r.label) for r in s.sectors().itertuples() if r.sector in terms.index]
        effects = {"activity": s.sector_decomposition().effects["activity"]}
        labels = {"activity": self.t("sc.factor.gdp")}
        for sector, label in order:
            effects[f"sector:{sector}"] = float(terms[sector])
            labels[f"sector:{sector}"] = self.t("sc.factor.sector_intensity", sector=label)
        return effects, labels

    def csv(self):
        s = self.store
        kaya = s.decomposition()
        try:
            effects, _ = self._sector_effects()
        except DecompositionError:  # said on the page; the CSV then holds the Kaya effects only
            effects = {}
        return pd.DataFrame({
            "decomposition": ["kaya_co2"] * len(kaya.effects) + ["gross_total_by_sector_gdp"] * len(effects),
            "factor": [*kaya.effects, *effects], "effect_mt": [*kaya.effects.values(), *effects.values()],
            "unit": ["Mt CO2"] * len(kaya.effects) + ["Mt CO2e"] * len(effects)})


class CompareView(ChartTab):
    tab = "compare"
    depends = ("compare", "year_to", "lang")
    caption_kind = "compare"

    def body(self):
        column = super().body()
        options = self.store.country_options()
        chosen = [c for c in dict.fromkeys(self.store.compare) if c in options.values()]
        # the box shows its chosen items in the order of its options (Bokeh's MultiChoice): the chosen
        # ones first, in the link's order, keep that order; the others stay sorted by name below
        names = {code: name for name, code in options.items()}
        options = {names[c]: c for c in chosen} | {n: c for n, c in options.items() if c not in chosen}
        choice = pn.widgets.MultiChoice(label=self.t("sc.compare_countries"), options=options, value=chosen,
                                        sizing_mode="stretch_width")
        choice.param.watch(lambda e: setattr(self.store, "compare", list(e.new)), "value")
        column.insert(1, choice)
        return column

    def refresh(self):
        s = self.store
        unknown = s.unknown_compare()
        frame = s.comparison()
        message = self.t("sc.error.compare", codes=", ".join(unknown)) if unknown else None
        if frame.empty:
            message = message or self.t("sc.error.compare_empty", year=s.year_to)
            self.show_problem(message)
            return
        self.show_problem(None)
        if message:
            self._alert.object, self._alert.visible = message, True
        order, countries, columns = s.data.cached(
            ("share_bars", tuple(s.compare), s.year_to, s.lang), lambda: self._bars(frame))
        self._slots[0].draw(tuple(order), lambda fig: charts.share_bars(
            columns, order=order, countries=countries, title=self.t("sc.compare.title", year=s.year_to),
            source=s.source_caption("compare"), x_label=self.t("sc.unit.pct"), fig=fig))

    def _bars(self, frame: pd.DataFrame) -> tuple[list, list, dict]:
        """Sectors (sector, label) and countries (code, name) in drawing order, and the bars' columns."""
        order = list(frame.sort_values("position").drop_duplicates("sector")[["sector", "label"]]
                     .itertuples(index=False, name=None))
        names = dict(zip(frame["country_code"], frame["country"], strict=True))
        countries = [(code, names[code]) for code in dict.fromkeys(self.store.compare) if code in names]
        return order, countries, charts.share_columns(frame, order=order, countries=countries)

    def filename(self):
        return f"tanso_sector_shares_{self.store.year_to}.csv"

    def csv(self):
        return self.store.comparison()


class BasesView(ChartTab):
    tab = "bases"
    depends = ("lang",)
    caption_kind = "bases"

    def refresh(self):
        s = self.store
        bases = s.bases()
        labels = {b.key: getattr(b, f"name_{s.lang}") for b in BASES}
        self._slots[0].draw(s.lang, lambda fig: fig or charts.basis_lines(  # same data for a language
            bases, labels=labels, title=self.t("sc.bases.title"), source=s.source_caption("bases"),
            y_label=self.t("sc.unit.mt"), year_label=self.t("sc.hover.year"),
            difference_label=self.t("sc.hover.vs_gir_gross")))
        latest_year = int(bases.loc[bases["basis"] == "gir_gross", "year"].max())
        latest = bases[bases["year"] == latest_year]
        targets = target_bases()
        targets = targets[targets["country_code"] == "KOR"]
        # plain HTML tables (escaped cells): long notes wrap, on a phone too
        self._extra.objects = [safe.HTML(table, sizing_mode="stretch_width", margin=(5, 10),
                                         stylesheets=[safe.TABLE_CSS]) for table in (
            safe.table([self.t("sc.col.basis"), self.t("sc.col.value", year=latest_year),
                        self.t("sc.col.difference_mt"), self.t("sc.col.difference_pct")],
                       [(labels[r.basis], f"{r.value_mt:,.1f}", f"{r.difference_mt:+,.1f}",
                         f"{r.difference_pct:+.1f}") for r in latest.itertuples()], numeric=(1, 2, 3)),
            safe.table([self.t("sc.col.target"), self.t("sc.col.basis"), self.t("sc.col.note")],
                       [(target_name(r.target_name, s.lang), labels[r.basis], getattr(r, f"note_{s.lang}"))
                        for r in targets.itertuples()]),
            safe.table([self.t("sc.col.basis"), self.t("sc.col.note")],
                       [(labels[b.key], b.describe(s.lang)) for b in BASES]))]
        self._extra.insert(1, self.note("sc.bases.targets"))

    def filename(self):
        return "tanso_korea_inventory_bases.csv"

    def csv(self):
        return self.store.bases()


class Notices(View):
    """Problems with the link, as text above the tabs."""

    def _alerts(self, problems, lang):
        if not problems:
            return pn.Column(margin=0)
        return safe.Alert(self.t("sc.bad_url", items=", ".join(problems)), alert_type="warning",
                          margin=(5, 10), sizing_mode="stretch_width")

    def __panel__(self):
        return pn.panel(pn.bind(self._alerts, self.store.param.url_problems, self.store.param.lang))


class Controls(View):
    """The sidebar: country, source, sectors, period, view."""

    def __panel__(self):
        s = self.store
        options = dict(s.country_options())
        if s.code not in options.values():
            options[s.country] = s.country  # an unknown code from a link: shown, reported in the tab
        country = pn.widgets.Select(label=self.t("sc.country"), options=options, value=s.code if
                                    s.code in options.values() else s.country, sizing_mode="stretch_width")
        country.param.watch(lambda e: setattr(s, "country", e.new), "value")
        s.param.watch(lambda e: setattr(country, "value", e.new) if e.new in options.values() else None,
                      "country")
        source = pn.widgets.RadioButtonGroup(
            label=self.t("sc.source_label"), options={self.t("sc.source.gir"): "gir",
                                                     self.t("sc.source.climatewatch"): "climatewatch"},
            value=s.source, color="light", sizing_mode="stretch_width")
        source.param.watch(lambda e: setattr(s, "source", e.new), "value")
        s.param.watch(lambda e: setattr(source, "value", e.new), "source")
        taxonomy = pn.widgets.RadioButtonGroup(
            options={self.t("sc.taxonomy.own"): "own", self.t("sc.taxonomy.climatewatch"): "climatewatch"},
            value=s.taxonomy, color="light", sizing_mode="stretch_width")
        taxonomy.param.watch(lambda e: setattr(s, "taxonomy", e.new), "value")
        s.param.watch(lambda e: setattr(taxonomy, "value", e.new), "taxonomy")
        mode = pn.widgets.RadioButtonGroup(
            options={self.t("sc.mode.stacked"): "stacked", self.t("sc.mode.share"): "share"},
            value=s.mode, color="light", sizing_mode="stretch_width")
        mode.param.watch(lambda e: setattr(s, "mode", e.new), "value")
        s.param.watch(lambda e: setattr(mode, "value", e.new), "mode")
        start = pn.widgets.IntInput.from_param(s.param.year_from, label=self.t("sc.year_from"), width=110)
        end = pn.widgets.IntInput.from_param(s.param.year_to, label=self.t("sc.year_to"), width=110)
        return pn.Column(country, self.note("sc.source_label"), source, self.note("sc.gir_only"),
                         self.note("sc.taxonomy_label"), taxonomy, pn.Row(start, end),
                         self.note("sc.mode_label"), mode, sizing_mode="stretch_width")


VIEWS = {"levels": LevelsView, "waterfall": WaterfallView, "categories": CategoriesView,
         "decompose": DecomposeView, "compare": CompareView, "bases": BasesView}


class SectorApp(View):
    """The page body: notices and the six tabs (a tab is built when first shown)."""

    store = param.ClassSelector(class_=SectorStore)

    def __panel__(self):
        s = self.store
        views = [(self.t(f"sc.tab.{name}"), VIEWS[name](store=s)) for name in TABS]
        tabs = pn.Tabs(*views, dynamic=True, active=TABS.index(s.tab), sizing_mode="stretch_width")
        tabs.param.watch(lambda e: setattr(s, "tab", TABS[e.new]), "active")
        s.param.watch(lambda e: setattr(tabs, "active", TABS.index(e.new)), "tab")
        return pn.Column(Notices(store=s), tabs, sizing_mode="stretch_width")


def build_page(ctx):
    """The served page (see `tanso.ui.app.serve_app`)."""
    from tanso.ui.app import Page
    from tanso.ui.sectors.store import URL_PARAMETERS, load_sector_data

    store = SectorStore(data=load_sector_data(ctx.engine), lang=ctx.lang)
    ctx.sync_url(store, URL_PARAMETERS, on_error=store.apply_url_values)
    return Page(main=[SectorApp(store=store)], sidebar=[Controls(store=store)])

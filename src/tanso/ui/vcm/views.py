"""Views of the VCM explorer on the kit's base: search with facets, a project page, statistics,
reconciliation. Names, descriptions and every other registry text reach the page as Tabulator
cells, widget values or through `safe` (escaped), never as raw HTML.
"""

from __future__ import annotations

import pandas as pd
import panel as pn
from bokeh.models import ColumnDataSource, NoOverlap, NumeralTickFormatter
from bokeh.plotting import figure
from bokeh.transform import dodge

from tanso.community.targets import Target
from tanso.db.load import loaded_version
from tanso.ui import safe
from tanso.ui.choropleth import Choropleth
from tanso.ui.geometry import world_geometry
from tanso.ui.i18n import t
from tanso.ui.titles import set_fitted
from tanso.ui.vcm import project as project_page
from tanso.ui.vcm import results
from tanso.ui.vcm.community import CommunityPanel, ProposalsView
from tanso.ui.vcm.news import ProjectNews
from tanso.ui.vcm.store import FLAGS, LIST_FILTERS, URL, VcmStore, chart_csv
from tanso.ui.view import TabView, View, wrap_row
from tanso.vcm import queries

ACCENT = "#0f766e"
FACET_WIDGETS = (*LIST_FILTERS,)
TABLE = {"disabled": True, "show_index": False, "layout": "fit_data_fill",
         "sizing_mode": "stretch_width"}


def _count_options(pairs: list[tuple[str, int]], chosen: list[str]) -> dict[str, str]:
    """MultiChoice options 'value (count)' → value; chosen values stay choosable at 0."""
    options = {f"{value or '—'} ({count:,})": value for value, count in pairs[:300]}
    for value in chosen:
        if value not in options.values():
            options[f"{value} (0)"] = value
    return options


def bars(title: str, *, height: int = 260) -> tuple[figure, ColumnDataSource]:
    source = ColumnDataSource({"label": [], "value": []})
    fig = figure(x_range=[], height=height, toolbar_location=None,
                 sizing_mode="stretch_width", tools="hover",
                 tooltips=[("", "@label"), ("", "@value{0,0}")])
    set_fitted(fig, fig.title, title, "14px")
    fig.vbar(x="label", top="value", width=0.7, source=source, color=ACCENT)
    fig.y_range.start = 0
    fig.yaxis.formatter = NumeralTickFormatter(format="0.[0]a")
    fig.xaxis.major_label_orientation = 0.8
    # 25 countries or 30 years on a phone: every other name, not a pile (hover names each bar)
    fig.axis.major_label_policy = NoOverlap()
    fig.xgrid.grid_line_color = None
    return fig, source


def set_bars(fig: figure, source: ColumnDataSource, labels, values) -> None:
    labels = [str(v) for v in labels]
    fig.x_range.factors = labels
    source.data = {"label": labels, "value": [float(v or 0) for v in values]}


def choice(store: VcmStore, parameter: str, options: dict[str, str], **kwargs) -> pn.widgets.Select:
    """A Select of store.<parameter> showing translated labels (the store and URL keep the values)."""
    widget = pn.widgets.Select(options=options, value=getattr(store, parameter), **kwargs)
    widget.param.watch(lambda e: setattr(store, parameter, e.new), "value")
    store.param.watch(lambda e: setattr(widget, "value", e.new), parameter)
    return widget


class FacetsView(View):
    """The facet filters with their counts (the page's sidebar)."""

    def __init__(self, **params):
        super().__init__(**params)
        store: VcmStore = self.store
        self._facets = {name: pn.widgets.MultiChoice(label=self.t(f"vcm.facet.{name}"),
                                                     value=list(getattr(store, name)),
                                                     options={}, sizing_mode="stretch_width")
                        for name in FACET_WIDGETS}
        for name, widget in self._facets.items():
            widget.param.watch(lambda e, n=name: setattr(store, n, list(e.new)), "value")
            store.param.watch(lambda e, w=widget: setattr(w, "value", list(e.new)), name)
        flags = [choice(store, f, {self.t(f"vcm.flag.{v}"): v for v in FLAGS},
                        name=self.t(f"vcm.facet.{f}"), width=120) for f in ("corsia", "ccb")]
        self._layout = pn.Column(*self._facets.values(), pn.Row(*flags),
                                 self._range("vintage", "first_vintage", pn.widgets.IntInput),
                                 self._range("issued", "issued", pn.widgets.FloatInput),
                                 sizing_mode="stretch_width")
        store.param.watch(lambda *_: pn.state.execute(self.refresh), "result")
        self.refresh()

    def _range(self, facet: str, field: str, widget_type) -> pn.Column:
        """`<facet>_min` and `<facet>_max` under one heading (the field's label), labelled "from" and
        "to": one label above both, as long as it needs, instead of a long first label running into
        the second."""
        heading = safe.Markdown(safe.markdown("{h}", h=self.t(f"vcm.field.{field}")),
                                # lined up with the widgets' own labels, just above "from"
                                margin=(10, 10, -6, 3), stylesheets=["p {margin: 0;}"],
                                sizing_mode="stretch_width")
        inputs = [widget_type.from_param(self.store.param[f"{facet}_{end}"], width=120,
                                         name=self.t(f"vcm.facet.{label}"))
                  for end, label in (("min", "from"), ("max", "to"))]
        return pn.Column(heading, pn.Row(*inputs), sizing_mode="stretch_width", margin=0)

    def refresh(self):
        result = self.store.result
        for name, widget in self._facets.items():
            widget.options = _count_options(result.facets.get(name, []),
                                            getattr(self.store, name))

    def __panel__(self):
        return self._layout


class SearchView(TabView):
    """Search box, ranked results, pages, export of exactly this view."""

    tab = "search"
    depends = ("result", "lang")

    def body(self):
        store: VcmStore = self.store
        self._box = pn.widgets.TextInput.from_param(
            store.param.query, label=self.t("vcm.search.label"),
            placeholder=self.t("vcm.search.placeholder"), sizing_mode="stretch_width")
        # shows the order the results are in (store.shown_sort); refresh keeps it so
        self._sort = pn.widgets.Select(label=self.t("vcm.sort"), width=150)
        self._sort.param.watch(self._sort_chosen, "value")
        self._summary = safe.Markdown(sizing_mode="stretch_width")
        self._problems = safe.Alert(alert_type="warning", visible=False,
                                    sizing_mode="stretch_width")
        # "Did you mean …?": a button (its label is text, not markup) that runs the corrected search
        self._suggest = pn.widgets.Button(label="", color="light", visible=False)
        self._suggest.on_click(lambda _: setattr(store, "query", store.result.suggestion or
                                                 store.query))
        self._table = pn.widgets.Tabulator(results.shown_rows(pd.DataFrame()),
                                           **(TABLE | results.table_options(self.lang)),
                                           height=560, selectable=1, pagination=None)
        self._table.on_click(self._clicked)
        prev = pn.widgets.Button(label="‹", width=50)
        nxt = pn.widgets.Button(label="›", width=50)
        prev.on_click(lambda _: setattr(store, "page", max(1, store.page - 1)))
        nxt.on_click(lambda _: setattr(store, "page", min(store.pages, store.page + 1)))
        self._page = safe.Markdown(margin=(10, 10))
        download = pn.widgets.FileDownload(callback=store.export_csv, filename="vcm-projects.csv",
                                           label=self.t("vcm.export"), color="primary",
                                           width=220)
        return pn.Column(pn.Row(self._box, self._sort, sizing_mode="stretch_width"), self._summary,
                         self._suggest, self._problems, self._table,
                         wrap_row(prev, self._page, nxt, download, sizing_mode="stretch_width"),
                         sizing_mode="stretch_width")

    def _sort_chosen(self, event):
        # only a choice changes the store: the shown fallback for "relevance" without text is not one
        if event.new is not None and event.new != self.store.shown_sort:
            self.store.sort = event.new

    def _clicked(self, event):
        frame = self._table.value
        if event.row is not None and 0 <= event.row < len(frame):
            self.store.open_project(str(frame["project_id"].iloc[event.row]))

    def refresh(self):
        store: VcmStore = self.store
        result = store.result
        key = "vcm.summary.fuzzy" if result.fuzzy else "vcm.summary"
        self._summary.object = self.md(key, total=f"{result.total:,}", query=store.query)
        self._suggest.label = self.t("vcm.suggest", suggestion=result.suggestion or "")
        self._suggest.visible = bool(result.suggestion)
        self._problems.object = safe.join("\n\n", store.problems)
        self._problems.visible = bool(store.problems)
        self._sort.param.update(options={self.t(f"vcm.sort.{v}"): v for v in store.sort_choices()},
                                value=store.shown_sort)
        self._table.value = results.shown_rows(result.rows)
        self._page.object = self.md("vcm.page", page=store.page, pages=store.pages)


def credits_chart(lang: str) -> tuple[figure, ColumnDataSource]:
    """Issued by vintage and retired by year, side by side per year (VROD); data set later."""
    source = ColumnDataSource({"year": [], "issued": [], "retired": []})
    fig = figure(x_range=[], height=320, toolbar_location=None, sizing_mode="stretch_width", tools="hover",
                 tooltips=[("", "@year"), (t("vcm.kind.issued_by_vintage", lang), "@issued{0,0}"),
                           (t("vcm.kind.retired_by_year", lang), "@retired{0,0}")])
    set_fitted(fig, fig.title, t("vcm.project.by_year", lang), "14px")
    # a short title (Bokeh cuts a long one at a phone's width): the legend says which credits
    for column, kind, colour, offset in (("issued", "issued_by_vintage", ACCENT, -0.2),
                                         ("retired", "retired_by_year", "#d97706", 0.2)):
        fig.vbar(x=dodge("year", offset, range=fig.x_range), top=column, width=0.38, source=source,
                 color=colour, legend_label=t(f"vcm.kind.{kind}", lang))
    fig.y_range.start = 0
    fig.yaxis.formatter = NumeralTickFormatter(format="0.[0]a")
    fig.xaxis.major_label_orientation = 0.8
    fig.xaxis.major_label_policy = NoOverlap()
    fig.xgrid.grid_line_color = None
    legend = fig.legend[0]   # under the plot: inside, it covered the first years' bars
    legend.orientation, legend.location = "horizontal", "center"
    fig.add_layout(legend, "below")
    return fig, source


class ProjectView(TabView):
    """Every field with the source that gives it, credits by year, transactions, flags.

    The registry part is escaped HTML from `project.PAGES` (rendered once per project, language and
    load); the chart is made once, for the first project with figures by year, and then only its data
    changes. A project no source gives figures by year for gets a message naming the sources looked at.
    """

    tab = "project"
    depends = ("project", "lang")

    def body(self):
        # few panes (each is a set of models every page build makes): the registry part is three
        # HTML blocks around the chart
        css = [safe.TABLE_CSS, project_page.PAGE_CSS]
        self._head = safe.HTML("", sizing_mode="stretch_width", stylesheets=css)
        self._upper = safe.HTML("", sizing_mode="stretch_width", stylesheets=css)
        self._chart = None
        self._chart_box = pn.Column(sizing_mode="stretch_width", margin=0)
        self._lower = safe.HTML("", sizing_mode="stretch_width", stylesheets=css)
        back = pn.widgets.Button(label=self.t("vcm.back"), width=160)
        back.on_click(lambda _: setattr(self.store, "tab", "search"))
        self._community = CommunityPanel(store=self.store)
        return pn.Column(back, self._head, self._community.support_bar, self._upper, self._chart_box,
                         self._lower, ProjectNews(store=self.store), self._community,
                         sizing_mode="stretch_width")

    def refresh(self):
        store = self.store
        content = project_page.PAGES.get(store.engine, store.project, self.lang) if store.project else None
        if content is None:
            self._head.object = safe.markdown_html(self.md("vcm.project.none", project=store.project))
            self._upper.object = self._lower.object = ""
            self._chart_box.visible = False
            self._community.show(None)
            return
        self._community.show(Target(project_id=content.project["project_id"]))
        self._head.object = content.head
        self._upper.object = content.upper
        self._lower.object = content.lower
        if content.years is not None:
            if self._chart is None or self._chart[2] != self.lang:
                self._chart = (*credits_chart(self.lang), self.lang)
                self._chart_box.objects = [pn.pane.Bokeh(self._chart[0], sizing_mode="stretch_width")]
            fig, source, _ = self._chart
            # copies: the cached content is shared by every session of the process
            fig.x_range.factors = list(content.years["year"])
            source.data = {name: list(values) for name, values in content.years.items()}
        self._chart_box.visible = content.years is not None


class StatsView(TabView):
    """Projects and credits by registry, category, vintage and retirement year, each with CSV."""

    tab = "stats"
    depends = ("lang",)

    def body(self):
        engine = self.store.engine
        charts = [self._map()]
        for by, column, source in (("registry", "issued", "merged"),
                                   ("category", "issued", "merged"),
                                   ("country", "issued", "merged"),
                                   ("vintage", "issued_by_vintage", "merged"),
                                   ("retirement_year", "retired_by_year", "merged")):
            frame = queries.stats(engine, source=source, by=by)
            if by == "country":
                frame = frame.head(25)
            label = "year" if by in ("vintage", "retirement_year") else by
            fig, data = bars(self.t(f"vcm.stats.{by}"))
            set_bars(fig, data, frame[label], frame[column])
            download = pn.widgets.FileDownload(callback=lambda f=frame: chart_csv(f),
                                               filename=f"vcm-{by}.csv",
                                               label=self.t("vcm.stats.csv"), width=160)
            charts.append(pn.Column(pn.pane.Bokeh(fig, sizing_mode="stretch_width"), download,
                                    sizing_mode="stretch_width"))
        return pn.Column(*charts, sizing_mode="stretch_width")

    def _map(self):
        """Projects or credits issued per country on the world map; a click filters the search by
        that country (every spelling the projects use for it)."""
        engine = self.store.engine
        loaded = loaded_version(engine, "naturalearth")
        geometry = world_geometry(engine, loaded.version if loaded else None)
        frame = queries.stats_by_country_code(engine).set_index("country_code")
        chart = Choropleth(geometry=geometry, no_data=self.t("vcm.stats.map_none"))
        metric = pn.widgets.RadioButtonGroup(
            options={self.t("vcm.stats.map_projects"): "projects",
                     self.t("vcm.stats.map_issued"): "issued"}, value="projects",
            sizing_mode="stretch_width", max_width=520,  # two long labels: wrapped, not cut on a phone
            stylesheets=[":host .bk-btn {white-space: normal;}"])

        def show(column: str) -> None:
            chart.param.update(values=frame[column].astype(float),
                               title=self.t(f"vcm.stats.map_{column}"),
                               unit="" if column == "projects" else "tCO2e")

        metric.param.watch(lambda e: show(e.new), "value")
        show("projects")

        def clicked(event) -> None:
            if event.new in frame.index:
                self.store.param.update(country=frame.loc[event.new, "countries"].split("|"),
                                        tab="search")

        chart.param.watch(clicked, "clicked")
        download = pn.widgets.FileDownload(callback=lambda: chart_csv(frame.reset_index()),
                                           filename="vcm-countries.csv",
                                           label=self.t("vcm.stats.csv"), width=160)
        return pn.Column(metric, chart, self.note("vcm.stats.map_help"), download,
                         sizing_mode="stretch_width")


class ReconcileView(TabView):
    """Which sources have each project and where they disagree."""

    tab = "reconcile"
    depends = ("lang",)

    def body(self):
        engine = self.store.engine
        summary = queries.reconciliation(engine)
        disagreements = queries.disagreements(engine)
        table = pn.widgets.Tabulator(disagreements, **TABLE, height=500, selectable=1)
        table.on_click(lambda e: self.store.open_project(
            str(disagreements["project_id"].iloc[e.row])) if e.row is not None else None)
        download = pn.widgets.FileDownload(callback=lambda: chart_csv(disagreements),
                                           filename="vcm-disagreements.csv",
                                           label=self.t("vcm.stats.csv"), width=160)
        text = self.md("vcm.reconcile.summary", both=f"{summary['both']:,}",
                       vrod_only=f"{summary['vrod_only']:,}",
                       offsetsdb_only=f"{summary['offsetsdb_only']:,}",
                       fields=", ".join(f"{k} {v:,}" for k, v in
                                        summary["disagreements"].items()))
        return pn.Column(safe.Markdown(text, sizing_mode="stretch_width"),
                         safe.Markdown(self.md("vcm.reconcile.note"), sizing_mode="stretch_width"),
                         table, download, sizing_mode="stretch_width")


class VcmApp(View):
    """The four tabs; the active one is `store.tab` (in the URL)."""

    def __panel__(self):
        views = [SearchView(store=self.store), ProjectView(store=self.store),
                 ProposalsView(store=self.store), StatsView(store=self.store),
                 ReconcileView(store=self.store)]
        names = [v.tab for v in views]
        tabs = pn.Tabs(*[(self.t(f"vcm.tab.{v.tab}"), v) for v in views], dynamic=True,
                       sizing_mode="stretch_width")
        tabs.active = names.index(self.store.tab)
        tabs.param.watch(lambda e: setattr(self.store, "tab", names[e.new]), "active")
        self.store.param.watch(lambda e: setattr(tabs, "active", names.index(e.new)), "tab")
        return tabs


def build(ctx):
    from tanso.auth import current_user
    from tanso.ui.app import Page

    store = VcmStore(ctx.engine, lang=ctx.lang, user=current_user())
    ctx.sync_url(store, URL, on_error=store.apply_url_problems)
    return Page(main=[VcmApp(store=store)], sidebar=[FacetsView(store=store)])

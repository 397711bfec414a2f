"""Views of the footprint app: the day (a table per category, live totals, lines with sources, points,
suggestions, summary) and the saved history (day / week / month, goal, points balance)."""

from __future__ import annotations

import io

import pandas as pd
import panel as pn
from bokeh.models import ColumnDataSource, Span
from bokeh.plotting import figure

from tanso.footprint import food, korean
from tanso.footprint.factors import CATEGORIES
from tanso.ui import safe
from tanso.ui.footprint.problems import problem_text
from tanso.ui.footprint.store import COLUMNS, FootprintStore
from tanso.ui.titles import set_fitted
from tanso.ui.view import TabView, View, wrap_row

ACCENT = "#0f766e"
NUMBER_EDITOR = {"type": "number", "min": 0, "step": 1}
# A category table is narrow (a phone's width, or a fifth of a desktop): its column titles wrap onto a
# second line instead of being cut to "Min…" / "수…" (Tabulator keeps a title on one line by default).
HEADER_CSS = """
.tabulator .tabulator-header .tabulator-col .tabulator-col-content .tabulator-col-title {
  white-space: normal !important; text-overflow: clip !important; overflow-wrap: anywhere; word-break: keep-all;
}
"""


def source_text(source: dict) -> str:
    if source["provider"] == "climatiq":
        return f"Climatiq {source.get('factor_id')} (data {source.get('data_version')})"
    text = f"{source['factor_set']}@{source['version']}"
    if source.get("food_table"):
        text += f" + {source['food_table']}"
    if source.get("fallback_reason"):
        text += f" — fallback: {source['fallback_reason']}"
    return text


def item_label(line, lang: str) -> str:
    """A result line's item as a page (or report) in `lang` names it."""
    if lang != "ko":
        return line.item
    base = line.item.removesuffix(" (second-hand)")
    return korean.item_name(base, line.category) + (" (중고)" if line.second_hand else "")


def unit_label(unit: str, lang: str) -> str:
    return korean.UNIT_NAMES.get(unit, unit) if lang == "ko" else unit


def bars(title: str, height: int = 260):
    source = ColumnDataSource({"label": [], "value": []})
    fig = figure(x_range=[], height=height, toolbar_location=None, sizing_mode="stretch_width",
                 tools="hover", tooltips=[("", "@label"), ("kg CO2e", "@value{0,0.00}")])
    set_fitted(fig, fig.title, title, "14px")
    fig.vbar(x="label", top="value", width=0.7, source=source, color=ACCENT)
    fig.y_range.start = 0
    fig.xgrid.grid_line_color = None
    return fig, source


class DayView(TabView):
    tab = "day"
    depends = ("result", "problems", "notice", "factors")

    @property
    def fp(self) -> FootprintStore:
        return self.store

    def _options(self, category: str) -> list[str]:
        factors = self.fp.factor_set
        if category == "food":
            return list(dict.fromkeys(factors.items("food") + list(food.dishes()["dish"])))
        skip = {"clothing": {"second_hand"}, "electricity": {"grid"}, "water": {"tap"}}.get(category, set())
        return [i for i in factors.items(category) if i not in skip]

    def _item_name(self, item: str, category: str) -> str:
        return korean.item_name(item, category) if self.lang == "ko" else item

    def _table(self, category: str):
        columns = COLUMNS[category]
        # The cell keeps the item's key (what DAY.json and the factors use); a Korean page shows and
        # offers its Korean name (Tabulator's list editor takes {value: label}, the lookup formatter maps).
        names = {item: self._item_name(item, category) for item in self._options(category)}
        editors = {columns[0]: {"type": "list", "values": names}}
        editors |= {c: ({"type": "tickCross"} if c == "second_hand" else NUMBER_EDITOR) for c in columns[1:]}
        formatters = {columns[0]: {"type": "lookup", **names}}
        if category == "clothing":
            formatters["second_hand"] = {"type": "tickCross"}
        titles = {c: self.t(f"footprint.field.{c}") for c in columns}
        # not sortable: an entry table keeps the order of its rows, and the sort arrows took a third of a
        # narrow column's title
        table = pn.widgets.Tabulator(self.fp.tables[category].copy(), editors=editors, formatters=formatters,
                                     titles=titles, show_index=False, layout="fit_columns", sortable=False,
                                     sizing_mode="stretch_width", height=150, label=category,
                                     css_classes=[f"table-{category}"], stylesheets=[HEADER_CSS])
        # The table's `value`, not `on_edit`: served with threads, the edit event and the data patch are
        # handled by different pool threads, and the edit callback could run before the patch had
        # reached `value` — it then read the old cell and the totals stayed as they were.
        table.param.watch(lambda event, c=category: self.fp.set_table(c, event.new.copy()), "value")
        add = pn.widgets.Button(label=self.t("footprint.add_row"), color="light", width=90, margin=(0, 5))

        def add_row(_):
            self.fp.add_row(category)
            table.value = self.fp.tables[category].copy()
        add.on_click(add_row)
        return pn.Card(table, add, title=self.t(f"footprint.cat.{category}"), collapsible=False,
                       sizing_mode="stretch_width", margin=(5, 5))

    def body(self):
        fp = self.fp
        factors = pn.widgets.Select(label=self.t("footprint.factors"), value=fp.factors, width=260,
                                    options={self.t(f"footprint.factors.{n}"): n for n in fp.param.factors.objects})
        factors.link(fp, value="factors")
        day = pn.widgets.DatePicker.from_param(fp.param.day, label=self.t("footprint.day"), width=160)
        save = pn.widgets.Button(label=self.t("footprint.save"), color="primary", visible=fp.signed_in,
                                 css_classes=["footprint-save"])
        save.on_click(lambda _: fp.save())
        self._guest = safe.Alert(self.md("footprint.sign_in"), alert_type="info", visible=not fp.signed_in)
        self._notice = safe.Markdown(styles={"color": ACCENT})
        self._problems = safe.Markdown(styles={"color": "#b91c1c"}, sizing_mode="stretch_width")
        self._total = safe.Markdown(sizing_mode="stretch_width", css_classes=["footprint-total"])
        self._points = safe.Markdown(sizing_mode="stretch_width")
        self._fig, self._source = bars(self.t("footprint.by_category"))
        benchmark = fp.factor_set.get("benchmark", "everyday_average", "value")
        self._fig.add_layout(Span(location=benchmark, dimension="width", line_color="#b45309", line_dash="dashed"))
        self._suggestions = safe.Markdown(sizing_mode="stretch_width")
        self._summary = safe.Markdown(sizing_mode="stretch_width", styles={"font-size": "1.05em"})
        self._lines = pn.widgets.Tabulator(pd.DataFrame(), disabled=True, show_index=False, layout="fit_data_fill",
                                           sizing_mode="stretch_width", max_height=320, label="lines")
        # each card grows from 300 px to fill its line (a phone's whole width, one card a line): sized by
        # their titles, the cards were 200–260 px wide and their column titles cut off
        forms = wrap_row(*[pn.Column(self._table(c), sizing_mode="stretch_width",
                                     styles={"flex": "1 1 300px", "max-width": "420px"}) for c in CATEGORIES])
        results = pn.Column(self._total, self._points, self._problems,
                            pn.pane.Bokeh(self._fig, sizing_mode="stretch_width"), self._summary,
                            self._suggestions, safe.Markdown(safe.markdown("**{h}**", h=self.t("footprint.lines"))),
                            self._lines, sizing_mode="stretch_width")
        self._download = download = pn.widgets.FileDownload(callback=lambda: io.StringIO(fp.day_csv()), label=self.t("footprint.download"),
                                           filename=f"footprint-{fp.day}.csv", color="primary", width=200,
                                           css_classes=["footprint-download"])
        results.append(download)
        return pn.Column(wrap_row(factors, day, save), self._guest, self._notice, forms, results,
                         sizing_mode="stretch_width")

    def refresh(self):
        fp, t = self.fp, self.t
        self._notice.object = fp.notice
        self._problems.object = safe.Markup(safe.markdown("**{h}**  \n", h=t("footprint.problems"))
                                            + safe.join("  \n", [problem_text(f, m, self.lang) for f, m in fp.problems])) if fp.problems else ""
        result = fp.result
        if result is None:
            return  # keep the last good figures on screen while an entry is being fixed
        self._download.filename = f"footprint-{fp.day}.csv"
        self._total.object = self.md("footprint.total", total=f"{result.total_kg:.2f}", average=f"{result.average_kg:g}",
                                     territorial=f"{result.territorial_kg:g}")
        p = result.points
        self._points.object = self.md("footprint.points", total=p.total, saved=p.saved, second_hand=p.second_hand,
                                      below=p.below_average)
        labels = [self._category(c) for c in CATEGORIES]
        self._fig.x_range.factors = labels
        self._source.data = {"label": labels, "value": [result.by_category[c] for c in CATEGORIES]}
        self._summary.object = result.summary.text
        tips = [t("footprint.suggestion", text=s.text_ko if self.lang == "ko" else s.text, kg=f"{s.saving_kg:.2f}")
                for s in result.suggestions]
        items = [safe.markdown("1. {tip}", tip=tip) for tip in tips]
        # Markup + Markup is a plain str again: wrap the joined, already escaped parts once more.
        self._suggestions.object = safe.Markup(safe.markdown("**{h}**\n\n", h=t("footprint.suggestions"))
                                               + "\n".join(items)) if tips else ""
        cols = {k: t(f"footprint.col.{k}") for k in ("category", "item", "quantity", "unit", "factor", "kg", "source")}
        self._lines.value = pd.DataFrame([{
            cols["category"]: self._category(line.category), cols["item"]: item_label(line, self.lang),
            cols["quantity"]: round(line.quantity, 3), cols["unit"]: unit_label(line.unit, self.lang),
            cols["factor"]: line.factor, cols["kg"]: round(line.kg, 3), cols["source"]: source_text(line.source)}
            for line in result.lines])

    def _category(self, category: str) -> str:
        return self.t(f"footprint.cat.{category}").split(" (")[0]


class HistoryView(TabView):
    tab = "history"
    depends = ("history", "goal_kg", "balance")

    def body(self):
        fp = self.store
        self._empty = safe.Markdown(self.md("footprint.history.empty"))
        self._fig, self._source = bars(self.t("footprint.history.chart"))
        self._goal_line = Span(location=0, dimension="width", line_color="#b45309", line_dash="dashed", visible=False)
        self._fig.add_layout(self._goal_line)
        freq = pn.widgets.RadioButtonGroup(label=self.t("footprint.history.freq"), value=fp.freq,
                                           options={self.t(f"footprint.history.freq.{f}"): f
                                                    for f in fp.param.freq.objects}, color="light")
        freq.link(fp, value="freq")
        goal = pn.widgets.FloatInput(label=self.t("footprint.goal"), value=fp.goal_kg or 14.5, start=0.1, width=160)
        set_goal = pn.widgets.Button(label=self.t("footprint.goal.set"), color="primary")
        set_goal.on_click(lambda _: fp.set_goal(goal.value))
        self._balance = safe.Markdown()
        if not fp.signed_in:
            return pn.Column(safe.Alert(self.md("footprint.sign_in"), alert_type="info"), sizing_mode="stretch_width")
        return pn.Column(wrap_row(freq, goal, set_goal), self._balance, self._empty,
                         pn.pane.Bokeh(self._fig, sizing_mode="stretch_width"), sizing_mode="stretch_width")

    def refresh(self):
        fp = self.store
        if not fp.signed_in:
            return
        self._balance.object = self.md("footprint.balance", points=fp.balance)
        history = fp.history
        self._empty.visible = history.empty
        labels = list(history["period"]) if not history.empty else []
        self._fig.x_range.factors = labels
        self._source.data = {"label": labels, "value": list(history["kg_per_day"]) if labels else []}
        self._goal_line.visible = fp.goal_kg is not None
        self._goal_line.location = fp.goal_kg or 0


class FootprintApp(View):
    def __panel__(self):
        views = [DayView(store=self.store), HistoryView(store=self.store)]
        names = [v.tab for v in views]
        tabs = pn.Tabs(*[(self.t(f"footprint.tab.{v.tab}"), v) for v in views], sizing_mode="stretch_width")
        tabs.active = names.index(self.store.tab)
        tabs.param.watch(lambda e: setattr(self.store, "tab", names[e.new]), "active")
        return tabs


def build(ctx):
    from tanso.ui.app import Page
    from tanso.ui.recycling.views import current_user_id

    store = FootprintStore(engine=ctx.engine, lang=ctx.lang, user_id=current_user_id())
    store.reload()
    ctx.sync_url(store, {"tab": "tab", "factors": "factors"})
    return Page(main=[FootprintApp(store=store)])

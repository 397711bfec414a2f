"""The Gap tab: every stated target of the selected entities (and a custom one) against the data.

The table shows the numbers a reader came for (latest, target, required vs recent rate, status, the
year the target is reached) and keeps the rest one click away ("All columns"); the custom-target form
sits beside it and shows each error at its field.
"""

from __future__ import annotations

import panel as pn

from tanso.emissions.indicators import BY_KEY
from tanso.emissions.national_format import GAP_COLUMNS, gap_caveats, gap_display
from tanso.emissions.targets import METRICS as TARGET_METRICS
from tanso.server_metrics import observe_callback
from tanso.ui import safe
from tanso.ui.national.downloads import csv_download, gap_csv
from tanso.ui.national.options import entity_options
from tanso.ui.national.translate import caveat_text, target_name
from tanso.ui.view import Message, TabView, wrap_row

MAIN_COLUMNS = GAP_COLUMNS[:9]  # country … year reached
# Shown left to right, and on a phone (the table stacks, `safe.STACKED_TABLE_CSS`) the first line of
# each row; the other columns are "title … value" lines under it.
FIRST_COLUMNS = ("country", "target", "status")
NUMERIC_COLUMNS = ("latest", "target_level", "required_rate", "recent_rate", "margin_mt", "margin_pct", "gap_now",
                   "slope", "projected", "projected_trend")
GAP_CSS = """
.tanso-table { font-size: 0.88em; word-break: keep-all; }  /* Korean wraps between words, not inside */
.tanso-table th, .tanso-table td { padding: 3px 6px; }
.tanso-table th { font-weight: 600; max-width: 9em; }
.tanso-table td.on-track { color: #15803d; font-weight: 600; white-space: nowrap; }
.tanso-table td.off-track { color: #b91c1c; font-weight: 600; white-space: nowrap; }
"""
TABLE_CSS = safe.TABLE_CSS + safe.STACKED_TABLE_CSS + GAP_CSS  # one stylesheet: one model


class GapView(TabView):
    tab = "gap"
    depends = ("selection.countries", "gap.*", "lang")


    def _form(self):
        s, g = self.store, self.store.gap
        options = {self.t("nt.custom.first_shown"): ""} | entity_options(s.data, s.lang, ("country", "world", "region"))
        # description=None: `from_param` would show the parameter's English doc as a tooltip (a model each).
        country = pn.widgets.Select.from_param(g.param.custom_country, description=None, label=self.t("nt.custom.country"),
                                               options=options, sizing_mode="stretch_width")
        metric = pn.widgets.Select.from_param(g.param.custom_metric, description=None, label=self.t("nt.custom.metric"),
                                              options={BY_KEY[m].label(s.lang): m for m in TARGET_METRICS},
                                              sizing_mode="stretch_width")
        base = pn.widgets.IntInput.from_param(g.param.custom_base_year, description=None, label=self.t("nt.custom.base_year"), width=120)
        year = pn.widgets.IntInput.from_param(g.param.custom_target_year, description=None, label=self.t("nt.custom.target_year"),
                                              width=120)
        pct = pn.widgets.FloatInput.from_param(g.param.custom_reduction_pct, description=None, label=self.t("nt.custom.pct"),
                                               placeholder=self.t("nt.custom.pct_placeholder"), width=120)
        clear = pn.widgets.Button(label=self.t("nt.custom.clear"), color="light", align="end")
        clear.on_click(lambda _: setattr(g, "custom_reduction_pct", None))
        window = pn.widgets.IntInput.from_param(g.param.window, description=None, label=self.t("nt.window"), width=120)
        card = pn.Card(
            safe.Markdown(self.md("nt.custom.help"), margin=(0, 10)),
            country, metric, pn.Row(base, year, margin=0), pn.Row(pct, clear, margin=0),
            safe.Markdown(self.md("nt.window_help"), margin=(10, 10, 0, 10),
                          styles={"color": "#555", "font-size": "0.85em"}), window,
            title=self.t("nt.custom.title"), collapsible=False, width=330, margin=(10, 10))
        style = {"margin": (0, 10), "styles": {"color": "#b91c1c", "font-size": "0.85em"}}
        # each error under its field (built when there is one)
        self._errors = {"custom_target_year": Message(card, safe.Markdown, index=4, **style),
                        "custom_reduction_pct": Message(card, safe.Markdown, index=-2, **style)}
        return card

    def body(self):
        s = self.store
        self._all = pn.widgets.Toggle(label=self.t("nt.gap.all_columns"), color="light", width=160)
        self._all.param.watch(lambda _: self.refresh(), "value")
        # An HTML table, not a Tabulator: the tab's first open waited 100–200 ms for Tabulator's script
        # and layout in the browser, and it built a model per column on the server.
        self._table = safe.HTML("", sizing_mode="stretch_width", visible=False, margin=(5, 10),
                                stylesheets=[TABLE_CSS], css_classes=["gap-table"])
        self._source = safe.Markdown("", styles={"color": "#555", "font-size": "0.85em"}, sizing_mode="stretch_width")
        self._caveats = safe.Markdown("", sizing_mode="stretch_width")
        download = csv_download(s, gap_csv, self.t("nt.download_csv"))
        table = pn.Column(wrap_row(self._all, download, sizing_mode="stretch_width",
                                                         styles={"justify-content": "space-between"}),
                          self._table, self._source, self._caveats, sizing_mode="stretch_width",
                          styles={"flex": "1 1 640px", "min-width": "0"})  # the form wraps below on phones
        self._message = Message(table, alert_type="info", margin=(5, 10), sizing_mode="stretch_width")
        return pn.Column(safe.Markdown(self.md("nt.gap.intro"), sizing_mode="stretch_width"),
                         wrap_row(table, self._form(), sizing_mode="stretch_width"),
                         sizing_mode="stretch_width")

    @observe_callback("national_trends")
    def refresh(self) -> None:
        s, lang = self.store, self.store.lang
        errors = s.custom_target_errors()
        for field, message in self._errors.items():
            message.show(errors.get(field))
        if not s.selection.countries:
            self._message.show(self.t("nt.empty"))
            self._table.visible = False
            return
        frame = s.gaps()
        if frame.empty:
            self._message.show(self.t("nt.gap.none"))
            self._table.visible = False
            self._caveats.object = ""
            return
        self._message.show(None)
        shown, _ = gap_display(frame, s.data, lang, name=s.label, target=lambda text: target_name(text, lang))
        columns = [*FIRST_COLUMNS, *(c for c in MAIN_COLUMNS if c not in FIRST_COLUMNS)]
        more = [c for c in GAP_COLUMNS if c not in columns] if self._all.value else []
        titles = {c: self.t(f"nt.col.{c}") for c in GAP_COLUMNS}
        status = {self.t("nt.on_track"): "on-track", self.t("nt.off_track"): "off-track"}

        def cell_class(i, text):  # the first line of a stacked row (phones); status in its colour
            if columns[i] == "status":
                return f"head {status.get(text, '')}".strip()
            return "head" if columns[i] in FIRST_COLUMNS else ""

        records = shown.to_dict("records")
        self._table.param.update(visible=True, object=safe.table(
            [titles[c] for c in columns], [[r[c] for c in columns] for r in records],
            numeric=[i for i, c in enumerate(columns) if c in NUMERIC_COLUMNS], css_class="tanso-table stack",
            cell_class=cell_class, labelled=True, sortable=True,
            details=[[(titles[c], r[c]) for c in more] for r in records] if more else None))
        self._source.object = self.md("nt.gap.source", source=s.source(), window=s.gap.window)
        caveats = gap_caveats(frame)
        lines = [safe.markdown("#### {title}", title=self.t("nt.gap.caveats"))] + [
            safe.markdown("- **{country} — {target}**: {text}", country=s.label(code), target=target_name(target, lang),
                          text=caveat_text(text, lang))
            for code, target, text in caveats]
        self._caveats.object = safe.join("\n", lines) if caveats else ""


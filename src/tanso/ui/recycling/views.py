"""Views of the recycling app: the live calculator and the campaigns, each a tab on the kit's base.

Every number reaches the page through `safe` (values escaped); names typed by people (campaigns,
organisations) are shown in Tabulator cells and widget values, which display text as text.
"""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import panel as pn
from bokeh.models import ColumnDataSource
from bokeh.plotting import figure

from tanso.recycling import (
    PATHWAYS,
    CampaignResult,
    factor_set_names,
    kpi_attainment,
    load_factor_set,
)
from tanso.recycling.factors import FactorSet
from tanso.recycling.validation import RecyclingInputError, validate_campaign
from tanso.ui import safe
from tanso.ui.recycling.problems import problem_text, problems_text
from tanso.ui.recycling.store import (
    CalculatorStore,
    CampaignStore,
    RecyclingStore,
    parse_kg,
    promo_sentences,
    results_csv,
)
from tanso.ui.titles import set_fitted
from tanso.ui.view import TabView, View, wrap_row

ACCENT = "#0f766e"
KPI_PERIODS = ("monthly", "yearly")


def bar_chart(title: str) -> tuple[figure, ColumnDataSource]:
    source = ColumnDataSource({"label": [], "value": []})
    fig = figure(x_range=[], height=260, toolbar_location=None, sizing_mode="stretch_width",
                 tools="hover", tooltips=[("", "@label"), ("kg CO2e", "@value{0,0.0}")])
    set_fitted(fig, fig.title, title, "14px")
    fig.vbar(x="label", top="value", width=0.7, source=source, color=ACCENT)
    fig.y_range.start = 0
    fig.xgrid.grid_line_color = None
    return fig, source


def set_bars(fig: figure, source: ColumnDataSource, labels: list[str], values: list[float]) -> None:
    fig.x_range.factors = labels
    source.data = {"label": labels, "value": values}


class ResultBlock(View):
    """Headline, pathway chart, KPI attainment per tier, equivalents, CSV: the same for both tabs."""

    def __init__(self, **params):
        super().__init__(**params)
        self._headline = safe.Markdown(sizing_mode="stretch_width")
        self._fig, self._source = bar_chart(self.t("recycling.by_pathway"))
        self._gauges = {}  # (period, tier) → (label pane, progress bar, its column)
        self._kpi = pn.Column(*[self._period_gauges(period) for period in KPI_PERIODS], sizing_mode="stretch_width",
                              css_classes=["kpi"])
        self._equivalents = safe.Markdown(sizing_mode="stretch_width")
        self._note = safe.Markdown(styles={"color": "#555", "font-size": "0.85em"}, sizing_mode="stretch_width")
        self._csv = ""
        self._download = pn.widgets.FileDownload(callback=lambda: io.StringIO(self._csv), filename="recycling.csv",
                                                 label=self.t("recycling.download"), color="primary",
                                                 width=200)
        self._layout = pn.Column(self._headline, pn.pane.Bokeh(self._fig, sizing_mode="stretch_width"),
                                 self._kpi, self._equivalents, self._download, self._note,
                                 sizing_mode="stretch_width")

    def show(self, result: CampaignResult | None, *, factors: FactorSet, material: str, filename: str) -> None:
        if result is None:
            self._headline.object = self.md("recycling.empty")
            for pane in (self._equivalents, self._note):
                pane.object = ""
            self._show_gauges(None, factors)
            set_bars(self._fig, self._source, [], [])
            self._download.visible = False
            return
        self._headline.object = self.md(
            "recycling.headline", reduction=f"{result.reduction_kg:,.1f}", kg=f"{result.total_kg:,.1f}",
            per_kg=f"{result.per_kg:.3g}", weighted=f"{result.weighted_factor:.3g}",
            times=f"{result.times_pet_recycling:.2f}")
        set_bars(self._fig, self._source, [self.t(f"recycling.pathway_name.{p}") for p in PATHWAYS],
                 [result.by_pathway[p] for p in PATHWAYS])
        self._show_gauges(result, factors)
        sentences = promo_sentences(result, material=material, lang=self.lang)
        self._equivalents.object = safe.markdown("**{title}**\n\n- {a}\n- {b}\n- {c}", title=self.t("recycling.equivalents"),
                                                 a=sentences[0], b=sentences[1], c=sentences[2])
        self._note.object = safe.Markup(self.md("recycling.equivalents_source") + "\n\n" + self.md(
            "recycling.assumption", factor_id=factors.id, assumption=factors.assumption))
        self._csv = results_csv(result, kpi=kpi_attainment(result.reduction_t, period="monthly", factors=factors),
                                factor_id=factors.id)
        self._download.filename = filename
        self._download.visible = True

    def _period_gauges(self, period: str):
        """One gauge per tier of every factor set, built with the page and updated in place (text, value,
        colour). Served with threads, replacing the column's objects on a keystroke — or toggling the
        column's `visible` — never reached the browser (no change message was sent), while updates of
        existing leaf models do; so the gauges exist from the start and show 0 % until there is a result."""
        tiers = pd.concat([load_factor_set(name).kpi_tiers for name in factor_set_names()])
        gauges = []
        for tier in dict.fromkeys(tiers.loc[tiers["period"] == period, "tier"]):
            label = safe.Markdown("", margin=(0, 5), css_classes=[f"kpi-{period}-{tier}"])
            bar = pn.indicators.Progress(value=0, max=100, width=180, height=14, bar_color="warning", margin=(0, 5))
            box = pn.Column(label, bar, width=210)
            self._gauges[(period, tier)] = (label, bar, box)
            gauges.append(box)
        title = safe.Markdown(self.md("recycling.kpi", period=self.t(f"recycling.kpi.{period}")), margin=(0, 5))
        return pn.Column(title, wrap_row(*gauges), sizing_mode="stretch_width", css_classes=[f"kpi-{period}"])

    def _show_gauges(self, result: CampaignResult | None, factors: FactorSet) -> None:
        shown = set()
        reduction_t = result.reduction_t if result else 0.0
        for period in KPI_PERIODS:
            for row in kpi_attainment(reduction_t, period=period, factors=factors).itertuples():
                label, bar, box = self._gauges[(period, row.tier)]
                label.object = safe.markdown("{label}: **{pct} %**", pct=f"{row.attainment_pct:.0f}",
                                             label=self.t(f"recycling.tier.{row.tier}", target=f"{row.target_t:g}"))
                bar.param.update(value=round(min(row.attainment_pct, 100)), bar_color="success" if row.met else "warning")
                shown.add((period, row.tier))
        for key, (_label, _bar, box) in self._gauges.items():
            box.visible = key in shown

    def __panel__(self):
        return self._layout


class CalculatorView(TabView):
    """Material, factor set and the three weights; results update on every keystroke."""

    tab = "calculator"
    depends = ("calculator.result", "calculator.errors")

    @property
    def calc(self) -> CalculatorStore:
        return self.store.calculator

    def body(self):
        calc = self.calc
        material = pn.widgets.Select(label=self.t("recycling.material"), value=calc.material,
                                     options={self.t(f"recycling.material.{m}"): m for m in calc.param.material.objects})
        factors = pn.widgets.Select(label=self.t("recycling.factors"), value=calc.factors,
                                    options={self.t(f"recycling.factors.{f}"): f for f in calc.param.factors.objects})
        material.link(calc, value="material")
        factors.link(calc, value="factors")
        self._errors, self._boxes = {}, {}
        self._typed = {p: getattr(calc, p) for p in PATHWAYS}  # the last text each box sent to the store
        inputs = []
        for pathway in PATHWAYS:
            box = pn.widgets.TextInput(label=self.t(f"recycling.pathway.{pathway}"), value=getattr(calc, pathway),
                                       placeholder="0", width=180, css_classes=[f"kg-{pathway}"])
            box.param.watch(lambda event, p=pathway: self._type(p, event.new), "value_input")
            self._boxes[pathway] = box
            self._errors[pathway] = safe.Markdown(styles={"color": "#b91c1c"}, margin=(0, 10), width=180)
            inputs.append(pn.Column(box, self._errors[pathway]))
        self._result = ResultBlock(store=self.store)
        self._kept_note = safe.Markdown(styles={"color": "#b45309"}, sizing_mode="stretch_width", margin=(0, 10))
        return pn.Column(wrap_row(material, factors), wrap_row(*inputs), self._kept_note, self._result,
                         sizing_mode="stretch_width")

    def _type(self, pathway: str, text: str) -> None:
        self._typed[pathway] = text
        setattr(self.calc, pathway, text)

    def refresh(self):
        calc = self.calc
        for pathway, pane in self._errors.items():
            pane.object = calc.errors.get(pathway, "")
            # Write back only a value that did not come from this box (a link): comparing with the box's
            # current text raced with typing (keystrokes handled out of order wrote old text back).
            if getattr(calc, pathway) != self._typed[pathway]:
                self._typed[pathway] = getattr(calc, pathway)
                self._boxes[pathway].value = getattr(calc, pathway)
        self._kept_note.object = self.md("recycling.stale") if calc.errors and calc.result is not None else ""
        self._result.show(calc.result, factors=calc.factor_set, material=calc.material,
                          filename=f"recycling-{calc.material}.csv")


class CampaignsView(TabView):
    """The organisation's campaigns: list, a new-campaign form, entries with history, results over time."""

    tab = "campaigns"
    depends = ("campaigns.campaigns", "campaigns.entries", "campaigns.errors", "campaigns.notice")

    @property
    def camp(self) -> CampaignStore:
        return self.store.campaigns

    def _field_error(self):
        return safe.Markdown(styles={"color": "#b91c1c"}, margin=(0, 10), sizing_mode="stretch_width")

    def body(self):
        camp, t = self.camp, self.t
        today = dt.date.today()
        self._notice = safe.Markdown(styles={"color": ACCENT}, sizing_mode="stretch_width")
        self._errors = self._field_error()
        self._list = pn.widgets.Tabulator(pd.DataFrame(), disabled=True, show_index=False, layout="fit_data_fill",
                                          sizing_mode="stretch_width", max_height=260, selectable=1,
                                          label="campaigns")
        self._list.on_click(self._choose)
        name = pn.widgets.TextInput(label=t("recycling.campaign.name"), max_length=120, css_classes=["campaign-name"])
        organisation = pn.widgets.TextInput(label=t("recycling.campaign.organisation"), value=camp.organisation,
                                            max_length=120, css_classes=["campaign-org"])
        start = pn.widgets.DatePicker(label=t("recycling.campaign.start"), value=today.replace(day=1))
        end = pn.widgets.DatePicker(label=t("recycling.campaign.end"), value=today)
        factors = pn.widgets.Select(label=t("recycling.factors"), value="operator",
                                    options={t(f"recycling.factors.{f}"): f for f in ("operator", "epa_warm")})
        create = pn.widgets.Button(label=t("recycling.campaign.create"), color="primary",
                                   css_classes=["campaign-create"])
        create.on_click(lambda _: camp.create(name=name.value_input or name.value, organisation=organisation.value_input
                                              or organisation.value, start=start.value, end=end.value,
                                              factors=factors.value))
        material = pn.widgets.Select(label=t("recycling.material"), css_classes=["entry-material"],
                                     options={t(f"recycling.material.{m}"): m for m in ("mixed", "pet", "hdpe")})
        pathway = pn.widgets.Select(label=t("recycling.entry.pathway"), css_classes=["entry-pathway"],
                                    options={t(f"recycling.pathway_name.{p}"): p for p in PATHWAYS})
        kg = pn.widgets.TextInput(label=t("recycling.entry.kg"), placeholder="0", width=140, css_classes=["entry-kg"])
        when = pn.widgets.DatePicker(label=t("recycling.entry.date"), value=None)
        add = pn.widgets.Button(label=t("recycling.entry.add"), color="primary", css_classes=["entry-add"])
        add.on_click(lambda _: camp.add_entry(material=material.value, pathway=pathway.value,
                                              kg=kg.value_input or kg.value, collected_on=when.value))
        self._entries = pn.widgets.Tabulator(pd.DataFrame(), disabled=True, show_index=False, selectable=1,
                                             layout="fit_data_fill", sizing_mode="stretch_width", max_height=260,
                                             label="entries", css_classes=["campaign-entries"])
        delete = pn.widgets.Button(label=t("recycling.entry.delete"), color="light",
                                   css_classes=["entry-delete"])
        delete.on_click(self._delete)
        update = pn.widgets.Button(label=t("recycling.entry.update"), color="light",
                                   css_classes=["entry-update"])
        update.on_click(lambda _: self._update(material=material.value, pathway=pathway.value,
                                               kg=kg.value_input or kg.value, collected_on=when.value))
        self._quarters = pn.widgets.Tabulator(pd.DataFrame(), disabled=True, show_index=False, layout="fit_data_fill",
                                              sizing_mode="stretch_width", max_height=220, label="quarters",
                                              css_classes=["organisation-quarters"])
        self._history = pn.widgets.Tabulator(pd.DataFrame(), disabled=True, show_index=False, layout="fit_data_fill",
                                             sizing_mode="stretch_width", max_height=220, label="history")
        self._result = ResultBlock(store=self.store)
        self._monthly_fig, self._monthly = bar_chart(t("recycling.over_time"))
        self._material_fig, self._material = bar_chart(t("recycling.by_material"))
        signed_in = camp.signed_in
        # Live checks while typing: what will be saved, or what is wrong with it, at the form.
        self._draft = safe.Markdown(margin=(0, 10), sizing_mode="stretch_width", css_classes=["campaign-draft"])
        self._preview = safe.Markdown(margin=(0, 10), sizing_mode="stretch_width", css_classes=["entry-preview"])

        def draft(*_):
            self._draft.object = self._campaign_draft(name.value_input or "", organisation.value_input or "",
                                                      start.value, end.value)

        def preview(*_):
            self._preview.object = self._entry_preview(material.value, pathway.value, kg.value_input or "")
        for widget, names in ((name, "value_input"), (organisation, "value_input"), (start, "value"),
                              (end, "value")):
            widget.param.watch(draft, names)
        for widget, names in ((material, "value"), (pathway, "value"), (kg, "value_input")):
            widget.param.watch(preview, names)
        form = pn.Column(
            safe.Markdown(safe.markdown("### {h}", h=t("recycling.campaign.new"))),
            wrap_row(name, organisation, start, end, factors), self._draft, create, visible=signed_in)
        entry_form = pn.Column(
            safe.Markdown(safe.markdown("### {h}", h=t("recycling.entry.new"))),
            wrap_row(material, pathway, kg, when), self._preview, add, visible=signed_in)
        return pn.Column(
            safe.Alert(self.md("recycling.guest"), alert_type="info", visible=not signed_in),
            self._notice, self._errors,
            safe.Markdown(safe.markdown("### {h}", h=t("recycling.campaign.list"))), self._list, form, entry_form,
            safe.Markdown(safe.markdown("### {h}", h=t("recycling.entries"))), self._entries,
            pn.Row(update, delete, visible=signed_in), self._result,
            # one under the other: in a wrap_row a figure's height becomes its width (260 px, titles cut)
            pn.pane.Bokeh(self._monthly_fig, sizing_mode="stretch_width"),
            pn.pane.Bokeh(self._material_fig, sizing_mode="stretch_width"),
            safe.Markdown(safe.markdown("### {h}", h=t("recycling.by_quarter"))), self._quarters,
            safe.Markdown(safe.markdown("### {h}", h=t("recycling.history"))), self._history,
            sizing_mode="stretch_width")

    def _campaign_draft(self, name: str, organisation: str, start, end) -> safe.Markup | str:
        if not name.strip():
            return ""
        listed = self.camp.campaigns
        same_org = (set(listed.loc[listed["organisation"].str.strip().str.casefold()
                                   == organisation.strip().casefold(), "name"]) if len(listed) else set())
        try:
            clean, start, end = validate_campaign(name=name, start=start, end=end, existing_names=same_org)
        except RecyclingInputError as exc:
            return safe.markdown("⚠ {problems}", problems=problems_text(exc.problems, self.lang))
        return self.md("recycling.campaign.draft", name=clean, organisation=organisation.strip(),
                       start=str(start), end=str(end))

    def _entry_preview(self, material: str, pathway: str, text: str) -> safe.Markup | str:
        if not text.strip():
            return ""
        weight, message = parse_kg(text, self.lang)
        if message:
            return safe.markdown("⚠ {message}", message=message)
        factors = self.camp.factor_set
        reduction = weight * factors.base_factor(material) * factors.multiplier(pathway)
        return self.md("recycling.entry.preview", kg=f"{weight:,.1f}", material=self.t(f"recycling.material.{material}"),
                       pathway=self.t(f"recycling.pathway_name.{pathway}"), reduction=f"{reduction:,.1f}",
                       factor_id=factors.id)

    def _named(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Materials and pathways by their names in the page's language (the stored keys stay in the store)."""
        return frame.assign(material=[self.t(f"recycling.material.{m}") for m in frame["material"]],
                            pathway=[self.t(f"recycling.pathway_name.{p}") for p in frame["pathway"]])

    def _choose(self, event):
        frame = self.camp.campaigns
        if 0 <= event.row < len(frame):
            self.camp.campaign_id = int(frame.iloc[event.row]["id"])
            self.camp.reload()

    def _selected_entry(self) -> int | None:
        rows = self._entries.selection
        entries = self.camp.entries
        if not rows or entries.empty or rows[0] >= len(entries):
            self.camp.param.update(errors={"entry": self.t("recycling.error.no_entry")}, notice="")
            return None
        return int(entries.iloc[rows[0]]["id"])

    def _delete(self, _):
        if (entry_id := self._selected_entry()) is not None:
            self.camp.delete_entry(entry_id)

    def _update(self, **values):
        """The selected entry takes the form's material, pathway, weight (and date, when one is given)."""
        if (entry_id := self._selected_entry()) is not None:
            self.camp.update_entry(entry_id, **values)

    def refresh(self):
        camp, t = self.camp, self.t
        self._notice.object = camp.notice
        self._errors.object = safe.join("  \n", [problem_text(f, m, self.lang) for f, m in camp.errors.items()])
        listed = camp.campaigns
        if listed.empty:
            self._list.value = pd.DataFrame({t("recycling.campaign.list"): [t("recycling.no_campaigns")]})
        else:
            self._list.value = listed.rename(columns={
                "name": t("recycling.campaign.name"), "organisation": t("recycling.campaign.organisation"),
                "period_start": t("recycling.campaign.start"), "period_end": t("recycling.campaign.end"),
                "collected_kg": "kg"})[[t("recycling.campaign.name"), t("recycling.campaign.organisation"),
                                         t("recycling.campaign.start"), t("recycling.campaign.end"), "kg", "entries"]]
        entries = camp.entries
        self._entries.value = self._named(camp.entries_with_reduction()).rename(columns={
            "date": t("recycling.entry.date"), "material": t("recycling.material"),
            "pathway": t("recycling.entry.pathway"), "kg": "kg", "reduction_kg": "kg CO2e"})
        quarters = camp.organisation_roll_up("quarter")
        self._quarters.value = quarters.rename(columns={
            "organisation": t("recycling.campaign.organisation"), "period": t("recycling.period"),
            "collected_kg": "kg", "reduction_kg": "kg CO2e"})
        history = camp.history
        if history.empty:
            self._history.value = pd.DataFrame()
        else:
            shown = self._named(history[["changed_at", "action", "material", "pathway", "kg", "changed_by"]]).assign(
                action=[t(f"recycling.action.{a}") for a in history["action"]])
            self._history.value = shown.rename(columns={
                "changed_at": t("recycling.history.when"), "action": t("recycling.history.action"),
                "material": t("recycling.material"), "pathway": t("recycling.entry.pathway"),
                "changed_by": t("recycling.history.by")})
        result, selected = camp.result(), camp.selected
        material = entries["material"].mode().iloc[0] if not entries.empty else "mixed"
        self._result.show(result, factors=camp.factor_set, material=material,
                          filename=f"campaign-{selected['id'] if selected else 'none'}.csv")
        monthly = camp.monthly()
        set_bars(self._monthly_fig, self._monthly, list(monthly["period"]), list(monthly["reduction_kg"]))
        by_material = result.by_material if result else {}
        set_bars(self._material_fig, self._material, [t(f"recycling.material.{m}") for m in by_material],
                 list(by_material.values()))


class RecyclingApp(View):
    """The two tabs; the active one is `store.tab` (kept in the URL)."""

    def __panel__(self):
        views = [CalculatorView(store=self.store)]
        if self.store.campaigns is not None:
            views.append(CampaignsView(store=self.store))
        tabs = pn.Tabs(*[(self.t(f"recycling.tab.{v.tab}"), v) for v in views], dynamic=False,
                       sizing_mode="stretch_width")
        names = [v.tab for v in views]
        tabs.active = names.index(self.store.tab) if self.store.tab in names else 0
        tabs.param.watch(lambda e: setattr(self.store, "tab", names[e.new]), "active")
        return tabs


def current_user_id() -> int | None:
    """The signed-in member's id, None for a guest (or before accounts exist)."""
    try:
        from tanso.auth import current_user
    except ImportError:
        return None
    user = current_user()
    return None if user.is_guest else user.id


def build(ctx):
    from tanso.ui.app import Page

    calculator = CalculatorStore(lang=ctx.lang)
    campaigns = CampaignStore(engine=ctx.engine, lang=ctx.lang, user_id=current_user_id())
    campaigns.reload()
    store = RecyclingStore(lang=ctx.lang, calculator=calculator, campaigns=campaigns)
    ctx.sync_url(store, {"tab": "tab"})
    ctx.sync_url(calculator, {"material": "material", "factors": "factors", "reuse": "reuse",
                              "upcycle": "upcycle", "recycle": "recycle"}, on_error=calculator.apply_url_values)
    return Page(main=[RecyclingApp(store=store)])

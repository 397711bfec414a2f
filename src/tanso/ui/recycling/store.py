"""State of the recycling app: the live calculator (works signed out) and the saved campaigns.

`CalculatorStore` parses the three weights as typed (every keystroke), keeps one message per bad field
and the `CampaignResult` of what is valid. `CampaignStore` reads and writes `app.campaigns` through
`tanso.db.campaigns` for a signed-in member; a guest can calculate but not save.
"""

from __future__ import annotations

import datetime as dt
import io
import math

import pandas as pd
import param

from tanso.recycling import (
    MATERIALS,
    PATHWAYS,
    CampaignResult,
    RecyclingInputError,
    estimate_entries,
    kpi_attainment,
    load_factor_set,
    roll_up,
    summarise_campaign,
)
from tanso.recycling.factors import factor_set_names
from tanso.ui.i18n import t

MONTHS_PER_YEAR = 12


def parse_kg(text: str, lang: str) -> tuple[float | None, str]:
    """(kg, "") for a valid weight as typed ("" counts as 0), else (None, the message for the field)."""
    raw = (text or "").strip().replace(",", "")
    if not raw:
        return 0.0, ""
    try:
        value = float(raw)
    except ValueError:
        return None, t("recycling.error.not_number", lang, value=text)
    if not math.isfinite(value):
        return None, t("recycling.error.not_number", lang, value=text)
    if value < 0:
        return None, t("recycling.error.negative", lang)
    return value, ""


def promo_sentences(result: CampaignResult, *, material: str, lang: str) -> list[str]:
    """Short promotional sentences for the equivalents (plain text, numbers rounded for reading)."""
    eq = result.equivalents
    values = {"kg": f"{result.total_kg:,.0f}", "material": t(f"recycling.material.{material}", lang),
              "trees": f"{eq.trees:,.0f}", "months": f"{eq.car_years * MONTHS_PER_YEAR:,.1f}",
              "car_years": f"{eq.car_years:,.2f}", "m2": f"{eq.sea_ice_m2:,.1f}"}
    return [t(f"recycling.promo.{key}", lang, **values) for key in ("trees", "cars", "sea_ice")]


def results_csv(result: CampaignResult, *, kpi: pd.DataFrame, factor_id: str) -> str:
    """One CSV of a result: rows per pathway, the totals, KPI attainment, equivalents, the factor set."""
    rows = [{"section": "pathway", "key": p, "collected_kg": result.collected_by_pathway[p],
             "value": result.by_pathway[p], "unit": "kg CO2e"} for p in PATHWAYS]
    rows += [{"section": "material", "key": m, "value": v, "unit": "kg CO2e"} for m, v in result.by_material.items()]
    rows += [
        {"section": "total", "key": "collected", "value": result.total_kg, "unit": "kg"},
        {"section": "total", "key": "reduction", "value": result.reduction_kg, "unit": "kg CO2e"},
        {"section": "total", "key": "weighted_factor", "value": result.weighted_factor, "unit": ""},
        {"section": "total", "key": "per_kg", "value": result.per_kg, "unit": "t CO2e per t collected"},
        {"section": "total", "key": "times_pet_recycling", "value": result.times_pet_recycling, "unit": "×"},
    ]
    rows += [{"section": "kpi_monthly", "key": r.tier, "value": r.attainment_pct, "unit": f"% of {r.target_t:g} t"}
             for r in kpi.itertuples()]
    rows += [{"section": "equivalent", "key": k, "value": v, "unit": ""} for k, v in result.equivalents.to_dict().items()]
    rows.append({"section": "factor_set", "key": factor_id, "value": None, "unit": ""})
    out = io.StringIO()
    pd.DataFrame(rows, columns=["section", "key", "collected_kg", "value", "unit"]).to_csv(out, index=False)
    return out.getvalue()


class CalculatorStore(param.Parameterized):
    """The live calculator: one material, three weights as typed, a factor set."""

    lang = param.Selector(objects=["en", "ko"], default="en", doc="Language of messages")
    factors = param.Selector(objects=factor_set_names(), default="operator", doc="Factor set name")
    material = param.Selector(objects=list(MATERIALS), default="mixed", doc="Material collected")
    reuse = param.String(default="", doc="kg reused, as typed")
    upcycle = param.String(default="", doc="kg upcycled, as typed")
    recycle = param.String(default="", doc="kg recycled, as typed")
    errors = param.Dict(default={}, doc="Field → message for weights that cannot be used")
    result = param.Parameter(default=None, doc="CampaignResult of the last valid weights (kept while a field "
                             "has an error), None if nothing to show")

    @param.depends("factors", "material", "reuse", "upcycle", "recycle", "lang", watch=True, on_init=True)
    def _recompute(self):
        weights, errors = {}, {}
        for pathway in PATHWAYS:
            kg, message = parse_kg(getattr(self, pathway), self.lang)
            if message:
                errors[pathway] = message
            else:
                weights[pathway] = kg
        if errors:  # keep the last good result on screen while a field is being fixed
            self.param.update(errors=errors)
            return
        result = None
        if sum(weights.values()) > 0:
            entries = pd.DataFrame({"material": self.material, "pathway": list(weights), "kg": list(weights.values())})
            result = summarise_campaign(entries, factors=self.factor_set)
        self.param.update(errors=errors, result=result)

    @property
    def factor_set(self):
        return load_factor_set(self.factors)

    def apply_url_values(self, values: dict) -> None:
        """Link values the URL parser turned into numbers (reuse=310) become text as typed; a value
        that still does not fit (an unknown material) is left out — the defaults stay."""
        for name, value in values.items():
            if name in PATHWAYS:
                self.param.update(**{name: f"{value:g}" if isinstance(value, int | float) else str(value)})
            elif value in self.param[name].objects:
                self.param.update(**{name: value})

    def kpi(self, period: str = "monthly") -> pd.DataFrame:
        reduction_t = self.result.reduction_t if self.result else 0.0
        return kpi_attainment(reduction_t, period=period, factors=self.factor_set)

    def csv(self) -> str:
        return results_csv(self.result, kpi=self.kpi(), factor_id=self.factor_set.id) if self.result else ""


class CampaignStore(param.Parameterized):
    """A member's organisation's campaigns: list, create, entries with history, results and roll-ups."""

    lang = param.Selector(objects=["en", "ko"], default="en")
    user_id = param.Integer(default=None, allow_None=True, doc="Signed-in member; None = guest (read-only)")
    organisation = param.String(default="", doc="Organisation whose campaigns are shown")
    campaigns = param.DataFrame(default=pd.DataFrame(), doc="Campaigns of the organisation")
    campaign_id = param.Integer(default=None, allow_None=True, doc="The selected campaign")
    entries = param.DataFrame(default=pd.DataFrame(), doc="Entries of the selected campaign")
    history = param.DataFrame(default=pd.DataFrame(), doc="Entry history of the selected campaign")
    errors = param.Dict(default={}, doc="Field → message of the last failed save")
    notice = param.String(default="", doc="What the last action did (plain text)")

    def __init__(self, *, engine, **params):
        super().__init__(**params)
        self.engine = engine

    @property
    def signed_in(self) -> bool:
        return self.user_id is not None

    def reload(self) -> None:
        from tanso.db import campaigns as db

        listed = db.list_campaigns(self.engine, organisation=self.organisation or None)
        selected = self.campaign_id if self.campaign_id in set(listed["id"]) else (
            int(listed["id"].iloc[0]) if len(listed) else None)
        entries = db.entries_frame(self.engine, campaign_id=selected) if selected else pd.DataFrame()
        history = db.entry_history(self.engine, selected) if selected else pd.DataFrame()
        if not history.empty:  # kg is NUMERIC (Decimal): Bokeh cannot send Decimals, and the page would not load
            history = history.astype({"kg": float}).assign(
                changed_at=history["changed_at"].dt.strftime("%Y-%m-%d %H:%M UTC"),
                collected_on=history["collected_on"].astype(str))
        self.param.update(campaigns=listed, campaign_id=selected, entries=entries, history=history)

    def _guarded(self, action, done: str) -> bool:
        if not self.signed_in:
            self.param.update(errors={"account": t("recycling.error.sign_in", self.lang)}, notice="")
            return False
        try:
            action()
        except RecyclingInputError as exc:
            self.param.update(errors=dict(exc.problems), notice="")
            return False
        self.param.update(errors={}, notice=done)
        self.reload()
        return True

    def create(self, *, name: str, organisation: str, start: dt.date, end: dt.date, factors: str) -> bool:
        from tanso.db import campaigns as db

        def action():
            self.campaign_id = db.create_campaign(self.engine, organisation=organisation, name=name,
                                                  period_start=start, period_end=end, user_id=self.user_id,
                                                  factor_set=factors)
            self.organisation = organisation.strip()
        return self._guarded(action, t("recycling.notice.created", self.lang, name=name.strip()))

    def add_entry(self, *, material: str, pathway: str, kg: str, collected_on: dt.date | None) -> bool:
        from tanso.db import campaigns as db

        def action():
            if self.campaign_id is None:
                raise RecyclingInputError([("campaign", t("recycling.error.no_campaign", self.lang))])
            weight, message = parse_kg(kg, self.lang)
            if message or not weight:
                raise RecyclingInputError([("kg", message or t("recycling.error.zero", self.lang))])
            db.add_entry(self.engine, self.campaign_id, material=material, pathway=pathway, kg=weight,
                         user_id=self.user_id, collected_on=collected_on)
        return self._guarded(action, t("recycling.notice.entry_added", self.lang))

    def update_entry(self, entry_id: int, *, material: str, pathway: str, kg: str,
                     collected_on: dt.date | None) -> bool:
        """Change an entry; the history keeps the previous and the new row (who and when)."""
        from tanso.db import campaigns as db

        def action():
            weight, message = parse_kg(kg, self.lang)
            if message or not weight:
                raise RecyclingInputError([("kg", message or t("recycling.error.zero", self.lang))])
            db.update_entry(self.engine, entry_id, material=material, pathway=pathway, kg=weight,
                            user_id=self.user_id, collected_on=collected_on)
        return self._guarded(action, t("recycling.notice.entry_updated", self.lang))

    def delete_entry(self, entry_id: int) -> bool:
        from tanso.db import campaigns as db

        return self._guarded(lambda: db.delete_entry(self.engine, entry_id, user_id=self.user_id),
                             t("recycling.notice.entry_deleted", self.lang))

    @property
    def selected(self) -> dict | None:
        rows = self.campaigns[self.campaigns["id"] == self.campaign_id] if len(self.campaigns) else self.campaigns
        return rows.iloc[0].to_dict() if len(rows) else None

    @property
    def factor_set(self):
        selected = self.selected
        return load_factor_set(selected["factor_set"] if selected else None)

    def result(self) -> CampaignResult | None:
        if self.entries.empty or self.entries["kg"].sum() <= 0:
            return None
        return summarise_campaign(self.entries[["material", "pathway", "kg"]], factors=self.factor_set)

    def entries_with_reduction(self) -> pd.DataFrame:
        """The selected campaign's entries with each one's reduction (kg CO2e) under its factor set."""
        if self.entries.empty:
            return pd.DataFrame(columns=["date", "material", "pathway", "kg", "reduction_kg"])
        estimated = estimate_entries(self.entries[["material", "pathway", "kg"]], factors=self.factor_set)
        return self.entries[["date", "material", "pathway", "kg"]].assign(
            reduction_kg=estimated["reduction_kg"].to_numpy())

    def organisation_roll_up(self, freq: str = "quarter") -> pd.DataFrame:
        """Collected kg and reduction per period over every campaign of the selected campaign's
        organisation, each campaign's entries priced with that campaign's own factor set."""
        from tanso.db import campaigns as db

        selected = self.selected
        if selected is None:
            return pd.DataFrame(columns=["organisation", "period", "collected_kg", "reduction_kg"])
        entries = db.entries_frame(self.engine, organisation=selected["organisation"])
        sets = dict(zip(self.campaigns["id"], self.campaigns["factor_set"], strict=True))
        parts = [roll_up(group, factors=load_factor_set(sets.get(campaign_id)), freq=freq)
                 for campaign_id, group in entries.groupby("campaign_id")]
        if not parts:
            return pd.DataFrame(columns=["organisation", "period", "collected_kg", "reduction_kg"])
        return (pd.concat(parts).groupby(["organisation", "period"], as_index=False)
                [["collected_kg", "reduction_kg"]].sum())

    def monthly(self) -> pd.DataFrame:
        if self.entries.empty:
            return pd.DataFrame(columns=["organisation", "period", "collected_kg", "reduction_kg", "reduction_t"])
        return roll_up(self.entries, factors=self.factor_set, freq="month")


class RecyclingStore(param.Parameterized):
    """The app's state: language, active tab, the calculator and the campaigns."""

    lang = param.Selector(objects=["en", "ko"], default="en")
    tab = param.Selector(objects=["calculator", "campaigns"], default="calculator", doc="Active tab")
    calculator = param.ClassSelector(class_=CalculatorStore, doc="The live calculator")
    campaigns = param.ClassSelector(class_=CampaignStore, doc="Saved campaigns (None without a database)")

"""Gap rows as numbers (CSV, tables) and as display text (reports), without Panel.

`gap_rows` turns `gap_table`/`analyse_all_gaps` output into one row per target measure (the target as
stated, and rebased on the data's own base-year value when the two bases differ) with numeric columns
whose names carry their unit — what a CSV download holds. `gap_display` formats the same rows for
reading (the report's table). The app and the report both use these; neither imports the other.
"""

from __future__ import annotations

import re

import pandas as pd

from tanso.emissions.national_view import NationalData
from tanso.ui.i18n import t

GAP_ROW_COLUMNS = (
    "country_code", "country", "target", "metric", "basis", "base_year", "latest_year", "latest_value_mt",
    "target_year", "target_value_mt", "gap_now_mt", "required_annual_rate_pct", "required_annual_change_mt_per_yr",
    "recent_annual_rate_pct", "trend_slope_mt_per_yr", "projected_value_at_target_year_mt",
    "projected_value_at_target_year_trend_mt", "projected_year_reaching_target",
    "projected_year_reaching_target_trend", "on_track", "on_track_margin_mt", "on_track_margin_pct", "note",
)
# Display columns of the app's and the report's gap table, in reading order (the first ones fit a phone).
GAP_COLUMNS = ("country", "target", "basis", "status", "latest", "target_level", "required_rate", "recent_rate",
               "year_reached", "margin_mt", "margin_pct", "gap_now", "slope", "projected",
               "projected_trend", "year_reached_trend", "metric")


def _num(value):
    return None if value is None or (isinstance(value, float) and pd.isna(value)) else value


def gap_rows(frame: pd.DataFrame, data: NationalData) -> pd.DataFrame:
    """One row per target measure, numbers as numbers (units in the column names), None when unknown."""
    rows = []
    for r in frame.to_dict("records"):
        head = {"country_code": r["country"], "country": data.name(r["country"]), "target": r["target_name"],
                "metric": r.get("metric"), "base_year": _num(r.get("base_year"))}
        if r.get("error"):
            rows.append(head | {"note": r["error"]})
            continue
        common = head | {"latest_year": r["latest_year"], "latest_value_mt": r["latest_value"],
                         "target_year": r["target_year"], "recent_annual_rate_pct": r["recent_annual_rate_pct"],
                         "trend_slope_mt_per_yr": r["trend_slope_per_year"],
                         "projected_value_at_target_year_mt": _num(r.get("projected_value_at_target_year")),
                         "projected_value_at_target_year_trend_mt":
                             _num(r.get("projected_value_at_target_year_trend"))}
        if not r["comparable"]:
            rows.append(common | {"note": "not a level target (intensity, BAU or peak)"})
            continue
        measures = [("stated", r)]
        if isinstance(r.get("rebased"), dict):
            measures.append(("rebased", r["rebased"]))
        for basis, m in measures:
            rows.append(common | {
                "basis": basis, "target_value_mt": m["target_value"], "gap_now_mt": m["gap_now"],
                "required_annual_rate_pct": _num(m["required_annual_rate_pct"]),
                "required_annual_change_mt_per_yr": _num(m["required_annual_change_mt"]),
                "projected_year_reaching_target": _num(m["projected_year_reaching_target"]),
                "projected_year_reaching_target_trend": _num(m["projected_year_reaching_target_trend"]),
                "on_track": bool(m["on_track"]), "on_track_margin_mt": _num(m["on_track_margin_mt"]),
                "on_track_margin_pct": _num(m["on_track_margin_pct"])})
    out = pd.DataFrame(rows, columns=list(GAP_ROW_COLUMNS))
    for column in ("base_year", "latest_year", "target_year", "projected_year_reaching_target",
                   "projected_year_reaching_target_trend"):
        out[column] = pd.array(out[column], dtype="Int64")
    return out


def gap_caveats(frame: pd.DataFrame) -> list[tuple[str, str, str]]:
    """(country code, target, caveat) for every caveat of the gap rows."""
    return [(r["country"], r["target_name"], caveat)
            for r in frame.to_dict("records") if not r.get("error") for caveat in r.get("caveats") or []]


def _fmt(value, spec: str = ",.1f", none: str = "–") -> str:
    if value is None or pd.isna(value):
        return none
    return format(value, spec)


def gap_display(frame: pd.DataFrame, data: NationalData, lang: str, *,
                name=None, target=None) -> tuple[pd.DataFrame, list[str]]:
    """The gap rows as text for reading (`GAP_COLUMNS`), and the caveats as '**country — target**: text'.

    ``name(code)`` and ``target(name)`` translate entity and target names (default: as in the data).
    """
    name = name or data.name
    target = target or (lambda text: text)
    rows = []
    not_reached = t("nt.not_reached", lang)
    for r in gap_rows(frame, data).to_dict("records"):
        row = {"country": name(r["country_code"]), "target": target(r["target"]), "metric": r["metric"] or "–"}
        if r["basis"] is None or pd.isna(r["basis"]):
            note = r["note"] if r["latest_year"] is None or pd.isna(r["latest_year"]) else t("nt.not_comparable", lang)
            rows.append(row | {"status": note, "basis": "–"})
            continue
        rows.append(row | {
            "basis": t(f"nt.basis.{r['basis']}", lang, year=_fmt(r["base_year"], ".0f", none="")),
            "latest": f"{r['latest_value_mt']:,.1f} ({r['latest_year']})",
            "target_level": f"{r['target_value_mt']:,.1f} ({r['target_year']})",
            "gap_now": _fmt(r["gap_now_mt"], "+,.1f"),
            "required_rate": _fmt(r["required_annual_rate_pct"], "+.2f",
                                  none=t("nt.mt_per_yr", lang,
                                         change=_fmt(r["required_annual_change_mt_per_yr"], "+,.1f"))),
            "recent_rate": _fmt(r["recent_annual_rate_pct"], "+.2f"),
            "slope": _fmt(r["trend_slope_mt_per_yr"], "+,.1f"),
            "projected": _fmt(r["projected_value_at_target_year_mt"]),
            "projected_trend": _fmt(r["projected_value_at_target_year_trend_mt"]),
            "year_reached": _fmt(r["projected_year_reaching_target"], "d", none=not_reached),
            "year_reached_trend": _fmt(r["projected_year_reaching_target_trend"], "d", none=not_reached),
            "status": t("nt.on_track" if r["on_track"] else "nt.off_track", lang),
            "margin_mt": _fmt(r["on_track_margin_mt"], "+,.1f"),
            "margin_pct": _fmt(r["on_track_margin_pct"], "+.1f"),
        })
    shown = pd.DataFrame(rows, columns=list(GAP_COLUMNS)).fillna("–")
    caveats = [f"**{data.name(code)} — {target}**: {caveat}" for code, target, caveat in gap_caveats(frame)]
    return shown, caveats


def unit_slug(unit: str) -> str:
    """'Mt CO₂e' → 'mt_co2e', 't CO₂/person' → 't_co2_per_person', '%' → 'pct' (for CSV headers)."""
    text = unit.translate(str.maketrans("₂₄", "24")).replace("%", "pct").replace("/", " per ").replace("$", "usd")
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def csv_text(frame: pd.DataFrame) -> str:
    """CSV as downloaded: one header row, plain numbers (no separators, no units in cells), empty = missing."""
    return frame.round(6).to_csv(index=False)

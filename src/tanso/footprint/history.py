"""A member's logged lines rolled up by day, week or month, and progress against a daily goal."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from tanso.footprint.factors import CATEGORIES

FREQUENCIES = {"day": "D", "week": "W-SUN", "month": "M"}
HISTORY_SCHEMA = pa.DataFrameSchema({
    "period": pa.Column(str), "days": pa.Column(int, pa.Check.ge(1)),
    "total_kg": pa.Column(float, pa.Check.ge(0)), "kg_per_day": pa.Column(float, pa.Check.ge(0)),
    **{c: pa.Column(float, pa.Check.ge(0)) for c in CATEGORIES},
})


def roll_up_history(lines: pd.DataFrame, *, freq: str = "day") -> pd.DataFrame:
    """Lines with ``day`` (date), ``category`` and ``kg`` → one row per period: kg per category, total,
    days logged and kg per logged day (a week with two logged days is not divided by seven)."""
    if freq not in FREQUENCIES:
        raise ValueError(f"freq must be one of {', '.join(FREQUENCIES)}, not {freq!r}")
    frame = lines.assign(period=pd.to_datetime(lines["day"]).dt.to_period(FREQUENCIES[freq]))
    wide = (frame.pivot_table(index="period", columns="category", values="kg", aggfunc="sum", fill_value=0.0)
            .reindex(columns=list(CATEGORIES), fill_value=0.0).astype(float))
    out = wide.assign(total_kg=wide.sum(axis=1), days=frame.groupby("period")["day"].nunique().astype(int))
    out["kg_per_day"] = out["total_kg"] / out["days"]
    out.index = out.index.astype(str) if freq != "week" else out.index.map(lambda p: str(p.start_time.date()))
    out = out.rename_axis("period").reset_index()
    out.columns.name = None
    return HISTORY_SCHEMA.validate(out[["period", "days", "total_kg", "kg_per_day", *CATEGORIES]])


def goal_progress(history: pd.DataFrame, *, goal_kg_per_day: float) -> pd.DataFrame:
    """Each period's kg per logged day against the goal: the margin (kg) and whether it was met."""
    if goal_kg_per_day <= 0:
        raise ValueError("goal_kg_per_day must be positive")
    return history.assign(goal_kg_per_day=goal_kg_per_day,
                          margin_kg=goal_kg_per_day - history["kg_per_day"],
                          met=history["kg_per_day"] <= goal_kg_per_day)

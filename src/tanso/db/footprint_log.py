"""A member's footprint days in PostgreSQL: save a day (lines with their sources, points as ledger rows),
read history and the points balance, set a goal. A guest's result is simply never saved.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert

from tanso.db.tables.footprint import (
    footprint_days,
    footprint_goals,
    footprint_lines,
    points_ledger,
)
from tanso.footprint.estimate import DayResult

POINT_KINDS = ("saved", "second_hand", "below_average")


def save_day(engine: sa.Engine, *, user_id: int, day: dt.date, activities: dict, result: DayResult) -> int:
    """Store the day (replacing an earlier log of the same day) in one transaction; the ledger gets the
    difference between the new awards and what the day had earned before, so the balance stays right."""
    with engine.begin() as conn:
        values = {"factor_set": result.factor_set["name"], "factor_version": result.factor_set["version"],
                  "total_kg": result.total_kg, "activities": activities, "logged_at": sa.func.now()}
        day_id = conn.execute(
            pg_insert(footprint_days).values(user_id=user_id, day=day, **values)
            .on_conflict_do_update(index_elements=["user_id", "day"], set_=values)
            .returning(footprint_days.c.id)).scalar_one()
        conn.execute(footprint_lines.delete().where(footprint_lines.c.day_id == day_id))
        conn.execute(footprint_lines.insert(), [_line_row(day_id, i, line) for i, line in enumerate(result.lines)])
        earned = dict(conn.execute(
            sa.select(points_ledger.c.kind, sa.func.sum(points_ledger.c.points))
            .where(points_ledger.c.user_id == user_id, points_ledger.c.day == day)
            .group_by(points_ledger.c.kind)).all())
        awards = result.points.to_dict()
        rows = [{"user_id": user_id, "day": day, "kind": kind, "points": awards[kind] - int(earned.get(kind, 0))}
                for kind in POINT_KINDS if awards[kind] != int(earned.get(kind, 0))]
        if rows:
            conn.execute(points_ledger.insert(), rows)
    return day_id


def _line_row(day_id: int, position: int, line) -> dict:
    source = line.source
    return {"day_id": day_id, "position": position, "category": line.category, "item": line.item,
            "quantity": line.quantity, "unit": line.unit, "factor": line.factor, "kg": line.kg,
            "provider": source["provider"], "factor_set": source.get("factor_set"),
            "factor_version": source.get("version"), "climatiq_factor_id": source.get("factor_id"),
            "data_version": source.get("data_version"), "fallback_reason": source.get("fallback_reason"),
            "source": source}


def logged_lines(engine: sa.Engine, *, user_id: int, since: dt.date | None = None) -> pd.DataFrame:
    """Every stored line of the member with its day: what `footprint.history.roll_up_history` takes."""
    query = (sa.select(footprint_days.c.day, footprint_lines.c.category, footprint_lines.c.item,
                       footprint_lines.c.quantity, footprint_lines.c.unit, footprint_lines.c.factor,
                       footprint_lines.c.kg, footprint_lines.c.provider, footprint_lines.c.factor_set,
                       footprint_lines.c.factor_version, footprint_lines.c.climatiq_factor_id,
                       footprint_lines.c.data_version)
             .join(footprint_days, footprint_days.c.id == footprint_lines.c.day_id)
             .where(footprint_days.c.user_id == user_id)
             .order_by(footprint_days.c.day, footprint_lines.c.position))
    if since is not None:
        query = query.where(footprint_days.c.day >= since)
    with engine.connect() as conn:
        rows = conn.execute(query).mappings().all()
    columns = ["day", "category", "item", "quantity", "unit", "factor", "kg", "provider", "factor_set",
               "factor_version", "climatiq_factor_id", "data_version"]
    return pd.DataFrame(rows, columns=columns)


def points_balance(engine: sa.Engine, *, user_id: int) -> int:
    with engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.coalesce(sa.func.sum(points_ledger.c.points), 0))
                                .where(points_ledger.c.user_id == user_id)).scalar_one())


def set_goal(engine: sa.Engine, *, user_id: int, kg_per_day: float) -> None:
    if not kg_per_day > 0:
        raise ValueError("goal: kg per day must be more than 0")
    with engine.begin() as conn:
        conn.execute(pg_insert(footprint_goals)
                     .values(user_id=user_id, kg_per_day=kg_per_day)
                     .on_conflict_do_update(index_elements=["user_id"],
                                            set_={"kg_per_day": kg_per_day, "set_at": sa.func.now()}))


def goal(engine: sa.Engine, *, user_id: int) -> float | None:
    with engine.connect() as conn:
        return conn.execute(sa.select(footprint_goals.c.kg_per_day)
                            .where(footprint_goals.c.user_id == user_id)).scalar_one_or_none()

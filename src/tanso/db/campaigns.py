"""Recycling campaigns in PostgreSQL: create, list, enter / edit / delete entries with history.

Every write checks its input with the domain's validators first and runs in one transaction, so a bad
field is reported by name and nothing is saved half-way. Results are computed by `tanso.recycling`
from the rows read here.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlalchemy as sa

from tanso.db.tables.recycling import campaign_entries, campaign_entry_history, campaigns
from tanso.recycling.factors import load_factor_set
from tanso.recycling.validation import RecyclingInputError, validate_campaign, validate_entries


def organisation_names(conn: sa.Connection, organisation: str) -> set[str]:
    return set(conn.execute(sa.select(campaigns.c.name).where(campaigns.c.organisation == organisation)).scalars())


def create_campaign(engine: sa.Engine, *, organisation: str, name: str, period_start: dt.date,
                    period_end: dt.date, user_id: int, factor_set: str | None = None) -> int:
    organisation = (organisation or "").strip()
    if not organisation:
        raise RecyclingInputError([("organisation", "a campaign belongs to an organisation")])
    chosen = load_factor_set(factor_set)
    with engine.begin() as conn:
        clean, start, end = validate_campaign(name=name, start=period_start, end=period_end,
                                              existing_names=organisation_names(conn, organisation))
        try:
            return conn.execute(campaigns.insert().values(
                organisation=organisation, name=clean, name_key=clean.casefold(), period_start=start,
                period_end=end, factor_set=chosen.id, created_by=user_id).returning(campaigns.c.id)).scalar_one()
        except sa.exc.IntegrityError:  # a concurrent create with the same name won
            raise RecyclingInputError([("name", (f"a campaign named {clean!r} already exists in this "
                                                "organisation"))]) from None


def list_campaigns(engine: sa.Engine, *, organisation: str | None = None) -> pd.DataFrame:
    totals = (sa.select(campaign_entries.c.campaign_id, sa.func.sum(campaign_entries.c.kg).label("collected_kg"),
                        sa.func.count().label("entries"))
              .group_by(campaign_entries.c.campaign_id).subquery())
    query = (sa.select(campaigns.c.id, campaigns.c.organisation, campaigns.c.name, campaigns.c.period_start,
                       campaigns.c.period_end, campaigns.c.factor_set, campaigns.c.created_by,
                       sa.func.coalesce(totals.c.collected_kg, 0).label("collected_kg"),
                       sa.func.coalesce(totals.c.entries, 0).label("entries"))
             .outerjoin(totals, totals.c.campaign_id == campaigns.c.id)
             .order_by(campaigns.c.period_start.desc(), campaigns.c.id.desc()))
    if organisation:
        query = query.where(campaigns.c.organisation == organisation)
    with engine.connect() as conn:
        frame = pd.DataFrame(conn.execute(query).mappings().all(),
                             columns=["id", "organisation", "name", "period_start", "period_end", "factor_set",
                                      "created_by", "collected_kg", "entries"])
    return frame.astype({"collected_kg": float, "entries": int})


def get_campaign(conn: sa.Connection, campaign_id: int) -> dict:
    row = conn.execute(sa.select(campaigns).where(campaigns.c.id == campaign_id)).mappings().first()
    if row is None:
        raise RecyclingInputError([("campaign", f"no campaign with id {campaign_id}")])
    return dict(row)


def _checked_entry(campaign: dict, *, material, pathway, kg, collected_on: dt.date | None) -> dict:
    clean = validate_entries(pd.DataFrame({"material": [material], "pathway": [pathway], "kg": [kg]}))
    when = collected_on or campaign["period_start"]
    if not campaign["period_start"] <= when <= campaign["period_end"]:
        raise RecyclingInputError([("collected_on", (f"{when} is outside the campaign period "
                                                    f"{campaign['period_start']} – {campaign['period_end']}"))])
    row = clean.iloc[0]
    return {"material": row.material, "pathway": row.pathway, "kg": float(row.kg), "collected_on": when}


def add_entry(engine: sa.Engine, campaign_id: int, *, material, pathway, kg, user_id: int,
              collected_on: dt.date | None = None) -> int:
    with engine.begin() as conn:
        values = _checked_entry(get_campaign(conn, campaign_id), material=material, pathway=pathway, kg=kg,
                                collected_on=collected_on)
        entry_id = conn.execute(campaign_entries.insert().values(
            campaign_id=campaign_id, entered_by=user_id, **values).returning(campaign_entries.c.id)).scalar_one()
        conn.execute(campaign_entry_history.insert().values(
            entry_id=entry_id, campaign_id=campaign_id, action="created", changed_by=user_id, **values))
    return entry_id


def _entry(conn: sa.Connection, entry_id: int) -> dict:
    row = conn.execute(sa.select(campaign_entries).where(campaign_entries.c.id == entry_id)).mappings().first()
    if row is None:
        raise RecyclingInputError([("entry", f"no entry with id {entry_id}")])
    return dict(row)


def update_entry(engine: sa.Engine, entry_id: int, *, material, pathway, kg, user_id: int,
                 collected_on: dt.date | None = None) -> None:
    with engine.begin() as conn:
        entry = _entry(conn, entry_id)
        values = _checked_entry(get_campaign(conn, entry["campaign_id"]), material=material, pathway=pathway,
                                kg=kg, collected_on=collected_on or entry["collected_on"])
        conn.execute(campaign_entries.update().where(campaign_entries.c.id == entry_id).values(
            updated_by=user_id, updated_at=sa.func.now(), **values))
        conn.execute(campaign_entry_history.insert().values(
            entry_id=entry_id, campaign_id=entry["campaign_id"], action="updated", changed_by=user_id, **values))


def delete_entry(engine: sa.Engine, entry_id: int, *, user_id: int) -> None:
    with engine.begin() as conn:
        entry = _entry(conn, entry_id)
        conn.execute(campaign_entries.delete().where(campaign_entries.c.id == entry_id))
        conn.execute(campaign_entry_history.insert().values(
            entry_id=entry_id, campaign_id=entry["campaign_id"], action="deleted", changed_by=user_id,
            collected_on=entry["collected_on"], material=entry["material"], pathway=entry["pathway"],
            kg=entry["kg"]))


def entries_frame(engine: sa.Engine, *, campaign_id: int | None = None,
                  organisation: str | None = None) -> pd.DataFrame:
    """Entries with their campaign's organisation and the date collected (what the roll-ups need)."""
    query = (sa.select(campaign_entries.c.id, campaign_entries.c.campaign_id, campaigns.c.organisation,
                       campaigns.c.name.label("campaign"), campaign_entries.c.collected_on.label("date"),
                       campaign_entries.c.material, campaign_entries.c.pathway, campaign_entries.c.kg,
                       campaign_entries.c.entered_by, campaign_entries.c.entered_at)
             .join(campaigns, campaigns.c.id == campaign_entries.c.campaign_id)
             .order_by(campaign_entries.c.collected_on, campaign_entries.c.id))
    if campaign_id is not None:
        query = query.where(campaign_entries.c.campaign_id == campaign_id)
    if organisation is not None:
        query = query.where(campaigns.c.organisation == organisation)
    with engine.connect() as conn:
        rows = conn.execute(query).mappings().all()
    columns = ["id", "campaign_id", "organisation", "campaign", "date", "material", "pathway", "kg",
               "entered_by", "entered_at"]
    return pd.DataFrame(rows, columns=columns).astype({"kg": float})


def entry_history(engine: sa.Engine, campaign_id: int) -> pd.DataFrame:
    query = (sa.select(campaign_entry_history).where(campaign_entry_history.c.campaign_id == campaign_id)
             .order_by(campaign_entry_history.c.id))
    with engine.connect() as conn:
        return pd.DataFrame(conn.execute(query).mappings().all(),
                            columns=[c.name for c in campaign_entry_history.columns])

"""Members' project proposals: draft → submitted → published | rejected (with a reason).

The owner edits and submits their own drafts; moderators publish or reject what was
submitted; admins may do everything. Every change writes `app.proposal_events` (who, when,
the fields before and after) in the same transaction. A proposal someone may not see is
reported as not found, so ids of others' drafts reveal nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime

import sqlalchemy as sa

from tanso.auth import User
from tanso.community import permissions
from tanso.community.errors import Problem, Refused
from tanso.community.validation import PROPOSAL_FIELDS, clean_proposal
from tanso.db.tables.accounts import users
from tanso.db.tables.community import proposal_events, proposals, supports

AUDITED = (*PROPOSAL_FIELDS, "status", "rejection_reason")


@dataclass(frozen=True)
class Proposal:
    id: int
    owner_id: int
    owner_name: str
    name: str
    registry: str | None
    country: str
    project_type: str
    methodology: str
    description: str
    links: list
    expected_credits: float | None
    status: str
    rejection_reason: str | None
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None
    decided_at: datetime | None
    supporters: int = 0

    def audited(self) -> dict:
        return {name: getattr(self, name) for name in AUDITED}


_SUPPORTERS = (sa.select(sa.func.count()).where(supports.c.proposal_id == proposals.c.id)
               .scalar_subquery().label("supporters"))
_SELECT = (sa.select(*[proposals.c[f.name] for f in fields(Proposal)
                       if f.name not in ("owner_name", "supporters")],
                     users.c.display_name.label("owner_name"), _SUPPORTERS)
           .join(users, users.c.id == proposals.c.owner_id))


def _from_row(row) -> Proposal:
    return Proposal(**{f.name: row._mapping[f.name] for f in fields(Proposal)})


def _load(conn: sa.Connection, user: User, proposal_id: int, *, lock: bool = False) -> Proposal:
    query = _SELECT.where(proposals.c.id == int(proposal_id))
    row = conn.execute(query.with_for_update(of=proposals) if lock else query).first()
    if row is None or not permissions.can_view_proposal(user, owner_id=row.owner_id,
                                                        status=row.status):
        raise Refused.because("not_found", what=f"proposal {proposal_id}")
    return _from_row(row)


def _record(conn, proposal_id: int, actor: User, action: str, before: dict | None,
            after: dict | None) -> None:
    conn.execute(proposal_events.insert().values(proposal_id=proposal_id, actor_id=actor.id,
                                                 action=action, before=before, after=after))


def _change(conn, user: User, before: Proposal, action: str, values: dict) -> Proposal:
    conn.execute(proposals.update().where(proposals.c.id == before.id)
                 .values(**values, updated_at=sa.func.now()))
    after = _load(conn, user, before.id)
    _record(conn, before.id, user, action, before.audited(), after.audited())
    return after


def get(conn: sa.Connection, user: User, proposal_id: int) -> Proposal:
    return _load(conn, user, proposal_id)


def visible(conn: sa.Connection, user: User) -> list[Proposal]:
    """The proposals `user` may see, newest change first: published ones, their own, and
    (moderators) every submitted or rejected one."""
    query = _SELECT.order_by(proposals.c.updated_at.desc(), proposals.c.id.desc())
    if not user.has_role("admin"):
        seen = [proposals.c.status == "published"]
        if not user.is_guest:
            seen.append(proposals.c.owner_id == user.id)
        if user.has_role("moderator"):
            seen.append(proposals.c.status != "draft")
        query = query.where(sa.or_(*seen))
    return [_from_row(row) for row in conn.execute(query)]


def create(conn: sa.Connection, user: User, values: dict) -> Proposal:
    permissions.require(permissions.can_create(user), user, "propose a project")
    clean = clean_proposal(values)
    new_id = conn.execute(proposals.insert().values(owner_id=user.id, **clean)
                          .returning(proposals.c.id)).scalar_one()
    created = _load(conn, user, new_id)
    _record(conn, new_id, user, "create", None, created.audited())
    return created


def update(conn: sa.Connection, user: User, proposal_id: int, values: dict) -> Proposal:
    """Change the fields of a draft (the owner) or of any proposal (an admin)."""
    current = _load(conn, user, proposal_id, lock=True)
    permissions.require(permissions.can_edit_proposal(user, owner_id=current.owner_id,
                                                      status=current.status),
                        user, "edit this proposal")
    clean = clean_proposal(values)
    if all(getattr(current, name) == value for name, value in clean.items()):
        return current   # nothing changed: no audit row, no new timestamp
    return _change(conn, user, current, "edit", clean)


def submit(conn: sa.Connection, user: User, proposal_id: int) -> Proposal:
    current = _load(conn, user, proposal_id, lock=True)
    permissions.require(permissions.can_submit_proposal(user, owner_id=current.owner_id,
                                                        status=current.status),
                        user, "submit this proposal")
    clean_proposal(current.audited(), submitting=True)   # complete enough to review
    return _change(conn, user, current, "submit",
                   {"status": "submitted", "submitted_at": sa.func.now()})


def _decide(conn, user: User, proposal_id: int, action: str, values: dict) -> Proposal:
    current = _load(conn, user, proposal_id, lock=True)
    if user.has_role("moderator") and current.status != "submitted":
        raise Refused([Problem("wrong_status", values={"status": current.status,
                                                       "needed": "submitted",
                                                       "action": f"{action}ed"})])
    permissions.require(permissions.can_decide_proposal(user, status=current.status), user,
                        f"{action} proposals")
    return _change(conn, user, current, action,
                   values | {"decided_at": sa.func.now(), "decided_by": user.id})


def publish(conn: sa.Connection, user: User, proposal_id: int) -> Proposal:
    return _decide(conn, user, proposal_id, "publish", {"status": "published",
                                                        "rejection_reason": None})


def reject(conn: sa.Connection, user: User, proposal_id: int, reason: str) -> Proposal:
    from tanso.community.validation import clean_reason

    permissions.require(user.has_role("moderator"), user, "reject proposals")
    return _decide(conn, user, proposal_id, "reject",
                   {"status": "rejected", "rejection_reason": clean_reason(reason)})


def history(conn: sa.Connection, user: User, proposal_id: int) -> list[dict]:
    """The audit trail of one proposal (owner, moderators, admins), oldest first."""
    current = _load(conn, user, proposal_id)
    if not (user.id == current.owner_id or user.has_role("moderator")):
        raise Refused.because("forbidden", action="read this proposal's history")
    rows = conn.execute(
        sa.select(proposal_events.c.at, proposal_events.c.action,
                  users.c.display_name.label("actor"), proposal_events.c.before,
                  proposal_events.c.after)
        .join(users, users.c.id == proposal_events.c.actor_id)
        .where(proposal_events.c.proposal_id == current.id)
        .order_by(proposal_events.c.at, proposal_events.c.id))
    return [dict(row._mapping) for row in rows]

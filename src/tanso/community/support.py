"""Support: one per member and project (registry project or published proposal), toggled.

`set_supported` states what the member wants (not "flip"), so a double click or two tabs
sending "support" at once count once: the UNIQUE (user, project) constraint turns the second
insert into a no-op (`ON CONFLICT DO NOTHING`), and "withdraw" deletes whatever is there.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert

from tanso.auth import User
from tanso.community import permissions
from tanso.community.targets import Target, require_open
from tanso.db.tables.community import supports


@dataclass(frozen=True)
class SupportState:
    count: int          # members supporting the project
    supported: bool     # whether this user is one of them


def state(conn: sa.Connection, user: User, target: Target) -> SupportState:
    mine = (sa.func.bool_or(supports.c.user_id == user.id) if not user.is_guest
            else sa.false())
    count, supported = conn.execute(sa.select(sa.func.count(), mine)
                                    .where(target.where(supports))).one()
    return SupportState(count=count, supported=bool(supported))


def set_supported(conn: sa.Connection, user: User, target: Target,
                  supported: bool) -> SupportState:
    permissions.require(permissions.can_create(user), user, "support projects")
    if supported:
        require_open(conn, target)
        conflict = ["user_id", "project_id" if target.project_id is not None else "proposal_id"]
        conn.execute(pg_insert(supports).values(user_id=user.id, **target.values())
                     .on_conflict_do_nothing(index_elements=conflict))
    else:
        conn.execute(supports.delete().where(supports.c.user_id == user.id,
                                             target.where(supports)))
    return state(conn, user, target)


def counts(conn: sa.Connection, project_ids: list[str]) -> dict[str, int]:
    """Supporters of each registry project in `project_ids` (missing = 0)."""
    rows = conn.execute(sa.select(supports.c.project_id, sa.func.count())
                        .where(supports.c.project_id.in_(list(project_ids)))
                        .group_by(supports.c.project_id))
    return dict(rows.all())

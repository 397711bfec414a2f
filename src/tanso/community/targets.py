"""What a comment or a support is about: a registry project (canonical id) or a proposal."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa

from tanso.community.errors import Refused
from tanso.db.tables.community import proposals
from tanso.db.tables.vcm import projects
from tanso.vcm import ids


@dataclass(frozen=True)
class Target:
    project_id: str | None = None
    proposal_id: int | None = None

    def __post_init__(self):
        if (self.project_id is None) == (self.proposal_id is None):
            raise ValueError("a target is a registry project or a proposal, exactly one")

    @classmethod
    def project(cls, project_id: str) -> Target:
        """A registry project, its id in any spelling ('gs 1234' → GLD1234)."""
        try:
            canonical = ids.canonical_ids(pd.Series([str(project_id)]), source="project",
                                          column="id").iloc[0]
        except ValueError:
            raise Refused.because("not_found", what=f"project {str(project_id)[:64]!r}") from None
        return cls(project_id=canonical)

    @classmethod
    def proposal(cls, proposal_id: int) -> Target:
        return cls(proposal_id=int(proposal_id))

    def where(self, table: sa.Table):
        """The WHERE clause selecting this target's rows of `table` (comments, supports)."""
        if self.project_id is not None:
            return table.c.project_id == self.project_id
        return table.c.proposal_id == self.proposal_id

    def values(self) -> dict:
        return {"project_id": self.project_id, "proposal_id": self.proposal_id}

    def __str__(self) -> str:
        return self.project_id if self.project_id is not None else f"proposal {self.proposal_id}"


def require_open(conn: sa.Connection, target: Target) -> None:
    """Comments and support go to registry projects we list and to published proposals."""
    if target.project_id is not None:
        found = conn.execute(sa.select(projects.c.project_id)
                             .where(projects.c.project_id == target.project_id)).first()
    else:
        found = conn.execute(sa.select(proposals.c.id).where(
            proposals.c.id == target.proposal_id, proposals.c.status == "published")).first()
    if found is None:
        raise Refused.because("not_found", what=str(target))

"""`app.proposals`, their audit trail, comments, comment reports and support (VCM community,
issue 13; the rules are in tanso.community).

A comment or a support is about one project: either a registry project (its canonical id,
as in `core.vcm_projects`; no foreign key, the registry data is reloaded) or a member's
proposal. Exactly one of `project_id` / `proposal_id` is set (checked).

Support is one row per member and project: the UNIQUE constraints make a second (or a
concurrent) support by the same member a no-op under `INSERT ... ON CONFLICT DO NOTHING`.
"""

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

from tanso.db.tables import metadata

PROPOSAL_STATUSES = ("draft", "submitted", "published", "rejected")
DOUBLE = sa.Float(precision=53)


def _id() -> sa.Column:
    return sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True)


def _member(name: str, *, required: bool = True, ondelete: str | None = None) -> sa.Column:
    """A reference to an account (`app.users`): who owns, wrote, did or decided something."""
    return sa.Column(name, sa.BigInteger, sa.ForeignKey("app.users.id", ondelete=ondelete),
                     nullable=not required)


def _time(name: str, *, now: bool = False) -> sa.Column:
    """A moment; `now=True`: set when the row is written, so never missing."""
    if now:
        return sa.Column(name, sa.DateTime(timezone=True), nullable=False,
                         server_default=sa.func.now())
    return sa.Column(name, sa.DateTime(timezone=True))


def _target(table: str) -> list:
    """What a comment or a support is about: a registry project or a proposal, exactly one."""
    return [sa.Column("project_id", sa.Text),
            sa.Column("proposal_id", sa.BigInteger, sa.ForeignKey("app.proposals.id")),
            sa.CheckConstraint("num_nonnulls(project_id, proposal_id) = 1",
                               name=f"{table}_one_target")]


proposals = sa.Table(
    "proposals", metadata,
    _id(),
    _member("owner_id"),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("registry", sa.Text),                       # none for a project not yet listed
    sa.Column("country", sa.Text, nullable=False, server_default=""),
    sa.Column("project_type", sa.Text, nullable=False, server_default=""),
    sa.Column("methodology", sa.Text, nullable=False, server_default=""),
    sa.Column("description", sa.Text, nullable=False, server_default=""),   # Markdown
    sa.Column("links", JSONB, nullable=False, server_default=sa.text("'[]'::jsonb")),
    sa.Column("expected_credits", DOUBLE),                # tCO2e over the crediting period
    sa.Column("status", sa.Text, nullable=False, server_default="draft"),
    sa.Column("rejection_reason", sa.Text),
    _time("created_at", now=True),
    _time("updated_at", now=True),
    _time("submitted_at"),
    _time("decided_at"),                                  # published or rejected
    _member("decided_by", required=False),
    sa.CheckConstraint("status IN ('draft', 'submitted', 'published', 'rejected')",
                       name="proposals_status_known"),
    sa.CheckConstraint("status <> 'rejected' OR rejection_reason IS NOT NULL",
                       name="proposals_rejection_has_reason"),
    sa.Index("proposals_by_owner", "owner_id"),
    sa.Index("proposals_by_status", "status"),
    schema="app",
)

# Append-only: every change of a proposal, with the fields before and after.
proposal_events = sa.Table(
    "proposal_events", metadata,
    _id(),
    sa.Column("proposal_id", sa.BigInteger, sa.ForeignKey("app.proposals.id"), nullable=False),
    _member("actor_id"),
    _time("at", now=True),
    sa.Column("action", sa.Text, nullable=False),   # create, edit, submit, publish, reject
    sa.Column("before", JSONB),
    sa.Column("after", JSONB),
    sa.Index("proposal_events_by_proposal", "proposal_id", "at"),
    schema="app",
)

comments = sa.Table(
    "comments", metadata,
    _id(),
    _member("author_id"),
    *_target("comments"),
    sa.Column("body", sa.Text, nullable=False),      # Markdown as written; emptied on delete
    # the body rendered once when written (tanso.ui.safe.user_markdown: Markdown without raw
    # HTML, nh3 allow-list); pages clean it again when they show it, so a stricter allow-list
    # applies to old comments too. Rendering 500 bodies per page view would cost ~0.5 s.
    sa.Column("body_html", sa.Text, nullable=False, server_default=""),
    _time("created_at", now=True),
    _time("edited_at"),
    _time("deleted_at"),
    _time("hidden_at"),
    _member("hidden_by", required=False),
    sa.Column("hidden_reason", sa.Text),
    sa.Index("comments_by_project", "project_id", "created_at"),
    sa.Index("comments_by_proposal", "proposal_id", "created_at"),
    sa.Index("comments_by_author", "author_id", "created_at"),   # the rate limit counts these
    schema="app",
)

# A member reports a comment once; a moderator resolves the report (the admin page's queue).
comment_reports = sa.Table(
    "comment_reports", metadata,
    _id(),
    sa.Column("comment_id", sa.BigInteger, sa.ForeignKey("app.comments.id"), nullable=False),
    _member("reporter_id"),
    sa.Column("reason", sa.Text, nullable=False),
    _time("created_at", now=True),
    _time("resolved_at"),
    _member("resolved_by", required=False),
    sa.Column("resolution", sa.Text),               # hidden, dismissed
    sa.UniqueConstraint("comment_id", "reporter_id"),
    sa.Index("comment_reports_open", "created_at", postgresql_where=sa.text("resolved_at IS NULL")),
    schema="app",
)

supports = sa.Table(
    "supports", metadata,
    _id(),
    _member("user_id", ondelete="CASCADE"),
    *_target("supports"),
    _time("created_at", now=True),
    sa.UniqueConstraint("user_id", "project_id"),
    sa.UniqueConstraint("user_id", "proposal_id"),
    sa.Index("supports_by_project", "project_id"),
    sa.Index("supports_by_proposal", "proposal_id"),
    schema="app",
)

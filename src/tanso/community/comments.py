"""Comments on a registry project or a published proposal: write, edit and delete one's own,
report others', hide (moderators). Bodies are Markdown as written; the UI renders them only
through `tanso.ui.safe.user_markdown` (nh3 allow-list).

The rate limit is counted in PostgreSQL under a per-member advisory lock, so parallel posts
from several tabs, processes or pods cannot all slip in under it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert

from tanso.auth import User
from tanso.community import permissions
from tanso.community.errors import Problem, RateLimited, Refused
from tanso.community.policy import CommunityPolicy, community_policy
from tanso.community.targets import Target, require_open
from tanso.community.validation import clean_body, clean_reason
from tanso.db.tables.accounts import users
from tanso.db.tables.community import comment_reports, comments


@dataclass(frozen=True)
class Comment:
    """A comment as a reader sees it: `body` (Markdown) and `html` (rendered by
    `tanso.ui.safe.user_markdown`) are None when deleted, or hidden from this reader."""

    id: int
    author_id: int
    author_name: str
    body: str | None
    html: str | None
    created_at: datetime
    edited_at: datetime | None
    deleted: bool
    hidden: bool
    hidden_reason: str | None
    reports: int = 0     # open reports (moderators only; 0 for others)


_OPEN_REPORTS = (sa.select(sa.func.count()).where(comment_reports.c.comment_id == comments.c.id,
                                                  comment_reports.c.resolved_at.is_(None))
                 .scalar_subquery())


def thread(conn: sa.Connection, viewer: User, target: Target) -> list[Comment]:
    """Every comment on `target`, oldest first. Hidden bodies are shown to moderators only
    (with the reason); deleted ones keep their place with no body."""
    moderator = viewer.has_role("moderator")
    columns = [comments.c.id, comments.c.author_id, users.c.display_name, comments.c.body,
               comments.c.body_html, comments.c.created_at, comments.c.edited_at, comments.c.deleted_at,
               comments.c.hidden_at, comments.c.hidden_reason]
    if moderator:
        columns.append(_OPEN_REPORTS.label("reports"))
    rows = conn.execute(sa.select(*columns).join(users, users.c.id == comments.c.author_id)
                        .where(target.where(comments))
                        .order_by(comments.c.created_at, comments.c.id))
    out = []
    for row in rows:
        deleted, hidden = row.deleted_at is not None, row.hidden_at is not None
        shown = not deleted and (moderator or not hidden)
        out.append(Comment(
            id=row.id, author_id=row.author_id, author_name=row.display_name,
            body=row.body if shown else None,
            html=(row.body_html or render(row.body)) if shown else None,
            created_at=row.created_at, edited_at=row.edited_at, deleted=deleted,
            hidden=hidden, hidden_reason=row.hidden_reason if moderator else None,
            reports=row.reports if moderator else 0))
    return out


def render(body: str) -> str:
    """A comment body as HTML: through the kit's one sanitiser (Markdown without raw HTML,
    then the nh3 allow-list). Done when a comment is written; pages clean it again."""
    from tanso.ui.safe import user_markdown  # the kit's; imported late (it loads Panel)

    return str(user_markdown(body))


def _check_rate(conn: sa.Connection, user: User, policy: CommunityPolicy) -> None:
    # one post per member at a time, in every process: the count below cannot be raced
    conn.execute(sa.text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
                 {"key": f"comment-rate:{user.id}"})
    window = sa.func.now() - sa.func.make_interval(0, 0, 0, 0, 0, 0,
                                                   policy.comment_window_seconds)
    recent = conn.execute(sa.select(sa.func.count(), sa.func.min(comments.c.created_at),
                                    sa.func.now())
                          .where(comments.c.author_id == user.id,
                                 comments.c.created_at > window)).one()
    count, oldest, now = recent
    if count >= policy.comments_per_window:
        wait = policy.comment_window_seconds - (now - oldest).total_seconds()
        raise RateLimited(limit=policy.comments_per_window,
                          window=policy.comment_window_seconds,
                          retry_after=max(1, math.ceil(wait)))


def add(conn: sa.Connection, user: User, target: Target, body: str, *,
        policy: CommunityPolicy | None = None) -> int:
    """Post a comment; returns its id."""
    permissions.require(permissions.can_create(user), user, "comment")
    text = clean_body(body)
    require_open(conn, target)
    _check_rate(conn, user, policy or community_policy())
    return conn.execute(comments.insert().values(author_id=user.id, body=text,
                                                 body_html=render(text), **target.values())
                        .returning(comments.c.id)).scalar_one()


def _row(conn: sa.Connection, comment_id: int):
    row = conn.execute(sa.select(comments).where(comments.c.id == int(comment_id))
                       .with_for_update()).first()
    if row is None:
        raise Refused.because("not_found", what=f"comment {comment_id}")
    return row


def edit(conn: sa.Connection, user: User, comment_id: int, body: str) -> None:
    row = _row(conn, comment_id)
    gone = row.deleted_at is not None or row.hidden_at is not None
    if gone and row.author_id == user.id:
        raise Refused([Problem("gone")])
    permissions.require(permissions.can_edit_comment(user, author_id=row.author_id, gone=gone),
                        user, "edit this comment")
    text = clean_body(body)
    conn.execute(comments.update().where(comments.c.id == row.id)
                 .values(body=text, body_html=render(text), edited_at=sa.func.now()))


def delete(conn: sa.Connection, user: User, comment_id: int) -> None:
    """The author (or an admin) deletes: the text is erased, the place in the thread stays."""
    row = _row(conn, comment_id)
    permissions.require(permissions.can_delete_comment(user, author_id=row.author_id,
                                                       deleted=row.deleted_at is not None),
                        user, "delete this comment")
    conn.execute(comments.update().where(comments.c.id == row.id)
                 .values(body="", body_html="", deleted_at=sa.func.now()))


def hide(conn: sa.Connection, user: User, comment_id: int, reason: str) -> None:
    """A moderator hides a comment from readers (it stays for moderators, with the reason);
    its open reports are resolved as 'hidden'."""
    permissions.require(permissions.can_hide_comment(user), user, "hide comments")
    why = clean_reason(reason)
    row = _row(conn, comment_id)
    conn.execute(comments.update().where(comments.c.id == row.id)
                 .values(hidden_at=sa.func.now(), hidden_by=user.id, hidden_reason=why))
    _resolve(conn, user, row.id, "hidden")


def unhide(conn: sa.Connection, user: User, comment_id: int) -> None:
    permissions.require(permissions.can_hide_comment(user), user, "show hidden comments")
    row = _row(conn, comment_id)
    conn.execute(comments.update().where(comments.c.id == row.id)
                 .values(hidden_at=None, hidden_by=None, hidden_reason=None))


def report(conn: sa.Connection, user: User, comment_id: int, reason: str) -> bool:
    """Report someone else's comment to the moderators; False if this member already did."""
    row = _row(conn, comment_id)
    permissions.require(permissions.can_report_comment(user, author_id=row.author_id), user,
                        "report this comment")
    why = clean_reason(reason)
    inserted = conn.execute(pg_insert(comment_reports)
                            .values(comment_id=row.id, reporter_id=user.id, reason=why)
                            .on_conflict_do_nothing(index_elements=["comment_id", "reporter_id"])
                            .returning(comment_reports.c.id)).first()
    return inserted is not None


def dismiss_reports(conn: sa.Connection, user: User, comment_id: int) -> int:
    """A moderator keeps the comment: its open reports are resolved as 'dismissed'."""
    permissions.require(permissions.can_hide_comment(user), user, "resolve reports")
    return _resolve(conn, user, int(comment_id), "dismissed")


def _resolve(conn, user: User, comment_id: int, resolution: str) -> int:
    return conn.execute(comment_reports.update()
                        .where(comment_reports.c.comment_id == comment_id,
                               comment_reports.c.resolved_at.is_(None))
                        .values(resolved_at=sa.func.now(), resolved_by=user.id,
                                resolution=resolution)).rowcount


def open_reports(conn: sa.Connection, user: User) -> list[dict]:
    """The moderators' queue: one row per reported comment with open reports, oldest first
    (comment id, where it is, author, body, first reported, number of reports, reasons)."""
    permissions.require(permissions.can_hide_comment(user), user, "read the reports queue")
    author = users.alias("author")
    rows = conn.execute(
        sa.select(comments.c.id.label("comment_id"), comments.c.project_id,
                  comments.c.proposal_id, author.c.display_name.label("author"),
                  comments.c.body, comments.c.hidden_at.is_not(None).label("hidden"),
                  comments.c.deleted_at.is_not(None).label("deleted"),
                  sa.func.min(comment_reports.c.created_at).label("first_reported"),
                  sa.func.count().label("reports"),
                  sa.func.string_agg(comment_reports.c.reason, " | ").label("reasons"))
        .join(comments, comments.c.id == comment_reports.c.comment_id)
        .join(author, author.c.id == comments.c.author_id)
        .where(comment_reports.c.resolved_at.is_(None))
        .group_by(comments.c.id, author.c.display_name)
        .order_by(sa.func.min(comment_reports.c.created_at)))
    return [dict(row._mapping) for row in rows]

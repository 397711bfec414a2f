"""`core.news_*`: items of the configured news feeds, their links to VCM projects, and each
feed's fetch state (the ETag / Last-Modified of conditional GET, the last outcome). See tanso.news.

Items are only ever added or updated (a feed shows its latest items only): a failed or empty
fetch never removes what was stored. Links are derived from the stored items and the VCM
projects and replaced as a whole by each news run. No foreign key to core.vcm_projects: the
VCM pipeline replaces that table, and a link to a project no longer listed is harmless.
"""

import sqlalchemy as sa

from tanso.db.tables import metadata

FEED_STATUSES = ("ok", "not_modified", "failed")

news_items = sa.Table(
    "news_items", metadata,
    sa.Column("item_key", sa.Text, primary_key=True),      # tanso.news.items.item_key
    sa.Column("feed", sa.Text, nullable=False),
    sa.Column("guid", sa.Text),
    sa.Column("link", sa.Text),                            # absolute http(s) or NULL
    sa.Column("title", sa.Text, nullable=False),           # plain text
    sa.Column("summary", sa.Text, nullable=False, server_default=""),  # plain text
    sa.Column("published_at", sa.DateTime(timezone=True)),  # NULL: the feed gave no usable date
    sa.Column("first_seen_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("content_hash", sa.Text, nullable=False),
    sa.Index("news_items_content_hash_idx", "content_hash"),
    schema="core",
)

news_item_projects = sa.Table(
    "news_item_projects", metadata,
    sa.Column("item_key", sa.Text, sa.ForeignKey("core.news_items.item_key", ondelete="CASCADE"),
              nullable=False),
    sa.Column("project_id", sa.Text, nullable=False),
    sa.Column("matched_by", sa.Text, nullable=False),
    sa.Column("matched_text", sa.Text, nullable=False),
    sa.PrimaryKeyConstraint("item_key", "project_id"),
    sa.CheckConstraint("matched_by IN ('id', 'name')", name="news_item_projects_matched_by_known"),
    sa.Index("news_item_projects_project_id_idx", "project_id"),
    schema="core",
)

news_feeds = sa.Table(
    "news_feeds", metadata,
    sa.Column("feed", sa.Text, primary_key=True),
    sa.Column("url", sa.Text, nullable=False),
    sa.Column("etag", sa.Text),
    sa.Column("last_modified", sa.Text),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("message", sa.Text),                          # why it failed, or what was odd
    sa.Column("items_in_feed", sa.Integer),
    sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("succeeded_at", sa.DateTime(timezone=True)),  # last ok or not_modified
    sa.CheckConstraint("status IN ('ok', 'not_modified', 'failed')", name="news_feeds_status_known"),
    schema="core",
)

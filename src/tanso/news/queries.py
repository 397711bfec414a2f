"""What the pages read: the latest items (all, or of one project) and each feed's last outcome.

Text comes back as stored (plain text); the pages escape it through `tanso.ui.safe`.
"""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa

ITEMS = sa.text("""
    SELECT i.item_key, i.feed, i.title, i.link, i.summary, i.published_at, i.first_seen_at,
           i.published_at IS NULL AS date_missing,
           coalesce(string_agg(p.project_id, ', ' ORDER BY p.project_id), '') AS projects
    FROM core.news_items i
    LEFT JOIN core.news_item_projects p USING (item_key)
    WHERE (CAST(:feed AS text) IS NULL OR i.feed = :feed)
      AND (CAST(:project AS text) IS NULL OR i.item_key IN (
           SELECT item_key FROM core.news_item_projects WHERE project_id = :project))
    GROUP BY i.item_key
    ORDER BY coalesce(i.published_at, i.first_seen_at) DESC, i.item_key
    LIMIT :limit
""")


def items(engine: sa.Engine, *, feed: str | None = None, project_id: str | None = None,
          limit: int = 100) -> pd.DataFrame:
    """Newest first (an undated item by when it was first seen), with its linked project ids."""
    with engine.connect() as conn:
        return pd.read_sql(ITEMS, conn, params={"feed": feed or None,
                                                "project": project_id or None, "limit": limit})


def feeds(engine: sa.Engine) -> pd.DataFrame:
    with engine.connect() as conn:
        return pd.read_sql(sa.text(
            "SELECT feed, url, status, message, items_in_feed, checked_at, succeeded_at, "
            "(SELECT count(*) FROM core.news_items i WHERE i.feed = f.feed) AS items_stored "
            "FROM core.news_feeds f ORDER BY feed"), conn)

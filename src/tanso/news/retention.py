"""How much news is kept: items older than an age, and past a number per feed, are removed at
the end of every news run (README "News feeds").

| variable                  | default | meaning                                                    |
|---------------------------|---------|------------------------------------------------------------|
| TANSO_NEWS_KEEP_DAYS      | 365     | an item dated (else first seen) longer ago is removed      |
| TANSO_NEWS_KEEP_PER_FEED  | 1000    | a feed's newest items kept; older ones beyond it removed   |

An item's age is that of its date (published, else updated), or of when it was first seen for
an undated one: the date the pages sort by. Removed items are also never stored again while a
feed still lists them: the same rule applies to what a run fetches, so an old item in a feed
does not come back on every run only to be removed again.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timedelta

import pandas as pd

from tanso.errors import UserError


@dataclass(frozen=True)
class Retention:
    keep_days: int = 365
    keep_per_feed: int = 1000


DEFAULT_RETENTION = Retention()


def retention_policy() -> Retention:
    """The retention of the environment; a value that is not a whole number ≥ 1 names its variable."""
    values = {}
    for field, variable in (("keep_days", "TANSO_NEWS_KEEP_DAYS"),
                            ("keep_per_feed", "TANSO_NEWS_KEEP_PER_FEED")):
        raw = os.environ.get(variable, "").strip()
        if not raw:
            continue
        try:
            values[field] = int(raw)
        except ValueError:
            values[field] = 0
        if values[field] < 1:
            raise UserError(f"{variable}={raw!r} must be a whole number of at least 1")
    return Retention(**values)


def expired(items: pd.DataFrame, retention: Retention, now: datetime) -> pd.Index:
    """The `item_key`s of `items` (item_key, feed, published_at, first_seen_at) that retention
    removes: dated before now − keep_days, or past the feed's keep_per_feed newest (newest by
    date, then by key, so the choice is the same on every run)."""
    if items.empty:
        return pd.Index([], name="item_key")
    dated = pd.to_datetime(items["published_at"], utc=True).fillna(
        pd.to_datetime(items["first_seen_at"], utc=True))
    frame = items[["item_key", "feed"]].assign(dated=dated).sort_values(["feed", "dated", "item_key"], ascending=[True, False, True])
    rank = frame.groupby("feed", sort=False).cumcount()
    too_old = frame["dated"] < pd.Timestamp(now) - timedelta(days=retention.keep_days)
    return pd.Index(frame.loc[too_old | (rank >= retention.keep_per_feed), "item_key"],
                    name="item_key")

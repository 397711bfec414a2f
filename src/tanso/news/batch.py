"""One news run, without the database: fetch every feed, parse, de-duplicate against what is
stored, link to projects; the frames the `news` notebook loads and the per-feed messages.

A feed that fails (network, HTTP error, not a feed) gets a `failed` state row with the message
and contributes no items; its stored items are untouched (but for retention, which removes
items by age and per-feed count whatever the fetch did: tanso.news.retention), and its
ETag/Last-Modified are kept so the next run still asks conditionally.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pandas as pd

from tanso.news import feeds as feeds_mod
from tanso.news.feeds import Feed, FeedConfig, Fetched
from tanso.news.items import ITEM_COLUMNS, FeedError, changed, deduplicate, parse_feed
from tanso.news.links import link_items
from tanso.news.retention import DEFAULT_RETENTION, Retention, expired

STATE_COLUMNS = ("feed", "url", "etag", "last_modified", "status", "message", "items_in_feed",
                 "checked_at", "succeeded_at")
STORED_COLUMNS = ("item_key", "feed", "title", "summary", "content_hash", "published_at",
                  "first_seen_at")


@dataclass
class NewsBatch:
    items: pd.DataFrame        # new or changed items: ITEM_COLUMNS + first_seen_at
    links: pd.DataFrame        # every stored item's links (replaces the table)
    feeds: pd.DataFrame        # STATE_COLUMNS, one row per configured feed
    fingerprint: str           # SHA-256 of every stored item's key and hash after this run
    messages: list[str] = field(default_factory=list)   # one line per problem, naming the feed
    removed: list[str] = field(default_factory=list)    # stored item keys retention removes

    @property
    def failed(self) -> list[str]:
        return self.feeds.loc[self.feeds["status"].eq("failed"), "feed"].tolist()


def collect(config: FeedConfig, *, state: pd.DataFrame, stored: pd.DataFrame,
            projects: pd.DataFrame, now: datetime | None = None,
            retention: Retention = DEFAULT_RETENTION,
            fetch: Callable[..., Fetched] = feeds_mod.fetch) -> NewsBatch:
    """`state`: core.news_feeds rows; `stored`: STORED_COLUMNS of core.news_items;
    `projects`: project_id, name of core.vcm_projects. Items that `retention` removes are
    neither written nor linked, and the stored ones are listed in `removed`."""
    now = now or datetime.now(UTC)
    previous = state.set_index("feed").to_dict("index") if len(state) else {}
    parsed, rows, messages = [], [], []
    for feed in config.feeds:
        before = previous.get(feed.name, {})
        same_url = before.get("url") == feed.url   # a new URL must not be asked conditionally
        fetched = fetch(feed, etag=before.get("etag") if same_url else None,
                        last_modified=before.get("last_modified") if same_url else None,
                        timeout=config.timeout, max_bytes=config.max_bytes)
        row, items, notes = _outcome(feed, fetched, before if same_url else {}, now)
        rows.append(row)
        messages += notes
        if items is not None:
            parsed.append(items)
    fresh = (pd.concat(parsed, ignore_index=True) if parsed
             else pd.DataFrame(columns=list(ITEM_COLUMNS)))
    fresh = deduplicate(fresh, stored)
    new = changed(fresh, stored)
    new["first_seen_at"] = new["first_seen_at"].fillna(pd.Timestamp(now))
    every = pd.concat([stored.loc[~stored["item_key"].isin(new["item_key"])], new],
                      ignore_index=True)
    gone = expired(every, retention, now)
    new = new[~new["item_key"].isin(gone)].reset_index(drop=True)
    every = every[~every["item_key"].isin(gone)]
    fingerprint = hashlib.sha256("\n".join(sorted(every["item_key"] + every["content_hash"]))
                                 .encode()).hexdigest()
    return NewsBatch(items=new, links=link_items(every, projects),
                     feeds=pd.DataFrame(rows, columns=list(STATE_COLUMNS)),
                     fingerprint=fingerprint, messages=messages,
                     removed=sorted(set(stored["item_key"]).intersection(gone)))


def _outcome(feed: Feed, fetched: Fetched, before: dict, now: datetime):
    """(state row, parsed items or None, messages) for one feed."""
    row = {"feed": feed.name, "url": feed.url, "etag": before.get("etag"),
           "last_modified": before.get("last_modified"), "checked_at": now,
           "succeeded_at": before.get("succeeded_at"), "items_in_feed": before.get("items_in_feed")}
    if fetched.status == "failed":
        return row | {"status": "failed", "message": fetched.message}, None, [fetched.message]
    row |= {"etag": fetched.etag, "last_modified": fetched.last_modified, "succeeded_at": now}
    if fetched.status == "not_modified":
        return row | {"status": "not_modified", "message": None}, None, []
    try:
        result = parse_feed(fetched.body or b"", feed=feed.name,
                            content_type=fetched.content_type, now=now)
    except FeedError as exc:
        failed = row | {"status": "failed", "message": str(exc), "etag": before.get("etag"),
                        "last_modified": before.get("last_modified"),
                        "succeeded_at": before.get("succeeded_at")}
        return failed, None, [str(exc)]
    note = "; ".join(result.warnings) or None
    return (row | {"status": "ok", "message": note, "items_in_feed": len(result.items)},
            result.items, result.warnings)


class FeedsFailed(RuntimeError):
    """Raised by the news step after saving, so a failed feed shows as a failed run."""

    def __init__(self, batch: NewsBatch):
        failed = batch.feeds[batch.feeds["status"].eq("failed")]
        lines = [f"{len(failed)} of {len(batch.feeds)} feed(s) failed; the others were loaded "
                 "and every item stored before is kept:", *failed["message"].tolist()]
        super().__init__("\n".join(lines))

"""Feed bytes → normalised, plain-text items with a stable key and a content hash; de-duplication.

Everything a feed says is untrusted. Titles and summaries are stored as plain text: tags are
removed by nh3 (with the content of script/style) until none is left (also markup escaped
twice), entities decoded, control characters
dropped, whitespace collapsed, lengths capped. What reaches a page still goes through
`tanso.ui.safe` (escaped there): plain text here is for storage and search, not a licence to
render it as markup. Links are kept only when they are absolute http(s) URLs.

- key: the feed's guid (Atom id / RSS guid) scoped by feed name, else the link, else the content
  hash: the same item seen again keeps its key even when its text is edited;
- content hash: SHA-256 of title, link and summary: the same story under another key (a
  syndicated copy, a re-posted item) is a duplicate.
"""

from __future__ import annotations

import calendar
import hashlib
import html
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import feedparser
import nh3
import pandas as pd

TITLE_MAX = 300
SUMMARY_MAX = 1000
URL_MAX = 2000
GUID_MAX = 500
FUTURE_SLACK = timedelta(days=1)   # a date further ahead than this is not believed
ITEM_COLUMNS = ("item_key", "feed", "guid", "link", "title", "summary", "published_at",
                "content_hash")

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
_SPACE = re.compile(r"\s+")
# harmless bozo reasons: the declared and the actual encoding differ, or none was declared
_HARMLESS = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)


class FeedError(ValueError):
    """The bytes are not a usable RSS/Atom feed; the message names the feed."""


def plain_text(value, *, limit: int) -> str:
    """Any feed text (HTML or not) as one line of plain text of at most `limit` characters."""
    if not value:
        return ""
    text = str(value)
    for _ in range(3):  # markup escaped twice ("&amp;lt;script&amp;gt;") is markup too: no tag survives
        cleaned = html.unescape(nh3.clean(text, tags=set(), strip_comments=True))
        if cleaned == text:
            break
        text = cleaned
    text = _SPACE.sub(" ", _CONTROL.sub("", text)).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def http_url(value) -> str | None:
    """An absolute http(s) URL without whitespace or control characters, else None."""
    url = str(value or "").strip()
    if (not re.match(r"^https?://[^\s/]", url, flags=re.IGNORECASE) or _CONTROL.search(url)
            or re.search(r"\s", url) or len(url) > URL_MAX):
        return None
    return url


def content_hash(title: str, link: str | None, summary: str) -> str:
    return hashlib.sha256("\x1f".join((title, link or "", summary)).encode()).hexdigest()


def item_key(feed: str, guid: str | None, link: str | None, digest: str) -> str:
    """Stable across runs and edits: guid (within its feed), else link, else the content."""
    basis = f"guid\x1f{feed}\x1f{guid}" if guid else f"link\x1f{link}" if link else f"hash\x1f{digest}"
    return hashlib.sha256(basis.encode()).hexdigest()[:32]


@dataclass
class ParsedFeed:
    feed: str
    items: pd.DataFrame                       # ITEM_COLUMNS
    warnings: list[str] = field(default_factory=list)


def _published(entry, now: datetime) -> tuple[datetime | None, bool]:
    """(UTC date, was in the future) from published, else updated; None when missing."""
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed:
        return None, False
    when = datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)
    if when > now + FUTURE_SLACK:
        return None, True
    return when, False


def parse_feed(body: bytes, *, feed: str, content_type: str | None = None,
               now: datetime | None = None) -> ParsedFeed:
    """The items of one feed; FeedError when the bytes hold no RSS/Atom items at all."""
    now = now or datetime.now(UTC)
    headers = {"content-type": content_type} if content_type else {}
    parsed = feedparser.parse(body, response_headers=headers, sanitize_html=True,
                              resolve_relative_uris=False)
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if isinstance(problem, _HARMLESS):
        problem = None
    where = f"feed {feed!r}"
    if not parsed.entries:
        if problem is not None or not parsed.get("version"):
            raise FeedError(f"{where}: not a readable RSS or Atom feed "
                            f"({_describe(problem) if problem else 'no feed element'})")
        return ParsedFeed(feed, pd.DataFrame(columns=list(ITEM_COLUMNS)))
    rows, undated, future, empty = [], 0, 0, 0
    for entry in parsed.entries:
        title = plain_text(entry.get("title"), limit=TITLE_MAX)
        link = http_url(entry.get("link"))
        summary = plain_text(entry.get("summary"), limit=SUMMARY_MAX)
        if not title and not link and not summary:
            empty += 1
            continue
        guid = plain_text(entry.get("id"), limit=GUID_MAX) or None
        published, was_future = _published(entry, now)
        undated += published is None
        future += was_future
        digest = content_hash(title, link, summary)
        rows.append({"item_key": item_key(feed, guid, link, digest), "feed": feed, "guid": guid,
                     "link": link, "title": title or "(untitled)", "summary": summary,
                     "published_at": published, "content_hash": digest})
    warnings = []
    if problem is not None:
        warnings.append(f"{where}: the XML is malformed ({_describe(problem)}); "
                        f"{len(rows)} item(s) were recovered")
    if empty:
        warnings.append(f"{where}: {empty} item(s) with no title, link or summary skipped")
    if undated:
        warnings.append(f"{where}: {undated} item(s) without a usable date"
                        + (f" ({future} dated in the future)" if future else "")
                        + "; they are shown by the time first seen")
    items = pd.DataFrame(rows, columns=list(ITEM_COLUMNS))
    items["published_at"] = pd.to_datetime(items["published_at"], utc=True)
    return ParsedFeed(feed, items, warnings)


def _describe(exc) -> str:
    line = getattr(exc, "getLineNumber", lambda: None)()
    message = plain_text(getattr(exc, "getMessage", lambda: str(exc))(), limit=200)
    return f"line {line}: {message}" if line else message


def deduplicate(items: pd.DataFrame, stored: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per story: the first of each key, then the first of each content hash; a story
    already stored under another key is dropped (`stored`: item_key, content_hash)."""
    items = items.drop_duplicates("item_key", keep="first")
    items = items.drop_duplicates("content_hash", keep="first")
    if stored is not None and len(stored):
        owner = dict(zip(stored["content_hash"], stored["item_key"], strict=True))
        elsewhere = items["content_hash"].map(owner)
        items = items[elsewhere.isna() | elsewhere.eq(items["item_key"])]
    return items.reset_index(drop=True)


def changed(items: pd.DataFrame, stored: pd.DataFrame) -> pd.DataFrame:
    """Items that are new or whose content changed (same key, other hash); `stored` also
    gives `first_seen_at`, kept for an edited item."""
    known = stored.set_index("item_key") if len(stored) else None
    if known is None:
        return items.assign(first_seen_at=pd.NaT)
    same = items["item_key"].map(known["content_hash"]).eq(items["content_hash"])
    out = items[~same].copy()
    out["first_seen_at"] = pd.to_datetime(out["item_key"].map(known["first_seen_at"]), utc=True)
    return out.reset_index(drop=True)

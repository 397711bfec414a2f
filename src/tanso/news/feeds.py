"""The configured feeds and fetching one of them.

The feed list is configuration: a name and a URL per feed, in the file `config_path` names
(`feeds=` of the news step, else $TANSO_NEWS_FEEDS — the Helm chart's ConfigMap — else
catalog/feeds.yaml). A URL is http(s)://, file:// or a path; a relative path is relative to the
configuration file, so a test or an offline install ships its feeds beside it.

Fetching never raises for what a feed or the network does: it returns a `Fetched` whose
`status` is "ok", "not_modified" (HTTP 304 to our conditional GET) or "failed" with a
message naming the feed and the problem. A whole-fetch deadline and a size cap bound what a
slow or endless server can cost.
"""

from __future__ import annotations

import os
import re
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from tanso.config import settings
from tanso.errors import UserError, read_yaml_mapping

DEFAULT_TIMEOUT = 10.0            # seconds for the whole fetch of one feed
DEFAULT_MAX_BYTES = 5_000_000     # a feed bigger than this is refused, not half-read
USER_AGENT = "Tanso news pipeline (+https://github.com/tanso)"
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")
_CHUNK = 65536


class FeedConfigError(UserError):
    """The feed configuration is wrong; the message names the file and the entry."""


@dataclass(frozen=True)
class Feed:
    name: str   # a short key (letters, digits, - and _), stored with every item
    url: str    # http(s)://… or file://… (paths are resolved to file:// when read)

    @property
    def is_http(self) -> bool:
        return urlsplit(self.url).scheme in ("http", "https")


@dataclass(frozen=True)
class FeedConfig:
    feeds: tuple[Feed, ...]
    timeout: float = DEFAULT_TIMEOUT
    max_bytes: int = DEFAULT_MAX_BYTES


FEEDS_ENV = "TANSO_NEWS_FEEDS"
DEFAULT_FEEDS = Path("catalog") / "feeds.yaml"


def config_path(given: str | None = None) -> Path:
    """The feed configuration a news run reads: `given` (the step's `feeds` parameter), else
    the file named by $TANSO_NEWS_FEEDS, else catalog/feeds.yaml; a relative one is relative
    to the project root."""
    chosen = given or os.environ.get(FEEDS_ENV, "").strip() or DEFAULT_FEEDS
    return settings().project_root / Path(chosen)


def read_config(path: Path) -> FeedConfig:
    """The feeds of a YAML file: `feeds: [{name, url}, …]`, optional `timeout_seconds`, `max_bytes`."""
    path = Path(path)
    if not path.exists():
        raise FeedConfigError(f"feed configuration {path} does not exist")
    spec = read_yaml_mapping(path, what="the feed configuration")
    raw = spec.get("feeds")
    if not isinstance(raw, list) or not raw:
        raise FeedConfigError(f"{path}: `feeds` must be a non-empty list of {{name, url}}")
    feeds, names = [], set()
    for i, entry in enumerate(raw, start=1):
        if not isinstance(entry, dict) or not entry.get("name") or not entry.get("url"):
            raise FeedConfigError(f"{path}: feed #{i} needs a `name` and a `url`, got {entry!r}")
        name, url = str(entry["name"]), str(entry["url"]).strip()
        if not _NAME.match(name):
            raise FeedConfigError(f"{path}: feed #{i}: name {name!r} must be lower-case letters, "
                                  "digits, - or _ (at most 63)")
        if name in names:
            raise FeedConfigError(f"{path}: feed name {name!r} is used twice")
        names.add(name)
        feeds.append(Feed(name, _resolve(url, path.parent, where=f"{path}: feed {name!r}")))
    try:
        timeout = float(spec.get("timeout_seconds", DEFAULT_TIMEOUT))
        max_bytes = int(spec.get("max_bytes", DEFAULT_MAX_BYTES))
    except (TypeError, ValueError):
        raise FeedConfigError(f"{path}: timeout_seconds and max_bytes must be numbers") from None
    if not (0 < timeout <= 300 and max_bytes > 0):
        raise FeedConfigError(f"{path}: timeout_seconds must be in (0, 300] and max_bytes > 0")
    return FeedConfig(tuple(feeds), timeout, max_bytes)


def _resolve(url: str, base: Path, *, where: str) -> str:
    scheme = urlsplit(url).scheme
    if scheme in ("http", "https", "file"):
        return url
    if scheme and len(scheme) > 1:  # a one-letter "scheme" is a Windows drive
        raise FeedConfigError(f"{where}: URL scheme {scheme!r} is not supported "
                              "(http, https, file or a path)")
    return (base / url).resolve().as_uri()


@dataclass(frozen=True)
class Fetched:
    status: Literal["ok", "not_modified", "failed"]
    body: bytes | None = None
    content_type: str | None = None
    etag: str | None = None           # to send back as If-None-Match next time
    last_modified: str | None = None  # to send back as If-Modified-Since next time
    message: str = ""                 # why it failed, naming the feed


def fetch(feed: Feed, *, etag: str | None = None, last_modified: str | None = None,
          timeout: float = DEFAULT_TIMEOUT, max_bytes: int = DEFAULT_MAX_BYTES) -> Fetched:
    """The feed's bytes, or 304 when unchanged since `etag`/`last_modified`, or why not."""
    where = f"feed {feed.name!r} ({feed.url})"
    try:
        if feed.is_http:
            return _fetch_http(feed, etag, last_modified, timeout, max_bytes)
        return _read_file(feed, max_bytes)
    except _TooBig:
        return Fetched("failed", message=f"{where}: larger than {max_bytes:,} bytes; refused")
    except (TimeoutError, _Deadline):
        return Fetched("failed", message=f"{where}: no complete answer within {timeout:g} s "
                                         "(timed out); the items stored before are kept")
    except urllib.error.HTTPError as exc:
        return Fetched("failed", message=f"{where}: HTTP {exc.code} {exc.reason}")
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, TimeoutError) or "timed out" in str(reason):
            return Fetched("failed", message=f"{where}: no answer within {timeout:g} s "
                                             "(timed out); the items stored before are kept")
        return Fetched("failed", message=f"{where}: cannot connect ({reason})")
    except OSError as exc:
        return Fetched("failed", message=f"{where}: cannot read ({exc.strerror or exc})")


class _TooBig(Exception):
    pass


class _Deadline(Exception):
    pass


def _read_file(feed: Feed, max_bytes: int) -> Fetched:
    path = Path(urllib.request.url2pathname(urlsplit(feed.url).path))
    if path.stat().st_size > max_bytes:
        raise _TooBig
    return Fetched("ok", body=path.read_bytes())


# Only HTTP(S): a redirect cannot lead to file:// or ftp://.
_OPENER = urllib.request.OpenerDirector()
for _handler in (urllib.request.ProxyHandler(), urllib.request.HTTPHandler(),
                 urllib.request.HTTPSHandler(), urllib.request.HTTPRedirectHandler(),
                 urllib.request.HTTPDefaultErrorHandler(), urllib.request.HTTPErrorProcessor()):
    _OPENER.add_handler(_handler)


def _fetch_http(feed: Feed, etag, last_modified, timeout: float, max_bytes: int) -> Fetched:
    headers = {"User-Agent": USER_AGENT,
               "Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9, "
                         "text/xml;q=0.8, */*;q=0.1"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    deadline = time.monotonic() + timeout
    request = urllib.request.Request(feed.url, headers=headers)
    try:
        # _OPENER has HTTP(S) handlers only (B310 is about file:// and custom schemes)
        response = _OPENER.open(request, timeout=timeout)  # nosec B310
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            return Fetched("not_modified", etag=exc.headers.get("ETag") or etag,
                           last_modified=exc.headers.get("Last-Modified") or last_modified)
        raise
    with response:
        declared = response.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > max_bytes:
            raise _TooBig
        chunks, size = [], 0
        while chunk := response.read1(_CHUNK):  # what has arrived: each wait ≤ `timeout`
            size += len(chunk)
            if size > max_bytes:
                raise _TooBig
            if time.monotonic() > deadline:     # a server trickling bytes forever
                raise _Deadline
            chunks.append(chunk)
        return Fetched("ok", body=b"".join(chunks),
                       content_type=response.headers.get("Content-Type"),
                       etag=response.headers.get("ETag"),
                       last_modified=response.headers.get("Last-Modified"))

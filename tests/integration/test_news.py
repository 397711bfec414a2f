"""The news pipeline on real PostgreSQL: the test feeds loaded, a rerun changes nothing, failed
feeds keep stored items; conditional GET (304) and timeouts against loopback HTTP servers."""

from __future__ import annotations

import http.server
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from tanso.news.feeds import Feed, fetch
from tests.conftest import run_cli

pytestmark = [pytest.mark.integration]

FEEDS = Path(__file__).parents[1] / "data" / "feeds"
# Real project ids and names (VROD v2025-12) that the sample feeds mention, and two that must
# not link by name.
PROJECTS = {
    "VCS612": "The Kasigau Corridor REDD Project - Phase II The Community Ranches",
    "GLD3041": "Soke Wind Power Plant Project",
    "VCS674": "Rimba Raya Biodiversity Reserve Project",
    "VCS1477": "Katingan Peatland Restoration and Conservation Project",
    "CAR591": "Martinsville Methane Collection Project",
    "ACR1077": "International Destruction - 2025001",
    "GLD769": "Stoves for Life: Energy Efficient Cook Stoves Project in Kakamega Kenya",
    "ART101": "Costa Rica",
    "ART102": "Guyana",
}
TABLES = ("core.news_item_projects", "core.news_items", "core.news_feeds")


@pytest.fixture
def news_db(backend):
    """The backend with empty news tables and the projects above (removed after, unless they
    were there already, e.g. from a VCM load)."""
    engine = backend.engine
    with engine.begin() as conn:
        for table in TABLES:
            conn.execute(sa.text(f"DELETE FROM {table}"))
        present = set(conn.execute(sa.text("SELECT project_id FROM core.vcm_projects WHERE "
                                           "project_id = ANY(:ids)"), {"ids": list(PROJECTS)})
                      .scalars())
        added = [pid for pid in PROJECTS if pid not in present]
        for pid in added:
            conn.execute(sa.text(
                "INSERT INTO core.vcm_projects (project_id, registry, name, sources, in_vrod, "
                "in_offsetsdb, in_registry_export) VALUES (:id, 'test', :name, 'test', true, "
                "false, false)"), {"id": pid, "name": PROJECTS[pid]})
    yield backend
    with engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM core.vcm_projects WHERE project_id = ANY(:ids)"),
                     {"ids": added})
    engine.dispose()


def snapshot(engine) -> dict:
    with engine.connect() as conn:
        return {
            "items": conn.execute(sa.text(
                "SELECT item_key, feed, title, summary, link, published_at, first_seen_at, "
                "content_hash FROM core.news_items ORDER BY item_key")).all(),
            "links": conn.execute(sa.text(
                "SELECT item_key, project_id, matched_by FROM core.news_item_projects "
                "ORDER BY 1, 2")).all(),
        }


def test_pipeline_loads_the_test_feeds_and_a_rerun_changes_nothing(news_db):
    first = news_db.cli("pipeline", "run", "news", "-p", f"feeds={FEEDS / 'feeds.yaml'}",
                        check=False)
    assert first.returncode != 0  # two configured feeds are broken on purpose
    output = first.stdout + first.stderr
    assert "2 of 7 feed(s) failed" in output
    assert "feed 'error-page': not a readable RSS or Atom feed" in output
    assert "feed 'missing'" in output and "cannot read" in output
    engine = news_db.engine
    before = snapshot(engine)
    assert len(before["items"]) == 14
    with engine.connect() as conn:
        by_project = dict(conn.execute(sa.text(
            "SELECT project_id, count(*) FROM core.news_item_projects GROUP BY 1")).all())
        status = dict(conn.execute(sa.text("SELECT feed, status FROM core.news_feeds")).all())
        undated = conn.execute(sa.text(
            "SELECT count(*) FROM core.news_items WHERE published_at IS NULL")).scalar_one()
        hostile = conn.execute(sa.text(
            "SELECT title FROM core.news_items WHERE feed = 'hostile' ORDER BY title")).scalars().all()
    # VCS612: the Kasigau story (id + name) and the hostile title; CAR591 and VCS1477 by id,
    # Katingan also by name; no jurisdiction (Guyana, Costa Rica) links by its short name
    assert by_project == {"VCS612": 2, "GLD3041": 1, "VCS674": 2, "VCS1477": 2, "CAR591": 1,
                          "ACR1077": 1, "GLD769": 1}
    assert status["error-page"] == "failed" and status["market-wire"] == "ok"
    assert undated == 3  # one per feed without a date, and the far-future one
    assert hostile == ['CDATA title "quoted" & bold', "Far-future date is not trusted",
                       "Hostile title VCS612", "double-escaped"]

    news_db.cli("pipeline", "run", "news", "-p", f"feeds={FEEDS / 'feeds.yaml'}", check=False)
    assert snapshot(engine) == before


def test_a_failing_feed_keeps_the_items_it_stored_before(news_db, tmp_path):
    feed = tmp_path / "feed.xml"
    feed.write_bytes((FEEDS / "registry_atom.xml").read_bytes())
    config = tmp_path / "feeds.yaml"
    config.write_text("feeds:\n  - {name: watch, url: feed.xml}\n")
    news_db.cli("pipeline", "run", "news", "-p", f"feeds={config}")
    before = snapshot(news_db.engine)
    assert len(before["items"]) == 4
    feed.write_text("<html>not a feed any more</html>")
    failed = news_db.cli("pipeline", "run", "news", "-p", f"feeds={config}", check=False)
    assert failed.returncode != 0
    assert "feed 'watch': not a readable RSS or Atom feed" in failed.stdout + failed.stderr
    assert snapshot(news_db.engine) == before
    with news_db.engine.connect() as conn:
        row = conn.execute(sa.text("SELECT status, message, succeeded_at IS NOT NULL AS ok_before "
                                   "FROM core.news_feeds WHERE feed = 'watch'")).one()
    assert row.status == "failed" and row.message.startswith("feed 'watch': not a readable")
    assert row.ok_before


class FeedServer(http.server.ThreadingHTTPServer):
    """Serves one feed with an ETag and Last-Modified, answers 304 to a matching conditional GET
    and records the conditional headers of every request."""

    daemon_threads = True

    def __init__(self, body: bytes):
        self.body, self.requests = body, []
        super().__init__(("127.0.0.1", 0), _FeedHandler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/feed.xml"


class _FeedHandler(http.server.BaseHTTPRequestHandler):
    ETAG, MODIFIED = '"v1"', "Mon, 30 Nov 2026 10:00:00 GMT"

    def do_GET(self):
        etag, since = self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since")
        self.server.requests.append((etag, since))
        if etag == self.ETAG or (etag is None and since == self.MODIFIED):
            self.send_response(304)
            self.send_header("ETag", self.ETAG)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
        self.send_header("ETag", self.ETAG)
        self.send_header("Last-Modified", self.MODIFIED)
        self.send_header("Content-Length", str(len(self.server.body)))
        self.end_headers()
        self.wfile.write(self.server.body)

    def log_message(self, *args):
        pass


@contextmanager
def serving(server) -> Iterator:
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def test_conditional_get_sends_back_the_etag_and_a_304_changes_nothing(news_db, tmp_path):
    with serving(FeedServer((FEEDS / "market_rss.xml").read_bytes())) as server:
        config = tmp_path / "feeds.yaml"
        config.write_text(f"feeds:\n  - {{name: wire, url: '{server.url}'}}\n")
        news_db.cli("pipeline", "run", "news", "-p", f"feeds={config}")
        before = snapshot(news_db.engine)
        with news_db.engine.connect() as conn:
            state = conn.execute(sa.text("SELECT etag, last_modified, status FROM core.news_feeds "
                                         "WHERE feed = 'wire'")).one()
        assert tuple(state) == ('"v1"', "Mon, 30 Nov 2026 10:00:00 GMT", "ok")
        assert len(before["items"]) == 4

        second = news_db.cli("pipeline", "run", "news", "-p", f"feeds={config}")
        assert "rows=0" in second.stdout
        with news_db.engine.connect() as conn:
            status = conn.execute(sa.text("SELECT status FROM core.news_feeds "
                                          "WHERE feed = 'wire'")).scalar_one()
    assert server.requests == [(None, None), ('"v1"', "Mon, 30 Nov 2026 10:00:00 GMT")]
    assert status == "not_modified"
    assert snapshot(news_db.engine) == before


@contextmanager
def hanging_server(*, trickle: bool) -> Iterator[str]:
    """Accepts connections and never answers (or sends a byte a second forever)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    stop = threading.Event()
    held = []

    def serve():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            held.append(conn)
            if trickle:
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n\r\n")
                threading.Thread(target=_drip, args=(conn, stop), daemon=True).start()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/feed.xml"
    finally:
        stop.set()
        thread.join()
        for conn in held:
            conn.close()
        listener.close()


def _drip(conn, stop):
    while not stop.wait(0.3):
        try:
            conn.sendall(b" ")
        except OSError:
            return


@pytest.mark.parametrize("trickle", [False, True], ids=["silent", "trickling"])
def test_a_hanging_server_times_out_with_a_message(trickle):
    with hanging_server(trickle=trickle) as url:
        result = fetch(Feed("slow", url), timeout=1.0)
    assert result.status == "failed"
    assert result.message.startswith(f"feed 'slow' ({url}): no ")
    assert "within 1 s (timed out)" in result.message


def test_a_hanging_feed_fails_the_step_and_keeps_stored_items(news_db, tmp_path):
    good = tmp_path / "good.xml"
    good.write_bytes((FEEDS / "registry_atom.xml").read_bytes())
    with hanging_server(trickle=False) as url:
        config = tmp_path / "feeds.yaml"
        config.write_text("timeout_seconds: 1\nfeeds:\n  - {name: good, url: good.xml}\n"
                          f"  - {{name: slow, url: '{url}'}}\n")
        result = news_db.cli("pipeline", "run", "news", "-p", f"feeds={config}", check=False)
    assert result.returncode != 0
    assert "1 of 2 feed(s) failed" in result.stdout + result.stderr
    assert "feed 'slow'" in result.stdout + result.stderr
    assert len(snapshot(news_db.engine)["items"]) == 4  # the good feed's items were saved


def test_project_page_lists_the_news_of_its_project(news_db):
    import param

    from tanso.ui.vcm.news import ProjectNews

    news_db.cli("pipeline", "run", "news", "-p", f"feeds={FEEDS / 'feeds.yaml'}", check=False)

    class Store(param.Parameterized):
        project = param.String(default="VCS1477")
        lang = param.String(default="en")

    store = Store()
    store.engine = news_db.engine
    view = ProjectNews(store=store)
    texts = [str(pane.object) for pane in view._items.objects]
    assert len(texts) == 2
    assert any("GS769 and VCS 1477 in one story" in t for t in texts)
    store.project = "ART102"  # Guyana: named in stories, never linked by that short name
    assert [str(p.object) for p in view._items.objects] == ["No news item mentions this project."]


def dated_feed(days_ago: dict[str, int]) -> str:
    """An RSS feed of one item per guid, dated that many days before now (the retention test
    must not depend on when it runs)."""
    now = datetime.now(UTC)
    entries = "".join(
        f"<item><title>{guid}: VCS612</title><guid isPermaLink='false'>{guid}</guid>"
        f"<pubDate>{format_datetime(now - timedelta(days=days))}</pubDate></item>"
        for guid, days in days_ago.items())
    return f"<?xml version='1.0'?><rss version='2.0'><channel><title>t</title>{entries}</channel></rss>"


def test_retention_removes_old_items_and_those_past_a_feeds_count_at_the_end_of_a_run(news_db,
                                                                                     tmp_path):
    engine = news_db.engine
    now = datetime.now(UTC)
    with engine.begin() as conn:   # a feed no longer configured: one old item, one recent
        for key, days in (("gone-old", 400), ("gone-recent", 5)):
            conn.execute(sa.text(
                "INSERT INTO core.news_items (item_key, feed, title, content_hash, published_at, "
                "first_seen_at) VALUES (:key, 'gone', :title, :key, :at, :at)"),
                {"key": key, "title": f"{key}: VCS612", "at": now - timedelta(days=days)})
            conn.execute(sa.text(
                "INSERT INTO core.news_item_projects VALUES (:key, 'VCS612', 'id', 'VCS612')"),
                {"key": key})
    (tmp_path / "wire.xml").write_text(dated_feed({"d1": 1, "d2": 2, "d3": 3, "d40": 40}))
    config = tmp_path / "feeds.yaml"
    config.write_text("feeds:\n  - {name: wire, url: wire.xml}\n")
    env = news_db.env | {"TANSO_NEWS_KEEP_DAYS": "30", "TANSO_NEWS_KEEP_PER_FEED": "2"}

    run_cli("pipeline", "run", "news", "-p", f"feeds={config}", env=env)
    with engine.connect() as conn:
        titles = sorted(conn.execute(sa.text("SELECT title FROM core.news_items")).scalars())
        linked = sorted(conn.execute(sa.text(
            "SELECT i.title FROM core.news_item_projects l JOIN core.news_items i USING (item_key) "
            "WHERE l.project_id = 'VCS612'")).scalars())
    # d3 is the wire's third newest, d40 older than 30 days: neither stored; gone-old removed
    # with its link
    assert titles == ["d1: VCS612", "d2: VCS612", "gone-recent: VCS612"]
    assert linked == titles

    before = snapshot(engine)   # the feed still lists d3 and d40: they do not come back
    run_cli("pipeline", "run", "news", "-p", f"feeds={config}", env=env)
    assert snapshot(engine) == before

    bad = run_cli("pipeline", "run", "news", "-p", f"feeds={config}", check=False,
                  env=env | {"TANSO_NEWS_KEEP_DAYS": "a year"})
    assert bad.returncode != 0
    assert "TANSO_NEWS_KEEP_DAYS='a year' must be a whole number of at least 1" in (
        bad.stdout + bad.stderr)
    assert snapshot(engine) == before

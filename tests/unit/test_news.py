"""tanso.news on the sample feeds of tests/data/feeds: parsing, plain text, dates, duplicates,
malformed and hostile input, project linking, configuration, one run without a database.
Expected values are read off the sample files by hand."""

from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest

from tanso.errors import UserError
from tanso.news import batch, items, links, retention
from tanso.news.feeds import FeedConfigError, Fetched, config_path, read_config

FEEDS = Path(__file__).parents[1] / "data" / "feeds"
NOW = datetime(2026, 12, 2, tzinfo=UTC)


def parse(name: str, feed: str = "test") -> items.ParsedFeed:
    return items.parse_feed((FEEDS / name).read_bytes(), feed=feed, now=NOW)


def test_rss_items_are_normalised():
    parsed = parse("market_rss.xml", "market-wire")
    frame = parsed.items
    assert len(frame) == 5   # the duplicate is still there: de-duplication is a separate step
    first = frame.iloc[0]
    assert first.title == "Verra issues credits to VCS612 after Kasigau monitoring report"
    assert first.link == "https://news.example.org/2026/12/kasigau-issuance"
    assert first.summary == ("The registry approved a new issuance for The Kasigau Corridor REDD "
                             "Project - Phase II The Community Ranches in Kenya.")
    assert first.published_at == pd.Timestamp("2026-12-01 08:30", tz="UTC")
    # "Mon, 30 Nov 2026 14:00:00 +0900" is 05:00 UTC
    assert frame.iloc[1].published_at == pd.Timestamp("2026-11-30 05:00", tz="UTC")
    assert frame.iloc[1].guid == "cmw-2026-11-0042"


def test_atom_entries_dates_and_html_titles():
    frame = parse("registry_atom.xml").items.set_index("link")
    base = "https://registry-watch.example.net/entries/"
    # published wins over updated; updated when there is no published (+01:00 → UTC)
    assert frame.loc[base + "acr1077-vintage", "published_at"] == pd.Timestamp("2026-11-28 09:15", tz="UTC")
    assert frame.loc[base + "two-reviews", "published_at"] == pd.Timestamp("2026-11-20 15:45", tz="UTC")
    # type="html" title "Katingan &amp;amp; Martinsville" is the text "Katingan & Martinsville"
    assert frame.loc[base + "two-reviews", "title"] == "Katingan & Martinsville: two reviews"
    # an xhtml title loses its markup, keeps its words
    assert frame.loc[base + "cookstoves", "title"] == "Cookstoves: GS769 and VCS 1477 in one story"
    assert frame.loc[base + "acr1077-vintage", "summary"] == (
        "International Destruction - 2025001 reported destroyed ODS. See the report.")


def test_missing_dates_are_null_and_said():
    rss, atom = parse("market_rss.xml", "market-wire"), parse("registry_atom.xml", "registry-watch")
    assert rss.items["published_at"].isna().sum() == 1
    assert atom.items["published_at"].isna().sum() == 1
    assert rss.warnings == ["feed 'market-wire': 1 item(s) without a usable date; they are shown "
                            "by the time first seen"]


def test_a_date_far_in_the_future_is_not_believed():
    parsed = parse("hostile_rss.xml", "hostile")
    future = parsed.items.set_index("guid").loc["hostile-4"]
    assert pd.isna(future.published_at)
    assert "1 item(s) without a usable date (1 dated in the future)" in parsed.warnings[0]


def test_hostile_titles_and_summaries_become_plain_text():
    frame = parse("hostile_rss.xml").items.set_index("guid")
    one, two, three = frame.loc["hostile-1"], frame.loc["hostile-2"], frame.loc["hostile-3"]
    assert one.title == "Hostile title VCS612"          # the <img> tag is gone
    assert pd.isna(one.link)                             # javascript: is not a link
    assert one.summary == "Summary with a link"          # script, handlers and iframe gone
    assert two.title == 'CDATA title "quoted" & bold'    # script removed with its content
    assert "<" not in two.summary and "alert(108)" not in two.summary
    # markup escaped twice is still markup: removed, no tag is ever stored
    assert three.title == "double-escaped"
    assert three.summary == "$$\\href{javascript:alert(114)}{x}$$"   # inert text (escaped on the page)
    for text in frame["title"].tolist() + frame["summary"].tolist():
        assert "<script" not in text.lower() and "onerror=alert(101)" not in text


def test_plain_text_caps_length_and_drops_control_characters():
    assert items.plain_text("a\x00b\u202ec  \n d", limit=50) == "abc d"
    long = items.plain_text("word " * 100, limit=20)
    assert len(long) == 20 and long.endswith("…")
    assert items.http_url("HTTPS://x.example/a") == "HTTPS://x.example/a"
    for bad in ("javascript:alert(1)", "//x.example", "http://", "https://a b", "data:text/html,x"):
        assert items.http_url(bad) is None


def test_malformed_xml_recovers_items_and_says_so():
    parsed = parse("malformed_rss.xml", "broken")
    assert parsed.items["title"].tolist() == ["Recovered item about VCS674 & friends"]
    assert parsed.warnings[0].startswith("feed 'broken': the XML is malformed (line 8:")
    assert parsed.warnings[0].endswith("1 item(s) were recovered")


@pytest.mark.parametrize("body", [(FEEDS / "not_a_feed.html").read_bytes(), b"", b"\x00\xff{json}"])
def test_what_is_not_a_feed_is_a_clear_error(body):
    with pytest.raises(items.FeedError, match=r"^feed 'error-page': not a readable RSS or Atom feed"):
        items.parse_feed(body, feed="error-page", now=NOW)


def test_duplicates_by_key_then_by_content():
    rss = parse("market_rss.xml", "market-wire").items
    mirror = parse("syndicated_rss.xml", "syndicated").items
    both = items.deduplicate(pd.concat([rss, mirror], ignore_index=True))
    # 5 RSS items (one repeated guid) + 2 mirror items (one the same story under its own guid)
    assert len(both) == 5
    assert "mirror-7781" not in both["guid"].tolist()
    assert "mirror-7782" in both["guid"].tolist()


def test_a_story_stored_under_another_key_is_not_stored_again():
    rss = parse("market_rss.xml", "market-wire").items
    stored = pd.DataFrame({"item_key": ["old-key"], "content_hash": [rss.iloc[0].content_hash]})
    kept = items.deduplicate(rss, stored)
    assert rss.iloc[0].item_key not in kept["item_key"].tolist()
    assert len(kept) == 3


def test_keys_are_stable_and_edits_keep_first_seen():
    once = parse("market_rss.xml", "market-wire").items
    again = parse("market_rss.xml", "market-wire").items
    assert once["item_key"].tolist() == again["item_key"].tolist()
    # the same guid in another feed is another item
    assert items.item_key("a", "g1", None, "h") != items.item_key("b", "g1", None, "h")
    seen = pd.Timestamp("2026-11-01", tz="UTC")
    stored = once.drop_duplicates("item_key").assign(first_seen_at=seen)
    assert items.changed(again.drop_duplicates("item_key"), stored).empty
    edited = again.drop_duplicates("item_key").copy()
    edited.loc[0, "content_hash"] = "edited"
    out = items.changed(edited, stored)
    assert out["item_key"].tolist() == [edited.loc[0, "item_key"]]
    assert out["first_seen_at"].tolist() == [seen]


PROJECTS = pd.DataFrame([
    ("VCS612", "The Kasigau Corridor REDD Project - Phase II The Community Ranches"),
    ("GLD3041", "Soke Wind Power Plant Project"),
    ("VCS674", "Rimba Raya Biodiversity Reserve Project"),
    ("ART102", "Guyana"), ("ART101", "Costa Rica"),
    ("VCS2023", "Wind Power Project"), ("CAR2024", "Solar Power Project"),
    ("VCS100", "Improved Cookstoves in Ghana"), ("VCS101", "Improved Cookstoves in Ghana"),
    ("ACR1077", "International Destruction - 2025001"),
], columns=["project_id", "name"])


def matched(text: str) -> list[tuple[str, str]]:
    return [(pid, how) for pid, how, _ in links.ProjectMatcher(PROJECTS).match(text)]


def test_ids_link_in_their_spellings_and_gs_is_gold_standard():
    assert matched("Credits to VCS612 and GS 3041; ACR-1077 too") == [
        ("VCS612", "id"), ("GLD3041", "id"), ("ACR1077", "id")]
    assert matched("GLD3041 again") == [("GLD3041", "id")]


def test_ids_that_do_not_link():
    assert matched("vcs612 in lower case, VCS6120, XVCS612, VCS612.5, VCS9999999") == []
    # with a space, a year is a year: "the VCS 2023 rules", "CAR 2024 update"
    assert matched("the VCS 2023 rules and CAR 2024 update") == []
    assert matched("VCS2023 written as an id") == [("VCS2023", "id")]


def test_distinctive_names_link_exactly():
    assert matched("the soke wind power plant project, verified") == [("GLD3041", "name")]
    assert matched("Rimba Raya Biodiversity Reserve Project: review") == [("VCS674", "name")]
    # a part of the name, or another word form, is not the name
    assert matched("Rimba Raya Biodiversity Reserve review") == []
    assert matched("Soke Wind Power Plant Projects") == []


def test_short_common_and_shared_names_never_link():
    text = ("Guyana and Costa Rica sell jurisdictional credits; a Wind Power Project and a "
            "Solar Power Project; Improved Cookstoves in Ghana are popular.")
    assert matched(text) == []
    assert not links.distinctive("Guyana")
    assert not links.distinctive("Wind Power Project")
    assert not links.distinctive("Costa Rica Forest Project")
    assert links.distinctive("International Destruction - 2025001")


def test_link_items_one_row_per_project_id_first():
    frame = pd.DataFrame({"item_key": ["k1", "k2"],
                          "title": ["VCS612 news", "nothing"],
                          "summary": ["The Kasigau Corridor REDD Project - Phase II The Community "
                                      "Ranches and Soke Wind Power Plant Project", ""]})
    out = links.link_items(frame, PROJECTS)
    assert out[["item_key", "project_id", "matched_by"]].values.tolist() == [
        ["k1", "VCS612", "id"], ["k1", "GLD3041", "name"]]


def test_config_resolves_paths_and_refuses_mistakes(tmp_path):
    config = read_config(FEEDS / "feeds.yaml")
    assert config.timeout == 5
    assert config.feeds[0].name == "market-wire"
    assert config.feeds[0].url == (FEEDS / "market_rss.xml").resolve().as_uri()
    cases = {"feeds: []": "must be a non-empty list",
             "feeds: [{name: Bad Name, url: x.xml}]": "must be lower-case",
             "feeds: [{name: a, url: x.xml}, {name: a, url: y.xml}]": "used twice",
             "feeds: [{name: a, url: 'ftp://x/y.xml'}]": "scheme 'ftp' is not supported",
             "feeds: [{name: a}]": "needs a `name` and a `url`",
             "timeout_seconds: 0\nfeeds: [{name: a, url: x.xml}]": "timeout_seconds must be"}
    for text, message in cases.items():
        path = tmp_path / "feeds.yaml"
        path.write_text(text)
        with pytest.raises(FeedConfigError, match=message):
            read_config(path)


def test_default_configuration_reads_the_shipped_offline_sample():
    config = read_config(Path(__file__).parents[2] / "catalog" / "feeds.yaml")
    assert [f.url.startswith("file://") for f in config.feeds] == [True, True]
    for feed in config.feeds:
        assert Path(feed.url.removeprefix("file://")).exists()


def _stored():
    return pd.DataFrame(columns=list(batch.STORED_COLUMNS))


def test_a_run_without_database_reports_each_failed_feed():
    config = read_config(FEEDS / "feeds.yaml")
    news = batch.collect(config, state=pd.DataFrame(), stored=_stored(), projects=PROJECTS, now=NOW)
    status = dict(zip(news.feeds["feed"], news.feeds["status"], strict=True))
    assert status == {"market-wire": "ok", "registry-watch": "ok", "hostile": "ok", "broken": "ok",
                      "syndicated": "ok", "error-page": "failed", "missing": "failed"}
    assert news.failed == ["error-page", "missing"]
    # 5 + 4 + 4 + 1 + 2 parsed; minus the repeated guid and the syndicated copy
    assert len(news.items) == 14
    assert (news.items["first_seen_at"] == pd.Timestamp(NOW)).all()
    assert any(m.startswith("feed 'missing' (file://") and "cannot read" in m for m in news.messages)
    message = str(batch.FeedsFailed(news))
    assert message.startswith("2 of 7 feed(s) failed; the others were loaded")


def test_a_failed_or_unchanged_feed_keeps_its_conditional_get_state():
    config = read_config(FEEDS / "feeds.yaml")
    config = type(config)(config.feeds[:2], config.timeout, config.max_bytes)
    state = pd.DataFrame([{"feed": f.name, "url": f.url, "etag": f'"e-{f.name}"',
                           "last_modified": "Mon, 30 Nov 2026 00:00:00 GMT",
                           "succeeded_at": pd.Timestamp("2026-11-30", tz="UTC"),
                           "items_in_feed": 4} for f in config.feeds])
    asked = {}

    def fetch(feed, *, etag, last_modified, timeout, max_bytes):
        asked[feed.name] = (etag, last_modified)
        if feed.name == "market-wire":
            return Fetched("not_modified", etag=etag, last_modified=last_modified)
        return Fetched("failed", message=f"feed {feed.name!r}: HTTP 503 Service Unavailable")

    news = batch.collect(config, state=state, stored=_stored(), projects=PROJECTS, now=NOW,
                         fetch=fetch)
    assert asked["market-wire"] == ('"e-market-wire"', "Mon, 30 Nov 2026 00:00:00 GMT")
    rows = news.feeds.set_index("feed")
    assert rows.loc["market-wire", "status"] == "not_modified"
    assert rows.loc["market-wire", "succeeded_at"] == pd.Timestamp(NOW)
    assert rows.loc["registry-watch", "status"] == "failed"
    assert rows.loc["registry-watch", "etag"] == '"e-registry-watch"'       # kept for next time
    assert rows.loc["registry-watch", "succeeded_at"] == pd.Timestamp("2026-11-30", tz="UTC")
    assert news.items.empty and news.messages == ["feed 'registry-watch': HTTP 503 Service Unavailable"]


def test_a_feed_moved_to_a_new_url_is_not_asked_conditionally():
    config = read_config(FEEDS / "feeds.yaml")
    config = type(config)(config.feeds[:1], config.timeout, config.max_bytes)
    state = pd.DataFrame([{"feed": "market-wire", "url": "https://old.example/feed", "etag": "x",
                           "last_modified": None, "succeeded_at": None, "items_in_feed": 1}])
    asked = []
    batch.collect(config, state=state, stored=_stored(), projects=PROJECTS, now=NOW,
                  fetch=lambda feed, **kw: asked.append(kw["etag"]) or Fetched("ok", body=b""))
    assert asked == [None]


def test_news_markup_escapes_every_feed_value():
    from tanso.ui.news import item_markup

    row = pd.Series({"title": "<img src=x onerror=alert(1)>", "link": "javascript:alert(2)",
                     "summary": "[x](javascript:alert(3)) <script>alert(4)</script>",
                     "feed": "f", "published_at": pd.Timestamp("2026-12-01", tz="UTC"),
                     "first_seen_at": pd.Timestamp("2026-12-02", tz="UTC"), "date_missing": False,
                     "projects": "VCS612"})
    text = str(item_markup(row, "en"))
    assert "<img" not in text and "<script" not in text and "javascript:" not in text.replace(
        "javascript\\:", "")
    assert '<a href="./vcm_explorer?tab=project&amp;project=VCS612&amp;lang=en"' in text
    undated = item_markup(row.copy().replace({False: True}), "en")
    assert "date not given \\(first seen 2026\\-12\\-02\\)" in str(undated)


PAYLOADS = [line for line in (Path(__file__).parents[1] / "data" / "xss_payloads.txt")
            .read_text().splitlines() if line and not line.startswith("#")]


def xss_feed() -> bytes:
    """An RSS feed whose every title and summary is a payload of the corpus: once escaped as
    XML text (the feed says HTML), once in CDATA."""
    from xml.sax.saxutils import escape

    entries = []
    for i, payload in enumerate(PAYLOADS):
        cdata = payload.replace("]]>", "]]]]><![CDATA[>")
        entries.append(f"<item><title>{escape(payload)} #{i}</title>"
                       f"<link>https://xss.example/{i}</link><guid>xss-{i}</guid>"
                       f"<pubDate>Sun, 29 Nov 2026 12:00:00 GMT</pubDate>"
                       f"<description><![CDATA[{cdata}]]></description></item>")
    return ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
            "<title>XSS corpus</title><link>https://xss.example/</link><description>x</description>"
            + "".join(entries) + "</channel></rss>").encode()


def test_every_payload_of_the_corpus_is_stored_without_any_tag():
    import re

    frame = items.parse_feed(xss_feed(), feed="xss", now=NOW).items
    assert len(frame) == len(PAYLOADS)
    for text in frame["title"].tolist() + frame["summary"].tolist():
        assert not re.search(r"<\s*[a-zA-Z/!?]", text), text   # plain text: no tag at all


def test_every_payload_renders_inert_through_safe():
    import re

    from markdown_it import MarkdownIt

    from tanso.ui.news import item_markup

    # Rendered as Panel's Markdown pane does (raw HTML passes), without the pane's nh3 pass:
    # the escaping of item_markup alone must make every payload inert.
    render = MarkdownIt("commonmark", {"html": True}).render
    frame = items.parse_feed(xss_feed(), feed="xss", now=NOW).items
    frame = frame.assign(first_seen_at=pd.Timestamp(NOW), date_missing=False, projects="VCS612")
    # and the raw payloads, as if a row held them (the page must not rely on the pipeline's cleaning)
    raw = pd.DataFrame({"title": PAYLOADS, "summary": PAYLOADS, "link": None, "feed": "<b>f</b>",
                        "published_at": pd.Timestamp(NOW), "first_seen_at": pd.Timestamp(NOW),
                        "date_missing": False, "projects": "VCS612"})
    for row in [*frame.itertuples(index=False), *raw.itertuples(index=False)]:
        html = render(str(item_markup(row, "en")))
        tags = set(re.findall(r"<\s*([a-zA-Z0-9]+)", html))
        assert tags <= {"p", "strong", "a", "br"}, (row.title, html)
        assert not re.search(r"href=\"\s*javascript", html, re.IGNORECASE), html
        assert not re.search(r"<[^>]+\son[a-z]+\s*=", html), html   # no event handler attribute


def _dated(key, feed, published, first_seen="2026-12-01"):
    return {"item_key": key, "feed": feed,
            "published_at": pd.Timestamp(published, tz="UTC") if published else pd.NaT,
            "first_seen_at": pd.Timestamp(first_seen, tz="UTC")}


def test_retention_removes_by_age_of_the_date_else_first_seen_and_past_the_feed_count():
    rows = pd.DataFrame([
        _dated("a-new", "a", "2026-11-30"),
        _dated("a-mid", "a", "2026-11-20"),
        _dated("a-old", "a", "2026-10-01"),                   # older than 30 days
        _dated("a-undated", "a", None, first_seen="2026-11-25"),   # dated by first seen
        _dated("a-undated-old", "a", None, first_seen="2026-09-01"),
        _dated("b-1", "b", "2026-11-01", first_seen="2026-12-01"),  # its date counts, not first seen
        _dated("b-2", "b", "2026-11-10"),
    ])
    policy = retention.Retention(keep_days=30, keep_per_feed=2)
    # older than 2 November: a-old, a-undated-old and b-1 (first seen yesterday, dated 1 Nov);
    # feed a by date: a-new (30 Nov), a-undated (25 Nov), a-mid (20 Nov): a-mid is third
    assert sorted(retention.expired(rows, policy, NOW)) == ["a-mid", "a-old", "a-undated-old", "b-1"]
    assert sorted(retention.expired(rows, retention.Retention(keep_days=30, keep_per_feed=10),
                                    NOW)) == ["a-old", "a-undated-old", "b-1"]
    assert sorted(retention.expired(rows, retention.Retention(keep_days=3650, keep_per_feed=1),
                                    NOW)) == ["a-mid", "a-old", "a-undated", "a-undated-old", "b-1"]
    # equal dates: the key decides, the same way on every run
    ties = pd.DataFrame([_dated(k, "c", "2026-11-30") for k in ("c-2", "c-1", "c-3")])
    assert list(retention.expired(ties, retention.Retention(keep_per_feed=1), NOW)) == ["c-2", "c-3"]
    assert retention.expired(rows.iloc[:0], policy, NOW).empty


def test_retention_comes_from_the_environment_and_a_bad_value_names_its_variable(monkeypatch):
    monkeypatch.delenv("TANSO_NEWS_KEEP_DAYS", raising=False)
    monkeypatch.delenv("TANSO_NEWS_KEEP_PER_FEED", raising=False)
    assert retention.retention_policy() == retention.Retention(keep_days=365, keep_per_feed=1000)
    monkeypatch.setenv("TANSO_NEWS_KEEP_DAYS", "90")
    monkeypatch.setenv("TANSO_NEWS_KEEP_PER_FEED", "50")
    assert retention.retention_policy() == retention.Retention(keep_days=90, keep_per_feed=50)
    for bad in ("0", "-3", "1.5", "a year"):
        monkeypatch.setenv("TANSO_NEWS_KEEP_DAYS", bad)
        with pytest.raises(UserError, match=f"TANSO_NEWS_KEEP_DAYS='{bad}' must be a whole number"):
            retention.retention_policy()


def test_a_run_neither_stores_nor_links_what_retention_removes_and_lists_the_stored_ones():
    config = read_config(FEEDS / "feeds.yaml")
    config = type(config)(config.feeds[1:2], config.timeout, config.max_bytes)   # registry-watch
    stored = pd.DataFrame([{"item_key": "registry-watch:gone", "feed": "registry-watch",
                            "title": "An old story about VCS612", "summary": "",
                            "content_hash": "h-gone", "published_at": pd.Timestamp("2025-01-01", tz="UTC"),
                            "first_seen_at": pd.Timestamp("2025-01-01", tz="UTC")},
                           {"item_key": "other:kept", "feed": "other", "title": "Kept VCS612",
                            "summary": "", "content_hash": "h-kept", "published_at": pd.NaT,
                            "first_seen_at": pd.Timestamp("2026-11-30", tz="UTC")}])
    everything = batch.collect(config, state=pd.DataFrame(), stored=stored, projects=PROJECTS,
                               now=NOW, retention=retention.Retention(keep_days=3650))
    assert len(everything.items) == 4 and everything.removed == []
    # 10 days: the registry feed's items of 20 and 18 November go, as does the stored 2025 one
    news = batch.collect(config, state=pd.DataFrame(), stored=stored, projects=PROJECTS, now=NOW,
                         retention=retention.Retention(keep_days=10))
    assert news.removed == ["registry-watch:gone"]
    kept = set(news.items["item_key"])
    assert len(kept) == 2 and kept <= set(everything.items["item_key"])
    assert not set(news.links["item_key"]) & ({"registry-watch:gone"}
                                              | set(everything.items["item_key"]) - kept)
    assert "other:kept" in set(news.links["item_key"])
    assert news.fingerprint != everything.fingerprint


def test_the_feeds_file_is_the_step_parameter_else_tanso_news_feeds_else_the_catalogs(monkeypatch):
    root = Path(__file__).parents[2]
    monkeypatch.setenv("TANSO_PROJECT_ROOT", str(root))
    monkeypatch.delenv("TANSO_NEWS_FEEDS", raising=False)
    assert config_path() == root / "catalog" / "feeds.yaml"
    monkeypatch.setenv("TANSO_NEWS_FEEDS", "/app/news-feeds/feeds.yaml")   # the chart's ConfigMap
    assert config_path() == Path("/app/news-feeds/feeds.yaml")
    assert config_path("tests/data/feeds/feeds.yaml") == root / "tests/data/feeds/feeds.yaml"
    monkeypatch.setenv("TANSO_NEWS_FEEDS", " ")
    assert config_path() == root / "catalog" / "feeds.yaml"

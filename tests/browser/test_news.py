"""The news page as a reader sees it: the test feeds' items, undated items said so, failed feeds
named, and every hostile title and summary shown as inert text (a payload that ran would open a
dialog or throw; the test listens for both)."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

FEEDS = Path(__file__).parents[1] / "data" / "feeds" / "feeds.yaml"


@pytest.fixture(scope="module")
def news_url(suite_url, loaded_embedded):
    # two of the test feeds are broken on purpose, so the step fails after loading the others
    loaded_embedded.cli("pipeline", "run", "news", "-p", f"feeds={FEEDS}", check=False)
    return suite_url + "/news"


def test_news_page_shows_items_and_hostile_text_stays_text(page, news_url, artifacts):
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(news_url + "?lang=en")
    expect(page.locator(".news-item").first).to_be_visible(timeout=60000)
    expect(page.get_by_text("Verra issues credits to VCS612 after Kasigau monitoring report")
           .first).to_be_visible()
    expect(page.get_by_text("Katingan & Martinsville: two reviews").first).to_be_visible()
    expect(page.get_by_text("date not given (first seen").first).to_be_visible()
    # hostile input: the words survive as text, the markup does not
    expect(page.get_by_text("Hostile title VCS612").first).to_be_visible()
    expect(page.get_by_text('CDATA title "quoted" & bold').first).to_be_visible()
    expect(page.get_by_text("$$\\href{javascript:alert(114)}{x}$$").first).to_be_visible()
    # failed feeds are named in the feed table
    expect(page.get_by_text("FAILED").first).to_be_visible()
    expect(page.get_by_text("feed 'error-page': not a readable RSS or Atom feed").first).to_be_visible()
    page.wait_for_timeout(1500)  # let deferred handlers (onerror, onload, ontoggle) fire
    text = " ".join(page.locator(".news-item").all_inner_texts())
    assert "alert(101)" not in text and "alert(107)" not in text
    assert page.locator(".news-item script, .news-item img, .news-item iframe, .news-item svg, "
                        ".news-item [onclick], .news-item [onerror]").count() == 0
    hrefs = page.locator(".news-item a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert hrefs and all(h.startswith(("https://", "./vcm_explorer?")) for h in hrefs), hrefs
    page.screenshot(path=artifacts / "news.png", full_page=True)
    assert dialogs == [], f"a payload ran: {dialogs}"
    assert page.js_errors == []


def test_feed_filter_shows_one_feed(page, news_url):
    page.goto(news_url + "?lang=en&feed=registry-watch")
    expect(page.get_by_text("Registry maintenance window").first).to_be_visible(timeout=60000)
    expect(page.locator(".news-item")).to_have_count(4)
    expect(page.get_by_text("Hostile title VCS612")).to_have_count(0)


def test_payloads_in_the_url_run_no_script(page, news_url):
    import urllib.parse

    payloads = [line for line in (Path(__file__).parents[1] / "data" / "xss_payloads.txt")
                .read_text().splitlines() if line and not line.startswith("#")]
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    for i in range(0, len(payloads), 7):
        query = urllib.parse.urlencode({"feed": payloads[i], "lang": payloads[(i + 3) % len(payloads)]})
        page.goto(f"{news_url}?{query}")
        expect(page.locator(".news-item").first).to_be_visible(timeout=60000)  # unknown feed: all
    page.wait_for_timeout(1500)
    assert dialogs == [], f"a payload ran: {dialogs}"
    assert page.js_errors == []


def test_the_whole_payload_corpus_as_news_runs_no_script(page, news_url, loaded_embedded, tmp_path):
    from tests.unit.test_news import PAYLOADS, xss_feed

    (tmp_path / "xss.xml").write_bytes(xss_feed())
    (tmp_path / "feeds.yaml").write_text("feeds:\n  - {name: xss-corpus, url: xss.xml}\n")
    loaded_embedded.cli("pipeline", "run", "news", "-p", f"feeds={tmp_path / 'feeds.yaml'}")
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(news_url + "?lang=en&feed=xss-corpus")
    expect(page.locator(".news-item")).to_have_count(len(PAYLOADS), timeout=60000)
    page.wait_for_timeout(2000)  # let deferred handlers (onerror, onload, ontoggle, autofocus) fire
    assert page.locator(".news-item script, .news-item img, .news-item iframe, .news-item svg, "
                        ".news-item object, .news-item input, .news-item details, "
                        ".news-item [onerror], .news-item [onload]").count() == 0
    assert dialogs == [], f"a payload ran: {dialogs}"
    assert page.js_errors == []

"""The escaping helper: every payload shows as its own text, never as markup (tanso.ui.safe)."""

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tanso.ui import safe
from tanso.ui.i18n import markup

PAYLOADS = [line for line in (Path(__file__).parents[1] / "data" / "xss_payloads.txt").read_text().splitlines()
            if line and not line.startswith("#")]


def rendered(pane) -> str:
    """The HTML Panel would send to the browser for a Markdown/Alert/HTML pane."""
    return html.unescape(pane._transform_object(pane.object)["object"])


def visible_text(markup_html: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", markup_html)).strip()


@pytest.mark.parametrize("payload", PAYLOADS)
def test_escaped_payload_renders_as_its_own_text(payload):
    out = rendered(safe.Markdown(payload))
    tags = re.findall(r"<(\w+)", out)
    assert set(tags) <= {"p", "br"}, out
    assert visible_text(out) == payload.strip()


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_in_a_catalog_message_stays_text(payload):
    message = markup("nt.bad_url", "en", items=payload)
    out = rendered(safe.Alert(message))
    assert set(re.findall(r"<(\w+)", out)) <= {"p", "br"}, out
    assert payload.strip() in visible_text(out)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_user_markdown_keeps_formatting_but_no_script(payload):
    out = rendered(safe.Markdown(safe.user_markdown(payload)))
    tags = re.findall(r"<[^>]*>", out)  # text between tags is escaped; only real tags can act
    assert {re.match(r"</?(\w+)", tag).group(1) for tag in tags} <= safe.ALLOWED_TAGS, out
    assert not any(re.search(r"\son\w+\s*=|javascript:|style=", tag, re.IGNORECASE) for tag in tags), out


@pytest.mark.parametrize("payload", PAYLOADS)
def test_html_pane_escapes_text(payload):
    out = safe.HTML(payload)
    assert out.object == html.escape(payload)
    assert out.sanitize_html


def test_an_unescaped_slip_is_still_cleaned():
    slip = safe.Markup("ok <img src=x onerror=alert(1)> <script>alert(2)</script> [a](javascript:alert(3))")
    out = rendered(safe.Markdown(slip))
    assert "onerror" not in out and "<script" not in out and 'href="javascript' not in out
    assert "ok" in out


def test_setting_object_later_is_escaped_too():
    pane = safe.Alert("fine")
    pane.object = "<img src=x onerror=alert(1)>"
    assert "<img" not in rendered(pane)


def test_formatting_of_trusted_templates_survives():
    out = rendered(safe.Markdown(safe.markdown("**{a}** and `code` {b}", a="Korea", b="*not italic*")))
    assert "<strong>Korea</strong>" in out and "<code>code</code>" in out
    assert "<em>" not in out and "*not italic*" in out


def test_user_markdown_allows_the_basics():
    out = str(safe.user_markdown("# Title\n\n- **a** [site](https://example.org) `x`"))
    assert "<h1>Title</h1>" in out and "<strong>a</strong>" in out and "<code>x</code>" in out
    assert 'href="https://example.org"' in out


def test_links_drop_unsafe_schemes_and_escape_labels():
    assert "javascript" not in safe.link("javascript:alert(1)", "x")
    assert safe.link("./a?b=1&c=2", "<b>", class_="tanso-open") == (
        '<a href="./a?b=1&amp;c=2" class="tanso-open" rel="noopener noreferrer nofollow">&lt;b&gt;</a>')


def test_escape_is_idempotent_on_markup_and_handles_none():
    once = safe.escape("<b>")
    assert safe.escape(once) is once
    assert safe.escape(None) == ""


@pytest.mark.parametrize("payload", PAYLOADS)
def test_choice_label_is_html_that_shows_its_own_text(payload):
    label = safe.choice_label(payload)
    assert "<" not in label and ">" not in label and '"' not in label
    assert html.unescape(label) == payload


@pytest.mark.parametrize("payload", PAYLOADS)
def test_table_cells_titles_classes_and_details_stay_text(payload):
    out = safe.table([payload, "n"], [(payload, "1")], numeric=[1], cell_class=lambda i, text: payload,
                     labelled=True, details=[[(payload, payload)]], css_class="tanso-table stack")
    seen = []

    class Parser(HTMLParser):
        def handle_starttag(self, tag, attrs):
            seen.append((tag, {name for name, _ in attrs}))

    Parser().feed(out)
    assert {tag for tag, _ in seen} <= {"table", "thead", "tbody", "tr", "th", "td", "span"}, out
    assert set().union(*(names for _, names in seen)) <= {"class", "align", "colspan"}, out
    assert payload.strip() in visible_text(out)
    cleaned = safe.clean_html(out)  # what the HTML pane sends keeps the layout: labels, details row
    assert 'colspan="2"' in cleaned and 'class="label"' in cleaned and 'align="right"' in cleaned


def test_table_details_rows_and_labels():
    out = safe.table(["Country", "Latest"], [("Japan", "1,031.6"), ("Korea", "627.0")], numeric=[1],
                     cell_class=lambda i, text: "head" if i == 0 else "", labelled=True,
                     details=[[("Margin", "-89.1")], []])
    assert out.count('<tr class="more">') == 1 and out.count('<tr class="has-more">') == 1
    assert '<td class="head"><span class="label">Country</span>Japan</td>' in out
    assert '<td align="right"><span class="label">Latest</span>627.0</td>' in out
    assert '<span class="item"><span class="label">Margin</span>-89.1</span>' in out


def test_sortable_table_titles_are_marked_for_the_sorting_script_and_survive_cleaning():
    out = safe.table(["Country", "Latest"], [("Japan", "1,031.6")], numeric=[1], sortable=True)
    assert '<table class="tanso-table" data-sortable>' in out
    assert '<th tabindex="0" aria-sort="none" data-sort="text">Country</th>' in out
    assert '<th align="right" tabindex="0" aria-sort="none" data-sort="number">Latest</th>' in out
    cleaned = safe.clean_html(out)  # what the HTML pane sends
    assert "data-sortable" in cleaned and cleaned.count('aria-sort="none"') == 2 and 'data-sort="number"' in cleaned
    assert "data-sort" not in safe.table(["Country"], [("Japan",)])

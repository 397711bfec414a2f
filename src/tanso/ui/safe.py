"""The one way text reaches a Markdown or HTML pane: escaped by default, markup only when marked.

Panel's `Markdown` and `HTML` panes render whatever HTML they are given (Markdown passes raw HTML
through), so a value from a URL, a file, a feed or a user must never be pasted into one as is.

- `escape(value)` makes any value show literally in Markdown or HTML (HTML and Markdown syntax
  neutralised) and marks the result `Markup`.
- `markdown(template, **values)` fills a *trusted* template (our message catalog) with escaped values.
- `user_markdown(text)` is for the few places where a person writes formatted text: the Markdown
  is rendered, then cleaned by nh3 with a short allow-list (no script, no event handlers, no styles,
  links only to http(s)/mailto/relative URLs).
- `Markdown(...)`, `Alert(...)`, `HTML(...)` build panes: a plain `str` is escaped, only `Markup`
  is taken as markup, and the rendered HTML is cleaned by the same nh3 allow-list as a second line
  of defence (a Markdown slip cannot become a script).

Plain-text widgets (labels, Select options, Bokeh titles, Tabulator cells) show text as text: use
`t()` there, not these helpers. One exception: `MultiChoice` option labels are HTML (`choice_label`).
"""

from __future__ import annotations

import html as _html
import re
from functools import lru_cache

import nh3
import panel as pn

# Tags and attributes that Markdown produces, and nothing else (besides what `table` writes: the sorting
# markers read by assets/sort_tables.js).
ALLOWED_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "code", "del", "details", "div", "em", "h1", "h2", "h3", "h4",
    "h5", "h6", "hr", "i", "kbd", "li", "ol", "p", "pre", "s", "small", "span", "strong", "sub", "summary",
    "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
})
ALLOWED_ATTRIBUTES = {"a": {"href", "hreflang", "title"}, "abbr": {"title"}, "table": {"data-sortable"},
                      "th": {"align", "tabindex", "aria-sort", "data-sort"}, "td": {"align", "colspan"},
                      "*": {"class", "id", "data-testid"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})

# Markdown punctuation that could start syntax (CommonMark lets any ASCII punctuation be escaped).
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~=:$^'\"])")


class Markup(str):
    """Text that is safe to put in a Markdown/HTML pane as it is (escaped, or from a trusted template)."""

    __slots__ = ()


def escape(value) -> Markup:
    """``value`` as Markdown/HTML that displays exactly its text; `Markup` passes unchanged."""
    if isinstance(value, Markup):
        return value
    text = "" if value is None else str(value)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    return Markup(text.replace("\r", "").replace("\n", "  \n"))  # new lines stay line breaks, never blocks


def choice_label(value) -> str:
    """An option label for `pn.widgets.MultiChoice`: BokehJS builds it with Choices.js, whose
    `allowHTML` is on and cannot be turned off from Python, so a label is put into the page as
    HTML. Escaped, it shows exactly its text (a name from data or a user cannot become markup)."""
    return _html.escape("" if value is None else str(value), quote=True)


def markdown(template: str, /, **values) -> Markup:
    """A trusted Markdown template (our catalog, our code) with every value escaped."""
    return Markup(template.format(**{k: escape(v) for k, v in values.items()}) if values else template)


TABLE_CSS = """
.tanso-table { border-collapse: collapse; font-size: 0.9em; }
.tanso-table th, .tanso-table td { padding: 3px 10px; border-bottom: 1px solid #e5e7eb; vertical-align: top; }
.tanso-table th:not([align]) { text-align: left; }
.tanso-table th { min-width: 3.5em; }
.tanso-table th[data-sort] { cursor: pointer; user-select: none; }
.tanso-table th[data-sort]::after { content: "\\00a0↕"; color: #9ca3af; font-size: 0.85em; }
.tanso-table th[aria-sort="ascending"]::after { content: "\\00a0▲"; color: inherit; }
.tanso-table th[aria-sort="descending"]::after { content: "\\00a0▼"; color: inherit; }
"""


# A `table(..., labelled=True)` with the class "stack": in a pane narrower than 600 px (a phone) each row
# is listed as a block — its "head" cells on the first line, then one "title … value" line per cell —
# instead of columns wider than the screen. Add to the pane's stylesheets after TABLE_CSS.
STACKED_TABLE_CSS = """
:host { container-type: inline-size; }
.tanso-table.stack { width: 100%; }
.tanso-table.stack th { white-space: normal; vertical-align: bottom; }
.tanso-table.stack td[align] { white-space: nowrap; }
.tanso-table .label { display: none; }
.tanso-table tr.has-more td { border-bottom: 0; }
.tanso-table tr.more td { padding-top: 0; color: #374151; font-size: 0.95em; }
.tanso-table tr.more .item { display: inline-block; margin-right: 1.5em; }
.tanso-table tr.more .item .label { display: inline; color: #6b7280; margin-right: 0.4em; }
@container (max-width: 600px) {
  .tanso-table.stack thead { display: none; }
  .tanso-table.stack, .tanso-table.stack tbody, .tanso-table.stack tr, .tanso-table.stack tr.more td { display: block; }
  .tanso-table.stack tr { border-top: 1px solid #d1d5db; padding: 6px 0 4px; }
  .tanso-table.stack tr.more { border-top: 0; padding-top: 0; }
  .tanso-table.stack td { display: flex; justify-content: space-between; gap: 1em; border: 0; padding: 1px 4px;
                          white-space: normal; text-align: right; }
  .tanso-table.stack td .label { display: block; text-align: left; color: #4b5563; }
  .tanso-table.stack td.head { display: inline-block; font-weight: 600; padding-right: 0.6em; }
  .tanso-table.stack td.head .label { display: none; }
  .tanso-table.stack tr.more .item { display: flex; justify-content: space-between; gap: 1em; margin: 0;
                                      padding: 1px 0; text-align: right; }
  .tanso-table.stack tr.more .item .label { display: block; text-align: left; color: #4b5563; }
}
"""


def table(header, rows, *, numeric=(), css_class: str = "tanso-table", cell_class=None, labelled: bool = False,
          details=None, sortable: bool = False) -> Markup:
    """An HTML table of plain-text cells (header and rows), each escaped; the ``numeric`` columns
    right-aligned. Show it in an `HTML` pane with ``stylesheets=[TABLE_CSS]``. (Cheaper than a
    Tabulator, which builds a model per column and re-creates them on every change, and lays the table
    out in the browser in script: 100–200 ms for a few rows.)

    - ``cell_class(column, text)``: a class for a cell (our own names: a colour, "head"), or "".
    - ``labelled``: every cell also holds its column's title (`.label`, hidden unless the table stacks:
      class "stack" and `STACKED_TABLE_CSS`).
    - ``details``: per row, (title, value) pairs shown in a full-width row under it, or None.
    - ``sortable``: a click (or Enter) on a column title sorts the rows in the browser (`SORT_JS`): the
      ``numeric`` columns by the number their text starts with ("1,031.6 (2023)" → 1031.6; "–" last),
      the others as text; the titles are focusable and carry `aria-sort`.
    """
    numeric = frozenset(numeric)
    titles = [_html.escape(str(c)) for c in header]

    def cell(tag, i, text):
        attributes = ' align="right"' if i in numeric else ""
        if sortable and tag == "th":
            attributes += f' tabindex="0" aria-sort="none" data-sort="{"number" if i in numeric else "text"}"'
        name = cell_class(i, text) if cell_class and tag == "td" else ""
        css = f' class="{_html.escape(name)}"' if name else ""
        label = f'<span class="label">{titles[i]}</span>' if labelled and tag == "td" else ""
        return f"<{tag}{attributes}{css}>{label}{_html.escape(str(text))}</{tag}>"

    def more(pairs):
        items = "".join(f'<span class="item"><span class="label">{_html.escape(str(k))}</span>'
                        f"{_html.escape(str(v))}</span>" for k, v in pairs)
        return f'<tr class="more"><td colspan="{len(titles)}">{items}</td></tr>'

    head = "".join(cell("th", i, c) for i, c in enumerate(header))
    body = []
    for n, r in enumerate(rows):
        extra = details[n] if details is not None else None
        opening = '<tr class="has-more">' if extra else "<tr>"
        body.append(opening + "".join(cell("td", i, c) for i, c in enumerate(r)) + "</tr>" + (more(extra) if extra else ""))
    sorting = " data-sortable" if sortable else ""
    return Markup(f'<table class="{_html.escape(css_class)}"{sorting}><thead><tr>{head}</tr></thead>'
                  f'<tbody>{"".join(body)}</tbody></table>')


def join(separator: str, values) -> Markup:
    """Escaped values joined by a trusted separator."""
    return Markup(separator.join(escape(v) for v in values))


@lru_cache(maxsize=1)
def _renderer():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table").enable("strikethrough")


def clean_html(html: str) -> str:
    """HTML reduced to the allow-list (nh3): no script, no handlers, no styles, safe URLs only."""
    return nh3.clean(html, tags=set(ALLOWED_TAGS), attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
                     url_schemes=set(URL_SCHEMES), link_rel="noopener noreferrer nofollow",
                     strip_comments=True)


def user_markdown(text) -> Markup:
    """Formatted text a person wrote (Markdown): rendered without raw HTML, then cleaned by nh3."""
    if isinstance(text, Markup):
        return text
    return Markup(clean_html(_renderer().render("" if text is None else str(text))))


def markdown_html(markup: Markup) -> Markup:
    """Trusted Markdown (a `markdown(...)` template with its values escaped) as HTML, cleaned: to put
    catalog text beside other HTML in one `HTML` pane (each pane is a model the page builds)."""
    if not isinstance(markup, Markup):
        markup = escape(markup)
    return Markup(clean_html(_renderer().render(markup)))


def _as_markup(obj) -> Markup:
    return obj if isinstance(obj, Markup) else escape(obj)


class _Cleaned:
    """Mixin for Markdown panes: plain text is escaped (also when set later through ``.object``) and
    the rendered HTML is cleaned by the allow-list before it is sent — the second line of defence,
    so a Markdown slip (a value not escaped) still cannot become a script.
    """

    priority = 0  # never picked by `pn.panel(...)` for arbitrary strings

    def _transform_object(self, obj):
        out = super()._transform_object(_as_markup(obj))  # a later `.object = text` is escaped too
        out["object"] = _html.escape(clean_html(_html.unescape(out["object"])))
        return out


class _TextUpdates:
    """Mixin for the panes: a new ``object`` sends the new text only. Panel's markup panes send every
    property again, and a stylesheet given as CSS text becomes a new stylesheet model each time — a
    message with it, and a walk of every model of the document (Bokeh's reaction to a new model).
    Only the text is computed, too: all properties with the design's took ~1 ms a pane, the text
    0.03–0.25 ms."""

    def _update(self, ref, model) -> None:
        model.update(text=self._process_param_change({"object": self.object})["text"])


class _MarkdownPane(_TextUpdates, _Cleaned, pn.pane.Markdown):
    pass


class _AlertPane(_TextUpdates, _Cleaned, pn.pane.Alert):
    pass


class _HTMLPane(_TextUpdates, pn.pane.HTML):
    pass


def Markdown(obj="", **kwargs):
    """A Markdown pane of ``obj``: plain text is escaped, `Markup` is rendered (and cleaned)."""
    return _MarkdownPane(_as_markup(obj), **{"disable_math": True} | kwargs)


def Alert(obj="", **kwargs):
    """An Alert pane of ``obj`` (escaped unless `Markup`, rendered HTML cleaned)."""
    return _AlertPane(_as_markup(obj), **{"disable_math": True} | kwargs)


def HTML(obj="", **kwargs):
    """A `pn.pane.HTML` of ``obj``: plain text is HTML-escaped, `Markup` is cleaned by the allow-list."""
    text = obj if isinstance(obj, Markup) else _html.escape("" if obj is None else str(obj))
    return _HTMLPane(text, **{"sanitize_html": True, "sanitize_hook": clean_html} | kwargs)


def link(href: str, text, **attributes) -> Markup:
    """An <a> element with an escaped label, cleaned (a `javascript:` href is dropped)."""
    extra = "".join(f' {name.rstrip("_").replace("_", "-")}="{_html.escape(str(value))}"' for name, value in attributes.items())
    return Markup(clean_html(f'<a href="{_html.escape(str(href))}"{extra}>{_html.escape(str(text))}</a>'))

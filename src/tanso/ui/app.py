"""One way to build a served app: an `apps/<slug>.py` file is `serve_app("<slug>", build)`.

`serve_app` does what every page needs, in one place: the Panel extension (once per session, with
reconnect and no MathJax), the session's language, the page template, URL sync of a store, and the
database-down message — a generic sentence for visitors (host, port, user, database and password stay
in the server log) that turns into the app by itself when the database is back.

```python
# apps/example.py
from tanso.ui.app import Page, serve_app

def build(ctx):                      # ctx.lang, ctx.engine (None when database=False), ctx.sync_url(...)
    store = ExampleStore(data=load(ctx.engine), lang=ctx.lang)
    ctx.sync_url(store, {"country": "country"})
    return Page(main=[ExampleView(store=store)], sidebar=[ExampleControls(store=store)])

serve_app("example", build, extensions=("tabulator",))
```
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import panel as pn
import param

from tanso.db.engine import DatabaseUnavailable
from tanso.ui import panel_serving, safe
from tanso.ui.i18n import markup, t
from tanso.ui.template import current_lang, page
from tanso.ui.view import in_one_pass

log = logging.getLogger("tanso.ui")

RETRY_DATABASE_MS = 5000  # how often a page opened during an outage checks whether the database is back


@dataclass
class Page:
    """What an app's build function returns: the main column and the sidebar (empty = no sidebar)."""

    main: Sequence
    sidebar: Sequence = ()


@dataclass
class AppContext:
    """What a build function gets: the app, the session's language and the database engine."""

    slug: str
    lang: str
    engine: object | None = None
    url_problems: list[str] = field(default_factory=list)

    def t(self, key: str, **values) -> str:
        return t(key, self.lang, **values)

    def md(self, key: str, **values) -> safe.Markup:
        return markup(key, self.lang, **values)

    def sync_url(self, store: param.Parameterized, parameters: dict[str, str], *,
                 on_error: Callable[[dict], None] | None = None) -> None:
        """Two-way sync of ``store``'s parameters (name → query key) with the page's query string.

        Values that cannot be applied go to ``on_error`` (the store reports them as text — never as
        HTML: a link is untrusted input).
        """
        if pn.state.location is None:
            return
        pn.state.location.sync(store, parameters, on_error=on_error)


def configure_extension(*extensions: str) -> None:
    """`pn.extension` for a served page: reconnect after a blip, no MathJax bundle, no notification
    area (no page uses it, and it is a ReactiveHTML component, compiled in the browser with
    `new Function`, which the CSP refuses), no browser-info model (the browser's time zone, dark
    mode and screen, which no page reads: one root less to build per session, and one message less
    from every page as it loads)."""
    panel_serving.no_mathjax()
    panel_serving.no_debounce()
    panel_serving.no_busy_counter()
    pn.extension(*extensions, reconnect=True, notifications=False, browser_info=False)


def database_engine():
    """The engine after one round trip, or DatabaseUnavailable (details in the exception, for the log)."""
    from tanso.db.engine import check_connection, get_engine

    return check_connection(get_engine(start_embedded=False))


def database_down(lang: str):
    """The visitors' outage message: no host, port, user, database or password, ever."""
    return safe.Alert(safe.markdown("**{title}**  \n{body}", title=t("error.database", lang),
                                    body=t("error.database_retry", lang)),
                      alert_type="warning", sizing_mode="stretch_width", margin=(10, 10))


def serve_app(slug: str, build: Callable[[AppContext], Page], *, extensions: Sequence[str] = (),
              database: bool = True, sidebar: bool = False, threads: bool = True):
    """Build the session's page for ``slug`` and mark it servable; returns the template.

    ``database``: the build needs the database (``ctx.engine``); while it is unreachable the page
    shows `database_down` and retries every few seconds, then fills itself in. ``sidebar``: the page
    has a sidebar (kept while the database is down, so the layout does not jump when it returns).
    ``threads``: the page's changes run in the server's worker threads, one at a time and in the order
    they came, so a callback waiting on the database does not hold up other pages; False for an app
    whose callbacks are short work in memory: each change then runs on the event loop in one pass and
    its effects reach the page as one message.
    """
    configure_extension(*extensions)
    if pn.state.curdoc is not None:
        panel_serving.changes_in_turn()
        if not threads:
            panel_serving.run_on_loop(pn.state.curdoc)
    # The template adds each of its parts as a root of the document and the views add models as they
    # build: Bokeh walks the whole document once at the end instead of after each (9 walks before).
    return in_one_pass(_servable_page)(slug, build, database=database, sidebar=sidebar)


def _servable_page(slug: str, build: Callable[[AppContext], Page], *, database: bool, sidebar: bool):
    lang = current_lang()
    # The page's content goes straight into the template's main column (before the footer) and its one
    # sidebar column: columns of our own around them were two more models for every session.
    side = pn.Column(sizing_mode="stretch_width", margin=0)
    template = page(slug, [], lang=lang, sidebar=[side] if sidebar else None)
    main = template.main[0]
    footer = main.objects[-1]

    def fill() -> bool:
        ctx = AppContext(slug=slug, lang=lang)
        try:
            if database:
                ctx.engine = database_engine()
            content = build(ctx)
        except DatabaseUnavailable as exc:
            log.warning("%s: database unavailable: %s", slug, exc)
            main.objects = [database_down(lang), footer]
            return False
        side.objects = list(content.sidebar)
        main.objects = [*content.main, footer]
        return True

    if not fill():
        retry = None

        def again():
            if fill() and retry is not None:
                retry.stop()

        retry = pn.state.add_periodic_callback(again, period=RETRY_DATABASE_MS)
    return template.servable()

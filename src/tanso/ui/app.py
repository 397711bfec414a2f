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
import threading
import weakref
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial

import panel as pn
import param
from panel.io.state import set_curdoc, state
from panel.reactive import Syncable

from tanso.db.engine import DatabaseUnavailable
from tanso.ui import safe
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
    _no_mathjax()
    _no_debounce()
    _no_busy_counter()
    pn.extension(*extensions, reconnect=True, notifications=False, browser_info=False)


def _no_debounce() -> None:
    # Panel processes a value sent by the browser 50 ms after it arrives (its debounce, which folds a
    # stream of values — a slider being dragged, text being typed — into one change). A choice, a box,
    # a number, a date, a tab or text sent on Enter is one value: process it at once (every change
    # waited those 50 ms before). Sliders and `value_input` keep the debounce.
    from panel.widgets.input import DatePicker, _BooleanWidget, _SpinnerBase, _TextInputBase
    from panel.widgets.select import SelectBase

    for widget, names in ((SelectBase, ("value", "active")), (_BooleanWidget, ("active",)),
                          (_SpinnerBase, ("value",)), (_TextInputBase, ("value",)), (DatePicker, ("value",)),
                          (pn.Tabs, ("active",))):
        widget._priority_changes = list(names)  # the Bokeh property names (Panel's "value" is "active" for some)


def _no_busy_counter() -> None:
    # Panel counts every message a browser sends (and every periodic callback) as "busy" work, in one
    # list per process, for busy indicators: each count and uncount rebuilds the list, sets parameters
    # and makes every parameter of `pn.state` writable and read-only again several times (0.9 ms CPU
    # per message on a quiet machine, in a worker thread holding the GIL the chart's refresh needs;
    # a change brings three messages: the value, the URL echo, the plot's new size). No page has a
    # busy indicator (tanso.ui.template), so nothing reads the count.
    from panel.io.state import _state

    _state._add_busy_event = _state._remove_busy_event = lambda self, event_id: None


_ON_LOOP: weakref.WeakSet = weakref.WeakSet()  # documents of apps served with threads=False
_TURNS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # document -> its _Turns (apps with threads)


class _Turns:
    """One document's changes from the browser, run in the worker threads one at a time, in the order
    they arrived: the document's lock is the `running` flag, handed from one change to the next.

    Panel hands each change to the thread pool on its own, so two changes of one page ran at once: in the
    recycling calculator, clearing one weight box and typing the next recomputed together, and the
    first, having read the other box before it changed, wrote its stale errors and result last. Every
    app's store would need its own lock (and each callback reading several widgets another); here the
    kit serialises them all, in arrival order, which a plain lock taken in each thread would not keep.
    Waiting changes wait in the queue, not in a thread: a burst of keystrokes holds one worker thread,
    not all of them, and other pages keep theirs. Nothing can deadlock on it: the event loop only
    appends (never waits for a change), and a change never waits for the loop — in a worker thread
    Panel schedules its model updates, `pn.io.hold`'s release and `pn.state.execute` onto the loop
    instead of taking Bokeh's document lock, so a change holds no lock the loop or `hold` needs. (What a
    change hands to the loop — those model updates, a `TabView`'s refresh — runs there in the order it
    was handed over and may overlap the next change's thread; a refresh reads the store when it runs,
    so the last one shows the last state.)
    """

    def __init__(self, doc) -> None:
        self._doc = weakref.ref(doc)
        self._mutex = threading.Lock()  # guards the queue and the flag only, never held while a change runs
        self._waiting: deque[Callable[[], None]] = deque()
        self._running = False

    def add(self, pool, change: Callable[[], None]) -> None:
        with self._mutex:
            self._waiting.append(change)
            if self._running:  # the thread running this document's changes takes it next
                return
            self._running = True
        pool.submit(self._run)

    def _run(self) -> None:
        while True:
            with self._mutex:
                if not self._waiting:
                    self._running = False
                    return
                change = self._waiting.popleft()
            try:
                change()
            except Exception as exc:  # what Panel's pool callback does with it; the next change still runs
                with set_curdoc(self._doc()):
                    try:
                        state._handle_exception(exc)
                    except Exception:  # no exception handler configured: Panel re-raises it
                        log.exception("a change from the browser failed")


def _turns(doc) -> _Turns | None:
    """The queue of a served document whose changes run in threads (called on the event loop only)."""
    if not state._thread_pool or doc in _ON_LOOP or getattr(doc, "session_context", None) is None:
        return None
    if doc not in _TURNS:
        _TURNS[doc] = _Turns(doc)
    return _TURNS[doc]


def _still_pending(doc, event_id: str | None) -> bool:
    # Panel's bookkeeping: a change scheduled twice (its timeout, and a click that ran the pending changes
    # first) runs once; False if it ran already.
    if event_id is None:
        return True
    callbacks = state._change_callbacks.get(doc, {})
    if callbacks.pop(event_id, None) is None:
        return False
    if not callbacks:
        state._change_callbacks.pop(doc, None)
    return True


async def _change_on_loop(syncable, doc) -> None:
    # The loop runs this while the OK for the browser's message may still be being written, holding the
    # socket's write lock: Panel would then queue this change's message and retry every 10 ms. Wait for
    # the writes in flight; then the change runs and is written without yielding.
    session = getattr(doc.session_context, "session", None)
    for connection in getattr(session, "_subscribed_connections", ()):
        if (lock := getattr(connection._socket, "write_lock", None)) is not None:
            async with lock:
                pass
    with set_curdoc(doc):
        try:
            in_one_pass(syncable._change_event)(doc)
        except Exception as exc:
            state._handle_exception(exc)


def _changes_in_turn() -> None:
    # Panel hands each change a browser sends (a widget's value, a button's click) to a worker thread
    # (`--num-threads`) on its own, so one page's changes ran at the same time (see _Turns); these
    # patches queue them per document instead. Installed once per process, for every served app.
    #
    # For a document in `_ON_LOOP` a change runs on the event loop instead: Panel's way takes one
    # event-loop tick to schedule it, the thread's run, then every model change it makes is scheduled
    # back onto the loop on its own (each a message: the URL's query, then the chart), while the thread
    # and the loop take turns holding the GIL. On the loop it runs under the document lock the loop
    # already holds there, in one pass (`in_one_pass`): its effects go out as one message, and changes
    # run one at a time by construction.
    threaded = Syncable._change_coroutine
    if getattr(threaded, "tanso_in_turn", False):
        return
    threaded_event, comm_event = Syncable._event_coroutine, Syncable._comm_event

    async def change_coroutine(self, doc, event_id: str | None = None) -> None:
        queue = _turns(doc)
        if doc not in _ON_LOOP and queue is None:
            await threaded(self, doc, event_id=event_id)
        elif not _still_pending(doc, event_id):
            return
        elif queue is not None:
            queue.add(state._thread_pool, partial(self._change_event, doc))
        else:
            await _change_on_loop(self, doc)

    # A click reaches `_comm_event` directly, or through `_event_coroutine` when changes are still
    # pending (a value typed, its debounce not yet over): Panel starts those first so that the click
    # sees them, and in turn they also run first (in threads the click and those changes raced).
    async def event_coroutine(self, doc, event) -> None:
        if _turns(doc) is None:
            return await threaded_event(self, doc, event)
        for callback in list(state._change_callbacks.get(doc, {}).values()):
            await callback()
        self._comm_event(doc, event)

    def event(self, doc, event) -> None:
        if (queue := _turns(doc)) is None:
            return comm_event(self, doc, event)
        queue.add(state._thread_pool, partial(self._process_bokeh_event, doc, event))

    for patched, panels in ((change_coroutine, threaded), (event_coroutine, threaded_event), (event, comm_event)):
        patched.tanso_in_turn, patched.panel = True, panels  # Panel's own, for tests/unit/test_ui_app.py
    Syncable._change_coroutine, Syncable._event_coroutine, Syncable._comm_event = (
        change_coroutine, event_coroutine, event)


def _no_mathjax() -> None:
    # Panel adds the 1.8 MB bokeh-mathjax bundle to any page with a Markdown/HTML pane, in case it
    # holds $$…$$ math. No Tanso page renders math (`safe.Markdown` sets disable_math), so never ship it.
    from panel.io import resources

    resources._panel_use_mathjax = lambda roots: False


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
        _changes_in_turn()
        if not threads:
            _ON_LOOP.add(pn.state.curdoc)
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

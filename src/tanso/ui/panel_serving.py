"""What the kit changes in the way Panel serves a page, for every app (`tanso.ui.app` installs it).

Each function replaces a piece of Panel's internals, with the reason beside it: no 50 ms debounce for
single values, no busy counter, no MathJax bundle, and a page's changes from the browser run one at a
time in the order they came (in worker threads, or on the event loop for an app served with
`threads=False`). Panel is pinned below 2 and tests/unit/test_ui_app.py checks that every internal
replaced or read here is still used, so a Panel upgrade that moves one fails loudly.
"""

from __future__ import annotations

import logging
import threading
import weakref
from collections import deque
from collections.abc import Callable
from functools import partial

import panel as pn
from panel.io.state import set_curdoc, state
from panel.reactive import Syncable

from tanso.ui.view import in_one_pass

log = logging.getLogger(__name__)


def no_debounce() -> None:
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


def no_busy_counter() -> None:
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


def changes_in_turn() -> None:
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


def no_mathjax() -> None:
    # Panel adds the 1.8 MB bokeh-mathjax bundle to any page with a Markdown/HTML pane, in case it
    # holds $$…$$ math. No Tanso page renders math (`safe.Markdown` sets disable_math), so never ship it.
    from panel.io import resources

    resources._panel_use_mathjax = lambda roots: False


def run_on_loop(doc) -> None:
    """The changes of `doc` run on the event loop, in one pass each (see changes_in_turn)."""
    _ON_LOOP.add(doc)

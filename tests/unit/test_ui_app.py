"""serve_app: the outage message names no host, user or password, and the page fills itself in later; a
page's changes from the browser run one at a time; the Panel internals the kit patches are still there."""

import asyncio
import inspect
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import panel as pn
from bokeh.document import Document
from bokeh.events import ButtonClick
from panel.io.state import set_curdoc

from tanso.db.engine import DatabaseUnavailable
from tanso.recycling import PATHWAYS
from tanso.ui import app as kit
from tanso.ui import panel_serving
from tanso.ui.app import Page
from tanso.ui.recycling import store as recycling_store
from tanso.ui.recycling.store import CalculatorStore, RecyclingStore
from tanso.ui.recycling.views import CalculatorView


def _texts(template) -> str:
    return " ".join(str(getattr(m, "object", "")) for m in template.main.objects[0].select(pn.pane.Markdown))


def test_outage_message_is_generic_and_the_page_recovers(monkeypatch):
    secret = "postgresql+psycopg://tanso:s3cr3t@db.internal:5432/tanso?password=s3cr3t"
    state = {"up": False}

    def engine():
        if not state["up"]:
            raise DatabaseUnavailable(f"cannot connect to {secret}: connection refused")
        return "engine"

    callbacks = []

    class Callback:
        def __init__(self, fn):
            self.fn, self.stopped = fn, False

        def stop(self):
            self.stopped = True

    def add_periodic_callback(fn, period):
        callbacks.append(Callback(fn))
        return callbacks[-1]

    monkeypatch.setattr(kit, "database_engine", engine)
    monkeypatch.setattr(pn.state, "add_periodic_callback", add_periodic_callback)
    built = []

    def build(ctx):
        built.append(ctx.engine)
        return Page(main=[pn.pane.Markdown("the app")], sidebar=[pn.pane.Markdown("controls")])

    template = kit.serve_app("example", build, sidebar=True)
    text = _texts(template)
    assert "cannot be reached" in text
    for leak in ("s3cr3t", "db.internal", "5432", "tanso:", "postgresql"):
        assert leak not in text
    assert built == [] and len(callbacks) == 1

    callbacks[0].fn()  # still down: still the message, still retrying
    assert not callbacks[0].stopped and "cannot be reached" in _texts(template)
    state["up"] = True
    callbacks[0].fn()  # back: the app fills the page, no more retries
    assert built == ["engine"] and callbacks[0].stopped
    assert "the app" in _texts(template)


def test_language_links_keep_the_view_and_the_page_loads_the_script_that_keeps_them_current():
    from tanso.serve import ASSETS, ServeOptions, panel_serve_argv
    from tanso.ui import template

    links = str(template.language_links("en", "?countries=KOR,JPN&lang=en&indicator=co2"))
    assert 'href="?countries=KOR%2CJPN&amp;indicator=co2&amp;lang=ko" hreflang="ko"' in links
    page = template.page("national_trends", [pn.pane.Markdown("x")], lang="en")
    assert page.config.js_files["tanso_lang_links"] == template.LINKS_JS == "assets/lang_links.js"
    argv = panel_serve_argv(ServeOptions())
    assert argv[argv.index("--static-dirs") + 1] == f"assets={ASSETS}" and (ASSETS / "lang_links.js").is_file()


class _Served:
    """What `panel serve` gives a session's document: a session context (not yet connected)."""

    session = None

    def __init__(self, monkeypatch):
        self.doc = Document()
        self.doc._session_context = lambda: self  # Bokeh keeps a weak reference to it
        self.pool = ThreadPoolExecutor(4)  # `--num-threads 4`, as tanso serve
        monkeypatch.setattr(pn.state, "_thread_pool", self.pool)
        panel_serving.changes_in_turn()

    def show(self, *objects):
        self.root = pn.Column(*objects).get_root(self.doc)

    def browser(self, widget, **values):
        """What the event loop does with a value from the browser (a box, a choice: no debounce)."""
        widget._events.update(values)
        asyncio.run(widget._change_coroutine(self.doc))

    def click(self, button):
        model = button._models[self.root.ref["id"]][0]
        with set_curdoc(self.doc):  # as Bokeh calls a model's event callbacks on the loop
            button._server_event(self.doc, ButtonClick(model))

    def done(self):
        self.pool.shutdown(wait=True)


def test_two_boxes_changed_at_once_end_with_the_errors_of_what_was_typed_last(monkeypatch):
    """Served with threads, each change from the browser ran in a worker thread of its own: in the recycling
    calculator a box cleared and the next box typed recomputed at the same time (the browser test's flake);
    the clearing change had read the other box before it changed, then wrote its errors last."""
    calc = CalculatorStore(lang="en")
    view = CalculatorView(store=RecyclingStore(lang="en", calculator=calc, campaigns=None))
    served = _Served(monkeypatch)
    served.show(view)
    view._boxes["upcycle"].value_input = "bad"
    read_recycle, parse, parsed = threading.Event(), recycling_store.parse_kg, []

    def slow_parse(text, lang):  # the clearing change pauses after reading the last box (recycle)
        parsed.append(text)
        if len(parsed) == len(PATHWAYS):
            read_recycle.set()
            time.sleep(0.2)  # the typing change would set and recompute meanwhile, were they not in turn
        return parse(text, lang)

    monkeypatch.setattr(recycling_store, "parse_kg", slow_parse)
    served.browser(view._boxes["upcycle"], value_input="")
    assert read_recycle.wait(timeout=5)
    served.browser(view._boxes["recycle"], value_input="<img src=x>")
    served.done()
    assert calc.errors == {"recycle": "'<img src=x>' is not a number of kilograms"}
    assert view._errors["recycle"].object == calc.errors["recycle"]


def test_a_click_waits_for_the_changes_that_came_before_it(monkeypatch):
    box, button, seen = pn.widgets.TextInput(), pn.widgets.Button(), []

    def typed(event):
        time.sleep(0.2)  # a query, say: a click made meanwhile ran before it, on the old text
        seen.append(event.new)

    box.param.watch(typed, "value")
    button.on_click(lambda _: seen.append(f"click after {box.value!r}"))
    served = _Served(monkeypatch)
    served.show(box, button)
    served.browser(box, value="first")
    served.click(button)
    served.browser(box, value="second")
    served.done()
    assert seen == ["first", "click after 'first'", "second"]


def test_the_panel_internals_the_kit_replaces_are_still_used():
    """The kit replaces private parts of Panel (and reads Bokeh's): after an upgrade that renamed one, the
    replacement would silently do nothing (pages slower, or changes racing again)."""
    import panel.io.resources
    import panel.reactive
    from bokeh.document.models import DocumentModelManager
    from bokeh.server.session import ServerSession
    from bokeh.server.views.ws import WSHandler
    from panel.io.state import _state
    from panel.reactive import Syncable

    def panels(function):  # Panel's own function, also once the kit has replaced it
        return getattr(function, "panel", function)

    def source(function) -> str:
        return inspect.getsource(panels(function))

    panel_serving.changes_in_turn()
    processing = source(Syncable._process_events)  # no_busy_counter
    assert "state._add_busy_event(busy_event_id)" in processing
    assert "state._remove_busy_event(busy_event_id)" in processing
    assert {"_add_busy_event", "_remove_busy_event"} <= set(vars(_state))
    # changes_in_turn: Panel schedules a change with _change_coroutine and a click with _event_coroutine
    # or _comm_event, which hand _change_event / _process_bokeh_event to the thread pool
    assert "cb = partial(self._change_coroutine, doc, event_id=event_id)" in source(Syncable._server_change)
    assert "self._event_coroutine, doc, event" in source(Syncable._server_event)
    assert "self._comm_event(doc, event)" in source(Syncable._server_event)
    changing = source(Syncable._change_coroutine)
    assert "state._change_callbacks" in changing and "submit(self._change_event, doc)" in changing
    assert "submit(self._process_bokeh_event, doc, event)" in source(Syncable._comm_event)
    assert "submit(self._process_bokeh_event, doc, event)" in source(Syncable._event_coroutine)
    # ... and no other way from the browser's messages to the thread pool (the fourth is notebooks' comms)
    assert inspect.getsource(panel.reactive).count("_thread_pool.submit(") == 4
    for patched in (Syncable._change_coroutine, Syncable._event_coroutine, Syncable._comm_event):
        assert inspect.signature(patched).parameters.keys() == inspect.signature(panels(patched)).parameters.keys()
    # ... and the socket's write lock the loop waits for, Bokeh's
    assert "self.write_lock = " in inspect.getsource(WSHandler)
    assert "self._subscribed_connections = " in inspect.getsource(ServerSession)
    assert "_thread_pool" in vars(_state) and "_change_callbacks" in vars(_state)
    # tanso.ui.view.in_one_pass: Bokeh's model walk, counted and called by a change adding a model
    walks = inspect.getsource(DocumentModelManager)
    assert "def _push_freeze(self)" in walks and "self._freeze_count -= 1" in walks
    assert "def invalidate(self)" in walks and "def recompute(self)" in walks
    # no_mathjax, no_debounce
    assert "_panel_use_mathjax(" in inspect.getsource(panel.io.resources)
    assert "self._priority_changes" in inspect.getsource(panel.reactive)

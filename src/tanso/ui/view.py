"""The base of every view: a `Viewer` holding a store, its language and the message helpers.

A store is a `param.Parameterized` owning data and state (`lang` among its parameters); a view takes
it and only renders. `TabView` adds what a tab needs: it builds nothing (an empty column) until its
tab is first shown and skips updates while hidden (its `refresh` runs again when the tab comes back).

```python
class RankingView(TabView):
    tab = "ranking"
    depends = ("ranking.*", "selection.indicator", "lang")  # what redraws the view: all of a
                                                 # sub-state, one of its parameters, or a store parameter

    def body(self):                              # built once, when the tab is first shown
        self._pane = pn.pane.Bokeh(...)
        return pn.Column(self.controls("rank_year"), self._pane)

    def refresh(self):                           # after every change of `depends` (tab visible)
        ...update self._pane's figure in place...
```
"""

from __future__ import annotations

import panel as pn
import param
from panel.viewable import Viewer

from tanso.ui import safe
from tanso.ui.i18n import markup, t


def in_one_pass(function):
    """``function`` wrapped so that its model changes reach the page in one pass.

    - One walk of the document's models at most, after it, and none when no change added or replaced
      a model: Bokeh walks every model of the page (≈15 ms on the national page) after each change
      that adds or replaces one (new children, legend items, a scale), and its own `models.freeze()`
      walks once at the end even when nothing changed.
    - One message (`pn.io.hold`): Bokeh sends one message per property changed — 20 for an
      indicator change — and the browser re-renders after each.
    """
    document = pn.state.curdoc

    def run(*args, **kwargs):
        if document is None:
            return function(*args, **kwargs)
        models = document.models
        if "invalidate" in vars(models):  # inside another pass, which walks at its end
            return function(*args, **kwargs)
        changed = []
        models.invalidate = lambda: changed.append(True)  # what a change adding/replacing a model calls
        models._push_freeze()  # Panel's own freezes inside (`freeze_doc`) leave the walk to this pass
        try:
            with pn.io.hold(document):
                return function(*args, **kwargs)
        finally:
            del models.invalidate
            models._freeze_count -= 1
            if changed and models._freeze_count == 0:
                models.recompute()

    return run


def wrap_row(*objects, align_items: str = "flex-start", **params) -> pn.Column:
    """A row whose items wrap onto the next line when the page is narrow (phones).

    A Column laid out as a wrapping row: Bokeh gives a Row the sum of its items' minimum widths (wider
    than a phone) and a Column the largest one, which is what a wrapping row needs. Use this, not
    `pn.FlexBox`: FlexBox is a ReactiveHTML component, which BokehJS compiles with `new Function` —
    refused by the pages' CSP (tanso.security_headers). Not for stretch-width Bokeh figures: the
    column gives each item its height as flex basis, which in a row becomes its width."""
    styles = {"flex-direction": "row", "flex-wrap": "wrap", "align-items": align_items} | params.pop("styles", {})
    return pn.Column(*objects, styles=styles, **params)


class Message:
    """A message pane built the first time there is something to say: a hidden pane is still a pane,
    a Markdown render and a model built for every session, and most messages are never shown.

    ``place`` is the column it appears in (at ``index``, None = last; or just ``before`` one of the column's
    objects); ``make(text, **params)`` builds the pane, e.g. ``safe.Alert``. ``show(text, **params)`` shows
    or updates it, ``show(None)`` hides it.
    """

    def __init__(self, place: pn.Column, make=safe.Alert, index: int | None = 0, *, before=None, **params):
        self._place, self._make, self._index, self._before, self._params = place, make, index, before, params
        self.pane = None

    def show(self, text, **params) -> None:
        if self.pane is not None:
            self.pane.param.update(object=text or "", visible=bool(text), **params)
        elif text:
            self.pane = self._make(text, **self._params | params)
            if self._before is not None:
                self._place.insert(self._place.objects.index(self._before), self.pane)
            elif self._index is None:
                self._place.append(self.pane)
            else:
                self._place.insert(self._index, self.pane)


class View(Viewer):
    """A view of a store: ``self.t(key)`` for plain text, ``self.md(key, **values)`` for Markdown."""

    store = param.ClassSelector(class_=param.Parameterized, doc="The store this view renders")

    @property
    def lang(self) -> str:
        return getattr(self.store, "lang", "en")

    def t(self, key: str, **values) -> str:
        return t(key, self.lang, **values)

    def md(self, key: str, **values) -> safe.Markup:
        """A catalog message as Markdown with every value escaped."""
        return markup(key, self.lang, **values)

    def widget(self, name: str, widget_type=None, **options):
        """A widget bound two-way to ``store.<name>`` (`from_param`), labelled from the catalog when
        ``label_key`` is given."""
        if key := options.pop("label_key", None):
            options["name"] = self.t(key)
        kwargs = {"widget_type": widget_type} if widget_type is not None else {}
        return pn.widgets.Widget.from_param(self.store.param[name], **kwargs, **options)

    def note(self, key: str, **values):
        """A small grey caption from the catalog."""
        return safe.Markdown(self.md(key, **values), styles={"color": "#555", "font-size": "0.85em"},
                             margin=(0, 10), sizing_mode="stretch_width")


class TabView(View):
    """A view shown in a tab: built lazily on first show, refreshed only while visible.

    The store must have a ``tab`` parameter naming the active tab.
    """

    tab: str = ""
    depends: tuple[str, ...] = ()

    def __init__(self, **params):
        super().__init__(**params)
        self._body = None
        self._holder = None
        self._stale = True
        for owner, names in self._watched().items():
            owner.param.watch(self._changed, names)
        self.store.param.watch(self._tab_changed, "tab")

    def _watched(self) -> dict:
        """`depends` as {parameterized: [parameter names]}: "name" is a store parameter, "part.name" a
        parameter of the sub-state `store.part`, "part.*" every parameter of it."""
        watched: dict = {}
        for entry in self.depends:
            part, _, name = entry.rpartition(".")
            owner = getattr(self.store, part) if part else self.store
            names = [n for n in owner.param if n != "name"] if name == "*" else [name]
            watched.setdefault(owner, []).extend(names)
        return watched

    @property
    def visible(self) -> bool:
        return self.store.tab == self.tab

    def _changed(self, *_):
        if self._body is None:
            return
        if self.visible:
            self._run_refresh()
        else:
            self._stale = True

    def _tab_changed(self, event):
        if event.new != self.tab:
            return
        if self._body is None:
            if self._holder is not None:  # first shown: build it now, under the document lock
                pn.state.execute(in_one_pass(self._build))
        elif self._stale:
            self._run_refresh()

    def _run_refresh(self):
        self._stale = False
        # Served with threads, a change must reach the document under its lock (BokehJS misses it otherwise).
        pn.state.execute(in_one_pass(self.refresh))

    def body(self):
        raise NotImplementedError

    def refresh(self) -> None:
        """Update the body in place for the current store state."""

    def _build(self):
        if self._body is None:
            self._body = self.body()
            self._stale = False
            self.refresh()
            self._holder.objects = [self._body]

    def __panel__(self):
        # pn.Tabs turns every tab into its panel when it is made, so building the body here would build
        # every tab on load: hand it an empty holder and fill it when the tab is first shown.
        if self._holder is None:
            self._holder = pn.Column(sizing_mode="stretch_width", margin=0)
            if self.visible:
                self._build()
        return self._holder

"""The kit's TabView: a tab is built when first shown (not when pn.Tabs is made) and redrawn only
while visible."""

import panel as pn
import param

from tanso.ui.view import TabView


class Store(param.Parameterized):
    tab = param.Selector(default="one", objects=["one", "two"])
    value = param.Integer(default=0)


class Counting(TabView):
    depends = ("value",)

    def __init__(self, **params):
        self.built = 0
        self.drawn: list[int] = []
        super().__init__(**params)

    def body(self):
        self.built += 1
        self._text = pn.pane.Str("")
        return self._text

    def refresh(self):
        self.drawn.append(self.store.value)
        self._text.object = str(self.store.value)


class One(Counting):
    tab = "one"


class Two(Counting):
    tab = "two"


def test_a_hidden_tab_is_built_when_first_shown_and_redrawn_when_it_comes_back():
    store = Store()
    one, two = One(store=store), Two(store=store)
    tabs = pn.Tabs(("One", one), ("Two", two), dynamic=True)
    tabs.get_root()
    assert (one.built, two.built) == (1, 0)  # pn.Tabs asked both for their panel
    assert tabs.objects[1].objects == []

    store.value = 1
    assert one.drawn == [0, 1] and two.drawn == []
    store.tab = "two"
    assert two.built == 1 and two.drawn == [1]
    assert tabs.objects[1].objects == [two._body] and two._text.object == "1"

    store.value = 2  # `one` is hidden: redrawn only when shown again
    assert one.drawn == [0, 1] and two.drawn == [1, 2]
    store.tab = "one"
    assert one.drawn == [0, 1, 2] and (one.built, two.built) == (1, 1)


def test_one_pass_walks_the_document_only_after_a_new_model():
    from bokeh.document import Document
    from bokeh.plotting import figure
    from panel.io.state import set_curdoc

    from tanso.ui.view import in_one_pass

    doc = Document()
    plot = figure()
    doc.add_root(plot)
    walks = []
    walk = doc.models.recompute
    doc.models.recompute = lambda: (walks.append(1), walk())
    with set_curdoc(doc):
        in_one_pass(lambda: setattr(plot.title, "text", "new title"))()
        assert walks == []  # Bokeh's own models.freeze() walks here too
        line = in_one_pass(lambda: [plot.line([1, 2], [3, 4]) for _ in range(3)][-1])()
    assert walks == [1] and doc.get_model_by_id(line.id) is line

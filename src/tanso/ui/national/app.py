"""The page body: notices above four tabs; a tab's view is built the first time it is shown."""

from __future__ import annotations

import panel as pn

from tanso.ui.app import AppContext, Page
from tanso.ui.national.controls import Controls
from tanso.ui.national.gap import GapView
from tanso.ui.national.map import MapView
from tanso.ui.national.ranking import RankingView
from tanso.ui.national.scenario import ScenarioView
from tanso.ui.national.store import TABS, URL_PARAMETERS, NationalStore
from tanso.ui.national.trends import TrendView
from tanso.ui.view import Message, View

VIEWS = {"trends": TrendView, "map": MapView, "gap": GapView, "scenario": ScenarioView, "ranking": RankingView}


def notices(view: View, column: pn.Column, tabs) -> None:
    """Problems with the link or the selection, as alerts in ``column`` above the ``tabs`` (link values
    shown as text). In the app's own column: a column of their own was one more model for every session."""
    s = view.store
    style = {"alert_type": "warning", "margin": (5, 10), "sizing_mode": "stretch_width"}
    unknown, bad = Message(column, **style), Message(column, before=tabs, **style)

    def refresh(*_):
        codes = s.unknown
        unknown.show(codes and view.md("nt.unknown_codes", codes=", ".join(codes)))
        bad.show(s.url_problems and view.md("nt.bad_url", items=", ".join(s.url_problems)))

    s.selection.param.watch(refresh, "countries")
    s.param.watch(refresh, "url_problems")
    refresh()


class NationalTrendsApp(View):
    """Notices and the tabs; hidden tabs are built lazily (`TabView`) and redraw in place."""

    def sidebar(self) -> list:
        return Controls(store=self.store).objects()  # straight into the page's sidebar column

    def __panel__(self):
        s = self.store
        views = {name: VIEWS[name](store=s) for name in TABS}
        tabs = pn.Tabs(*[(self.t(f"nt.tab.{name}"), views[name]) for name in TABS],
                       active=TABS.index(s.tab), sizing_mode="stretch_width")
        tabs.param.watch(lambda e: setattr(s, "tab", TABS[e.new]), "active")
        s.param.watch(lambda e: setattr(tabs, "active", TABS.index(e.new)), "tab")
        column = pn.Column(tabs, sizing_mode="stretch_width")
        notices(self, column, tabs)
        return column


def build_page(ctx: AppContext) -> Page:
    """The served page (`tanso.ui.app.serve_app`): the store synced with the URL, sidebar and tabs."""
    from tanso.emissions.national_view import load_national_data

    store = NationalStore(data=load_national_data(ctx.engine), lang=ctx.lang)
    for name, parameters in URL_PARAMETERS.items():
        ctx.sync_url(store.part(name), parameters, on_error=store.url_error_handler(name))
    app = NationalTrendsApp(store=store)
    return Page(main=[app], sidebar=app.sidebar())


def build(data, lang: str = "en", **state) -> tuple[NationalStore, NationalTrendsApp]:
    """Store and app without a server (tests, benchmarks): ``state`` sets sub-state values, e.g.
    ``selection={"countries": ["KOR"]}``."""
    store = NationalStore(data=data, lang=lang)
    for part, values in state.items():
        if isinstance(values, dict):
            store.part(part).param.update(**values)
        else:
            setattr(store, part, values)
    return store, NationalTrendsApp(store=store)

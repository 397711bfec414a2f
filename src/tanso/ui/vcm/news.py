"""News mentioning the open project, on the explorer's project page (items from tanso.news,
rendered by the news page's own item renderer: escaped, links checked)."""

from __future__ import annotations

import panel as pn

from tanso.news import queries
from tanso.ui import safe
from tanso.ui.news import item_panes
from tanso.ui.view import View

SHOWN = 20


class ProjectNews(View):
    """The latest items linked to `store.project` (by its id or its exact, distinctive name)."""

    def __init__(self, **params):
        super().__init__(**params)
        self._head = safe.Markdown(self.md("vcm.project.news"), sizing_mode="stretch_width")
        self._items = pn.Column(sizing_mode="stretch_width")
        self.store.param.watch(lambda *_: pn.state.execute(self.refresh), "project")
        self.refresh()

    def refresh(self):
        project = self.store.project
        frame = queries.items(self.store.engine, project_id=project, limit=SHOWN) if project else None
        self._items.objects = (item_panes(frame, self.lang) if frame is not None and len(frame)
                               else [self.note("vcm.project.no_news")])

    def __panel__(self):
        return pn.Column(self._head, self._items, sizing_mode="stretch_width")

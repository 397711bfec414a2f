"""State of the VCM explorer: the search filters, tab and open project (all in the URL), and
what they select, read through `tanso.vcm.queries` (the same calls as the CLI and JSON API).
"""

from __future__ import annotations

import io
import json

import pandas as pd
import param

from tanso.auth import GUEST
from tanso.ui.i18n import t
from tanso.vcm import queries

LIST_FILTERS = ("registry", "country", "category", "project_type", "methodology", "status",
                "reduction_removal")
FLAGS = ("any", "true", "false")
NO_TEXT_SORT = "issued"  # the order of "relevance" without text (most credits issued first)
# store parameter → URL query key: the whole state is in the address
URL = {"tab": "tab", "query": "q", "registry": "registry", "country": "country",
       "category": "category", "project_type": "type", "methodology": "methodology",
       "status": "status", "reduction_removal": "removal", "corsia": "corsia", "ccb": "ccb",
       "vintage_min": "vintage_min", "vintage_max": "vintage_max", "issued_min": "issued_min",
       "issued_max": "issued_max", "sort": "sort", "page": "page", "project": "project",
       "proposal": "proposal"}


class VcmStore(param.Parameterized):
    lang = param.String(default="en", doc="UI language")
    tab = param.Selector(default="search",
                         objects=["search", "project", "proposals", "stats", "reconcile"],
                         doc="Active tab")
    query = param.String(default="", doc="Search text (words, \"phrase\", -word, a project id)")
    registry = param.List(default=[], item_type=str, doc="Registries (any of)")
    country = param.List(default=[], item_type=str)
    category = param.List(default=[], item_type=str)
    project_type = param.List(default=[], item_type=str)
    methodology = param.List(default=[], item_type=str)
    status = param.List(default=[], item_type=str)
    reduction_removal = param.List(default=[], item_type=str)
    corsia = param.Selector(default="any", objects=list(FLAGS))
    ccb = param.Selector(default="any", objects=list(FLAGS))
    vintage_min = param.Integer(default=None, allow_None=True, bounds=(1990, 2100))
    vintage_max = param.Integer(default=None, allow_None=True, bounds=(1990, 2100))
    issued_min = param.Number(default=None, allow_None=True, bounds=(0, None))
    issued_max = param.Number(default=None, allow_None=True, bounds=(0, None))
    sort = param.Selector(default="relevance", objects=list(queries.SORTS))
    page = param.Integer(default=1, bounds=(1, None))
    project = param.String(default="", doc="Open project id")
    proposal = param.Integer(default=0, bounds=(0, None), doc="Open proposal id (0: none)")
    user = param.Parameter(default=GUEST, doc="Who is signed in (tanso.auth.User)")

    result = param.Parameter(default=None, doc="SearchResult of the current filters")
    problems = param.List(default=[], doc="URL values that could not be applied (plain text)")

    def __init__(self, engine, **params):
        super().__init__(**params)
        self.engine = engine
        self.param.watch(self._filters_changed, [*LIST_FILTERS, "query", "corsia", "ccb",
                                                 "vintage_min", "vintage_max", "issued_min",
                                                 "issued_max", "sort"])
        self.param.watch(lambda *_: self.run(), ["page"])
        self.run()

    def _filters_changed(self, *_):
        if self.page != 1:
            self.page = 1  # runs the search
        else:
            self.run()

    def filters(self, **overrides) -> queries.Filters:
        flag = {"any": None, "true": True, "false": False}
        values = {name: tuple(getattr(self, name)) for name in LIST_FILTERS}
        values |= {"query": self.query, "corsia": flag[self.corsia], "ccb": flag[self.ccb],
                   "vintage_min": self.vintage_min, "vintage_max": self.vintage_max,
                   "issued_min": self.issued_min, "issued_max": self.issued_max,
                   "sort": self.shown_sort, "page": self.page}
        return queries.Filters(**(values | overrides))

    @property
    def shown_sort(self) -> str:
        """The order the results are in: `sort`, except that relevance (the default) ranks how
        well the text matches, so without text the most credits issued come first — and the sort
        control says so rather than "relevance" over an order it did not make. The link keeps
        `sort` as chosen: the same link with text added is ranked by relevance again."""
        if self.sort == "relevance" and not self.query.strip():
            return NO_TEXT_SORT
        return self.sort

    def sort_choices(self) -> tuple[str, ...]:
        """The sorts that mean something now: relevance only with text to rank by."""
        return queries.SORTS if self.query.strip() else tuple(s for s in queries.SORTS
                                                              if s != "relevance")

    def run(self) -> None:
        self.result = queries.search(self.engine, self.filters())

    @property
    def pages(self) -> int:
        per_page = queries.Filters().per_page
        return max(1, -(-(self.result.total if self.result else 0) // per_page))

    def export_csv(self) -> io.StringIO:
        """Exactly the filtered view, every page, as CSV."""
        return io.StringIO(queries.export(self.engine, self.filters(page=1)).to_csv(index=False))

    def open_project(self, project_id: str) -> None:
        self.param.update(project=project_id, tab="project")

    def apply_url_problems(self, values: dict) -> None:
        """Panel applies a link's values in one update, so one bad value (or a hand-written
        `registry=verra` instead of its JSON list) dropped them all: apply them one by one, read
        from the link's text, and report only those that still do not fit."""
        problems = []
        # the page last: a filter change goes back to page 1
        for name, value in sorted(values.items(), key=lambda item: item[0] == "page"):
            try:
                setattr(self, name, self._from_url(name, value))
            except (ValueError, TypeError):
                problems.append(t("vcm.error.url", self.lang, name=name, value=str(value)))
        self.problems = problems

    def _from_url(self, name: str, value):
        kind = self.param[name]
        if isinstance(kind, param.List):
            if isinstance(value, str):
                try:
                    value = json.loads(value)
                except ValueError:
                    value = [value]
            return [str(v) for v in (value if isinstance(value, list) else [value])]
        if name in ("corsia", "ccb") and isinstance(value, (bool, str)):
            return str(value).lower()
        if isinstance(kind, param.Integer) and value is not None:
            return int(value)
        if isinstance(kind, param.Number) and value is not None:
            return float(str(value).replace(",", ""))
        return value


def chart_csv(frame: pd.DataFrame) -> io.StringIO:
    return io.StringIO(frame.to_csv(index=False))

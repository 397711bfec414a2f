"""The explorer's search state and results table without a database: the order the results are
in (and what the sort control offers), and how the table shows a page."""

from __future__ import annotations

import pandas as pd
import panel as pn
import pytest

from tanso.ui.vcm import results
from tanso.ui.vcm.store import VcmStore
from tanso.vcm import queries


@pytest.fixture
def searches(monkeypatch) -> list[queries.Filters]:
    """Every search the store runs, answered with an empty page."""
    asked: list[queries.Filters] = []

    def search(engine, filters, **_):
        asked.append(filters)
        return queries.SearchResult(total=0, rows=pd.DataFrame(columns=queries.RESULT_COLUMNS))

    monkeypatch.setattr(queries, "search", search)
    return asked


def test_relevance_without_text_runs_and_shows_most_issued_first(searches):
    store = VcmStore(engine=None)
    assert store.sort == "relevance"  # the link keeps the default
    assert (store.shown_sort, searches[-1].sort) == ("issued", "issued")
    assert "relevance" not in store.sort_choices()
    store.query = "   "
    assert searches[-1].sort == "issued"


def test_text_brings_relevance_back_and_a_chosen_sort_stays(searches):
    store = VcmStore(engine=None, query="cookstove")
    assert (store.shown_sort, searches[-1].sort) == ("relevance", "relevance")
    assert store.sort_choices() == queries.SORTS
    store.query = ""
    assert searches[-1].sort == "issued"
    store.sort = "retired"
    store.query = "forest"
    assert (store.shown_sort, searches[-1].sort) == ("retired", "retired")
    store.query = ""
    assert searches[-1].sort == "retired"


def test_the_sort_control_shows_the_order_and_only_a_choice_changes_the_link(searches):
    from tanso.ui.vcm.views import SearchView

    store = VcmStore(engine=None)
    view = SearchView(store=store)
    pn.panel(view)  # the search tab is shown first: its body is built
    assert view._sort.value == "issued" and "relevance" not in view._sort.options.values()
    assert store.sort == "relevance"  # showing the fallback chose nothing
    store.query = "kenya"
    assert view._sort.value == "relevance"
    view._sort.value = "name"
    assert store.sort == "name" and searches[-1].sort == "name"
    store.query = ""
    assert view._sort.value == "name"


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_titles_are_translated_and_the_frame_keeps_the_field_names(lang):
    page = pd.DataFrame([{c: None for c in queries.RESULT_COLUMNS} | {
        "project_id": "VCS934", "name": "Mai Ndombe", "issued": 42534256.0, "retired": 20198424.0}])
    shown = results.shown_rows(page)
    assert list(shown.columns) == list(results.SHOWN)
    assert shown["issued"].iloc[0] == 42534256.0  # a number: the formatter adds the separators
    assert list(results.shown_rows(pd.DataFrame()).columns) == list(results.SHOWN)
    titles = results.titles(lang)
    assert set(titles) == set(results.SHOWN)
    assert not set(titles.values()) & set(results.SHOWN)  # no raw field name as a title
    if lang == "ko":
        assert titles == {"project_id": "프로젝트 ID", "name": "이름", "registry": "레지스트리",
                          "country": "국가", "category": "분류", "issued": "발행 (tCO2e)",
                          "retired": "상쇄 (tCO2e)"}


def test_a_phone_keeps_id_name_and_issued_and_numbers_read_as_numbers():
    options = results.table_options("en")
    columns = {c["field"]: c for c in options["configuration"]["columns"]}
    assert options["configuration"]["responsiveLayout"] == "hide"
    never_hidden = {f for f, c in columns.items() if c["responsive"] == 0}
    assert never_hidden == {"project_id", "name", "issued"}
    # retired goes last of the rest, category first
    order = sorted((c["responsive"], f) for f, c in columns.items() if c["responsive"])
    assert [f for _, f in order] == ["retired", "country", "registry", "category"]
    assert options["formatters"]["issued"]["thousand"] == ","
    assert options["text_align"] == {"issued": "right", "retired": "right"}
    # the desktop table (≈ 1,050 px beside the sidebar) fits every fixed column and the name
    assert sum(results.WIDTHS.values()) + results.NAME_MIN <= 1000
    table = pn.widgets.Tabulator(results.shown_rows(pd.DataFrame()), **options)
    assert table.titles["issued"] == "Issued (tCO2e)"

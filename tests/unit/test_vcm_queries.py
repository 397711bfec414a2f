"""Search filters from URL parameters and back; the statements bind every user value."""

from __future__ import annotations

import pytest

from tanso.vcm import queries


def test_filters_round_trip_through_url_parameters():
    params = {"query": ["cookstove kenya"], "registry": ["verra", "gold-standard"],
              "corsia": ["true"], "vintage_min": ["2015"], "issued_min": ["1,000"],
              "page": ["3"], "sort": ["issued"], "utm_source": ["x"]}
    filters = queries.Filters.from_mapping(params)
    assert filters.registry == ("verra", "gold-standard")
    assert (filters.corsia, filters.vintage_min, filters.issued_min, filters.page) == (
        True, 2015, 1000.0, 3)
    assert queries.Filters.from_mapping(filters.to_mapping()) == filters


@pytest.mark.parametrize(("params", "message"), [
    ({"page": ["two"]}, "page must be a whole number"),
    ({"page": ["0"]}, "page must be 1 or more"),
    ({"corsia": ["maybe"]}, "corsia must be true or false"),
    ({"sort": ["name; DROP TABLE x"]}, "unknown sort"),
    ({"per_page": ["1000"]}, "per_page must be 1–200"),
    ({"issued_min": ["nan"]}, "issued_min must be a finite number"),
])
def test_bad_url_parameters_are_named(params, message):
    with pytest.raises(ValueError, match=message):
        queries.Filters.from_mapping(params)


def test_text_parameters_escape_like_metacharacters_and_normalise_ids():
    assert queries._text_params("gs 1005") == {"q": "gs 1005", "q_id": "GLD1005",
                                               "q_like": "%GLD1005%"}
    assert queries._text_params("100%_\\")["q_like"] == "%100\\%\\_\\\\%"
    assert len(queries._text_params("x" * 1000)["q"]) == queries.MAX_QUERY_CHARS


def test_statements_are_constants_with_bound_parameters():
    for statement in [*queries.PAGE.values(), *queries.FACET_SETS.values(),
                      queries.FACET_COMBOS, *queries.FACET_OWN.values(),
                      *queries.FUZZY.values(), *queries.EXPORT.values(), *queries.COUNT.values()]:
        sql = statement.text
        assert ":q" in sql or "true" in sql
        assert "{" not in sql  # every template slot filled at import, from constants


@pytest.mark.parametrize(("filters", "mode", "order"), [
    (queries.Filters(), "all", ("issued", True)),  # no text to rank by: most credits first
    (queries.Filters(sort="name", descending=False), "all", ("name", False)),
    (queries.Filters(query="cookstove kenya"), "text", ("relevance", True)),
    (queries.Filters(query="gs 1005"), "text_id", ("relevance", True)),  # a digit: maybe an id
])
def test_each_request_picks_its_prepared_statement(filters, mode, order):
    assert (queries._mode(filters), queries._order(filters)) == (mode, order)
    assert "ORDER BY issued DESC NULLS LAST, project_id LIMIT" in queries.PAGE["all", ("issued", True)].text
    assert "ILIKE" not in queries.PAGE["text", order].text

"""Read-only queries of the mart.vcm_* views: ranked search with facet counts, export of the
filtered view, statistics, reconciliation and one project's page. The CLI, the app and its
JSON endpoint all call these.

Every statement is a constant: user values are bound parameters (filters are arrays, an empty
array means "any"), the sort picks one of the prepared statements by name, and the text
query reaches PostgreSQL only through `websearch_to_tsquery` (which never fails on syntax) and
an escaped ILIKE pattern. So SQL and tsquery metacharacters in user text are just text.

Matching: full text (weighted: name and id, then developer/proponent, then methodology, type,
place, then description) or the id as a substring (trigram index). When that finds nothing,
names similar to the query (trigram word similarity) are returned instead, marked `fuzzy`,
with a "did you mean" text whose misspelt words are replaced by known ones.

Speed (benchmarks/vcm_search.py): text is matched through GIN indexes only; without text, the
narrow keys of each project (core.vcm_search_keys, ~60 bytes instead of ~1 kB) are filtered,
counted and sorted, the first page is read in index order, and only the page's projects are
read; the unfiltered facet counts are stored at load time (refresh_search_aids), and filtered
ones are counted from the stored combinations of facet values (unless an issued bound is set);
the total comes with the facet counts (the empty grouping set), and JIT is off for these short
statements. A misspelling is compared with each distinct name once. With text, every match is read
anyway: filters or not, all facets are counted in one pass over the matches, and the page is
sorted on its sort keys alone before its projects are read.
"""

from __future__ import annotations

import json
import math
import re
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY

from tanso.vcm import ids

FACETS = ("registry", "country", "category", "project_type", "methodology", "status",
          "reduction_removal", "corsia", "ccb", "vintage", "issued_range")
SORTS = ("relevance", "issued", "retired", "name", "project_id", "first_vintage", "support")
MAX_PER_PAGE = 200
MAX_QUERY_CHARS = 200
RESULT_COLUMNS = ("project_id", "name", "registry", "country", "category", "project_type",
                  "status", "issued", "retired", "first_vintage", "flags", "supporters", "rank")
EXPORT_COLUMNS = ("project_id", "name", "registry", "country", "region", "category",
                  "project_type", "reduction_removal", "methodology", "status", "developer",
                  "proponent", "corsia", "ccb", "first_vintage", "issued", "retired",
                  "remaining", "registry_url", "sources", "flags")


@dataclass(frozen=True)
class Filters:
    """What the user asked for; every field is optional. Lists mean "any of"."""

    query: str = ""
    registry: tuple[str, ...] = ()
    country: tuple[str, ...] = ()
    category: tuple[str, ...] = ()
    project_type: tuple[str, ...] = ()
    methodology: tuple[str, ...] = ()
    status: tuple[str, ...] = ()
    reduction_removal: tuple[str, ...] = ()
    corsia: bool | None = None
    ccb: bool | None = None
    vintage_min: int | None = None
    vintage_max: int | None = None
    issued_min: float | None = None
    issued_max: float | None = None
    sort: str = "relevance"
    descending: bool = True
    page: int = 1
    per_page: int = 25

    def __post_init__(self):
        if self.sort not in SORTS:
            raise ValueError(f"unknown sort {self.sort!r} (one of {', '.join(SORTS)})")
        if not 1 <= self.per_page <= MAX_PER_PAGE:
            raise ValueError(f"per_page must be 1–{MAX_PER_PAGE}, not {self.per_page}")
        if self.page < 1:
            raise ValueError(f"page must be 1 or more, not {self.page}")
        for name in ("vintage_min", "vintage_max", "issued_min", "issued_max"):
            value = getattr(self, name)
            if value is not None and not math.isfinite(value):
                raise ValueError(f"{name} must be a finite number")

    @classmethod
    def from_mapping(cls, params: dict) -> Filters:
        """From URL-style parameters ({'registry': ['verra'], 'page': '2', …}); unknown keys
        are ignored, malformed values raise ValueError with the parameter's name."""
        values = {}
        for spec in fields(cls):
            if spec.name not in params:
                continue
            raw = params[spec.name]
            items = raw if isinstance(raw, (list, tuple)) else [raw]
            items = [str(v) for v in items if str(v) != ""]
            if spec.type.startswith("tuple"):
                values[spec.name] = tuple(items)
            elif not items:
                continue
            elif spec.type.startswith("bool"):
                if items[-1].lower() not in ("true", "false", "1", "0", "yes", "no"):
                    raise ValueError(f"{spec.name} must be true or false, not {items[-1]!r}")
                values[spec.name] = items[-1].lower() in ("true", "1", "yes")
            elif spec.type.startswith("int"):
                try:
                    values[spec.name] = int(items[-1])
                except ValueError:
                    raise ValueError(f"{spec.name} must be a whole number, not "
                                     f"{items[-1]!r}") from None
            elif spec.type.startswith("float"):
                try:
                    values[spec.name] = float(items[-1].replace(",", ""))
                except ValueError:
                    raise ValueError(f"{spec.name} must be a number, not {items[-1]!r}") from None
            else:
                values[spec.name] = items[-1]
        return cls(**values)

    def to_mapping(self) -> dict[str, list[str]]:
        """The non-default fields as URL parameters (the inverse of from_mapping)."""
        default = Filters()
        out = {}
        for name, value in asdict(self).items():
            if value == getattr(default, name):
                continue
            out[name] = ([str(v) for v in value] if isinstance(value, tuple)
                         else [str(value).lower() if isinstance(value, bool) else str(value)])
        return out


@dataclass(frozen=True)
class SearchResult:
    total: int
    rows: pd.DataFrame                 # RESULT_COLUMNS, one page
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    fuzzy: bool = False                # no exact match: rows are names similar to the query
    suggestion: str | None = None      # with fuzzy: the text with misspelt words corrected

    def as_dict(self) -> dict:
        return {"total": self.total, "fuzzy": self.fuzzy, "suggestion": self.suggestion,
                "results": _records(self.rows),
                "facets": {k: [{"value": v, "count": c} for v, c in pairs]
                           for k, pairs in self.facets.items()}}


def _records(frame: pd.DataFrame) -> list[dict]:
    return [{k: (None if pd.isna(v) else v.item() if hasattr(v, "item") else v)
             for k, v in row.items()} for row in frame.to_dict("records")]


# --- the statements (constants; see the module docstring) ---------------------------------

# (rank, condition) of each way of matching the text; one scan of the projects, no self-join.
# "text" uses the search vector's GIN index alone; "text_id" also the id's trigram index (a
# BitmapOr), for text with a digit in it — only that can be part of a project id, and the OR
# alone makes the planner scan every row for plain words.
_RANK = "ts_rank_cd(p.search_vector, websearch_to_tsquery('english', :q), 1)"
_MATCH = {
    "all": ("0.0::float8", "true"),
    "text": (_RANK, "p.search_vector @@ websearch_to_tsquery('english', :q)"),
    "text_id": (f"{_RANK} + CASE WHEN p.project_id = :q_id THEN 10 ELSE 0 END",
                ("(p.search_vector @@ websearch_to_tsquery('english', :q)"
                 " OR p.project_id ILIKE :q_like ESCAPE '\\')")),
    "fuzzy": ("p.similarity", "true"),  # the source is the similar names' keys (_SIMILAR)
}

_ISSUED_RANGE = """CASE WHEN p.issued IS NULL THEN 'unknown'
                    WHEN p.issued < 1 THEN '0'
                    WHEN p.issued < 10000 THEN '1-10k'
                    WHEN p.issued < 100000 THEN '10k-100k'
                    WHEN p.issued < 1000000 THEN '100k-1M'
                    WHEN p.issued < 10000000 THEN '1M-10M'
                    ELSE '10M+' END"""
# Whether each filter lets the row through ({corsia}/{ccb}: the flags as filtered; {issued}: the
# issued bounds' test, "true" where the rows carry no issued figure)
_OK = """(cardinality(:registry) = 0 OR p.registry = ANY(:registry)) AS ok_registry,
               (cardinality(:country) = 0 OR p.country = ANY(:country)) AS ok_country,
               (cardinality(:category) = 0 OR p.category = ANY(:category)) AS ok_category,
               (cardinality(:project_type) = 0 OR p.project_type = ANY(:project_type))
                   AS ok_project_type,
               (cardinality(:methodology) = 0 OR p.methodology = ANY(:methodology))
                   AS ok_methodology,
               (cardinality(:status) = 0 OR p.status = ANY(:status)) AS ok_status,
               (cardinality(:reduction_removal) = 0
                   OR p.reduction_removal = ANY(:reduction_removal)) AS ok_reduction_removal,
               (CAST(:corsia AS boolean) IS NULL OR {corsia} = :corsia) AS ok_corsia,
               (CAST(:ccb AS boolean) IS NULL OR {ccb} = :ccb) AS ok_ccb,
               ((CAST(:vintage_min AS int) IS NULL OR p.first_vintage >= :vintage_min)
                AND (CAST(:vintage_max AS int) IS NULL OR p.first_vintage <= :vintage_max))
                   AS ok_vintage,
               {issued} AS ok_issued_range"""
_ISSUED_OK = """((CAST(:issued_min AS float8) IS NULL OR p.issued >= :issued_min)
                AND (CAST(:issued_max AS float8) IS NULL OR p.issued <= :issued_max))"""
_BASE = """
    WITH base AS (
        SELECT {columns}, coalesce(s.supporters, 0) AS supporters, {rank} AS rank,
               {issued_range} AS issued_range,
               {ok}
        FROM {source} p
        LEFT JOIN (SELECT project_id, count(*) AS supporters FROM app.supports
                   WHERE project_id IS NOT NULL GROUP BY project_id) s  -- members' support
               ON s.project_id = p.project_id
        WHERE {condition}
    )
"""
_ALL_OK = " AND ".join(f"ok_{f}" for f in FACETS)
# Only what pages, exports and facets read: the search vector and descriptions are wide
_COLUMNS = ", ".join(f"p.{c}" for c in dict.fromkeys(
    [*RESULT_COLUMNS, *EXPORT_COLUMNS, "methodology", "status"]) if c not in ("supporters", "rank"))
# Without text, the narrow keys (core.vcm_search_keys) are filtered, counted and sorted instead
_KEY_COLUMNS = ("project_id", "registry", "country", "category", "project_type", "methodology",
                "status", "reduction_removal", "corsia", "ccb", "first_vintage", "issued",
                "retired", "name_order")
_KEY_SELECT = ", ".join(f"p.{c}" for c in _KEY_COLUMNS)
# The names similar to the text (pg_trgm's word similarity), each distinct name once, and their
# projects' keys through the name's number. OFFSET 0 keeps the similarity computed per name:
# pulled up into the join, it was computed again for each of the name's projects (~7 µs each).
_SIMILAR = """(
            SELECT k.*, n.similarity FROM mart.vcm_search_keys k JOIN (
                SELECT name_order, word_similarity(:q, name)::float8 AS similarity
                FROM mart.vcm_search_names WHERE :q <% name
                OFFSET 0) n USING (name_order))"""
# (relation, columns, CORSIA and CCB flags as filtered) of each mode: the keys store the flags
# unknown as false, so the plain column can read its index (a coalesce() hides it from the
# planner). Text is matched in the projects (the search vector is there); the rest in the keys.
_SOURCE = {"all": ("mart.vcm_search_keys", _KEY_SELECT, "p.corsia", "p.ccb"),
           "text": ("mart.vcm_projects", _COLUMNS, "coalesce(p.corsia, false)",
                    "coalesce(p.ccb, false)"),
           "fuzzy": (_SIMILAR, _KEY_SELECT, "p.corsia", "p.ccb")}
_SOURCE["text_id"] = _SOURCE["text"]
_READS_KEYS = ("all", "fuzzy")


_FACET_VALUE = {f: {"corsia": "coalesce(corsia, false)::text",
                    "ccb": "coalesce(ccb, false)::text",
                    "vintage": "first_vintage::text"}.get(f, f) for f in FACETS}


def _others(facet: str) -> str:
    """Whether every filter but the facet's own lets the row through."""
    return f"({' AND '.join(f'ok_{f}' for f in FACETS if f != facet)})"


# Facets without a filter of their own all count the fully filtered rows: one scan with
# GROUPING SETS instead of one scan per facet; the empty set () is the total ("total", NULL).
_FACET_NAME_VALUE = (
    "SELECT CASE " + " ".join(f"WHEN grouping(v_{f}) = 0 THEN '{f}'" for f in FACETS)
    + " ELSE 'total' END AS facet, CASE "
    + " ".join(f"WHEN grouping(v_{f}) = 0 THEN v_{f}" for f in FACETS) + " END AS value")
_FACET_SETS = (
    f"{_FACET_NAME_VALUE}, count(*) AS n FROM (SELECT "  # nosec B608 - module constants only
    + ", ".join(f"{_FACET_VALUE[f]} AS v_{f}" for f in FACETS)
    + f" FROM base WHERE {_ALL_OK}) s GROUP BY GROUPING SETS ("
    + ", ".join(f"(v_{f})" for f in FACETS) + ", ()) ORDER BY 1, 3 DESC, 2")

# With filters set, each facet counts under the filters but its own, and so sees other rows
# than the rest: still one scan, of the rows at most one filter turns away. A facet's grouping
# set is (o_f, v_f), o_f "every other filter passes", and HAVING keeps o_f true (in the other
# sets the o_ are NULL); the empty set () is the total, counted FILTER every filter passes.
# `weight`: a column holding how many projects each row stands for (the stored combinations;
# the sum of no rows is NULL, hence the coalesce of the total).
def _facet_own(weight: str = "") -> str:
    count = f"sum({weight})" if weight else "count(*)"
    return (f"{_FACET_NAME_VALUE}, CASE WHEN grouping("  # nosec B608 - module constants only
            + ", ".join(f"v_{f}" for f in FACETS)
            + f") = {2 ** len(FACETS) - 1} THEN coalesce({count} FILTER (WHERE o_all), 0)"
            + f" ELSE {count} END"
            + " AS n FROM (SELECT "
            + ", ".join(f"{_FACET_VALUE[f]} AS v_{f}, coalesce({_others(f)}, false) AS o_{f}"
                        for f in FACETS)
            + f", {_ALL_OK} AS o_all{f', {weight}' if weight else ''} FROM base WHERE "
            + " OR ".join(_others(f) for f in FACETS)
            + ") s GROUP BY GROUPING SETS (" + ", ".join(f"(o_{f}, v_{f})" for f in FACETS)
            + ", ()) HAVING coalesce(" + ", ".join(f"o_{f}" for f in FACETS) + ", true)"
            + " ORDER BY 1, 3 DESC, 2")


_FACET_OWN = _facet_own()

# ORDER BY of each (sort, descending), chosen by name: a constant each, so the planner can read
# an index in that order (issued, the first page's) and stop at LIMIT. The id breaks ties.
# `name` is the column sorted for the name: name_order among the keys (the same order).
def _order_by(sort: str, descending: bool, *, table: str = "", name: str = "name") -> str:
    way, t = "DESC" if descending else "ASC", table
    if sort == "relevance":
        return f"{t}rank DESC, {t}issued DESC NULLS LAST, {t}project_id"
    if sort == "project_id":
        return f"{t}project_id {way}"
    if sort == "support":
        return f"{t}supporters {way}, {t}issued DESC NULLS LAST, {t}project_id"
    return f"{t}{name if sort == 'name' else sort} {way} NULLS LAST, {t}project_id"


_ORDERS = {(sort, d): _order_by(sort, d) for sort in SORTS for d in (True, False)}

_ARRAYS = ("registry", "country", "category", "project_type", "methodology", "status",
           "reduction_removal")


def _statement(sql: str) -> sa.TextClause:
    statement = sa.text(sql)
    return statement.bindparams(*[sa.bindparam(name, type_=ARRAY(sa.Text))
                                  for name in _ARRAYS if f":{name}" in sql])


def _with_base(mode: str, select: str, columns: str = "") -> sa.TextClause:
    rank, condition = _MATCH[mode]
    source, all_columns, corsia, ccb = _SOURCE[mode]
    ok = _OK.format(corsia=corsia, ccb=ccb, issued=_ISSUED_OK)
    return _statement(_BASE.format(source=source, columns=columns or all_columns, rank=rank,
                                   issued_range=_ISSUED_RANGE, ok=ok, condition=condition)
                      + select)


def _rows(mode: str, order: tuple[str, bool], columns: tuple[str, ...], limit: str) -> str:
    """The select of a page (with `limit`) or of an export (without) after the base. A page is
    sorted and cut on the sort keys alone, then only its projects are read (keys have only
    keys; a text match sorts narrow rows and skips the view's flag count per match)."""
    if mode not in _READS_KEYS and not limit:
        return (f"SELECT {', '.join(columns)} FROM base "  # nosec B608 - module constants only
                f"WHERE {_ALL_OK} ORDER BY {_ORDERS[order]}")
    name = "name_order" if mode in _READS_KEYS else "name"
    picked = ", ".join(f"page.{c}" if c in ("supporters", "rank") else f"v.{c}" for c in columns)
    return (f"SELECT {picked} FROM (SELECT project_id, supporters, rank, issued, retired, "  # nosec B608 - module constants only
            f"first_vintage, {name} FROM base WHERE {_ALL_OK} "
            f"ORDER BY {_order_by(*order, name=name)} {limit}) page "
            "JOIN mart.vcm_projects v ON v.project_id = page.project_id "
            f"ORDER BY {_order_by(*order, table='page.', name=name)}")


PAGE = {(mode, order): _with_base(mode, _rows(mode, order, RESULT_COLUMNS,
                                              "LIMIT :limit OFFSET :offset"))
        for mode in _MATCH for order in _ORDERS}
COUNT = {mode: _with_base(mode, f"SELECT count(*) FROM base WHERE {_ALL_OK}")  # nosec B608 - module constants only
         for mode in _MATCH}
EXPORT = {(mode, order): _with_base(mode, _rows(mode, order, EXPORT_COLUMNS, ""))
          for mode in _MATCH for order in _ORDERS}
# Facets with text (a misspelling's are counted with its page, in FUZZY); without, the stored
# counts and combinations serve, and the keys only with an issued bound
FACET_SETS = {mode: _with_base(mode, _FACET_SETS) for mode in ("text", "text_id")}
FACET_OWN = {mode: _with_base(mode, _FACET_OWN) for mode in ("all", "text", "text_id")}
# Without text and without an issued bound, every facet's count under the other filters comes
# from the stored combinations of facet values (each row standing for `n` projects)
_COMBOS_BASE = """
    WITH base AS (SELECT p.*, {ok} FROM mart.vcm_facet_combos p)
"""
FACET_COMBOS = _statement(_COMBOS_BASE.format(ok=_OK.format(corsia="p.corsia", ccb="p.ccb",
                                                            issued="true"))
                          + _facet_own("n"))
# The fallback for a misspelling in one pass: the matches (`base`, read twice, materialized) are
# found once for the page and the facet counts. Rows: part 0 the page in order
# (RESULT_COLUMNS), part 1 the counts.


def _fuzzy_page_and_counts(order: tuple[str, bool]) -> sa.TextClause:
    picked = ", ".join(f"page.{c}" if c in ("supporters", "rank") else f"v.{c}"
                       for c in RESULT_COLUMNS)
    nulls = ", ".join(f"NULL AS {c}" for c in RESULT_COLUMNS)
    return _with_base("fuzzy", f""", page AS (
            SELECT project_id, name_order, supporters, rank, issued, retired, first_vintage
            FROM base WHERE {_ALL_OK}
            ORDER BY {_order_by(*order, name='name_order')} LIMIT :limit OFFSET :offset)
        SELECT 0 AS part,
               row_number() OVER (ORDER BY {_order_by(*order, table='page.', name='name_order')})
                   AS ord,
               {picked}, NULL AS facet, NULL AS value, NULL AS n
        FROM page JOIN mart.vcm_projects v ON v.project_id = page.project_id
        UNION ALL
        SELECT 1, row_number() OVER (ORDER BY facet, n DESC, value), {nulls}, facet, value, n
        FROM ({_FACET_OWN}) c
        ORDER BY part, ord""")  # nosec B608 - module constants only


FUZZY = {order: _fuzzy_page_and_counts(order) for order in _ORDERS}
# The unfiltered counts, as refresh_search_aids stored them
STORED_FACETS = sa.text("SELECT facet, value, n FROM mart.vcm_facet_counts "
                        "ORDER BY facet, n DESC, value")


def _filtered_facets(filters: Filters) -> list[str]:
    """Facets with a filter of their own set (they need their own count)."""
    active = [f for f in _ARRAYS if getattr(filters, f)]
    active += [f for f in ("corsia", "ccb") if getattr(filters, f) is not None]
    if filters.vintage_min is not None or filters.vintage_max is not None:
        active.append("vintage")
    if filters.issued_min is not None or filters.issued_max is not None:
        active.append("issued_range")
    return active


def facet_counts(conn, filters: Filters, mode: str, params: dict) -> list[tuple]:
    """(facet, value, n) rows, the total as facet "total"."""
    own = _filtered_facets(filters)
    if mode == "all" and not own:
        return conn.execute(STORED_FACETS).all()
    if mode == "all" and "issued_range" not in own:
        return conn.execute(FACET_COMBOS, params).all()
    if own:  # each facet under the other filters, in one pass
        return conn.execute(FACET_OWN[mode], params).all()
    return conn.execute(FACET_SETS[mode], params).all()


def _text_params(query: str) -> dict:
    text = query.strip()[:MAX_QUERY_CHARS]
    compact = re.sub(r"\s+", "", text).upper()
    q_id = compact
    if re.search(r"\d", compact):  # may be an id in any spelling (gs 1234, vcs-981): canonical
        with suppress(ValueError):
            q_id = ids.canonical_ids(pd.Series([compact]), source="query", column="q").iloc[0]
    escaped = re.sub(r"([\\%_])", r"\\\1", q_id)
    return {"q": text, "q_id": q_id, "q_like": f"%{escaped}%"}


def _params(filters: Filters) -> dict:
    params = {name: list(getattr(filters, name)) for name in _ARRAYS}
    params |= {name: getattr(filters, name) for name in
               ("corsia", "ccb", "vintage_min", "vintage_max", "issued_min", "issued_max")}
    params |= _text_params(filters.query)
    return params


def _mode(filters: Filters) -> str:
    text = filters.query.strip()
    if not text:
        return "all"
    return "text_id" if re.search(r"\d", text) else "text"


def _order(filters: Filters) -> tuple[str, bool]:
    """Relevance needs text to rank by: without it, the most credits first."""
    if filters.sort == "relevance" and not filters.query.strip():
        return "issued", filters.descending
    return filters.sort, filters.descending


# Settings of the search transactions only (set_config(…, true) is SET LOCAL), one round trip:
# - jit off: JIT compiles a plan once its cost passes jit_above_cost, which a scan of 1M
#   projects does: 100+ ms of compiling for statements that run in a few;
# - never a generic plan: an unused filter (`cardinality(:registry) = 0 OR …`) folds away, and
#   a used one can read an index, only in a plan made for the values (psycopg prepares a
#   statement after its 5th run and the server may then switch to a generic plan);
# - random_page_cost 1.1: the search tables are read from memory, where a page fetched out of
#   order costs about as much as the next one; at the default 4 the planner scanned all 1.1M
#   projects for a word in 180k of them (2.0 s) instead of reading its GIN index (1.0 s).
_SETTINGS = sa.text("SELECT set_config('jit', 'off', true), "
                    "set_config('plan_cache_mode', 'force_custom_plan', true), "
                    "set_config('random_page_cost', '1.1', true)")


@contextmanager
def _connect(engine: sa.Engine):
    with engine.connect() as conn:
        conn.execute(_SETTINGS)
        yield conn


def search(engine: sa.Engine, filters: Filters, *, facets: bool = True) -> SearchResult:
    """One page of projects matching `filters`, ranked, with facet counts."""
    params = _params(filters) | {"limit": filters.per_page,
                                 "offset": (filters.page - 1) * filters.per_page}
    mode, order = _mode(filters), _order(filters)
    suggestion = None
    with _connect(engine) as conn:
        rows = pd.read_sql(PAGE[mode, order], conn, params=params)
        fuzzy = mode != "all" and rows.empty and (filters.page == 1
                                                  or not _any_match(conn, mode, params))
        counts = []
        if fuzzy:
            mode = "fuzzy"
            if facets:
                rows, counts = _fuzzy(conn, order, params)
            else:
                rows = pd.read_sql(PAGE[mode, order], conn, params=params)
            suggestion = _suggest(conn, params["q"])
        elif facets:
            counts = facet_counts(conn, filters, mode, params)
        totals = [n for facet, _, n in counts if facet == "total"]
        if totals:
            total = int(totals[0])
        elif filters.page == 1 and len(rows) < filters.per_page:
            total = len(rows)  # the whole result is on this page
        else:
            total = int(conn.execute(COUNT[mode], params).scalar_one())
    facet_map = {f: [] for f in FACETS} if facets else {}
    for facet, value, n in counts:
        if facet != "total":
            facet_map[facet].append(("" if value is None else str(value), int(n)))
    return SearchResult(total=total, rows=rows, facets=facet_map, fuzzy=fuzzy,
                        suggestion=suggestion)


def _fuzzy(conn, order: tuple[str, bool], params: dict) -> tuple[pd.DataFrame, list[tuple]]:
    """FUZZY's page (framed as pd.read_sql frames a page) and (facet, value, n) counts."""
    result = conn.execute(FUZZY[order], params).all()
    width = len(RESULT_COLUMNS)
    page = [row[2:2 + width] for row in result if row[0] == 0]
    counts = [tuple(row[2 + width:]) for row in result if row[0] == 1]
    return (pd.DataFrame.from_records(page, columns=list(RESULT_COLUMNS), coerce_float=True),
            counts)


def _any_match(conn, mode: str, params: dict) -> bool:
    """Whether the text matches anything at all (a page past the end is not 'no match')."""
    return bool(conn.execute(COUNT[mode], params).scalar_one())


# "Did you mean": each word of the text that no name, developer, type or place contains is
# replaced by the most similar word that one does (trigram similarity ≥ 0.3, pg_trgm's `%`).
_SUGGEST = sa.text("""
    SELECT w.q,
           EXISTS (SELECT 1 FROM mart.vcm_search_words s WHERE s.word = w.q) AS known,
           (SELECT s.word FROM mart.vcm_search_words s WHERE s.word % w.q
            ORDER BY similarity(s.word, w.q) DESC, s.n DESC, s.word LIMIT 1) AS best
    FROM unnest(CAST(:words AS text[])) AS w(q)""")
_WORD = re.compile(r"[^\W\d_]{3,}")


def _suggest(conn, text: str) -> str | None:
    words = sorted({w.lower() for w in _WORD.findall(text)})
    if not words:
        return None
    best = {q: b for q, known, b in conn.execute(_SUGGEST, {"words": words}).all()
            if not known and b}
    if not best:
        return None
    return _WORD.sub(lambda m: best.get(m.group(0).lower(), m.group(0)), text)


def refresh_search_aids(conn) -> None:
    """Recompute the explorer's search aids from core.vcm_projects, in the caller's transaction:
    the distinct names, the keys, the facet combinations, the unfiltered facet counts and the
    "did you mean" words. The `vcm`
    notebook calls it after each load (the benchmark after growing the table); until then a
    search without text or a misspelling reads the aids of the previous load."""
    for table, insert in (("vcm_search_names", _NAMES), ("vcm_search_keys", _KEYS),
                          ("vcm_facet_combos", _COMBOS), ("vcm_search_words", _WORDS)):
        conn.execute(sa.text(f"DELETE FROM core.{table}"))  # nosec B608 - module constants only
        conn.execute(sa.text(insert))
    conn.execute(sa.text("DELETE FROM core.vcm_facet_counts"))
    conn.execute(_statement("INSERT INTO core.vcm_facet_counts (facet, value, n) "
                            + FACET_COMBOS.text), _params(Filters()))


# name_order: the name's rank in the database's collation
_NAMES = """
    INSERT INTO core.vcm_search_names (name_order, name)
    SELECT row_number() OVER (ORDER BY name), name
    FROM (SELECT DISTINCT name FROM core.vcm_projects WHERE name IS NOT NULL) d"""
_KEYS = f"""
    INSERT INTO core.vcm_search_keys ({', '.join(_KEY_COLUMNS)})
    SELECT {', '.join(f"p.{c}" if c not in ("corsia", "ccb") else f"coalesce(p.{c}, false)"
                      for c in _KEY_COLUMNS[:-1])}, n.name_order
    FROM core.vcm_projects p LEFT JOIN core.vcm_search_names n ON n.name = p.name"""  # nosec B608 - module constants only
_COMBOS = f"""
    INSERT INTO core.vcm_facet_combos
    SELECT registry, country, category, project_type, methodology, status, reduction_removal,
           corsia, ccb, first_vintage, {_ISSUED_RANGE}, count(*)
    FROM core.vcm_search_keys p GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11"""  # nosec B608 - module constants only
_WORDS = """
    INSERT INTO core.vcm_search_words (word, n)
    SELECT word, ndoc FROM ts_stat($$
        SELECT to_tsvector('simple', concat_ws(' ', name, developer, proponent, project_type,
                                               category, country, state, location))
        FROM core.vcm_projects$$)
    WHERE length(word) >= 3 AND word !~ '[0-9_]'"""


def export(engine: sa.Engine, filters: Filters) -> pd.DataFrame:
    """Every project of the filtered view (all pages), in the view's order, EXPORT_COLUMNS."""
    params = _params(filters)
    mode, order = _mode(filters), _order(filters)
    with _connect(engine) as conn:
        frame = pd.read_sql(EXPORT[mode, order], conn, params=params)
        if mode != "all" and frame.empty:
            frame = pd.read_sql(EXPORT["fuzzy", order], conn, params=params)
    return frame


# --- statistics, reconciliation, project page ----------------------------------------------

STATS_SOURCES = ("vrod", "offsetsdb", "merged")
STATS_BY = ("registry", "category", "country", "vintage", "retirement_year")

_STATS_SOURCE = sa.text("""
    SELECT registry, count(*) AS projects, sum(issued) AS issued, sum(retired) AS retired,
           sum(remaining) AS remaining
    FROM mart.vcm_source_projects WHERE source = :source GROUP BY registry
    ORDER BY projects DESC, registry""")
_STATS_MERGED = {
    by: sa.text(f"SELECT {expression} AS {by}, count(*) AS projects, sum(issued) AS issued, "  # nosec B608 - module constants only
                "sum(retired) AS retired, sum(remaining) AS remaining FROM mart.vcm_projects "
                "GROUP BY 1 ORDER BY issued DESC NULLS LAST, projects DESC")
    for by, expression in {"registry": "registry",
                           "category": "coalesce(category, 'unknown')",
                           "country": "coalesce(country, 'unknown')"}.items()}
_STATS_YEARS = sa.text("""
    SELECT year, kind, count(DISTINCT project_id) AS projects, sum(quantity) AS quantity
    FROM mart.vcm_credit_years WHERE kind = ANY(:kinds) GROUP BY year, kind ORDER BY year""")


def stats(engine: sa.Engine, *, source: str = "merged", by: str = "registry") -> pd.DataFrame:
    """Projects and credits (tCO2e) grouped `by` registry, category, country, vintage or
    retirement year. `source` vrod / offsetsdb reads that source's own rows (OffsetsDB's
    project list carries no totals, so its credit columns are empty)."""
    if source not in STATS_SOURCES:
        raise ValueError(f"unknown source {source!r} (one of {', '.join(STATS_SOURCES)})")
    if by not in STATS_BY:
        raise ValueError(f"unknown grouping {by!r} (one of {', '.join(STATS_BY)})")
    with engine.connect() as conn:
        if by in ("vintage", "retirement_year"):
            kinds = ["issued_by_vintage", "remaining_by_vintage"] if by == "vintage" \
                else ["retired_by_year"]
            frame = pd.read_sql(_STATS_YEARS.bindparams(
                sa.bindparam("kinds", type_=ARRAY(sa.Text))), conn, params={"kinds": kinds})
            return frame.pivot_table(index="year", columns="kind", values="quantity",
                                     aggfunc="sum").reset_index().rename_axis(columns=None)
        if source != "merged":
            if by != "registry":
                raise ValueError("per-source statistics are by registry only")
            return pd.read_sql(_STATS_SOURCE, conn, params={"source": source})
        return pd.read_sql(_STATS_MERGED[by], conn)


# Map names: the country's own spelling when the world map has it, else country_codes.json
COUNTRY_CODES = {k: v for k, v in json.loads(
    (Path(__file__).with_name("country_codes.json")).read_text(encoding="utf-8")).items()
    if not k.startswith("_")}
_BY_COUNTRY_CODE = sa.text("""
    SELECT coalesce(a.code, b.country_code) AS country_code,
           string_agg(DISTINCT p.country, '|') AS countries, count(*) AS projects,
           sum(p.issued) AS issued, sum(p.retired) AS retired
    FROM mart.vcm_projects p
    LEFT JOIN unnest(CAST(:names AS text[]), CAST(:codes AS text[])) AS a(name, code)
        ON a.name = p.country
    LEFT JOIN mart.country_boundaries b ON b.name = p.country
    WHERE coalesce(a.code, b.country_code) IS NOT NULL
    GROUP BY 1 ORDER BY projects DESC, 1""")


def stats_by_country_code(engine: sa.Engine) -> pd.DataFrame:
    """Projects and credits per ISO alpha-3 code (the world map's key): country_code, countries
    (the projects' own spellings, "|"-separated), projects, issued, retired. Projects whose
    country the map has no shape for are left out (the country chart still counts them)."""
    with engine.connect() as conn:
        return pd.read_sql(_BY_COUNTRY_CODE, conn, params={"names": list(COUNTRY_CODES),
                                                            "codes": list(COUNTRY_CODES.values())})


def reconciliation(engine: sa.Engine) -> dict:
    """{both, vrod_only, offsetsdb_only, disagreements: {field: projects}}."""
    with engine.connect() as conn:
        presence = conn.execute(sa.text("""
            SELECT count(*) FILTER (WHERE in_vrod AND in_offsetsdb),
                   count(*) FILTER (WHERE in_vrod AND NOT in_offsetsdb),
                   count(*) FILTER (WHERE in_offsetsdb AND NOT in_vrod)
            FROM mart.vcm_projects""")).one()
        fields_ = dict(conn.execute(sa.text(
            "SELECT field, count(DISTINCT project_id) FROM mart.vcm_disagreements "
            "GROUP BY field")).all())
    from tanso.vcm.reconcile import COMPARED
    return {"both": presence[0], "vrod_only": presence[1], "offsetsdb_only": presence[2],
            "disagreements": {f: int(fields_.get(f, 0)) for f in COMPARED}}


def disagreements(engine: sa.Engine, *, field_name: str | None = None,
                  limit: int = 500) -> pd.DataFrame:
    with engine.connect() as conn:
        return pd.read_sql(sa.text(
            "SELECT project_id, name, registry, field, source_a, value_a, source_b, value_b "
            "FROM mart.vcm_disagreements WHERE CAST(:field AS text) IS NULL OR field = :field "
            "ORDER BY field, project_id LIMIT :limit"), conn,
            params={"field": field_name, "limit": limit})


@dataclass(frozen=True)
class ProjectPage:
    project: dict                     # merged row
    sources: pd.DataFrame             # one row per source with every field it gives
    credit_years: pd.DataFrame        # year × kind (VROD)
    transactions: pd.DataFrame
    flags: pd.DataFrame
    disagreements: pd.DataFrame


def project(engine: sa.Engine, project_id: str) -> ProjectPage | None:
    """Everything known about one project (id in any spelling); None if unknown."""
    try:
        canonical = ids.canonical_ids(pd.Series([project_id]), source="project",
                                      column="id").iloc[0]
    except ValueError:
        return None
    with engine.connect() as conn:
        def read(sql: str) -> pd.DataFrame:
            return pd.read_sql(sa.text(sql), conn, params={"id": canonical})
        merged = read("SELECT * FROM mart.vcm_projects WHERE project_id = :id")
        if merged.empty:
            return None
        return ProjectPage(
            project=_records(merged.drop(columns="search_vector"))[0],
            sources=read("SELECT * FROM mart.vcm_source_projects WHERE project_id = :id "
                         "ORDER BY source"),
            credit_years=read("SELECT year, kind, quantity FROM mart.vcm_credit_years "
                              "WHERE project_id = :id ORDER BY year, kind"),
            transactions=read("SELECT * FROM mart.vcm_transactions WHERE project_id = :id "
                              "ORDER BY transaction_date, source_file, source_row"),
            flags=read("SELECT flag, detail FROM mart.vcm_flags WHERE project_id = :id "
                       "ORDER BY flag"),
            disagreements=read("SELECT field, source_a, value_a, source_b, value_b "
                               "FROM mart.vcm_disagreements WHERE project_id = :id"),
        )

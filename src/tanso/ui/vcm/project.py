"""What the explorer's project page shows, from `queries.project`: its tables as escaped HTML with
translated headers and field labels, the credits-by-year chart data, or the message saying that no
source looked at records issuance or retirement by year for the project.

Pure functions of a `ProjectPage` and a language, plus one per-process cache: a project's page read
from the database and rendered is kept under the stamp of the `vcm` load (`ops.loaded_datasets`,
rewritten in the same transaction as the data), so opening a project again costs one small query,
and a new load is seen at once.
"""

from __future__ import annotations

import html
import math
import numbers
from collections import OrderedDict
from dataclasses import dataclass
from threading import Lock

import numpy as np
import pandas as pd
import sqlalchemy as sa

from tanso.ui import safe
from tanso.ui.i18n import t
from tanso.vcm import queries

# the VROD yearly blocks (core.vcm_credit_years.kind), in the order the table shows them
YEAR_KINDS = ("issued_by_vintage", "issued_by_issuance_year", "retired_by_year", "remaining_by_vintage")
TRANSACTION_COLUMNS = ("transaction_date", "kind", "quantity", "vintage", "source", "source_file",
                       "source_row", "beneficiary", "reason", "serial")
DISAGREEMENT_COLUMNS = ("field", "source_a", "value_a", "source_b", "value_b")
# years and row numbers are shown as they are (2019, not 2,019)
UNGROUPED = frozenset({"first_vintage", "vintage", "source_row", "year"})
CACHED_PROJECTS = 256
# a wide table scrolls sideways inside its box on a phone; a long one scrolls down
PAGE_CSS = """
.tanso-scroll { overflow-x: auto; max-width: 100%; }
.tanso-scroll.tall { max-height: 360px; overflow-y: auto; }
.tanso-table td { overflow-wrap: anywhere; }
.tanso-table td:first-child, .tanso-table th { overflow-wrap: normal; word-break: keep-all; }
.tanso-table.fields td:first-child { min-width: 7.5em; }
.tanso-table.wide td { white-space: nowrap; overflow-wrap: normal; }
h4 { margin: 14px 0 4px; }
.tanso-note { background: #e0f2fe; color: #075985; border-radius: 4px; padding: 4px 14px; margin: 8px 0; }
"""


@dataclass(frozen=True)
class Content:
    """One project's page in one language (every text escaped or from the catalog)."""

    project: dict              # the merged row (for the community part)
    head: safe.Markup          # name, id, sources, the registry link (HTML)
    upper: safe.Markup         # flags, disagreements and every field with its source
    years: dict | None         # chart columns: year labels, issued by vintage, retired by year
    lower: safe.Markup         # credits by year, or the note that no source has them; transactions


def missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def number(value) -> str:
    if missing(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}" if isinstance(value, numbers.Real) else str(value)


def cell(value, lang: str, *, grouped: bool = True) -> str:
    """A value as the table shows it: numbers grouped (unless a year), booleans in words, missing empty."""
    if missing(value):
        return ""
    if isinstance(value, (bool, np.bool_)):
        return t(f"vcm.flag.{str(bool(value)).lower()}", lang)
    if isinstance(value, numbers.Real):
        return number(value) if grouped else str(int(value) if float(value).is_integer() else value)
    return str(value)


def section(title: str, table: safe.Markup, *, tall: bool = False) -> safe.Markup:
    """A heading (plain text, escaped) over a table in a box that scrolls when it does not fit."""
    box = "tanso-scroll tall" if tall else "tanso-scroll"
    return safe.Markup(f'<h4>{html.escape(title)}</h4><div class="{box}">{table}</div>')


def field_label(field: str, lang: str) -> str:
    return t(f"vcm.field.{field}", lang)


# The page is a few rows: columns as Python lists (one `to_dict` each), not pandas per cell or per
# pivot, which cost more than the rest of the page together.
def fields_table(sources: pd.DataFrame, lang: str) -> safe.Markup:
    """Every field a source gives (rows) by source (columns), labels from the catalog."""
    columns = sources.drop(columns=["project_id"]).to_dict("list")
    names = columns.pop("source")
    rows = []
    for field, column in columns.items():
        values = [cell(v, lang, grouped=field not in UNGROUPED) for v in column]
        if any(values):
            rows.append((field_label(field, lang), *values))
    return safe.table([t("vcm.col.field", lang), *names], rows, css_class="tanso-table fields")


def years_by_kind(credit_years: pd.DataFrame) -> dict[int, dict[str, float]]:
    """year → {VROD block: quantity summed}, years in order; a block without a value is absent."""
    table: dict[int, dict[str, float]] = {}
    for year, kind, quantity in zip(*credit_years[["year", "kind", "quantity"]].to_dict("list").values(),
                                    strict=True):
        if not missing(quantity):
            row = table.setdefault(int(year), {})
            row[kind] = row.get(kind, 0.0) + float(quantity)
    return dict(sorted(table.items()))


def chart_columns(years: dict[int, dict[str, float]]) -> dict:
    """The chart's data: a block without a value in a year is 0 tCO2e on a bar chart (no bar)."""
    return {"year": [str(y) for y in years],
            "issued": [row.get("issued_by_vintage", 0.0) for row in years.values()],
            "retired": [row.get("retired_by_year", 0.0) for row in years.values()]}


def years_table(years: dict[int, dict[str, float]], lang: str) -> safe.Markup:
    """The blocks the project has (YEAR_KINDS order) by year; a missing value is empty, not 0."""
    kinds = [k for k in YEAR_KINDS if any(k in row for row in years.values())]
    header = [t("vcm.col.year", lang), *(t(f"vcm.kind.{k}", lang) for k in kinds)]
    rows = [(str(year), *(number(row.get(k)) for k in kinds)) for year, row in years.items()]
    return safe.table(header, rows, numeric=range(1, len(header)))


def frame_table(frame: pd.DataFrame, columns, lang: str, *, numeric=(),
                css_class: str = "tanso-table") -> safe.Markup:
    """A query's rows under translated column titles (`vcm.col.<column>`)."""
    shown = [c for c in columns if c in frame.columns]
    values = frame[shown].to_dict("list")
    if "kind" in values:   # issuance, retirement, cancellation in the page's language
        values["kind"] = [t(f"vcm.transaction.{k}", lang) for k in values["kind"]]
    grouped = [c not in UNGROUPED for c in shown]
    rows = [tuple(cell(v, lang, grouped=g) for v, g in zip(row, grouped, strict=True))
            for row in zip(*values.values(), strict=True)]
    return safe.table([t(f"vcm.col.{c}", lang) for c in shown], rows,
                      numeric=[i for i, c in enumerate(shown) if c in numeric], css_class=css_class)


def flags_table(flags: pd.DataFrame, lang: str) -> safe.Markup:
    rows = [(t(f"vcm.flag_name.{f}", lang), d or "") for f, d in zip(flags["flag"], flags["detail"],
                                                                     strict=True)]
    return safe.table([t("vcm.col.flag", lang), t("vcm.col.detail", lang)], rows)


def no_years_message(project: dict, vrod_version: str, transactions: int, lang: str) -> safe.Markup:
    """Which sources were looked at for figures by year, and what each has for this project."""
    in_vrod = "vrod" in str(project.get("sources") or "").split(",")
    looked = [t("vcm.project.looked.vrod" if in_vrod else "vcm.project.looked.vrod_absent", lang,
                version=vrod_version),
              t("vcm.project.looked.transactions", lang, count=f"{transactions:,}") if transactions
              else t("vcm.project.looked.no_transactions", lang)]
    return safe.markdown(t("vcm.project.no_years", lang), looked="; ".join(looked))


def render(page: queries.ProjectPage, lang: str, vrod_version: str) -> Content:
    project = page.project
    upper = []
    if len(page.flags):
        upper.append(section(t("vcm.project.flags", lang), flags_table(page.flags, lang)))
    if len(page.disagreements):
        shown = page.disagreements.assign(field=[field_label(f, lang) for f in page.disagreements["field"]])
        upper.append(section(t("vcm.project.disagreements", lang),
                             frame_table(shown, DISAGREEMENT_COLUMNS, lang)))
    upper.append(section(t("vcm.project.fields", lang), fields_table(page.sources, lang)))
    lower = []
    years = years_by_kind(page.credit_years) or None
    if years is not None:
        lower.append(section(t("vcm.project.years", lang), years_table(years, lang), tall=True))
    else:
        note = no_years_message(project, vrod_version, len(page.transactions), lang)
        lower.append(safe.Markup(f'<div class="tanso-note">{safe.markdown_html(note)}</div>'))
    if len(page.transactions):
        lower.append(section(t("vcm.project.transactions", lang),
                             frame_table(page.transactions, TRANSACTION_COLUMNS, lang,
                                         numeric=("quantity", "vintage", "source_row"),
                                         css_class="tanso-table wide"), tall=True))
    head = safe.markdown_html(safe.markdown(t("vcm.project.head", lang), name=project.get("name") or "",
                                            project_id=project["project_id"],
                                            sources=project.get("sources") or ""))
    url = project.get("registry_url")
    if isinstance(url, str) and url.startswith("https://"):
        head += safe.link(url, t("vcm.project.registry_link", lang), target="_blank", rel="noopener noreferrer")
    return Content(project=project, head=safe.Markup(head), upper=safe.Markup("".join(upper)),
                   years=chart_columns(years) if years is not None else None,
                   lower=safe.Markup("".join(lower)))


class ProjectCache:
    """Rendered pages by (database, project id, language), valid while the `vcm` load is the same."""

    def __init__(self, size: int = CACHED_PROJECTS):
        self._size = size
        self._pages: OrderedDict = OrderedDict()
        self._lock = Lock()

    def get(self, engine: sa.Engine, project_id: str, lang: str) -> Content | None:
        """The page of ``project_id`` (any spelling of its id) in ``lang``; None if unknown."""
        stamp = load_stamp(engine)
        key = (engine.url.render_as_string(hide_password=True), project_id, lang)
        with self._lock:
            hit = self._pages.get(key)
            if hit is not None and hit[0] == stamp:
                self._pages.move_to_end(key)
                return hit[1]
        page = queries.project(engine, project_id)
        content = render(page, lang, stamp[0] or "?") if page is not None else None
        with self._lock:
            self._pages[key] = (stamp, content)
            self._pages.move_to_end(key)
            while len(self._pages) > self._size:
                self._pages.popitem(last=False)
        return content

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()


def load_stamp(engine: sa.Engine) -> tuple:
    """(version, loaded_at) of the loaded VROD dataset: every `vcm` load rewrites it with its data."""
    with engine.connect() as conn:
        row = conn.execute(sa.text("SELECT version, loaded_at FROM ops.loaded_datasets "
                                   "WHERE dataset = 'vrod'")).one_or_none()
    return tuple(row) if row else (None, None)


PAGES = ProjectCache()

"""How the search tab's table shows a page of projects: which of the page's columns, with translated
titles, thousands separators and widths that fit the screen.

The frame keeps the field names the CSV export and the JSON API use (`project_id`, `issued`, …);
only Tabulator's titles are translated, and its formatters (not pre-formatted strings) add the
separators, so the cells stay numbers. Every column of the page stays in the export.
"""

from __future__ import annotations

import pandas as pd

from tanso.ui.i18n import t

SHOWN = ("project_id", "name", "registry", "country", "category", "issued", "retired")
NUMBERS = ("issued", "retired")
# Tabulator's responsive layout hides the highest number first when the columns do not fit the
# width: a phone keeps id, name and issued (0: never hidden), the numbers people came for.
HIDE_FIRST = {"project_id": 0, "name": 0, "issued": 0, "retired": 1, "country": 2,
              "registry": 3, "category": 4}
# Fixed widths (px) for short values; the name takes the rest (never below NAME_MIN) and wraps.
# Registry codes and categories are hyphenated words, so they wrap at a hyphen rather than widen.
WIDTHS = {"project_id": 90, "registry": 125, "country": 115, "category": 125, "issued": 112,
          "retired": 112}
NAME_MIN = 150
WRAPPED = ("name", "registry", "category")
THOUSANDS = {"type": "money", "thousand": ",", "decimal": ".", "precision": 0}
# Titles wrap onto a second line instead of being cut ("Retired (tC…", "상쇄 (t…")
STYLESHEET = """
.tabulator .tabulator-header .tabulator-col .tabulator-col-content .tabulator-col-title {
  white-space: normal !important; text-overflow: clip !important; word-break: keep-all;
}
"""


def shown_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """The page's columns the table shows (a page without rows still has them)."""
    return rows.reindex(columns=list(SHOWN))


def titles(lang: str) -> dict[str, str]:
    """The project page's field labels (vcm.field.*), and one for the canonical id (vcm.results.*)."""
    fields = {column: t(f"vcm.field.{column}", lang) for column in SHOWN if column != "project_id"}
    return {"project_id": t("vcm.results.project_id", lang)} | fields


def table_options(lang: str) -> dict:
    """Tabulator parameters of the results table in `lang`."""
    columns = [{"field": column, "responsive": HIDE_FIRST[column]}
               | ({"width": WIDTHS[column]} if column in WIDTHS
                  else {"minWidth": NAME_MIN, "widthGrow": 1})
               for column in SHOWN]
    return {"titles": titles(lang), "layout": "fit_columns",
            "formatters": {c: "textarea" for c in WRAPPED} | {c: THOUSANDS for c in NUMBERS},
            "text_align": {c: "right" for c in NUMBERS},
            "header_align": {c: "right" for c in NUMBERS},
            "stylesheets": [STYLESHEET],
            # the server sorts every page ("Sort by"); a header sort would reorder this page only
            "sortable": False,
            "configuration": {"responsiveLayout": "hide", "columns": columns}}

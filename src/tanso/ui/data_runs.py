"""Data & runs: what is pinned in the catalog, what is loaded in the database, what ran."""

from __future__ import annotations

import pandas as pd
import panel as pn

from tanso import status
from tanso.ui import safe
from tanso.ui.app import AppContext, Page


def utc_text(values: pd.Series) -> pd.Series:
    """Timestamps as '2026-12-01 20:11:44 UTC' (a reader in another zone knows what they mean)."""
    stamps = pd.to_datetime(values, utc=True, errors="coerce")
    return stamps.dt.strftime("%Y-%m-%d %H:%M:%S UTC").fillna("")


def table(frame: pd.DataFrame, titles: dict[str, str], name: str, *, links=(), **options) -> pn.widgets.Tabulator:
    """A read-only table; ``links`` columns are URLs shown as links (Tabulator's link formatter
    escapes the text and sets the href; only http(s) values are kept)."""
    shown = frame[[c for c in titles if c in frame.columns]].copy()
    for column in links:
        shown[column] = shown[column].where(shown[column].astype(str).str.match(r"https?://"), "")
    shown = shown.rename(columns=titles)
    formatters = {titles[c]: {"type": "link", "target": "_blank", "labelField": titles[c]} for c in links}
    return pn.widgets.Tabulator(shown, disabled=True, show_index=False, layout="fit_data_fill",
                                sizing_mode="stretch_width", max_height=420, name=name, formatters=formatters,
                                **options)


def build(ctx: AppContext) -> Page:
    t = ctx.t
    catalog = status.catalog_frame()
    catalog["file_check"] = catalog["file_check"].replace("ok", t("data_runs.file_ok"))
    loaded, runs = status.loaded_frame(ctx.engine), status.runs_frame(ctx.engine)
    parts = [
        safe.Markdown(safe.markdown("## {h}", h=t("data_runs.catalog"))),
        table(catalog, {"dataset": t("col.dataset"), "version": t("col.version"), "licence": t("col.licence"),
                        "file_check": t("col.file"), "sha256": "sha256", "source": t("col.source")}, "catalog",
              links=("source",)),
        safe.Markdown(t("data_runs.sha_help"), styles={"color": "#555", "font-size": "0.85em"}),
    ]
    loaded["up_to_date"] = loaded["up_to_date"].map(lambda v: t("yes" if v else "no"))
    loaded["loaded_version"] = loaded["loaded_version"].fillna(t("not_loaded"))
    loaded["loaded_at"] = utc_text(loaded["loaded_at"])
    parts += [
        safe.Markdown(safe.markdown("## {h}", h=t("data_runs.loaded"))),
        table(loaded, {"dataset": t("col.dataset"), "catalog_version": t("col.catalog_version"),
                       "loaded_version": t("col.loaded_version"), "rows": t("col.rows"),
                       "loaded_at": t("col.loaded_at"), "up_to_date": t("col.up_to_date")}, "loaded"),
        safe.Markdown(safe.markdown("## {h}", h=t("data_runs.runs"))),
    ]
    if runs.empty:
        parts.append(safe.Alert(ctx.md("data_runs.no_runs"), alert_type="info"))
    else:
        runs["seconds"] = runs["seconds"].astype(float).round(1)
        runs["started_at"] = utc_text(runs["started_at"])
        parts.append(table(runs, {"run_id": t("col.run"), "pipeline": t("col.pipeline"), "step": t("col.step"),
                                  "status": t("col.status"), "dataset_version": t("col.version"),
                                  "started_at": t("col.started"), "seconds": t("col.seconds"),
                                  "rows_written": t("col.rows"), "error": t("col.error")}, "runs"))
    return Page(main=parts)

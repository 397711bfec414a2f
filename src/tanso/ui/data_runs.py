"""Data & runs: what is pinned in the catalog, what is loaded in the database, what ran."""

from __future__ import annotations

import io

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
                                sizing_mode="stretch_width", max_height=420, label=name, formatters=formatters,
                                **options)


def iso_utc(values: pd.Series) -> pd.Series:
    """Timestamps as ISO 8601 in UTC for a CSV ('2026-12-01T20:11:44Z')."""
    return pd.to_datetime(values, utc=True, errors="coerce").dt.strftime("%Y-%m-%dT%H:%M:%SZ").fillna("")


def csv_download(frame: pd.DataFrame, filename: str, label: str) -> pn.widgets.FileDownload:
    """The table's own values as CSV (column names, numbers and booleans as the database has them, times
    in UTC), not the translated display; made when clicked."""
    raw = frame.copy()
    for column in raw.columns:
        values = raw[column]
        if pd.api.types.is_datetime64_any_dtype(values):
            raw[column] = iso_utc(values)
        elif pd.api.types.is_float_dtype(values) and (values.dropna() % 1 == 0).all():
            raw[column] = values.astype("Int64")  # counts stay counts when a missing value made them float
    return pn.widgets.FileDownload(callback=lambda: io.StringIO(raw.to_csv(index=False)), filename=filename,
                                   label=label, color="light", width=200, embed=False, margin=(0, 10, 10, 10))


def build(ctx: AppContext) -> Page:
    t = ctx.t
    catalog = status.catalog_frame()
    catalog_csv = csv_download(catalog, "tanso_catalog.csv", t("data_runs.download_csv"))
    catalog["file_check"] = catalog["file_check"].replace("ok", t("data_runs.file_ok"))
    loaded, runs = status.loaded_frame(ctx.engine), status.runs_frame(ctx.engine)
    parts = [
        safe.Markdown(safe.markdown("## {h}", h=t("data_runs.catalog"))),
        table(catalog, {"dataset": t("col.dataset"), "version": t("col.version"), "licence": t("col.licence"),
                        "file_check": t("col.file"), "sha256": "sha256", "source": t("col.source")}, "catalog",
              links=("source",)),
        safe.Markdown(t("data_runs.sha_help"), styles={"color": "#555", "font-size": "0.85em"}),
        catalog_csv,
    ]
    loaded_csv = csv_download(loaded, "tanso_loaded_datasets.csv", t("data_runs.download_csv"))
    loaded["up_to_date"] = loaded["up_to_date"].map(lambda v: t("yes" if v else "no"))
    loaded["loaded_version"] = loaded["loaded_version"].fillna(t("not_loaded"))
    loaded["loaded_at"] = utc_text(loaded["loaded_at"])
    parts += [
        safe.Markdown(safe.markdown("## {h}", h=t("data_runs.loaded"))),
        table(loaded, {"dataset": t("col.dataset"), "catalog_version": t("col.catalog_version"),
                       "loaded_version": t("col.loaded_version"), "rows": t("col.rows"),
                       "loaded_at": t("col.loaded_at"), "up_to_date": t("col.up_to_date")}, "loaded"),
        loaded_csv,
        safe.Markdown(safe.markdown("## {h}", h=t("data_runs.runs"))),
    ]
    if runs.empty:
        parts.append(safe.Alert(ctx.md("data_runs.no_runs"), alert_type="info"))
    else:
        runs_csv = csv_download(runs, "tanso_pipeline_runs.csv", t("data_runs.download_csv"))
        runs["seconds"] = runs["seconds"].astype(float).round(1)
        runs["started_at"] = utc_text(runs["started_at"])
        parts.append(table(runs, {"run_id": t("col.run"), "pipeline": t("col.pipeline"), "step": t("col.step"),
                                  "status": t("col.status"), "dataset_version": t("col.version"),
                                  "started_at": t("col.started"), "seconds": t("col.seconds"),
                                  "rows_written": t("col.rows"), "error": t("col.error")}, "runs"))
        parts.append(runs_csv)
    return Page(main=parts)

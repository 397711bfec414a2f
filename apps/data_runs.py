"""Data & runs: pinned datasets, the versions loaded in PostgreSQL, the latest pipeline runs."""

import panel as pn

from tanso import status
from tanso.db.engine import DatabaseUnavailable, check_connection, get_engine
from tanso.ui.i18n import t
from tanso.ui.template import current_lang, page

pn.extension("tabulator", reconnect=True)


def table(frame, titles: dict[str, str], name: str) -> pn.widgets.Tabulator:
    shown = frame[[c for c in titles if c in frame.columns]].rename(columns=titles)
    return pn.widgets.Tabulator(shown, disabled=True, show_index=False, layout="fit_data_fill",
                                sizing_mode="stretch_width", max_height=420, name=name)


def yes_no(flag: bool, lang: str) -> str:
    return t("yes" if flag else "no", lang)


def build(lang: str) -> list:
    catalog = status.catalog_frame()
    catalog["file_check"] = catalog["file_check"].replace("ok", t("data_runs.file_ok", lang))
    parts = [
        pn.pane.Markdown(f"## {t('data_runs.catalog', lang)}"),
        table(catalog, {"dataset": t("col.dataset", lang), "version": t("col.version", lang),
                        "licence": t("col.licence", lang), "file_check": t("col.file", lang),
                        "sha256": "sha256", "source": t("col.source", lang)}, "catalog"),
    ]
    try:
        engine = check_connection(get_engine(start_embedded=False))
        loaded, runs = status.loaded_frame(engine), status.runs_frame(engine)
    except DatabaseUnavailable as exc:
        return parts + [pn.pane.Alert(f"**{t('error.database', lang)}**: {exc}",
                                      alert_type="danger")]
    loaded["up_to_date"] = loaded["up_to_date"].map(lambda v: yes_no(v, lang))
    loaded["loaded_version"] = loaded["loaded_version"].fillna(t("not_loaded", lang))
    parts += [
        pn.pane.Markdown(f"## {t('data_runs.loaded', lang)}"),
        table(loaded, {"dataset": t("col.dataset", lang),
                       "catalog_version": t("col.catalog_version", lang),
                       "loaded_version": t("col.loaded_version", lang),
                       "rows": t("col.rows", lang), "loaded_at": t("col.loaded_at", lang),
                       "up_to_date": t("col.up_to_date", lang)}, "loaded"),
        pn.pane.Markdown(f"## {t('data_runs.runs', lang)}"),
    ]
    if runs.empty:
        parts.append(pn.pane.Alert(t("data_runs.no_runs", lang), alert_type="info"))
    else:
        runs["seconds"] = runs["seconds"].astype(float).round(1)
        parts.append(table(runs, {"run_id": t("col.run", lang), "pipeline": t("col.pipeline", lang),
                                  "step": t("col.step", lang), "status": t("col.status", lang),
                                  "dataset_version": t("col.version", lang),
                                  "started_at": t("col.started", lang),
                                  "seconds": t("col.seconds", lang),
                                  "rows_written": t("col.rows", lang),
                                  "error": t("col.error", lang)}, "runs"))
    return parts


lang = current_lang()
page("data_runs", build(lang), lang=lang).servable()

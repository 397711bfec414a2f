"""National trends & targets: emissions by country, gaps to targets, pathways, scenarios, rankings."""

import panel as pn

from tanso.db.engine import DatabaseUnavailable, check_connection, get_engine
from tanso.emissions.national_view import load_national_data
from tanso.ui.i18n import t
from tanso.ui.national_trends import build
from tanso.ui.template import current_lang, page

pn.extension("tabulator", reconnect=True, notifications=True)

lang = current_lang()
try:
    data = load_national_data(check_connection(get_engine(start_embedded=False)))
except DatabaseUnavailable as exc:
    page("national_trends", [pn.pane.Alert(f"**{t('error.database', lang)}**: {exc}", alert_type="danger")],
         lang=lang).servable()
else:
    store, app = build(data, lang)
    page("national_trends", [app], lang=lang, sidebar=app.sidebar()).servable()

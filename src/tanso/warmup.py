"""`panel serve --setup` script: what every session shares is built once per process, before the first visitor.

Runs in each server process before it accepts requests: installs the metrics hooks (they must exist
before any session), reads the national data into the per-process cache, so the first page load
costs what any other does (the read took ~3 s, and 28 s on a loaded machine), and builds the world
map's geometry for the loaded boundaries (read and projected once per process: the first visitor of a
map tab paid it). A database that is down or empty now is not an error: pages show the outage message
and fill themselves in when it is back.
"""

import logging

import tanso.server_metrics
import tanso.ui.national.app  # noqa: F401 - the app's modules (Bokeh, Panel widgets) imported once
from tanso.db.engine import DatabaseUnavailable


def warm_shared_data() -> None:
    """National data, then the map's geometry for the `naturalearth` version it was read with (none loaded:
    nothing to build). A failure is logged and skipped: it must never stop the server from starting."""
    from tanso.emissions.national_view import load_national_data
    from tanso.ui.app import database_engine
    from tanso.ui.geometry import world_geometry

    try:
        engine = database_engine()
        version = load_national_data(engine).versions.get("naturalearth")
        if version:
            world_geometry(engine, version)
    except DatabaseUnavailable as exc:
        logging.getLogger("tanso.ui").warning("warm-up skipped, database unavailable: %s", exc)
    except Exception as exc:  # e.g. schema not migrated yet: the page says so later
        logging.getLogger("tanso.ui").warning("warm-up skipped: %s", exc)


warm_shared_data()

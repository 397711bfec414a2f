"""The `--setup` warm-up (tanso.warmup) builds what sessions share and never stops a server from starting.

It runs at import, in each server process, so it is imported here in a separate interpreter with the
database calls replaced: national data read, the map's geometry built for the loaded boundaries
version only, and a database that is down or empty logged and skipped.
"""

import json
import subprocess
import sys

SCRIPT = r"""
import json, logging, types
import tanso.emissions.national_view as national_view
import tanso.ui.app as app
import tanso.ui.geometry as geometry
from tanso.db.engine import DatabaseUnavailable

calls, warnings, versions = [], [], {"owid_co2": "2025-05", "naturalearth": "5.1.1"}
logging.getLogger("tanso.ui").addHandler(type("H", (logging.Handler,), {
    "emit": lambda self, record: warnings.append(record.getMessage())})())
app.database_engine = lambda: "engine"
national_view.load_national_data = lambda engine: calls.append(("national", engine)) or types.SimpleNamespace(
    versions=dict(versions))
geometry.world_geometry = lambda engine, version: calls.append(("geometry", engine, version))

import tanso.warmup  # boundaries loaded: data read, then the geometry of that version built
result = {"loaded": calls[:]}
calls.clear()
del versions["naturalearth"]  # no boundaries loaded: nothing to build
tanso.warmup.warm_shared_data()
result["no_boundaries"] = calls[:]

def down():
    raise DatabaseUnavailable("connection refused")
app.database_engine = down
tanso.warmup.warm_shared_data()
def empty(engine):
    raise RuntimeError('relation "mart.national" does not exist')
app.database_engine, national_view.load_national_data = lambda: "engine", empty
tanso.warmup.warm_shared_data()
result["warnings"] = warnings
print(json.dumps(result))
"""


def test_warm_up_reads_data_builds_the_map_and_survives_a_database_down_or_empty():
    out = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120, check=True)
    result = json.loads(out.stdout.splitlines()[-1])
    assert result["loaded"] == [["national", "engine"], ["geometry", "engine", "5.1.1"]]
    assert result["no_boundaries"] == [["national", "engine"]]
    assert result["warnings"] == ["warm-up skipped, database unavailable: connection refused",
                                  'warm-up skipped: relation "mart.national" does not exist']

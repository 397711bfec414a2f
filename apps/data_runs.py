"""Data & runs: pinned datasets, the versions loaded in PostgreSQL, the latest pipeline runs."""

from tanso.ui.app import serve_app
from tanso.ui.data_runs import build

serve_app("data_runs", build, extensions=("tabulator",))

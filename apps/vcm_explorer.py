"""Voluntary carbon market explorer: search with facets, project pages, statistics, reconciliation."""

from tanso.ui.app import serve_app
from tanso.ui.vcm.views import build

serve_app("vcm_explorer", build, extensions=("tabulator",), sidebar=True)

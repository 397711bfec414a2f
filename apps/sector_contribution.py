"""Sector contribution: which sectors drive emissions and their change — levels, contributions, Kaya drivers."""

from tanso.ui.app import serve_app
from tanso.ui.sectors.views import build_page

serve_app("sector_contribution", build_page, extensions=("tabulator",), sidebar=True)

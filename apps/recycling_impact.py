"""Recycling campaign calculator: live CO2 avoided, KPI attainment, equivalents, saved campaigns."""

from tanso.ui.app import serve_app
from tanso.ui.recycling.views import build

serve_app("recycling_impact", build, extensions=("tabulator",))

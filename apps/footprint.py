"""Personal carbon footprint: a day's activities, live totals, points, suggestions, history."""

from tanso.ui.app import serve_app
from tanso.ui.footprint.views import build

serve_app("footprint", build, extensions=("tabulator",))

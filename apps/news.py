"""News: the latest items of the configured RSS/Atom feeds, linked to the VCM projects they name."""

from tanso.ui.app import serve_app
from tanso.ui.news import build

serve_app("news", build, extensions=("tabulator",))

"""Landing page: one card per app this server serves."""

from tanso.ui.app import serve_app
from tanso.ui.landing import build

serve_app("index", build, database=False)

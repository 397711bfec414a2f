"""National trends & targets: emissions by country, gaps to targets, pathways, scenarios, rankings."""

from tanso.ui.app import serve_app
from tanso.ui.national.app import build_page

serve_app("national_trends", build_page, sidebar=True, threads=False)

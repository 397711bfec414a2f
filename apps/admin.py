"""Admin: accounts and roles, the comment reports queue, pipeline runs (administrators only)."""

from tanso.ui.admin.views import build
from tanso.ui.app import serve_app

serve_app("admin", build, extensions=("tabulator",))

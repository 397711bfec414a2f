"""Reports: analysis notebooks run through papermill, saved as self-contained HTML.

Plain nbconvert HTML loads BokehJS from a CDN and shows no plots offline, so a report
notebook builds a Panel layout and calls `save_html`, which inlines every resource.
"""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path
from typing import Any

from tanso.config import settings
from tanso.kernels import papermill_options
from tanso.pipelines import PipelineError, new_run_id, notebook_parameters

# Panel names its stylesheets and icons by CDN address even when saving with inline resources
# (each component's `ImportedStyleSheet`, the page's favicon); the same files ship in its wheel.
_PANEL_CDN = re.compile(r"https://cdn\.holoviz\.org/panel/[^/\"']+/dist/([^\"'\s?)\\]+)(?:\?[^\"'\s)\\]*)?")
_CSS_URL = re.compile(r"url\((['\"]?)(?!data:|https?:|#)([^'\")]+)\1\)")
_MEDIA_TYPES = {".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png", ".ico": "image/x-icon",
                ".woff2": "font/woff2", ".woff": "font/woff", ".ttf": "font/ttf"}


def _data_url(path: Path) -> str | None:
    """`path` as a data: URL (a stylesheet with its own url(...) references inlined too); None if absent."""
    if not path.is_file() or path.suffix not in _MEDIA_TYPES:
        return None
    content = path.read_bytes()
    if path.suffix == ".css":
        def inline(match: re.Match) -> str:
            found = _data_url((path.parent / match.group(2)).resolve())
            return f"url('{found}')" if found else match.group(0)

        content = _CSS_URL.sub(inline, content.decode("utf-8")).encode("utf-8")
    return f"data:{_MEDIA_TYPES[path.suffix]};base64,{base64.b64encode(content).decode('ascii')}"


def inline_panel_assets(html: str) -> str:
    """Replace every address of Panel's CDN in `html` with the same file from the installed wheel."""
    import panel

    dist = Path(panel.__file__).parent / "dist"
    return _PANEL_CDN.sub(lambda m: _data_url(dist / m.group(1)) or m.group(0), html)


def save_html(layout, path: str | Path, *, title: str) -> Path:
    """Write `layout` as one HTML file that renders from file:// with no network: BokehJS, Panel's
    scripts and every stylesheet and icon are inside the file."""
    import panel as pn
    from bokeh.resources import INLINE

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO()
    with pn.config.set(inline=True):
        pn.panel(layout).save(buffer, title=title, resources=INLINE, embed=True)
    path.write_text(inline_panel_assets(buffer.getvalue()), encoding="utf-8")
    return path


def run_report(notebook: Path, parameters: dict[str, Any], output_html: Path) -> Path:
    """Execute `notebook` with `parameters`; the notebook writes `output_html`."""
    import jupytext
    import papermill

    if not notebook.exists():
        raise PipelineError(f"report notebook {notebook} does not exist")
    declared = notebook_parameters(notebook)
    if unknown := set(parameters) - declared:
        raise PipelineError(f"{notebook.name} has no parameter(s) {', '.join(sorted(unknown))};"
                            f" it takes: {', '.join(sorted(declared - {'output_html'}))}")
    out_dir = settings().runs_dir / "reports" / new_run_id()
    out_dir.mkdir(parents=True, exist_ok=True)
    output_html = output_html.resolve()
    papermill.execute_notebook(
        jupytext.read(notebook), str(out_dir / f"{notebook.stem}.ipynb"),
        parameters=parameters | {"output_html": str(output_html)}, **papermill_options())
    if not output_html.exists():
        raise PipelineError(f"{notebook.name} ran but wrote no {output_html}")
    return output_html

"""Reports: analysis notebooks run through papermill, saved as self-contained HTML.

Plain nbconvert HTML loads BokehJS from a CDN and shows no plots offline, so a report
notebook builds a Panel layout and calls `save_html`, which inlines every resource.
"""

from __future__ import annotations

import base64
import io
import os
import re
from pathlib import Path
from typing import Any

from tanso.config import settings
from tanso.kernels import papermill_options
from tanso.pipelines import PipelineError, new_run_id

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


NOTEBOOK_SUFFIXES = (".py", ".ipynb")


def _check_notebook(notebook: Path) -> None:
    if notebook.is_dir():
        raise PipelineError(f"{notebook} is a folder; give a report notebook, e.g. "
                            "notebooks/analysis/netzero_gap.py")
    if not notebook.exists():
        raise PipelineError(f"report notebook {notebook} does not exist")
    if notebook.suffix not in NOTEBOOK_SUFFIXES:
        raise PipelineError(f"{notebook} is not a notebook (a jupytext .py or an .ipynb file)")


def _declared_defaults(notebook: Path) -> dict[str, Any]:
    """Parameter name → default value of the notebook's `parameters` cell."""
    import ast

    import jupytext
    import papermill

    try:
        nb = jupytext.read(notebook)
        nb.metadata.setdefault("kernelspec", {"name": "python3", "language": "python",
                                              "display_name": "Python 3"})
        found = papermill.inspect_notebook(nb)
    except Exception as exc:  # jupytext and nbformat raise many kinds for a file that is not one
        raise PipelineError(f"{notebook} cannot be read as a notebook: {type(exc).__name__}: "
                            f"{str(exc).splitlines()[0] if str(exc) else ''}") from None
    if not found:
        raise PipelineError(f"{notebook} has no `parameters` cell, so it is not a report notebook")
    defaults = {}
    for name, info in found.items():
        try:
            defaults[name] = ast.literal_eval(info["default"])
        except (ValueError, SyntaxError):
            defaults[name] = None  # an expression: any value goes
    return defaults


def _typed(notebook: Path, name: str, value: Any, default: Any) -> Any:
    """The value as the notebook expects it: text for a text default, a number for a number."""
    if isinstance(default, str):
        return str(value)
    if isinstance(default, (int, float)) and not isinstance(default, bool) and (
            isinstance(value, bool) or not isinstance(value, (int, float))):
        raise PipelineError(f"{notebook.name}: parameter {name} must be a number like its "
                            f"default {default!r}, got {value!r}")
    return value


def check_output_path(path: Path) -> Path:
    """An HTML file we can write, checked before the notebook runs."""
    path = path.resolve()
    if path.is_dir():
        raise PipelineError(f"--output {path} is a folder; give a file name, e.g. {path / 'report.html'}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PipelineError(f"--output {path}: cannot create its folder ({exc.strerror})") from None
    if not os.access(path.parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise PipelineError(f"--output {path}: not writable")
    return path


def run_report(notebook: Path, parameters: dict[str, Any], output_html: Path) -> Path:
    """Execute `notebook` with `parameters`; the notebook writes `output_html`."""
    import jupytext
    import papermill

    _check_notebook(notebook)
    declared = _declared_defaults(notebook)
    if unknown := set(parameters) - set(declared):
        raise PipelineError(f"{notebook.name} has no parameter(s) {', '.join(sorted(unknown))};"
                            f" it takes: {', '.join(sorted(set(declared) - {'output_html'}))}")
    parameters = {name: _typed(notebook, name, value, declared[name])
                  for name, value in parameters.items()}
    output_html = check_output_path(output_html)  # now, not after a minute of work
    out_dir = settings().runs_dir / "reports" / new_run_id()
    out_dir.mkdir(parents=True, exist_ok=True)
    papermill.execute_notebook(
        jupytext.read(notebook), str(out_dir / f"{notebook.stem}.ipynb"),
        parameters=parameters | {"output_html": str(output_html)}, **papermill_options())
    if not output_html.exists():
        raise PipelineError(f"{notebook.name} ran but wrote no {output_html}")
    return output_html

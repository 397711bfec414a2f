"""Reports: analysis notebooks run through papermill, saved as self-contained HTML.

Plain nbconvert HTML loads BokehJS from a CDN and shows no plots offline, so a report
notebook builds a Panel layout and calls `save_html`, which inlines every resource.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tanso.config import settings
from tanso.kernels import papermill_options
from tanso.pipelines import PipelineError, new_run_id, notebook_parameters


def save_html(layout, path: str | Path, *, title: str) -> Path:
    """Write `layout` as one HTML file that renders from file:// with no network."""
    import panel as pn
    from bokeh.resources import INLINE

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with pn.config.set(inline=True):  # Panel's own stylesheets too, not only BokehJS
        pn.panel(layout).save(str(path), title=title, resources=INLINE, embed=True)
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

"""What a person at a terminal sees while pipelines run; JSON lines for everything else.

At a terminal (stderr is a TTY and TANSO_LOG_FORMAT is not `json`) a pipeline run shows a live
line per step — step i of n, the notebook, elapsed time — and, as each step ends, its status
and rows written. Elsewhere (cron, Kubernetes, CI, pipes) nothing is drawn: the runner's JSON
log lines carry the same facts for Loki/promtail.
"""

from __future__ import annotations

import os
import sys
import time

from tanso.config import settings


def interactive() -> bool:
    """A person is watching: stderr is a terminal and JSON logs were not asked for."""
    if os.environ.get("TANSO_LOG_FORMAT", "").strip().lower() == "json":
        return False
    return sys.stderr.isatty()


class TerminalProgress:
    """A `tanso.pipelines.Progress` callback drawing with rich on stderr; a context manager."""

    def __init__(self, pipeline, *, console=None):
        from rich.console import Console
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        root = settings().project_root
        self.pipeline = pipeline.name
        self.notebooks = {s.name: str(s.notebook.relative_to(root)) if s.notebook.is_relative_to(root)
                          else str(s.notebook) for s in pipeline.steps}
        self.console = console or Console(stderr=True, highlight=False)
        self.bar = Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                            console=self.console, transient=True)
        self.task = None
        self.started = time.monotonic()

    def __enter__(self) -> TerminalProgress:
        self.bar.start()
        return self

    def __exit__(self, *exc) -> None:
        self.bar.stop()

    def __call__(self, event: str, step, index: int, total: int) -> None:
        if event == "start":
            if self.task is not None:
                self.bar.remove_task(self.task)
            notebook = self.notebooks.get(step.step, "")
            self.task = self.bar.add_task(
                f"[bold]{self.pipeline}[/] step {index}/{total} [cyan]{step.step}[/] {notebook}")
            return
        mark = {"succeeded": "[green]✓[/]", "failed": "[red]✗[/]"}.get(step.status, "[yellow]–[/]")
        if step.up_to_date:
            detail = f"already loaded ({step.dataset_version})"
        elif step.status == "succeeded":
            detail = f"{step.rows_written or 0:,} rows in {step.seconds:.1f} s"
        else:
            detail = (step.error or step.status).splitlines()[0]
        self.console.print(f"{mark} {index}/{total} {step.step:<16} {step.status:<10} {detail}")

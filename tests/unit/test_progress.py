"""Progress at a terminal, JSON lines elsewhere."""

from __future__ import annotations

import io
import json
import logging

from rich.console import Console

from tanso import logs, progress
from tanso.pipelines import StepRun, load_pipeline


def test_a_terminal_gets_progress_unless_json_is_asked_for(monkeypatch):
    monkeypatch.setattr("sys.stderr.isatty", lambda: True, raising=False)
    monkeypatch.delenv("TANSO_LOG_FORMAT", raising=False)
    assert progress.interactive()
    monkeypatch.setenv("TANSO_LOG_FORMAT", "json")
    assert not progress.interactive()
    monkeypatch.delenv("TANSO_LOG_FORMAT")
    monkeypatch.setattr("sys.stderr.isatty", lambda: False, raising=False)
    assert not progress.interactive()


def test_each_finished_step_is_one_line_with_rows_and_seconds():
    out = io.StringIO()
    console = Console(file=out, width=120, color_system=None)
    with progress.TerminalProgress(load_pipeline("etl"), console=console) as show:
        done = StepRun("owid_co2", status="succeeded", rows_written=50446, seconds=12.34)
        show("start", done, 1, 4)
        show("finish", done, 1, 4)
        failed = StepRun("gcb_co2", status="failed", error="ChecksumMismatch: changed\nmore")
        show("finish", failed, 2, 4)
        loaded = StepRun("targets", status="succeeded", up_to_date=True, dataset_version="2026-11")
        show("finish", loaded, 3, 4)
    lines = [line.rstrip() for line in out.getvalue().splitlines() if line.strip()]
    assert lines == [
        "✓ 1/4 owid_co2         succeeded  50,446 rows in 12.3 s",
        "✗ 2/4 gcb_co2          failed     ChecksumMismatch: changed",
        "✓ 3/4 targets          succeeded  already loaded (2026-11)",
    ]


def test_log_lines_are_json_when_not_at_a_terminal(monkeypatch):
    monkeypatch.setattr("sys.stderr.isatty", lambda: False, raising=False)
    root = logging.getLogger()
    saved = root.handlers[:]
    root.handlers = []
    try:
        logs.configure("INFO")
        stream = io.StringIO()
        root.handlers[0].setStream(stream)
        logging.getLogger("tanso.pipelines").info(
            "step started", extra={"step": "owid_co2", "index": 1, "total": 4})
        event = json.loads(stream.getvalue())
        assert (event["msg"], event["step"], event["index"], event["total"]) == (
            "step started", "owid_co2", 1, 4)
    finally:
        root.handlers = saved


def test_a_library_echoing_the_interrupt_with_a_traceback_is_not_shown():
    from tanso.errors import Interrupted

    try:
        raise Interrupted("SIGTERM", 143)
    except Interrupted:
        import sys

        echo = logging.LogRecord("traitlets", logging.ERROR, __file__, 1, "interrupted", None,
                                 sys.exc_info())
    own = logging.LogRecord("tanso.pipelines", logging.WARNING, __file__, 1, "interrupted",
                            None, None)
    assert not logs._not_an_interrupt_echo(echo)
    assert logs._not_an_interrupt_echo(own)

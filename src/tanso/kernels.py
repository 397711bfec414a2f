"""How every notebook is executed: papermill options shared by pipelines and reports.

Kernels talk to papermill over Unix sockets in a private folder (IPC transport) rather than
loopback TCP: nothing else on the machine can connect to them, and ipykernel no longer warns
every user that it "is running over TCP without encryption".
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from functools import lru_cache
from typing import Any

from tanso.config import settings

EXECUTION_TIMEOUT_S = 1800  # per cell; papermill has no limit by default
START_TIMEOUT_S = 120


@lru_cache(maxsize=1)
def _socket_dir() -> str:
    # short path: a Unix socket path is limited to ~104 bytes, and TANSO_HOME may be deep
    path = tempfile.mkdtemp(prefix="tanso-kernel-")
    atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path


def papermill_options() -> dict[str, Any]:
    """Keyword arguments for `papermill.execute_notebook` (kernel, timeouts, transport)."""
    from traitlets.config import Config

    return {
        "kernel_name": "python3",
        "cwd": str(settings().project_root),
        "progress_bar": False,
        "execution_timeout": EXECUTION_TIMEOUT_S,
        "start_timeout": START_TIMEOUT_S,
        # passed through nbclient to the KernelManager it creates
        "config": Config({"KernelManager": {"transport": "ipc", "ip": f"{_socket_dir()}/k"}}),
    }

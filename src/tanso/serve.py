"""`panel serve` of every app in apps/, with the options a deployment needs.

One process serves all apps; `index` is served at `/`. Options come from the CLI or the
environment (the container and the Helm chart set TANSO_* variables).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field

from tanso.config import settings


@dataclass(frozen=True)
class ServeOptions:
    port: int = 5006
    address: str = "127.0.0.1"
    allow_websocket_origin: tuple[str, ...] = ()
    num_procs: int = 1
    num_threads: int = 4
    use_xheaders: bool = False   # behind a TLS-terminating proxy or ingress
    extra: tuple[str, ...] = field(default_factory=tuple)

    @classmethod
    def from_env(cls, **overrides) -> ServeOptions:
        env = os.environ
        origins = tuple(o.strip() for o in env.get("TANSO_ALLOW_WEBSOCKET_ORIGIN", "").split(",")
                        if o.strip())
        values = {
            "port": int(env.get("TANSO_PORT", 5006)),
            "address": env.get("TANSO_ADDRESS", "127.0.0.1"),
            "allow_websocket_origin": origins,
            "num_procs": int(env.get("TANSO_NUM_PROCS", 1)),
            "num_threads": int(env.get("TANSO_NUM_THREADS", 4)),
            "use_xheaders": env.get("TANSO_USE_XHEADERS", "").lower() in ("1", "true", "yes"),
        }
        values.update({k: v for k, v in overrides.items() if v not in (None, ())})
        return cls(**values)

    def origins(self) -> tuple[str, ...]:
        # exact hosts only (never '*'): localhost works out of the box
        return self.allow_websocket_origin or (f"localhost:{self.port}", f"127.0.0.1:{self.port}")


def app_files() -> list[str]:
    return sorted(str(p) for p in settings().apps_dir.glob("*.py") if not p.name.startswith("_"))


def panel_serve_argv(options: ServeOptions) -> list[str]:
    argv = [sys.executable, "-m", "panel", "serve", *app_files(),
            "--index", "index",
            "--port", str(options.port), "--address", options.address,
            "--num-procs", str(options.num_procs), "--num-threads", str(options.num_threads),
            "--liveness", "--plugins", "tanso.server_metrics",  # GET /metrics
            "--session-history", "200",
            "--global-loading-spinner", "--check-unused-sessions", "5000",
            "--unused-session-lifetime", "60000"]
    for origin in options.origins():
        argv += ["--allow-websocket-origin", origin]
    if options.use_xheaders:
        argv.append("--use-xheaders")
    return argv + list(options.extra)


def exec_panel(options: ServeOptions) -> None:
    """Replace this process with the Panel server (signals reach it directly)."""
    argv = panel_serve_argv(options)
    os.execv(argv[0], argv)

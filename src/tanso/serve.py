"""`panel serve` of every app in apps/, with the options a deployment needs.

One process serves all apps; `index` is served at `/`. Options come from the CLI or the
environment (the container and the Helm chart set TANSO_* variables).

Security defaults: session ids are signed (`--session-ids signed`) with TANSO_SECRET_KEY (or Bokeh's
BOKEH_SECRET_KEY), so a made-up or copied `?bokeh-session-id=` does not join another person's
session; a local `tanso serve` without a key generates one for the life of the process. Every
response carries security headers (`tanso.security_headers`). To add options (an auth provider,
another plugin) extend `panel_serve_argv` or pass `extra`.
"""

from __future__ import annotations

import os
import secrets
import sys
from dataclasses import dataclass, field
from pathlib import Path

from tanso.config import settings

# Static files of our own (scripts the pages load from this server: tanso.ui.template.LINKS_JS), at /assets/.
ASSETS = Path(__file__).parent / "ui" / "assets"


@dataclass(frozen=True)
class ServeOptions:
    port: int = 5006
    address: str = "127.0.0.1"
    allow_websocket_origin: tuple[str, ...] = ()
    num_procs: int = 1
    num_threads: int = 4
    use_xheaders: bool = False   # behind a TLS-terminating proxy or ingress
    secret_key: str = ""         # signs session ids; generated per process when empty
    unused_session_lifetime_ms: int = 15000  # a GET whose page never connects is dropped after this
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
            "secret_key": env.get("TANSO_SECRET_KEY") or env.get("BOKEH_SECRET_KEY", ""),
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
            "--plugins", "tanso.security_headers",
            "--plugins", "tanso.ui.vcm.api",  # GET /api/vcm/… (read-only JSON)
            "--static-dirs", f"assets={ASSETS}",  # our scripts (CSP: only this server's), e.g. LINKS_JS
            "--session-ids", "signed",
            "--setup", str(Path(__file__).with_name("warmup.py")),  # shared data read once, before any visitor
            "--session-history", "200",
            "--check-unused-sessions", "5000",
            "--unused-session-lifetime", str(options.unused_session_lifetime_ms),
            *auth_argv()]
    for origin in options.origins():
        argv += ["--allow-websocket-origin", origin]
    if options.use_xheaders:
        argv.append("--use-xheaders")
    return argv + list(options.extra)


def server_env(options: ServeOptions, environ=None) -> dict[str, str]:
    """The Panel server's environment: the session-signing key set (generated when not given)."""
    env = dict(os.environ if environ is None else environ)
    env["BOKEH_SECRET_KEY"] = options.secret_key or secrets.token_urlsafe(48)
    env["BOKEH_SIGN_SESSIONS"] = "true"
    # Bokeh checks each callback's signature (`inspect.signature`) when it is registered; Panel registers
    # one per synced property of every model, ~90 for the national sidebar alone: ~8 % of a session's
    # build. Tests and the CLI keep the checks (and the misspelled-attribute hints they also give).
    env.setdefault("BOKEH_PERFORM_ERROR_DIAGNOSTICS", "false")
    # Bokeh also runs its model checks over the whole document for each page it renders (~10 ms for the
    # national page); they only log (a developer's aid), so a served page skips them too.
    env.setdefault("BOKEH_VALIDATE_DOC", "false")
    return env


def auth_argv() -> list[str]:
    """Accounts (tanso.auth): cookie checked on every request, account pages, and no raw
    Cookie header copied into the session token a page embeds."""
    import tanso.auth

    return ["--auth-module", str(Path(tanso.auth.__file__).with_name("bokeh_auth.py")),
            "--plugins", "tanso.auth.pages", "--exclude-headers", "Cookie"]


def exec_panel(options: ServeOptions) -> None:
    """Replace this process with the Panel server (signals reach it directly).

    The argv is our own (this Python's panel and options), run without a shell.
    """
    argv = panel_serve_argv(options)
    os.execve(argv[0], argv, server_env(options))  # nosec B606

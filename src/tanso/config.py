"""Settings read from the environment, in one place.

Every other module asks `settings()` instead of reading os.environ, so a test can
change the environment and call `settings.cache_clear()`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path


def _find_project_root() -> Path:
    """The checkout holding catalog/, pipelines/ and apps/.

    TANSO_PROJECT_ROOT wins (the container sets it); otherwise the folder above
    src/tanso when installed in editable mode; otherwise the working directory.
    """
    if env := os.environ.get("TANSO_PROJECT_ROOT"):
        return Path(env).resolve()
    here = Path(__file__).resolve().parents[2]
    if (here / "catalog" / "catalog.yaml").exists():
        return here
    return Path.cwd().resolve()


@dataclass(frozen=True)
class Settings:
    project_root: Path
    home: Path                      # TANSO_HOME: embedded database, run outputs, metrics textfiles
    database_url: str | None        # DATABASE_URL: an external server; None means the embedded one
    pushgateway_url: str | None     # TANSO_PUSHGATEWAY_URL: where pipeline metrics are pushed
    log_level: str

    @property
    def pgdata(self) -> Path:
        return self.home / "pgdata"

    @property
    def runs_dir(self) -> Path:
        return self.home / "runs"

    @property
    def reports_dir(self) -> Path:
        return self.home / "reports"

    @property
    def metrics_dir(self) -> Path:
        return self.home / "metrics"

    @property
    def catalog_path(self) -> Path:
        return self.project_root / "catalog" / "catalog.yaml"

    @property
    def pipelines_dir(self) -> Path:
        return self.project_root / "pipelines"

    @property
    def apps_dir(self) -> Path:
        return self.project_root / "apps"


@lru_cache(maxsize=1)
def settings() -> Settings:
    root = _find_project_root()
    home = Path(os.environ.get("TANSO_HOME") or root / ".tanso").resolve()
    return Settings(
        project_root=root,
        home=home,
        database_url=os.environ.get("DATABASE_URL") or None,
        pushgateway_url=os.environ.get("TANSO_PUSHGATEWAY_URL") or None,
        log_level=os.environ.get("TANSO_LOG_LEVEL", "INFO").upper(),
    )

"""Schema changes are Alembic migrations shipped inside the package (see migrations/)."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

SCRIPT_LOCATION = Path(__file__).with_name("migrations")


def _config(engine: sa.Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(SCRIPT_LOCATION))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: sa.Engine, revision: str = "head") -> None:
    command.upgrade(_config(engine), revision)


def current_revision(engine: sa.Engine) -> str | None:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"version_table_schema": "ops"})
        return context.get_current_revision()


def head_revision() -> str:
    return ScriptDirectory(str(SCRIPT_LOCATION)).get_current_head()

"""Schema changes are Alembic revisions (migrations/versions) generated from tanso.db.tables.

`upgrade` builds an empty database at head from tanso.db.tables, or applies the revisions a
database is missing (and recreates the mart views of tanso.db.views); `differences`
lists where the migrated database disagrees with the table definitions and views (the
integration tests assert there are none); `new_revision` writes the next revision file
from that difference, numbered after the head.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from tanso.db import views
from tanso.db.tables import SCHEMAS, metadata
from tanso.errors import UserError

SCRIPT_LOCATION = Path(__file__).with_name("migrations")


def _config(engine: sa.Engine, **attributes) -> Config:
    config = Config()
    config.set_main_option("script_location", str(SCRIPT_LOCATION))
    config.set_main_option("file_template", "%%(rev)s_%%(slug)s")
    config.attributes["engine"] = engine
    config.attributes.update(attributes)
    return config


def comparison_options(connection: sa.Connection) -> dict:
    """How Alembic compares the database with `metadata` (used by env.py and `differences`)."""
    # Partitions (`<table>_current`) and staging tables belong to the loader, not the schema.
    loader_tables = set(connection.exec_driver_sql(
        "SELECT oid::regclass::text FROM pg_class "
        "WHERE relispartition OR right(relname, 8) = '_staging'").scalars())
    schemas = set(SCHEMAS) - {"mart"}  # mart holds views only (tanso.db.views)

    def include_name(name, type_, parent_names) -> bool:
        if type_ == "schema":
            return name in schemas
        if type_ == "table":
            return f"{parent_names['schema_name']}.{name}" not in loader_tables
        return True

    return {"version_table_schema": "ops", "target_metadata": metadata, "include_schemas": True,
            "include_name": include_name, "compare_server_default": True}


def upgrade(engine: sa.Engine, revision: str = "head") -> None:
    """Apply revisions up to `revision`; at head, also bring the mart views up to date.

    An empty database is built at head from tanso.db.tables (migrations/env.py), never at an
    older revision: the table definitions only describe head.
    """
    at_head = revision in ("head", head_revision())
    empty = current_revision(engine) is None
    if empty and not at_head:
        raise UserError(f"an empty database can only be built at head ({head_revision()}), "
                        f"not at revision {revision}")
    command.upgrade(_config(engine, refresh_views=at_head and _behind(engine), build_empty=empty),
                    revision)


def _behind(engine: sa.Engine) -> bool:
    """Revisions to apply or mart views to recreate (so a no-op upgrade takes no locks)."""
    if current_revision(engine) != head_revision():
        return True
    with engine.connect() as conn:
        stale = views.stale_views(conn.connection.cursor())
        conn.rollback()
    return bool(stale)


def current_revision(engine: sa.Engine) -> str | None:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"version_table_schema": "ops"})
        return context.get_current_revision()


def head_revision() -> str:
    return ScriptDirectory(str(SCRIPT_LOCATION)).get_current_head()


def differences(engine: sa.Engine) -> list[str]:
    """What a new revision would have to change, plus stale mart views; [] when in step."""
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts=comparison_options(conn))
        found = [_describe(diff) for diff in compare_metadata(context, metadata)]
        found += [f"view mart.{name} differs from tanso.db.views"
                  for name in views.stale_views(conn.connection.cursor())]
        conn.rollback()
    return found


def _describe(diff) -> str:
    """One Alembic difference as a short line: `remove_table ops.src`, `add_column core.x.y`."""
    if isinstance(diff, list):  # modify_* differences of one column come grouped
        return "; ".join(_describe(each) for each in diff)
    kind, *args = diff
    thing = args[0] if len(args) == 1 else None
    if isinstance(thing, sa.Table):
        return f"{kind} {thing.fullname}"
    if thing is not None and getattr(thing, "name", None):  # index, constraint
        return f"{kind} {thing.name} on {thing.table.fullname}"
    if len(args) >= 3 and all(isinstance(a, str | None) for a in args[:2]):
        schema, table, what = args[0], args[1], args[2]
        name = what.name if hasattr(what, "name") else what
        return f"{kind} {schema}.{table}.{name}"
    return repr(diff)


def new_revision(engine: sa.Engine, message: str) -> Path:
    """Write the next revision (autogenerated from tanso.db.tables) and return its path."""
    if current_revision(engine) is None:
        raise UserError("the database is empty, and an empty database is built from "
                        "tanso.db.tables as they are now, so it cannot show what changed: run "
                        "`tanso db revision` against a database upgraded before the tables were "
                        "edited (for example `git stash; tanso db upgrade; git stash pop`)")
    upgrade(engine)
    number = f"{int(head_revision()) + 1:04d}"
    script = command.revision(_config(engine, refresh_views=False), message=message,
                              autogenerate=True, rev_id=number)
    return Path(script.path)

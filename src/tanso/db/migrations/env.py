"""Alembic environment: the engine comes from tanso.db.migrations; tables from tanso.db.tables.

An empty database is built at head from the table definitions (`metadata.create_all`) and
stamped at head, rather than by replaying revisions: the revisions after the baseline only
change databases that existed before them. Upgrading to head drops the mart views first and
recreates them from tanso.db.views after the revisions, in the same transaction, so revisions
never need to handle views.
"""

from alembic import context

from tanso.db import views
from tanso.db.migrations import comparison_options
from tanso.db.tables import metadata

config = context.config
refresh_views = config.attributes.get("refresh_views", False)

with config.attributes["engine"].begin() as connection:
    connection.exec_driver_sql("CREATE SCHEMA IF NOT EXISTS ops")
    context.configure(connection=connection, **comparison_options(connection))
    cursor = connection.connection.cursor()
    if refresh_views:
        views.drop_views(cursor)
    with context.begin_transaction():
        if config.attributes.get("build_empty"):  # tanso.db.migrations.upgrade of an empty database
            metadata.create_all(connection, checkfirst=False)  # fails on a non-empty schema
            context.get_context().stamp(context.script, "head")
        else:
            context.run_migrations()
    if refresh_views:
        views.create_views(cursor)

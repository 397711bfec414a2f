"""Alembic environment: the engine comes from tanso.db.migrations.upgrade()."""

from alembic import context

engine = context.config.attributes["engine"]

with engine.begin() as connection:
    context.configure(connection=connection, version_table_schema="ops")
    connection.exec_driver_sql("CREATE SCHEMA IF NOT EXISTS ops")
    with context.begin_transaction():
        context.run_migrations()

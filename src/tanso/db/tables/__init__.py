"""Every table, defined once: one `MetaData` that migrations are generated from and checked against.

One module per area (`core`, `ops`, and a module per domain such as `vcm`, `sectors`,
`accounts`), each defining `sa.Table(name, metadata, ..., schema="core"|"app"|"ops")`
and imported at the end of this file so that `metadata` holds them all. Tables of what
users create (accounts, comments, campaigns, footprint logs) go in schema `app`, source data
in `core`, pipeline bookkeeping in `ops`. A schema change is: edit or add the table here,
then `tanso db revision -m "what changed"` writes the Alembic revision (review it), and the
integration tests fail while the migrated database and `metadata` differ. The `mart.*`
views apps read are in `tanso.db.views`.

Names follow PostgreSQL's own defaults (`<table>_pkey`, `<table>_<cols>_key`,
`<table>_<cols>_fkey`), so constraints created by hand or by Alembic are named alike.
Check constraints need an explicit `name=` (PostgreSQL keeps it as given).
"""

import sqlalchemy as sa

SCHEMAS = ("core", "mart", "app", "ops")

metadata = sa.MetaData(
    naming_convention={
        "pk": "%(table_name)s_pkey",
        "uq": "%(table_name)s_%(column_0_N_name)s_key",
        "fk": "%(table_name)s_%(column_0_N_name)s_fkey",
        "ix": "%(table_name)s_%(column_0_N_name)s_idx",
    }
)

# Big fact tables are range-partitioned with a single partition `<table>_current` (all
# years): tanso.db.load replaces a version by swapping that partition (DETACH/ATTACH), so
# no row is rewritten and the mart views, bound to the parent, stay valid. Pass
# `**PARTITIONED` to sa.Table; its revision needs `op.execute(single_partition(table))`
# after `op.create_table` (autogenerate writes the parent only).
PARTITIONED = {"postgresql_partition_by": "RANGE (year)"}


def single_partition(table: sa.Table) -> sa.DDL:
    """The one partition (all years) of a table declared with PARTITIONED."""
    name = f"{table.fullname}_current"
    return sa.DDL(f"CREATE TABLE {name} PARTITION OF {table.fullname} "
                  "FOR VALUES FROM (MINVALUE) TO (MAXVALUE)")


def column_names(table: sa.Table) -> list[str]:
    """The table's columns in table order: what a loading notebook selects from its frame."""
    return [column.name for column in table.columns]


# Every table module, imported for its tables (each registers itself in `metadata`).
from tanso.db.tables import (  # noqa: E402 (they import metadata)
    accounts,
    community,
    core,
    footprint,
    geo,
    news,
    ops,
    recycling,
    sectors,
    vcm,
)

# metadata.create_all() builds the whole schema (an empty database is built so, see
# tanso.db.migrations): the schemas and extensions first, each partitioned table's partition.
for _schema in SCHEMAS:
    sa.event.listen(metadata, "before_create", sa.DDL(f"CREATE SCHEMA IF NOT EXISTS {_schema}"))
# pg_trgm: the trigram indexes and similarity() of VCM search (tanso.vcm).
sa.event.listen(metadata, "before_create", sa.DDL("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
for _table in metadata.tables.values():
    if _table.dialect_options["postgresql"]["partition_by"]:
        sa.event.listen(_table, "after_create", single_partition(_table))

__all__ = ["PARTITIONED", "SCHEMAS", "accounts", "column_names", "community", "core", "footprint", "geo",
           "metadata", "news", "ops", "recycling", "sectors", "single_partition", "vcm"]

"""Every table, defined once: one `MetaData` that migrations are generated from and checked against.

One module per area, each defining `sa.Table(name, metadata, ..., schema="core"|"app"|"ops")` and
imported below so that `metadata` holds them all. (Engineer `found` fills in the other areas.)
"""

import sqlalchemy as sa

metadata = sa.MetaData(
    naming_convention={
        "pk": "%(table_name)s_pkey",
        "uq": "%(table_name)s_%(column_0_N_name)s_key",
        "fk": "%(table_name)s_%(column_0_N_name)s_fkey",
        "ix": "%(table_name)s_%(column_0_N_name)s_idx",
    }
)

# Imported for their tables (each registers itself in `metadata`).
from tanso.db.tables import geo  # noqa: E402 - after metadata, which the module uses

__all__ = ["column_names", "geo", "metadata"]


def column_names(table: sa.Table) -> list[str]:
    """The table's columns in table order: what a loading notebook selects from its frame."""
    return [column.name for column in table.columns]

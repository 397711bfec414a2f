"""The `mart.*` views apps read, defined once, in dependency order.

Views are derived objects, not history: `tanso.db.migrations.upgrade` drops them before
the revisions run (so a revision may alter any column a view reads) and creates them from
here afterwards, in the same transaction. To change what apps read, edit the SQL here;
a view over `SELECT *` picks up new columns at the next upgrade. `stale_views` says which
views in the database differ from these definitions (the integration tests assert none).
"""

from __future__ import annotations

from psycopg import sql

# What the apps read: OWID indicators with the newer GCB fossil CO2 beside them
# (GCB reaches one year further). Apps never read core.* directly.
NATIONAL = """
    SELECT c.name AS country, c.kind, x.*
    FROM (
        SELECT * FROM core.national_indicators
        FULL JOIN (SELECT country_code, year, co2_mt AS co2_gcb FROM core.gcb_co2) g
            USING (country_code, year)
    ) x
    JOIN core.countries c ON c.code = x.country_code
"""

# National targets as stated, with the country's name.
TARGETS = """
    SELECT c.name AS country, t.* FROM core.targets t
    JOIN core.countries c ON c.code = t.country_code
"""

VIEWS: dict[str, str] = {"national": NATIONAL, "targets": TARGETS}  # in mart, in creation order


def _name(view: str, schema: str = "mart") -> sql.Composed:
    return sql.SQL("{}.{}").format(sql.Identifier(schema), sql.Identifier(view))


def drop_views(cursor, schema: str = "mart") -> None:
    for view in reversed(VIEWS):
        cursor.execute(sql.SQL("DROP VIEW IF EXISTS {}").format(_name(view, schema)))


def create_views(cursor, schema: str = "mart") -> None:
    """(Re)create every view in `schema` from VIEWS."""
    drop_views(cursor, schema)
    for view, select in VIEWS.items():
        cursor.execute(sql.SQL("CREATE VIEW {} AS ").format(_name(view, schema))
                       + sql.SQL(select))  # nosec B608 - constant SQL defined above


def stale_views(cursor) -> list[str]:
    """Names of mart views that are missing or whose definition differs from VIEWS."""
    cursor.execute("SAVEPOINT compare_views")
    try:
        cursor.execute("CREATE SCHEMA tanso_view_check")
        create_views(cursor, "tanso_view_check")
        cursor.execute(
            "SELECT v.viewname FROM pg_views v LEFT JOIN pg_views m "
            "ON m.schemaname = 'mart' AND m.viewname = v.viewname "
            "WHERE v.schemaname = 'tanso_view_check' "
            "AND m.definition IS DISTINCT FROM replace(v.definition, 'tanso_view_check.', 'mart.')"
            " ORDER BY 1")
        return [row[0] for row in cursor.fetchall()]
    finally:
        cursor.execute("ROLLBACK TO SAVEPOINT compare_views")

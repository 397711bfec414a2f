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

# Voluntary carbon market (tanso.vcm): ISO-text dates cast to date, the flag count per project.
VCM_PROJECTS = """
    SELECT p.project_id, p.registry, p.name, p.developer, p.proponent, p.status, p.country,
           p.region, p.state, p.location, p.scope, p.category, p.project_type,
           p.reduction_removal, p.methodology, p.methodology_version, p.description, p.arb_wa,
           p.certifications, p.listed_at::date AS listed_at,
           p.registered_at::date AS registered_at, p.registry_url, p.website, p.notes,
           p.corsia, p.ccb, p.first_vintage, p.issued, p.retired, p.retired_year_unknown,
           p.remaining, p.buffer_deposits, p.reversals_covered, p.reversals_not_covered,
           p.buffer_released, p.sources, p.in_vrod, p.in_offsetsdb, p.in_registry_export,
           coalesce(f.flags, 0) AS flags, p.search_vector
    FROM core.vcm_projects p
    LEFT JOIN (SELECT project_id, count(*)::int AS flags FROM core.vcm_flags GROUP BY 1) f
        USING (project_id)
"""
VCM_DISAGREEMENTS = """
    SELECT d.*, p.name, p.registry FROM core.vcm_disagreements d
    JOIN core.vcm_projects p USING (project_id)
"""
VCM_CREDIT_YEARS = """
    SELECT y.project_id, y.source, y.year, y.kind, y.quantity, p.registry, p.country,
           p.category
    FROM core.vcm_credit_years y JOIN core.vcm_projects p USING (project_id)
"""
VCM_TRANSACTIONS = """
    SELECT project_id, source, source_file, source_row, registry, kind, quantity, vintage,
           transaction_date::date AS transaction_date, beneficiary, reason, serial
    FROM core.vcm_transactions
"""

# Sector emissions (tanso.sectors), what the sector app, report and CLI read: one row per
# source × taxonomy × country × year × sector. GIR is Korea's inventory (country KOR), by field
# (taxonomy gir) and regrouped into Climate Watch sectors through the versioned mapping
# (taxonomy climatewatch); Climate Watch covers every country.
SECTOR_EMISSIONS = """
    SELECT v.source, v.taxonomy, v.country_code, c.name AS country, v.year, v.sector,
           s.position, s.name_en, s.name_ko, s.in_gross_total, s.in_net_total, v.value_mt
    FROM (
        SELECT 'gir' AS source, 'gir' AS taxonomy, 'KOR' AS country_code, e.year, g.field AS sector,
               e.value_kt / 1000.0 AS value_mt
        FROM core.gir_emissions e JOIN core.gir_categories g ON g.code = e.code
        WHERE g.level = 1 AND g.field IS NOT NULL
        UNION ALL
        SELECT 'gir', 'climatewatch', 'KOR', e.year, m.climatewatch_sector, sum(e.value_kt) / 1000.0
        FROM core.gir_emissions e JOIN core.gir_sector_map m ON m.gir_code = e.code
        GROUP BY e.year, m.climatewatch_sector
        UNION ALL
        SELECT 'climatewatch', 'climatewatch', country_code, year, sector, value_mt
        FROM core.climatewatch_emissions
    ) v
    JOIN core.sectors s ON s.taxonomy = v.taxonomy AND s.sector = v.sector
    JOIN core.countries c ON c.code = v.country_code
"""

# Korea's inventory tree with its values (Mt) per year and the Climate Watch sector of each leaf.
GIR_TREE = """
    SELECT g.code, g.parent_code, g.level, g.position, g.name_ko, g.name_en, g.field, g.is_leaf,
           m.climatewatch_sector, e.year, e.value_kt / 1000.0 AS value_mt
    FROM core.gir_categories g
    JOIN core.gir_emissions e ON e.code = g.code
    LEFT JOIN core.gir_sector_map m ON m.gir_code = g.code
"""

# World maps (tanso.geo): the country's name as the rest of the suite spells it (OWID's), the
# shape's own name otherwise.
COUNTRY_BOUNDARIES = """
    SELECT b.country_code, coalesce(c.name, b.name) AS name, b.geometry
    FROM core.country_boundaries b LEFT JOIN core.countries c ON c.code = b.country_code
"""

VIEWS: dict[str, str] = {  # in mart, in creation order
    "national": NATIONAL,
    "targets": TARGETS,
    "vcm_projects": VCM_PROJECTS,
    "vcm_disagreements": VCM_DISAGREEMENTS,
    "vcm_credit_years": VCM_CREDIT_YEARS,
    "vcm_transactions": VCM_TRANSACTIONS,
    "vcm_flags": "SELECT * FROM core.vcm_flags",
    "vcm_source_projects": "SELECT * FROM core.vcm_source_projects",
    "vcm_facet_counts": "SELECT * FROM core.vcm_facet_counts",
    "vcm_facet_combos": "SELECT * FROM core.vcm_facet_combos",
    "vcm_search_names": "SELECT * FROM core.vcm_search_names",
    "vcm_search_words": "SELECT * FROM core.vcm_search_words",
    "vcm_search_keys": "SELECT * FROM core.vcm_search_keys",
    "sector_emissions": SECTOR_EMISSIONS,
    "gir_tree": GIR_TREE,
    "country_boundaries": COUNTRY_BOUNDARIES,
}


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

"""Sector emissions: GIR inventory tree and values, Climate Watch sectors, the mapping between them.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"

DOUBLE = sa.Float(precision=53)

# What the sector app, report and CLI read: one row per source × taxonomy × country × year × sector.
# GIR is Korea's inventory (country KOR), by field (taxonomy gir) and regrouped into Climate Watch
# sectors through the versioned mapping (taxonomy climatewatch); Climate Watch covers every country.
SECTOR_EMISSIONS = """
    CREATE VIEW mart.sector_emissions AS
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
    CREATE VIEW mart.gir_tree AS
    SELECT g.code, g.parent_code, g.level, g.position, g.name_ko, g.name_en, g.field, g.is_leaf,
           m.climatewatch_sector, e.year, e.value_kt / 1000.0 AS value_mt
    FROM core.gir_categories g
    JOIN core.gir_emissions e ON e.code = g.code
    LEFT JOIN core.gir_sector_map m ON m.gir_code = g.code
"""


def upgrade() -> None:
    op.create_table(
        "sectors",
        sa.Column("taxonomy", sa.Text, nullable=False),
        sa.Column("sector", sa.Text, nullable=False),
        sa.Column("position", sa.SmallInteger, nullable=False),
        sa.Column("name_en", sa.Text, nullable=False),
        sa.Column("name_ko", sa.Text, nullable=False),
        sa.Column("energy", sa.Boolean, nullable=False),
        sa.Column("in_gross_total", sa.Boolean, nullable=False),
        sa.Column("in_net_total", sa.Boolean, nullable=False),
        sa.PrimaryKeyConstraint("taxonomy", "sector"),
        sa.CheckConstraint("taxonomy IN ('gir', 'climatewatch')", name="taxonomy_known"),
        schema="core",
    )
    op.create_table(
        "gir_categories",
        sa.Column("code", sa.Text, primary_key=True),
        sa.Column("parent_code", sa.Text),
        sa.Column("level", sa.SmallInteger, nullable=False),
        sa.Column("position", sa.SmallInteger, nullable=False, unique=True),
        sa.Column("source_column", sa.Text, nullable=False),
        sa.Column("name_ko", sa.Text, nullable=False),
        sa.Column("name_en", sa.Text, nullable=False),
        sa.Column("field", sa.Text),
        sa.Column("is_leaf", sa.Boolean, nullable=False),
        sa.Column("note", sa.Text),
        schema="core",
    )
    op.create_table(
        "gir_emissions",
        sa.Column("code", sa.Text, sa.ForeignKey("core.gir_categories.code"), nullable=False),
        sa.Column("year", sa.SmallInteger, nullable=False),
        sa.Column("value_kt", DOUBLE),  # NULL where GIR marks the value confidential ('C')
        sa.PrimaryKeyConstraint("code", "year"),
        schema="core",
    )
    op.create_table(
        "gir_sector_map",
        sa.Column("gir_code", sa.Text, sa.ForeignKey("core.gir_categories.code"), primary_key=True),
        sa.Column("climatewatch_sector", sa.Text, nullable=False),
        sa.Column("note", sa.Text),
        schema="core",
    )
    op.create_table(
        "climatewatch_emissions",
        sa.Column("country_code", sa.Text, sa.ForeignKey("core.countries.code"), nullable=False),
        sa.Column("year", sa.SmallInteger, nullable=False),
        sa.Column("sector", sa.Text, nullable=False),
        sa.Column("value_mt", DOUBLE, nullable=False),
        sa.PrimaryKeyConstraint("country_code", "year", "sector"),
        schema="core",
    )
    op.execute(SECTOR_EMISSIONS)
    op.execute(GIR_TREE)


def downgrade() -> None:
    op.execute("DROP VIEW IF EXISTS mart.gir_tree")
    op.execute("DROP VIEW IF EXISTS mart.sector_emissions")
    for table in ("climatewatch_emissions", "gir_sector_map", "gir_emissions", "gir_categories",
                  "sectors"):
        op.drop_table(table, schema="core")

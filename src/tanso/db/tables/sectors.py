"""Sector emissions (tanso.sectors): Korea's GIR inventory tree and values, Climate Watch
sectors for every country, and the versioned mapping from GIR categories to them."""

import sqlalchemy as sa

from tanso.db.tables import metadata

DOUBLE = sa.Float(precision=53)

sectors = sa.Table(
    "sectors", metadata,
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

gir_categories = sa.Table(
    "gir_categories", metadata,
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

gir_emissions = sa.Table(
    "gir_emissions", metadata,
    sa.Column("code", sa.Text, sa.ForeignKey(gir_categories.c.code), nullable=False),
    sa.Column("year", sa.SmallInteger, nullable=False),
    sa.Column("value_kt", DOUBLE),  # NULL where GIR marks the value confidential ('C')
    sa.PrimaryKeyConstraint("code", "year"),
    schema="core",
)

gir_sector_map = sa.Table(
    "gir_sector_map", metadata,
    sa.Column("gir_code", sa.Text, sa.ForeignKey(gir_categories.c.code), primary_key=True),
    sa.Column("climatewatch_sector", sa.Text, nullable=False),
    sa.Column("note", sa.Text),
    schema="core",
)

climatewatch_emissions = sa.Table(
    "climatewatch_emissions", metadata,
    sa.Column("country_code", sa.Text, sa.ForeignKey("core.countries.code"), nullable=False),
    sa.Column("year", sa.SmallInteger, nullable=False),
    sa.Column("sector", sa.Text, nullable=False),
    sa.Column("value_mt", DOUBLE, nullable=False),
    sa.PrimaryKeyConstraint("country_code", "year", "sector"),
    schema="core",
)

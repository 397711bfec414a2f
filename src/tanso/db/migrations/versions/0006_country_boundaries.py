"""World country boundaries (catalog entry `naturalearth`) and the mart view maps read.

Revision ID: 0006
Revises: 0005 (sectors)
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"


def upgrade() -> None:
    op.create_table(
        "country_boundaries",
        sa.Column("name", sa.Text, nullable=False, comment="Natural Earth shape name"),
        sa.Column("country_code", sa.Text,
                  comment="ISO 3166-1 alpha-3 or OWID_* code as in core.countries; NULL = no ISO country"),
        sa.Column("geometry", sa.Text, nullable=False,
                  comment="GeoJSON MultiPolygon, longitude/latitude (EPSG:4326), simplified for world maps"),
        sa.PrimaryKeyConstraint("name", name="country_boundaries_pkey"),
        sa.UniqueConstraint("country_code", name="country_boundaries_country_code_key"),
        schema="core",
    )
    # The country's name as the rest of the suite spells it (OWID's), the shape's own name otherwise.
    op.execute(
        """
        CREATE VIEW mart.country_boundaries AS
        SELECT b.country_code, coalesce(c.name, b.name) AS name, b.geometry
        FROM core.country_boundaries b LEFT JOIN core.countries c ON c.code = b.country_code
        """
    )


def downgrade() -> None:
    op.execute("DROP VIEW IF EXISTS mart.country_boundaries")
    op.drop_table("country_boundaries", schema="core")

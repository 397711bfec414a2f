"""`core.country_boundaries`: world country shapes for maps (catalog entry `naturalearth`)."""

import sqlalchemy as sa

from tanso.db.tables import metadata

country_boundaries = sa.Table(
    "country_boundaries", metadata,
    sa.Column("name", sa.Text, primary_key=True, comment="Natural Earth shape name"),
    # No foreign key to core.countries: shapes such as Antarctica or N. Cyprus have no row there.
    sa.Column("country_code", sa.Text, unique=True,
              comment="ISO 3166-1 alpha-3 or OWID_* code as in core.countries; NULL = no ISO country"),
    sa.Column("geometry", sa.Text, nullable=False,
              comment="GeoJSON MultiPolygon, longitude/latitude (EPSG:4326), simplified for world maps"),
    schema="core",
)

"""Initial schemas: ops (runs, loaded versions), core (countries, national indicators, GCB CO2), mart views.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None

# The 76 OWID CO2/GHG indicator columns of the 2025 release, in codebook order; units per
# catalog entry owid_co2_codebook (Mt, t/person, %, °C). Frozen here: a migration is history.
OWID_INDICATORS = [
    "population", "gdp", "cement_co2", "cement_co2_per_capita",
    "co2", "co2_growth_abs", "co2_growth_prct", "co2_including_luc",
    "co2_including_luc_growth_abs", "co2_including_luc_growth_prct", "co2_including_luc_per_capita", "co2_including_luc_per_gdp",
    "co2_including_luc_per_unit_energy", "co2_per_capita", "co2_per_gdp", "co2_per_unit_energy",
    "coal_co2", "coal_co2_per_capita", "consumption_co2", "consumption_co2_per_capita",
    "consumption_co2_per_gdp", "cumulative_cement_co2", "cumulative_co2", "cumulative_co2_including_luc",
    "cumulative_coal_co2", "cumulative_flaring_co2", "cumulative_gas_co2", "cumulative_luc_co2",
    "cumulative_oil_co2", "cumulative_other_co2", "energy_per_capita", "energy_per_gdp",
    "flaring_co2", "flaring_co2_per_capita", "gas_co2", "gas_co2_per_capita",
    "ghg_excluding_lucf_per_capita", "ghg_per_capita", "land_use_change_co2", "land_use_change_co2_per_capita",
    "methane", "methane_per_capita", "nitrous_oxide", "nitrous_oxide_per_capita",
    "oil_co2", "oil_co2_per_capita", "other_co2_per_capita", "other_industry_co2",
    "primary_energy_consumption", "share_global_cement_co2", "share_global_co2", "share_global_co2_including_luc",
    "share_global_coal_co2", "share_global_cumulative_cement_co2", "share_global_cumulative_co2", "share_global_cumulative_co2_including_luc",
    "share_global_cumulative_coal_co2", "share_global_cumulative_flaring_co2", "share_global_cumulative_gas_co2", "share_global_cumulative_luc_co2",
    "share_global_cumulative_oil_co2", "share_global_cumulative_other_co2", "share_global_flaring_co2", "share_global_gas_co2",
    "share_global_luc_co2", "share_global_oil_co2", "share_global_other_co2", "share_of_temperature_change_from_ghg",
    "temperature_change_from_ch4", "temperature_change_from_co2", "temperature_change_from_ghg", "temperature_change_from_n2o",
    "total_ghg", "total_ghg_excluding_lucf", "trade_co2", "trade_co2_share",
]


def upgrade() -> None:
    for schema in ("core", "mart", "app", "ops"):
        op.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")

    op.create_table(
        "pipeline_runs",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("run_id", sa.Text, nullable=False),
        sa.Column("pipeline", sa.Text, nullable=False),
        sa.Column("step", sa.Text, nullable=False),
        sa.Column("dataset_version", sa.Text),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
        sa.Column("rows_written", sa.BigInteger),
        sa.Column("error", sa.Text),
        sa.Column("output_path", sa.Text),
        sa.Column("parameters", sa.dialects.postgresql.JSONB),
        sa.CheckConstraint(
            "status IN ('running', 'succeeded', 'failed', 'skipped')", name="status_known"
        ),
        schema="ops",
    )
    op.create_index("pipeline_runs_by_pipeline", "pipeline_runs", ["pipeline", "started_at"],
                    schema="ops")

    op.create_table(
        "loaded_datasets",
        sa.Column("dataset", sa.Text, primary_key=True),
        sa.Column("version", sa.Text, nullable=False),
        sa.Column("sha256", sa.Text, nullable=False),
        sa.Column("rows", sa.BigInteger, nullable=False),
        sa.Column("run_id", sa.Text),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False,
                  server_default=sa.func.now()),
        schema="ops",
    )

    op.create_table(
        "countries",
        sa.Column("code", sa.Text, primary_key=True),
        sa.Column("name", sa.Text, nullable=False, unique=True),
        sa.Column("kind", sa.Text, nullable=False),
        sa.CheckConstraint(
            "kind IN ('country', 'world', 'region', 'income_group', 'other')", name="kind_known"
        ),
        schema="core",
    )

    op.create_table(
        "national_indicators",
        sa.Column("country_code", sa.Text, sa.ForeignKey("core.countries.code"), nullable=False),
        sa.Column("year", sa.SmallInteger, nullable=False),
        *[sa.Column(name, sa.Float(precision=53)) for name in OWID_INDICATORS],
        sa.PrimaryKeyConstraint("country_code", "year"),
        schema="core",
    )

    op.create_table(
        "gcb_co2",
        sa.Column("country_code", sa.Text, sa.ForeignKey("core.countries.code"), nullable=False),
        sa.Column("year", sa.SmallInteger, nullable=False),
        sa.Column("co2_mt", sa.Float(precision=53), nullable=False),
        sa.PrimaryKeyConstraint("country_code", "year"),
        schema="core",
    )

    # What the apps read: OWID indicators with the newer GCB fossil CO2 beside them
    # (GCB reaches one year further). Apps never read core.* directly.
    op.execute(
        """
        CREATE VIEW mart.national AS
        SELECT c.name AS country, c.kind, x.*
        FROM (
            SELECT * FROM core.national_indicators
            FULL JOIN (SELECT country_code, year, co2_mt AS co2_gcb FROM core.gcb_co2) g
                USING (country_code, year)
        ) x
        JOIN core.countries c ON c.code = x.country_code
        """
    )


def downgrade() -> None:
    op.execute("DROP VIEW IF EXISTS mart.national")
    op.drop_table("gcb_co2", schema="core")
    op.drop_table("national_indicators", schema="core")
    op.drop_table("countries", schema="core")
    op.drop_table("loaded_datasets", schema="ops")
    op.drop_table("pipeline_runs", schema="ops")

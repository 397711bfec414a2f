"""`core.*`: cleaned source data, one table per fact, keyed by country code (apps read `mart.*`)."""

import sqlalchemy as sa

from tanso.db.tables import PARTITIONED, metadata

# The 76 OWID CO2/GHG indicator columns of the 2025 release, in codebook order; units per
# catalog entry owid_co2_codebook (Mt, t/person, %, °C).
OWID_INDICATORS = (
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
)  # fmt: skip

DOUBLE = sa.Float(precision=53)

countries = sa.Table(
    "countries", metadata,
    sa.Column("code", sa.Text, primary_key=True),
    sa.Column("name", sa.Text, nullable=False, unique=True),
    sa.Column("kind", sa.Text, nullable=False),
    sa.CheckConstraint("kind IN ('country', 'world', 'region', 'income_group', 'other')",
                       name="kind_known"),
    schema="core",
)


def _country_code() -> sa.Column:
    return sa.Column("country_code", sa.Text, sa.ForeignKey(countries.c.code), nullable=False)


national_indicators = sa.Table(
    "national_indicators", metadata,
    _country_code(),
    sa.Column("year", sa.SmallInteger, nullable=False),
    *[sa.Column(name, DOUBLE) for name in OWID_INDICATORS],
    sa.PrimaryKeyConstraint("country_code", "year"),
    schema="core", **PARTITIONED,
)

gcb_co2 = sa.Table(
    "gcb_co2", metadata,
    _country_code(),
    sa.Column("year", sa.SmallInteger, nullable=False),
    sa.Column("co2_mt", DOUBLE, nullable=False),
    sa.PrimaryKeyConstraint("country_code", "year"),
    schema="core", **PARTITIONED,
)

targets = sa.Table(
    "targets", metadata,
    _country_code(),
    sa.Column("target_name", sa.Text, nullable=False),
    sa.Column("metric", sa.Text, nullable=False),
    sa.Column("scope_note", sa.Text),
    sa.Column("base_year", sa.SmallInteger),
    sa.Column("base_value_mt", DOUBLE),
    sa.Column("target_year", sa.SmallInteger, nullable=False),
    sa.Column("reduction_pct", DOUBLE),
    sa.Column("reduction_pct_high", DOUBLE),
    sa.Column("target_value_mt", DOUBLE),
    sa.Column("target_type", sa.Text, nullable=False),
    sa.Column("conditional", sa.Boolean, nullable=False),
    sa.Column("net_zero_year", sa.SmallInteger),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("source_url", sa.Text, nullable=False),
    sa.Column("notes", sa.Text),
    sa.PrimaryKeyConstraint("country_code", "target_name"),
    sa.CheckConstraint("reduction_pct BETWEEN 0 AND 100", name="reduction_is_a_percentage"),
    schema="core",
)


"""Voluntary carbon market: projects per source and merged, credits by year, registry
transactions, disagreements, data-quality flags; full-text and trigram search; mart views.

Dates are ISO text until the loader encodes dates (issue #6); the mart views cast them.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"

TEXT_FIELDS = ("name", "developer", "proponent", "status", "country", "region", "state",
               "location", "scope", "category", "project_type", "reduction_removal",
               "methodology", "methodology_version", "description", "arb_wa",
               "certifications", "listed_at", "registered_at", "registry_url", "website",
               "notes")
QUANTITY_FIELDS = ("issued", "retired", "retired_year_unknown", "remaining",
                   "buffer_deposits", "reversals_covered", "reversals_not_covered",
                   "buffer_released")


def _project_columns() -> list[sa.Column]:
    return [
        sa.Column("registry", sa.Text, nullable=False),
        *[sa.Column(f, sa.Text) for f in TEXT_FIELDS],
        sa.Column("corsia", sa.Boolean),
        sa.Column("ccb", sa.Boolean),
        sa.Column("first_vintage", sa.SmallInteger),
        *[sa.Column(f, sa.Float(precision=53)) for f in QUANTITY_FIELDS],
    ]


# Ranked search: the name and id weigh most, then who runs the project, then what and where,
# then the free-text description. 'english' stems (cookstoves ~ cookstove); the id is also in
# a trigram index for partial and misspelt ids.
SEARCH_VECTOR = """
    setweight(to_tsvector('english', coalesce(project_id, '') || ' ' || coalesce(name, '')), 'A')
    || setweight(to_tsvector('english', coalesce(developer, '') || ' ' || coalesce(proponent, '')), 'B')
    || setweight(to_tsvector('english', coalesce(methodology, '') || ' ' || coalesce(project_type, '')
        || ' ' || coalesce(category, '') || ' ' || coalesce(scope, '') || ' ' || coalesce(country, '')
        || ' ' || coalesce(state, '') || ' ' || coalesce(location, '')), 'C')
    || setweight(to_tsvector('english', coalesce(description, '')), 'D')
"""

MART_PROJECTS = """
    CREATE VIEW mart.vcm_projects AS
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


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    op.create_table(
        "vcm_source_projects",
        sa.Column("project_id", sa.Text, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("source_id", sa.Text, nullable=False),
        *_project_columns(),
        sa.PrimaryKeyConstraint("source", "project_id"),
        schema="core",
    )
    op.create_index("vcm_source_projects_project_id_idx", "vcm_source_projects",
                    ["project_id"], schema="core")
    op.create_table(
        "vcm_projects",
        sa.Column("project_id", sa.Text, primary_key=True),
        *_project_columns(),
        sa.Column("sources", sa.Text, nullable=False),
        sa.Column("in_vrod", sa.Boolean, nullable=False),
        sa.Column("in_offsetsdb", sa.Boolean, nullable=False),
        sa.Column("in_registry_export", sa.Boolean, nullable=False),
        sa.Column("search_vector", sa.dialects.postgresql.TSVECTOR,
                  sa.Computed(SEARCH_VECTOR, persisted=True)),
        schema="core",
    )
    op.execute("CREATE INDEX vcm_projects_search_idx ON core.vcm_projects "
               "USING gin (search_vector)")
    op.execute("CREATE INDEX vcm_projects_id_trgm_idx ON core.vcm_projects "
               "USING gin (project_id gin_trgm_ops)")
    op.execute("CREATE INDEX vcm_projects_name_trgm_idx ON core.vcm_projects "
               "USING gin (name gin_trgm_ops)")
    op.create_table(
        "vcm_credit_years",
        sa.Column("project_id", sa.Text, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("year", sa.SmallInteger, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("quantity", sa.Float(precision=53), nullable=False),
        sa.PrimaryKeyConstraint("project_id", "source", "year", "kind"),
        sa.CheckConstraint("kind IN ('issued_by_vintage', 'retired_by_year', "
                           "'remaining_by_vintage', 'issued_by_issuance_year')",
                           name="vcm_credit_years_kind_known"),
        schema="core",
    )
    op.create_table(
        "vcm_transactions",
        sa.Column("project_id", sa.Text, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("source_file", sa.Text, nullable=False),
        sa.Column("source_row", sa.BigInteger, nullable=False),
        sa.Column("registry", sa.Text, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("quantity", sa.Float(precision=53), nullable=False),
        sa.Column("vintage", sa.SmallInteger),
        sa.Column("transaction_date", sa.Text),
        sa.Column("beneficiary", sa.Text),
        sa.Column("reason", sa.Text),
        sa.Column("serial", sa.Text),
        sa.PrimaryKeyConstraint("source", "source_file", "source_row", "kind"),
        sa.CheckConstraint("kind IN ('issuance', 'retirement', 'cancellation')",
                           name="vcm_transactions_kind_known"),
        sa.CheckConstraint("quantity >= 0", name="vcm_transactions_quantity_non_negative"),
        schema="core",
    )
    op.create_index("vcm_transactions_project_id_idx", "vcm_transactions", ["project_id"],
                    schema="core")
    op.create_table(
        "vcm_disagreements",
        sa.Column("project_id", sa.Text, nullable=False),
        sa.Column("field", sa.Text, nullable=False),
        sa.Column("source_a", sa.Text, nullable=False),
        sa.Column("value_a", sa.Text),
        sa.Column("source_b", sa.Text, nullable=False),
        sa.Column("value_b", sa.Text),
        sa.PrimaryKeyConstraint("project_id", "field", "source_a", "source_b"),
        schema="core",
    )
    op.create_table(
        "vcm_flags",
        sa.Column("project_id", sa.Text, nullable=False),
        sa.Column("flag", sa.Text, nullable=False),
        sa.Column("detail", sa.Text),
        sa.PrimaryKeyConstraint("project_id", "flag"),
        schema="core",
    )
    op.execute(MART_PROJECTS)
    op.execute("""
        CREATE VIEW mart.vcm_disagreements AS
        SELECT d.*, p.name, p.registry FROM core.vcm_disagreements d
        JOIN core.vcm_projects p USING (project_id)
    """)
    op.execute("""
        CREATE VIEW mart.vcm_credit_years AS
        SELECT y.project_id, y.source, y.year, y.kind, y.quantity, p.registry, p.country,
               p.category
        FROM core.vcm_credit_years y JOIN core.vcm_projects p USING (project_id)
    """)
    op.execute("""
        CREATE VIEW mart.vcm_transactions AS
        SELECT project_id, source, source_file, source_row, registry, kind, quantity, vintage,
               transaction_date::date AS transaction_date, beneficiary, reason, serial
        FROM core.vcm_transactions
    """)
    op.execute("CREATE VIEW mart.vcm_flags AS SELECT * FROM core.vcm_flags")
    op.execute("CREATE VIEW mart.vcm_source_projects AS SELECT * FROM core.vcm_source_projects")


def downgrade() -> None:
    for view in ("vcm_source_projects", "vcm_flags", "vcm_transactions", "vcm_credit_years",
                 "vcm_disagreements", "vcm_projects"):
        op.execute(f"DROP VIEW IF EXISTS mart.{view}")
    for table in ("vcm_flags", "vcm_disagreements", "vcm_transactions", "vcm_credit_years",
                  "vcm_projects", "vcm_source_projects"):
        op.drop_table(table, schema="core")

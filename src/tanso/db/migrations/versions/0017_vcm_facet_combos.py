"""VCM search aids that do not grow with the number of projects: the facet values' combinations
with their project counts (a filtered search without text counts its facets from them) and the
distinct project names (the misspelling fallback compares each name once), plus an index on the
keys' name order. Filled here from the loaded projects and
rebuilt after each `vcm` load (tanso.vcm.queries.refresh_search_aids).

Revision ID: 0017
Revises: 0016
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"

FACETS = ("registry", "country", "category", "project_type", "methodology", "status",
          "reduction_removal")


def upgrade() -> None:
    op.create_table(
        "vcm_facet_combos",
        *[sa.Column(f, sa.Text(), nullable=True) for f in FACETS],
        sa.Column("corsia", sa.Boolean(), nullable=False),
        sa.Column("ccb", sa.Boolean(), nullable=False),
        sa.Column("first_vintage", sa.SmallInteger(), nullable=True),
        sa.Column("issued_range", sa.Text(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        schema="core",
    )
    op.create_table(
        "vcm_search_names",
        sa.Column("name_order", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("name_order", name=op.f("vcm_search_names_pkey")),
        schema="core",
    )
    op.create_index("vcm_search_names_trgm_idx", "vcm_search_names", ["name"], schema="core",
                    postgresql_using="gin", postgresql_ops={"name": "gin_trgm_ops"})
    op.create_index("vcm_search_keys_name_order_idx", "vcm_search_keys", ["name_order"],
                    schema="core")
    # Frozen copies of tanso.vcm.queries' statements (a revision must not change with the
    # package); the keys' name_order is already the names' dense rank
    op.execute("""
        INSERT INTO core.vcm_search_names (name_order, name)
        SELECT DISTINCT k.name_order, p.name FROM core.vcm_search_keys k
        JOIN core.vcm_projects p USING (project_id) WHERE k.name_order IS NOT NULL""")
    op.execute(f"""
        INSERT INTO core.vcm_facet_combos
        SELECT {', '.join(FACETS)}, corsia, ccb, first_vintage,
               CASE WHEN issued IS NULL THEN 'unknown' WHEN issued < 1 THEN '0'
                    WHEN issued < 10000 THEN '1-10k' WHEN issued < 100000 THEN '10k-100k'
                    WHEN issued < 1000000 THEN '100k-1M' WHEN issued < 10000000 THEN '1M-10M'
                    ELSE '10M+' END, count(*)
        FROM core.vcm_search_keys GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11""")  # nosec B608 - constant column names


def downgrade() -> None:
    op.drop_index("vcm_search_keys_name_order_idx", table_name="vcm_search_keys", schema="core")
    op.drop_index("vcm_search_names_trgm_idx", table_name="vcm_search_names", schema="core")
    op.drop_table("vcm_search_names", schema="core")
    op.drop_table("vcm_facet_combos", schema="core")

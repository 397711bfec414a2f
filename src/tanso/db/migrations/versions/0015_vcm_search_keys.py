"""VCM search keys: the filter, facet and sort columns of every project in a narrow table, so a
search without text counts and sorts small rows (tanso.vcm.queries). Filled here from the
loaded projects and rebuilt after each `vcm` load (refresh_search_aids).

Revision ID: 0015
Revises: 0014
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"

FACETS = ("registry", "country", "category", "project_type", "methodology", "status",
          "reduction_removal")


def upgrade() -> None:
    op.create_table(
        "vcm_search_keys",
        sa.Column("project_id", sa.Text(), nullable=False),
        *[sa.Column(f, sa.Text(), nullable=True) for f in FACETS],
        sa.Column("corsia", sa.Boolean(), nullable=True),
        sa.Column("ccb", sa.Boolean(), nullable=True),
        sa.Column("first_vintage", sa.SmallInteger(), nullable=True),
        sa.Column("issued", sa.Float(precision=53), nullable=True),
        sa.Column("retired", sa.Float(precision=53), nullable=True),
        sa.Column("name_order", sa.Integer(), nullable=True),
        schema="core",
    )
    for column in ("issued", "retired"):
        op.create_index(f"vcm_search_keys_{column}_idx", "vcm_search_keys",
                        [sa.literal_column(f"{column} DESC NULLS LAST"), "project_id"],
                        schema="core")
    # A frozen copy of tanso.vcm.queries.KEYS (a revision must not change with the package)
    op.execute(f"""
        INSERT INTO core.vcm_search_keys
        SELECT project_id, {', '.join(FACETS)}, corsia, ccb, first_vintage, issued, retired,
               CASE WHEN name IS NOT NULL THEN dense_rank() OVER (ORDER BY name) END
        FROM core.vcm_projects""")  # nosec B608 - constant column names


def downgrade() -> None:
    op.drop_table("vcm_search_keys", schema="core")

"""VCM search aids: the unfiltered facet counts and the words for "did you mean", both derived from
core.vcm_projects after each load (tanso.vcm.queries.refresh_search_aids; empty until the next
`vcm` run, and the explorer counts live meanwhile), and an index for the explorer's first page.

Revision ID: 0014
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"


def upgrade() -> None:
    op.create_table(
        "vcm_facet_counts",
        sa.Column("facet", sa.Text(), nullable=False),
        sa.Column("value", sa.Text(), nullable=True),
        sa.Column("n", sa.BigInteger(), nullable=False),
        schema="core",
    )
    op.create_table(
        "vcm_search_words",
        sa.Column("word", sa.Text(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("word", name=op.f("vcm_search_words_pkey")),
        schema="core",
    )
    op.create_index("vcm_search_words_trgm_idx", "vcm_search_words", ["word"], schema="core",
                    postgresql_using="gin", postgresql_ops={"word": "gin_trgm_ops"})
    op.create_index("vcm_projects_issued_idx", "vcm_projects",
                    [sa.literal_column("issued DESC NULLS LAST"), "project_id"], schema="core")


def downgrade() -> None:
    op.drop_index("vcm_projects_issued_idx", table_name="vcm_projects", schema="core")
    op.drop_index("vcm_search_words_trgm_idx", table_name="vcm_search_words", schema="core")
    op.drop_table("vcm_search_words", schema="core")
    op.drop_table("vcm_facet_counts", schema="core")

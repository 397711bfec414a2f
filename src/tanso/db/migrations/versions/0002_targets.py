"""National emission targets as stated (catalog entry `targets`) and the mart view apps read.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    op.create_table(
        "targets",
        sa.Column("country_code", sa.Text, sa.ForeignKey("core.countries.code"), nullable=False),
        sa.Column("target_name", sa.Text, nullable=False),
        sa.Column("metric", sa.Text, nullable=False),
        sa.Column("scope_note", sa.Text),
        sa.Column("base_year", sa.SmallInteger),
        sa.Column("base_value_mt", sa.Float(precision=53)),
        sa.Column("target_year", sa.SmallInteger, nullable=False),
        sa.Column("reduction_pct", sa.Float(precision=53)),
        sa.Column("reduction_pct_high", sa.Float(precision=53)),
        sa.Column("target_value_mt", sa.Float(precision=53)),
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
    op.execute(
        """
        CREATE VIEW mart.targets AS
        SELECT c.name AS country, t.* FROM core.targets t
        JOIN core.countries c ON c.code = t.country_code
        """
    )


def downgrade() -> None:
    op.execute("DROP VIEW IF EXISTS mart.targets")
    op.drop_table("targets", schema="core")

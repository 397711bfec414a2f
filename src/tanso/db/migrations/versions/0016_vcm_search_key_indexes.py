"""VCM search keys: an index on each filtered column, so a filter without text reads the matching
keys through bitmap index scans (combined with AND) instead of scanning them all; the CORSIA and
CCB flags are stored with unknown as false (as filtered and counted), so their plain column is
compared and its index usable.

Revision ID: 0016
Revises: 0015
"""

from alembic import op

revision = "0016"
down_revision = "0015"

FILTERED = ("registry", "country", "category", "project_type", "methodology", "status",
            "reduction_removal", "corsia", "ccb", "first_vintage")


def upgrade() -> None:
    op.execute("UPDATE core.vcm_search_keys SET corsia = coalesce(corsia, false), "
               "ccb = coalesce(ccb, false) WHERE corsia IS NULL OR ccb IS NULL")
    for flag in ("corsia", "ccb"):
        op.alter_column("vcm_search_keys", flag, nullable=False, schema="core")
    for column in FILTERED:
        op.create_index(f"vcm_search_keys_{column}_idx", "vcm_search_keys", [column],
                        schema="core")


def downgrade() -> None:
    for column in FILTERED:
        op.drop_index(f"vcm_search_keys_{column}_idx", table_name="vcm_search_keys",
                      schema="core")
    for flag in ("corsia", "ccb"):
        op.alter_column("vcm_search_keys", flag, nullable=True, schema="core")

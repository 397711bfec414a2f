"""Comments keep their body rendered when written (app.comments.body_html), so a page with
hundreds of comments does not render Markdown on every view. Existing comments get '' and are
rendered when shown (tanso.community.comments).

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"


def upgrade() -> None:
    op.add_column("comments", sa.Column("body_html", sa.Text(), server_default="", nullable=False),
                  schema="app")


def downgrade() -> None:
    op.drop_column("comments", "body_html", schema="app")

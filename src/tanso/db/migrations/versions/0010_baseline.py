"""Baseline: where the revision history starts (revisions 0001–0010 squashed).

An empty database is not built by replaying revisions: it is built at head from the table
definitions (`tanso.db.tables`, `metadata.create_all`) and stamped there (migrations/env.py),
then the mart views come from `tanso.db.views`. Databases that were already at 0010 keep this
id and go on from here; revisions after this one change such databases, and are checked by
tests/integration/test_database.py (a database taken down to the baseline and up again must
match `tanso.db.tables`).

Revision ID: 0010
Revises:
"""

revision = "0010"
down_revision = None


def upgrade() -> None:
    """Nothing: below the baseline there is only an empty database, built at head by env.py."""


def downgrade() -> None:
    raise NotImplementedError("the baseline is where history starts: there is nothing below it "
                              "(drop the schemas core, mart, app and ops to start afresh)")

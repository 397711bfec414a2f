"""VCM community: app.proposals and their audit trail (proposal_events), comments, comment
reports and support (one per member and project), see tanso.db.tables.community.

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0011'
down_revision = '0010'


# The columns and constraints the five tables share, written once (as tanso.db.tables.community
# does); what they create is what autogenerate wrote.
def _id() -> sa.Column:
    return sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False)


def _time(name: str, *, now: bool = False) -> sa.Column:
    if now:
        return sa.Column(name, sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False)
    return sa.Column(name, sa.DateTime(timezone=True), nullable=True)


def _member_key(table: str, column: str, **options) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], ['app.users.id'], name=op.f(f'{table}_{column}_fkey'), **options)


def _target(table: str) -> list:
    """project_id or proposal_id, exactly one: what a comment or a support is about."""
    return [sa.Column('project_id', sa.Text(), nullable=True),
            sa.Column('proposal_id', sa.BigInteger(), nullable=True),
            sa.CheckConstraint('num_nonnulls(project_id, proposal_id) = 1', name=f'{table}_one_target'),
            sa.ForeignKeyConstraint(['proposal_id'], ['app.proposals.id'], name=op.f(f'{table}_proposal_id_fkey'))]


def _create_table(name: str, *items) -> None:
    op.create_table(name, *items, sa.PrimaryKeyConstraint('id', name=op.f(f'{name}_pkey')), schema='app')


def upgrade() -> None:
    _create_table('proposals',
    _id(),
    sa.Column('owner_id', sa.BigInteger(), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('registry', sa.Text(), nullable=True),
    sa.Column('country', sa.Text(), server_default='', nullable=False),
    sa.Column('project_type', sa.Text(), server_default='', nullable=False),
    sa.Column('methodology', sa.Text(), server_default='', nullable=False),
    sa.Column('description', sa.Text(), server_default='', nullable=False),
    sa.Column('links', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'[]'::jsonb"), nullable=False),
    sa.Column('expected_credits', sa.Float(precision=53), nullable=True),
    sa.Column('status', sa.Text(), server_default='draft', nullable=False),
    sa.Column('rejection_reason', sa.Text(), nullable=True),
    _time('created_at', now=True),
    _time('updated_at', now=True),
    _time('submitted_at'),
    _time('decided_at'),
    sa.Column('decided_by', sa.BigInteger(), nullable=True),
    sa.CheckConstraint("status <> 'rejected' OR rejection_reason IS NOT NULL", name='proposals_rejection_has_reason'),
    sa.CheckConstraint("status IN ('draft', 'submitted', 'published', 'rejected')", name='proposals_status_known'),
    _member_key('proposals', 'decided_by'),
    _member_key('proposals', 'owner_id'),
    )
    op.create_index('proposals_by_owner', 'proposals', ['owner_id'], unique=False, schema='app')
    op.create_index('proposals_by_status', 'proposals', ['status'], unique=False, schema='app')
    _create_table('comments',
    _id(),
    sa.Column('author_id', sa.BigInteger(), nullable=False),
    *_target('comments'),
    sa.Column('body', sa.Text(), nullable=False),
    _time('created_at', now=True),
    _time('edited_at'),
    _time('deleted_at'),
    _time('hidden_at'),
    sa.Column('hidden_by', sa.BigInteger(), nullable=True),
    sa.Column('hidden_reason', sa.Text(), nullable=True),
    _member_key('comments', 'author_id'),
    _member_key('comments', 'hidden_by'),
    )
    op.create_index('comments_by_author', 'comments', ['author_id', 'created_at'], unique=False, schema='app')
    op.create_index('comments_by_project', 'comments', ['project_id', 'created_at'], unique=False, schema='app')
    op.create_index('comments_by_proposal', 'comments', ['proposal_id', 'created_at'], unique=False, schema='app')
    _create_table('proposal_events',
    _id(),
    sa.Column('proposal_id', sa.BigInteger(), nullable=False),
    sa.Column('actor_id', sa.BigInteger(), nullable=False),
    _time('at', now=True),
    sa.Column('action', sa.Text(), nullable=False),
    sa.Column('before', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('after', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    _member_key('proposal_events', 'actor_id'),
    sa.ForeignKeyConstraint(['proposal_id'], ['app.proposals.id'], name=op.f('proposal_events_proposal_id_fkey')),
    )
    op.create_index('proposal_events_by_proposal', 'proposal_events', ['proposal_id', 'at'], unique=False, schema='app')
    _create_table('supports',
    _id(),
    sa.Column('user_id', sa.BigInteger(), nullable=False),
    *_target('supports'),
    _time('created_at', now=True),
    _member_key('supports', 'user_id', ondelete='CASCADE'),
    sa.UniqueConstraint('user_id', 'project_id', name=op.f('supports_user_id_project_id_key')),
    sa.UniqueConstraint('user_id', 'proposal_id', name=op.f('supports_user_id_proposal_id_key')),
    )
    op.create_index('supports_by_project', 'supports', ['project_id'], unique=False, schema='app')
    op.create_index('supports_by_proposal', 'supports', ['proposal_id'], unique=False, schema='app')
    _create_table('comment_reports',
    _id(),
    sa.Column('comment_id', sa.BigInteger(), nullable=False),
    sa.Column('reporter_id', sa.BigInteger(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    _time('created_at', now=True),
    _time('resolved_at'),
    sa.Column('resolved_by', sa.BigInteger(), nullable=True),
    sa.Column('resolution', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['comment_id'], ['app.comments.id'], name=op.f('comment_reports_comment_id_fkey')),
    _member_key('comment_reports', 'reporter_id'),
    _member_key('comment_reports', 'resolved_by'),
    sa.UniqueConstraint('comment_id', 'reporter_id', name=op.f('comment_reports_comment_id_reporter_id_key')),
    )
    op.create_index('comment_reports_open', 'comment_reports', ['created_at'], unique=False, schema='app', postgresql_where=sa.text('resolved_at IS NULL'))


def downgrade() -> None:
    op.drop_index('comment_reports_open', table_name='comment_reports', schema='app', postgresql_where=sa.text('resolved_at IS NULL'))
    op.drop_table('comment_reports', schema='app')
    op.drop_index('supports_by_proposal', table_name='supports', schema='app')
    op.drop_index('supports_by_project', table_name='supports', schema='app')
    op.drop_table('supports', schema='app')
    op.drop_index('proposal_events_by_proposal', table_name='proposal_events', schema='app')
    op.drop_table('proposal_events', schema='app')
    op.drop_index('comments_by_proposal', table_name='comments', schema='app')
    op.drop_index('comments_by_project', table_name='comments', schema='app')
    op.drop_index('comments_by_author', table_name='comments', schema='app')
    op.drop_table('comments', schema='app')
    op.drop_index('proposals_by_status', table_name='proposals', schema='app')
    op.drop_index('proposals_by_owner', table_name='proposals', schema='app')
    op.drop_table('proposals', schema='app')

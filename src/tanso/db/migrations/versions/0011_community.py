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


def upgrade() -> None:
    op.create_table('proposals',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
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
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by', sa.BigInteger(), nullable=True),
    sa.CheckConstraint("status <> 'rejected' OR rejection_reason IS NOT NULL", name='proposals_rejection_has_reason'),
    sa.CheckConstraint("status IN ('draft', 'submitted', 'published', 'rejected')", name='proposals_status_known'),
    sa.ForeignKeyConstraint(['decided_by'], ['app.users.id'], name=op.f('proposals_decided_by_fkey')),
    sa.ForeignKeyConstraint(['owner_id'], ['app.users.id'], name=op.f('proposals_owner_id_fkey')),
    sa.PrimaryKeyConstraint('id', name=op.f('proposals_pkey')),
    schema='app'
    )
    op.create_index('proposals_by_owner', 'proposals', ['owner_id'], unique=False, schema='app')
    op.create_index('proposals_by_status', 'proposals', ['status'], unique=False, schema='app')
    op.create_table('comments',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('author_id', sa.BigInteger(), nullable=False),
    sa.Column('project_id', sa.Text(), nullable=True),
    sa.Column('proposal_id', sa.BigInteger(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('edited_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('hidden_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('hidden_by', sa.BigInteger(), nullable=True),
    sa.Column('hidden_reason', sa.Text(), nullable=True),
    sa.CheckConstraint('num_nonnulls(project_id, proposal_id) = 1', name='comments_one_target'),
    sa.ForeignKeyConstraint(['author_id'], ['app.users.id'], name=op.f('comments_author_id_fkey')),
    sa.ForeignKeyConstraint(['hidden_by'], ['app.users.id'], name=op.f('comments_hidden_by_fkey')),
    sa.ForeignKeyConstraint(['proposal_id'], ['app.proposals.id'], name=op.f('comments_proposal_id_fkey')),
    sa.PrimaryKeyConstraint('id', name=op.f('comments_pkey')),
    schema='app'
    )
    op.create_index('comments_by_author', 'comments', ['author_id', 'created_at'], unique=False, schema='app')
    op.create_index('comments_by_project', 'comments', ['project_id', 'created_at'], unique=False, schema='app')
    op.create_index('comments_by_proposal', 'comments', ['proposal_id', 'created_at'], unique=False, schema='app')
    op.create_table('proposal_events',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('proposal_id', sa.BigInteger(), nullable=False),
    sa.Column('actor_id', sa.BigInteger(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('action', sa.Text(), nullable=False),
    sa.Column('before', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('after', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['app.users.id'], name=op.f('proposal_events_actor_id_fkey')),
    sa.ForeignKeyConstraint(['proposal_id'], ['app.proposals.id'], name=op.f('proposal_events_proposal_id_fkey')),
    sa.PrimaryKeyConstraint('id', name=op.f('proposal_events_pkey')),
    schema='app'
    )
    op.create_index('proposal_events_by_proposal', 'proposal_events', ['proposal_id', 'at'], unique=False, schema='app')
    op.create_table('supports',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('user_id', sa.BigInteger(), nullable=False),
    sa.Column('project_id', sa.Text(), nullable=True),
    sa.Column('proposal_id', sa.BigInteger(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint('num_nonnulls(project_id, proposal_id) = 1', name='supports_one_target'),
    sa.ForeignKeyConstraint(['proposal_id'], ['app.proposals.id'], name=op.f('supports_proposal_id_fkey')),
    sa.ForeignKeyConstraint(['user_id'], ['app.users.id'], name=op.f('supports_user_id_fkey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('supports_pkey')),
    sa.UniqueConstraint('user_id', 'project_id', name=op.f('supports_user_id_project_id_key')),
    sa.UniqueConstraint('user_id', 'proposal_id', name=op.f('supports_user_id_proposal_id_key')),
    schema='app'
    )
    op.create_index('supports_by_project', 'supports', ['project_id'], unique=False, schema='app')
    op.create_index('supports_by_proposal', 'supports', ['proposal_id'], unique=False, schema='app')
    op.create_table('comment_reports',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('comment_id', sa.BigInteger(), nullable=False),
    sa.Column('reporter_id', sa.BigInteger(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolved_by', sa.BigInteger(), nullable=True),
    sa.Column('resolution', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['comment_id'], ['app.comments.id'], name=op.f('comment_reports_comment_id_fkey')),
    sa.ForeignKeyConstraint(['reporter_id'], ['app.users.id'], name=op.f('comment_reports_reporter_id_fkey')),
    sa.ForeignKeyConstraint(['resolved_by'], ['app.users.id'], name=op.f('comment_reports_resolved_by_fkey')),
    sa.PrimaryKeyConstraint('id', name=op.f('comment_reports_pkey')),
    sa.UniqueConstraint('comment_id', 'reporter_id', name=op.f('comment_reports_comment_id_reporter_id_key')),
    schema='app'
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

"""News: feed items, their links to VCM projects, and each feed's fetch state (tanso.news).

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'


def upgrade() -> None:
    op.create_table('news_feeds',
    sa.Column('feed', sa.Text(), nullable=False),
    sa.Column('url', sa.Text(), nullable=False),
    sa.Column('etag', sa.Text(), nullable=True),
    sa.Column('last_modified', sa.Text(), nullable=True),
    sa.Column('status', sa.Text(), nullable=False),
    sa.Column('message', sa.Text(), nullable=True),
    sa.Column('items_in_feed', sa.Integer(), nullable=True),
    sa.Column('checked_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('succeeded_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('ok', 'not_modified', 'failed')", name='news_feeds_status_known'),
    sa.PrimaryKeyConstraint('feed', name=op.f('news_feeds_pkey')),
    schema='core'
    )
    op.create_table('news_items',
    sa.Column('item_key', sa.Text(), nullable=False),
    sa.Column('feed', sa.Text(), nullable=False),
    sa.Column('guid', sa.Text(), nullable=True),
    sa.Column('link', sa.Text(), nullable=True),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('summary', sa.Text(), server_default='', nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('first_seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('content_hash', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('item_key', name=op.f('news_items_pkey')),
    schema='core'
    )
    op.create_index('news_items_content_hash_idx', 'news_items', ['content_hash'], unique=False, schema='core')
    op.create_table('news_item_projects',
    sa.Column('item_key', sa.Text(), nullable=False),
    sa.Column('project_id', sa.Text(), nullable=False),
    sa.Column('matched_by', sa.Text(), nullable=False),
    sa.Column('matched_text', sa.Text(), nullable=False),
    sa.CheckConstraint("matched_by IN ('id', 'name')", name='news_item_projects_matched_by_known'),
    sa.ForeignKeyConstraint(['item_key'], ['core.news_items.item_key'], name=op.f('news_item_projects_item_key_fkey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('item_key', 'project_id', name=op.f('news_item_projects_pkey')),
    schema='core'
    )
    op.create_index('news_item_projects_project_id_idx', 'news_item_projects', ['project_id'], unique=False, schema='core')


def downgrade() -> None:
    op.drop_index('news_item_projects_project_id_idx', table_name='news_item_projects', schema='core')
    op.drop_table('news_item_projects', schema='core')
    op.drop_index('news_items_content_hash_idx', table_name='news_items', schema='core')
    op.drop_table('news_items', schema='core')
    op.drop_table('news_feeds', schema='core')

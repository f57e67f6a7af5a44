"""Initial schema: the whole data model of S-1 to S-11.

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    
    op.create_table('categories',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('color', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('modified_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_categories')),
    sa.UniqueConstraint('name', name=op.f('uq_categories_name'))
    )
    op.create_table('list_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('modified_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_list_items')),
    sa.UniqueConstraint('kind', 'name', name=op.f('uq_list_items_kind_name'))
    )
    with op.batch_alter_table('list_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_list_items_kind_position'), ['kind', 'position'], unique=False)

    op.create_table('products',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('unit_cost_cents', sa.Integer(), nullable=False),
    sa.Column('unit_price_cents', sa.Integer(), nullable=False),
    sa.Column('taxable', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('modified_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_products')),
    sa.UniqueConstraint('name', name=op.f('uq_products_name'))
    )
    op.create_table('project_templates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('modified_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_templates')),
    sa.UniqueConstraint('name', name=op.f('uq_project_templates_name'))
    )
    op.create_table('sales_stages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('is_default', sa.Boolean(), nullable=False),
    sa.Column('default_probability', sa.Integer(), nullable=True),
    sa.Column('close_date_offset_days', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('modified_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.CheckConstraint("kind IN ('open', 'won', 'lost')", name=op.f('ck_sales_stages_kind')),
    sa.CheckConstraint('default_probability IS NULL OR default_probability BETWEEN 0 AND 100', name=op.f('ck_sales_stages_default_probability')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sales_stages')),
    sa.UniqueConstraint('name', name=op.f('uq_sales_stages_name'))
    )
    with op.batch_alter_table('sales_stages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sales_stages_position'), ['position'], unique=False)

    op.create_table('settings',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_settings'))
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('login', sa.String(length=255), nullable=False),
    sa.Column('email', sa.String(length=255), nullable=False),
    sa.Column('is_owner', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('modified_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('login', name=op.f('uq_users_login'))
    )
    op.create_table('accounts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=511).with_variant(sa.String(length=511, collation='NOCASE'), 'sqlite'), nullable=False),
    sa.Column('phone', sa.String(length=64), nullable=False),
    sa.Column('email', sa.String(length=255), nullable=False),
    sa.Column('web_page', sa.String(length=255), nullable=False),
    sa.Column('street', sa.String(length=255), nullable=False),
    sa.Column('postal_code', sa.String(length=32), nullable=False),
    sa.Column('city', sa.String(length=255), nullable=False),
    sa.Column('country', sa.String(length=255), nullable=False),
    sa.Column('assigned_to_id', sa.Integer(), nullable=True),
    sa.Column('comments', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('modified_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['assigned_to_id'], ['users.id'], name=op.f('fk_accounts_assigned_to_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_accounts'))
    )
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_accounts_assigned_to_id'), ['assigned_to_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_accounts_name'), ['name'], unique=False)

    op.create_table('marketing_activities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('type_id', sa.Integer(), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('budgeted_cost_cents', sa.Integer(), nullable=False),
    sa.Column('actual_cost_cents', sa.Integer(), nullable=False),
    sa.Column('campaign_code', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('assigned_to_id', sa.Integer(), nullable=True),
    sa.Column('comments', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('modified_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['assigned_to_id'], ['users.id'], name=op.f('fk_marketing_activities_assigned_to_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['type_id'], ['list_items.id'], name=op.f('fk_marketing_activities_type_id_list_items'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_marketing_activities'))
    )
    with op.batch_alter_table('marketing_activities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_marketing_activities_name'), ['name'], unique=False)

    op.create_table('project_template_tasks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('template_id', sa.Integer(), nullable=False),
    sa.Column('subject', sa.String(length=255), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('start_offset_days', sa.Integer(), nullable=False),
    sa.Column('duration_days', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['template_id'], ['project_templates.id'], name=op.f('fk_project_template_tasks_template_id_project_templates'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_template_tasks'))
    )
    with op.batch_alter_table('project_template_tasks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_template_tasks_template_id_position'), ['template_id', 'position'], unique=False)

    op.create_table('stage_activities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('stage_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('duration_days', sa.Integer(), nullable=True),
    sa.Column('reminder', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('modified_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['stage_id'], ['sales_stages.id'], name=op.f('fk_stage_activities_stage_id_sales_stages'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stage_activities'))
    )
    with op.batch_alter_table('stage_activities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stage_activities_stage_id_position'), ['stage_id', 'position'], unique=False)

    op.create_table('account_categories',
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_account_categories_account_id_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['category_id'], ['categories.id'], name=op.f('fk_account_categories_category_id_categories'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('account_id', 'category_id', name=op.f('pk_account_categories'))
    )
    with op.batch_alter_table('account_categories', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_account_categories_category_id'), ['category_id'], unique=False)

    op.create_table('business_contacts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('first_name', sa.String(length=255), nullable=False),
    sa.Column('last_name', sa.String(length=255), nullable=False),
    sa.Column('full_name', sa.String(length=511).with_variant(sa.String(length=511, collation='NOCASE'), 'sqlite'), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=True),
    sa.Column('job_title', sa.String(length=255), nullable=False),
    sa.Column('business_phone', sa.String(length=64), nullable=False),
    sa.Column('mobile_phone', sa.String(length=64), nullable=False),
    sa.Column('email', sa.String(length=255), nullable=False),
    sa.Column('web_page', sa.String(length=255), nullable=False),
    sa.Column('street', sa.String(length=255), nullable=False),
    sa.Column('postal_code', sa.String(length=32), nullable=False),
    sa.Column('city', sa.String(length=255), nullable=False),
    sa.Column('country', sa.String(length=255), nullable=False),
    sa.Column('assigned_to_id', sa.Integer(), nullable=True),
    sa.Column('comments', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('modified_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_business_contacts_account_id_accounts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['assigned_to_id'], ['users.id'], name=op.f('fk_business_contacts_assigned_to_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_business_contacts'))
    )
    with op.batch_alter_table('business_contacts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_business_contacts_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_business_contacts_assigned_to_id'), ['assigned_to_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_business_contacts_full_name'), ['full_name'], unique=False)

    op.create_table('contact_categories',
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['category_id'], ['categories.id'], name=op.f('fk_contact_categories_category_id_categories'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['contact_id'], ['business_contacts.id'], name=op.f('fk_contact_categories_contact_id_business_contacts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('contact_id', 'category_id', name=op.f('pk_contact_categories'))
    )
    with op.batch_alter_table('contact_categories', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contact_categories_category_id'), ['category_id'], unique=False)

    op.create_table('opportunities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=511).with_variant(sa.String(length=511, collation='NOCASE'), 'sqlite'), nullable=False),
    sa.Column('assigned_to_id', sa.Integer(), nullable=True),
    sa.Column('type_id', sa.Integer(), nullable=True),
    sa.Column('link_account_id', sa.Integer(), nullable=True),
    sa.Column('link_contact_id', sa.Integer(), nullable=True),
    sa.Column('link_name', sa.String(length=511).with_variant(sa.String(length=511, collation='NOCASE'), 'sqlite'), nullable=False),
    sa.Column('probability', sa.Integer(), nullable=False),
    sa.Column('products_total_cents', sa.Integer(), nullable=False),
    sa.Column('expected_revenue_cents', sa.Integer(), nullable=False),
    sa.Column('close_date', sa.Date(), nullable=True),
    sa.Column('payment_terms_id', sa.Integer(), nullable=True),
    sa.Column('expiration_date', sa.Date(), nullable=True),
    sa.Column('delivery_date', sa.Date(), nullable=True),
    sa.Column('source_id', sa.Integer(), nullable=True),
    sa.Column('initiated_by_account_id', sa.Integer(), nullable=True),
    sa.Column('initiated_by_contact_id', sa.Integer(), nullable=True),
    sa.Column('initiated_by_marketing_id', sa.Integer(), nullable=True),
    sa.Column('competitors', sa.Text(), nullable=False),
    sa.Column('stage_id', sa.Integer(), nullable=True),
    sa.Column('stage_entered_at', sa.DateTime(), nullable=True),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('actual_close_date', sa.Date(), nullable=True),
    sa.Column('reminder_at', sa.DateTime(), nullable=True),
    sa.Column('comments', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('modified_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.CheckConstraint("status IN ('open', 'won', 'lost')", name=op.f('ck_opportunities_status')),
    sa.CheckConstraint('(CASE WHEN initiated_by_account_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN initiated_by_contact_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN initiated_by_marketing_id IS NULL THEN 0 ELSE 1 END) <= 1', name=op.f('ck_opportunities_at_most_one_initiator')),
    sa.CheckConstraint('(link_account_id IS NULL) <> (link_contact_id IS NULL)', name=op.f('ck_opportunities_exactly_one_link')),
    sa.CheckConstraint('probability BETWEEN 0 AND 100', name=op.f('ck_opportunities_probability')),
    sa.ForeignKeyConstraint(['assigned_to_id'], ['users.id'], name=op.f('fk_opportunities_assigned_to_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['initiated_by_account_id'], ['accounts.id'], name=op.f('fk_opportunities_initiated_by_account_id_accounts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['initiated_by_contact_id'], ['business_contacts.id'], name=op.f('fk_opportunities_initiated_by_contact_id_business_contacts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['initiated_by_marketing_id'], ['marketing_activities.id'], name=op.f('fk_opportunities_initiated_by_marketing_id_marketing_activities'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['link_account_id'], ['accounts.id'], name=op.f('fk_opportunities_link_account_id_accounts'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['link_contact_id'], ['business_contacts.id'], name=op.f('fk_opportunities_link_contact_id_business_contacts'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['payment_terms_id'], ['list_items.id'], name=op.f('fk_opportunities_payment_terms_id_list_items'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['source_id'], ['list_items.id'], name=op.f('fk_opportunities_source_id_list_items'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['stage_id'], ['sales_stages.id'], name=op.f('fk_opportunities_stage_id_sales_stages'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['type_id'], ['list_items.id'], name=op.f('fk_opportunities_type_id_list_items'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_opportunities'))
    )
    with op.batch_alter_table('opportunities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_opportunities_assigned_to_id_id'), ['assigned_to_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_opportunities_close_date_id'), ['close_date', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_opportunities_expected_revenue_cents_id'), ['expected_revenue_cents', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_opportunities_initiated_by_marketing_id'), ['initiated_by_marketing_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_opportunities_link_account_id'), ['link_account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_opportunities_link_contact_id'), ['link_contact_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_opportunities_link_name_id'), ['link_name', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_opportunities_modified_at_id'), ['modified_at', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_opportunities_probability_id'), ['probability', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_opportunities_source_id_id'), ['source_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_opportunities_stage_id_id'), ['stage_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_opportunities_status_id'), ['status', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_opportunities_title_id'), ['title', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_opportunities_type_id_id'), ['type_id', 'id'], unique=False)

    op.create_table('business_projects',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('assigned_to_id', sa.Integer(), nullable=True),
    sa.Column('project_type_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('priority', sa.String(length=8), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('percent_complete', sa.Integer(), nullable=True),
    sa.Column('link_account_id', sa.Integer(), nullable=True),
    sa.Column('link_contact_id', sa.Integer(), nullable=True),
    sa.Column('opportunity_id', sa.Integer(), nullable=True),
    sa.Column('comments', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('modified_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.CheckConstraint('(link_account_id IS NULL) <> (link_contact_id IS NULL)', name=op.f('ck_business_projects_exactly_one_link')),
    sa.CheckConstraint('percent_complete IS NULL OR percent_complete BETWEEN 0 AND 100', name=op.f('ck_business_projects_percent_complete')),
    sa.ForeignKeyConstraint(['assigned_to_id'], ['users.id'], name=op.f('fk_business_projects_assigned_to_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['link_account_id'], ['accounts.id'], name=op.f('fk_business_projects_link_account_id_accounts'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['link_contact_id'], ['business_contacts.id'], name=op.f('fk_business_projects_link_contact_id_business_contacts'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['opportunity_id'], ['opportunities.id'], name=op.f('fk_business_projects_opportunity_id_opportunities'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['project_type_id'], ['list_items.id'], name=op.f('fk_business_projects_project_type_id_list_items'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_business_projects'))
    )
    with op.batch_alter_table('business_projects', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_business_projects_assigned_to_id'), ['assigned_to_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_business_projects_link_account_id'), ['link_account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_business_projects_link_contact_id'), ['link_contact_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_business_projects_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_business_projects_opportunity_id'), ['opportunity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_business_projects_status'), ['status'], unique=False)

    op.create_table('opportunity_activities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('opportunity_id', sa.Integer(), nullable=False),
    sa.Column('stage_activity_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('completed', sa.Boolean(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('modified_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['opportunity_id'], ['opportunities.id'], name=op.f('fk_opportunity_activities_opportunity_id_opportunities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['stage_activity_id'], ['stage_activities.id'], name=op.f('fk_opportunity_activities_stage_activity_id_stage_activities'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_opportunity_activities'))
    )
    with op.batch_alter_table('opportunity_activities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_opportunity_activities_opportunity_id_position'), ['opportunity_id', 'position'], unique=False)
        batch_op.create_index(batch_op.f('ix_opportunity_activities_stage_activity_id'), ['stage_activity_id'], unique=False)

    op.create_table('opportunity_categories',
    sa.Column('opportunity_id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['category_id'], ['categories.id'], name=op.f('fk_opportunity_categories_category_id_categories'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['opportunity_id'], ['opportunities.id'], name=op.f('fk_opportunity_categories_opportunity_id_opportunities'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('opportunity_id', 'category_id', name=op.f('pk_opportunity_categories'))
    )
    with op.batch_alter_table('opportunity_categories', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_opportunity_categories_category_id'), ['category_id'], unique=False)

    op.create_table('opportunity_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('opportunity_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=True),
    sa.Column('item_name', sa.String(length=255), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('unit_cost_cents', sa.Integer(), nullable=False),
    sa.Column('unit_price_cents', sa.Integer(), nullable=False),
    sa.Column('quantity_milli', sa.Integer(), nullable=False),
    sa.Column('discount_percent_bp', sa.Integer(), nullable=False),
    sa.Column('discount_amount_cents', sa.Integer(), nullable=False),
    sa.Column('markup_percent_bp', sa.Integer(), nullable=True),
    sa.Column('taxable', sa.Boolean(), nullable=False),
    sa.Column('line_total_cents', sa.Integer(), nullable=False),
    sa.CheckConstraint('discount_percent_bp BETWEEN 0 AND 10000', name=op.f('ck_opportunity_lines_discount_percent')),
    sa.CheckConstraint('quantity_milli >= 0', name=op.f('ck_opportunity_lines_quantity')),
    sa.ForeignKeyConstraint(['opportunity_id'], ['opportunities.id'], name=op.f('fk_opportunity_lines_opportunity_id_opportunities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_opportunity_lines_product_id_products'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_opportunity_lines'))
    )
    with op.batch_alter_table('opportunity_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_opportunity_lines_opportunity_id_position'), ['opportunity_id', 'position'], unique=False)

    op.create_table('stage_history',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('opportunity_id', sa.Integer(), nullable=False),
    sa.Column('from_stage_id', sa.Integer(), nullable=True),
    sa.Column('to_stage_id', sa.Integer(), nullable=True),
    sa.Column('from_stage_name', sa.String(length=255), nullable=False),
    sa.Column('to_stage_name', sa.String(length=255), nullable=False),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.String(length=255), nullable=False),
    sa.ForeignKeyConstraint(['changed_by_id'], ['users.id'], name=op.f('fk_stage_history_changed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['from_stage_id'], ['sales_stages.id'], name=op.f('fk_stage_history_from_stage_id_sales_stages'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['opportunity_id'], ['opportunities.id'], name=op.f('fk_stage_history_opportunity_id_opportunities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['to_stage_id'], ['sales_stages.id'], name=op.f('fk_stage_history_to_stage_id_sales_stages'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stage_history'))
    )
    with op.batch_alter_table('stage_history', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stage_history_opportunity_id_changed_at'), ['opportunity_id', 'changed_at'], unique=False)

    op.create_table('history_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('subject', sa.String(length=255), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('occurred_at', sa.DateTime(), nullable=False),
    sa.Column('duration_seconds', sa.Integer(), nullable=True),
    sa.Column('direction', sa.String(length=8), nullable=True),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=True),
    sa.Column('priority', sa.String(length=8), nullable=True),
    sa.Column('percent_complete', sa.Integer(), nullable=True),
    sa.Column('reminder_at', sa.DateTime(), nullable=True),
    sa.Column('assigned_to_id', sa.Integer(), nullable=True),
    sa.Column('email_from', sa.String(length=1000), nullable=False),
    sa.Column('email_to', sa.String(length=4000), nullable=False),
    sa.Column('location', sa.String(length=255), nullable=False),
    sa.Column('end_at', sa.DateTime(), nullable=True),
    sa.Column('attendees', sa.String(length=4000), nullable=False),
    sa.Column('file_name', sa.String(length=255), nullable=False),
    sa.Column('file_size', sa.Integer(), nullable=True),
    sa.Column('opportunity_id', sa.Integer(), nullable=True),
    sa.Column('account_id', sa.Integer(), nullable=True),
    sa.Column('contact_id', sa.Integer(), nullable=True),
    sa.Column('project_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('modified_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.CheckConstraint("kind IN ('note', 'phone_log', 'task', 'email', 'appointment', 'file')", name=op.f('ck_history_items_kind')),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_history_items_account_id_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['assigned_to_id'], ['users.id'], name=op.f('fk_history_items_assigned_to_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['contact_id'], ['business_contacts.id'], name=op.f('fk_history_items_contact_id_business_contacts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_history_items_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['opportunity_id'], ['opportunities.id'], name=op.f('fk_history_items_opportunity_id_opportunities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['project_id'], ['business_projects.id'], name=op.f('fk_history_items_project_id_business_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_history_items'))
    )
    with op.batch_alter_table('history_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_history_items_account_id_occurred_at'), ['account_id', 'occurred_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_history_items_contact_id_occurred_at'), ['contact_id', 'occurred_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_history_items_opportunity_id_occurred_at'), ['opportunity_id', 'occurred_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_history_items_project_id_occurred_at'), ['project_id', 'occurred_at'], unique=False)

    op.create_table('project_accounts',
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_project_accounts_account_id_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['project_id'], ['business_projects.id'], name=op.f('fk_project_accounts_project_id_business_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('project_id', 'account_id', name=op.f('pk_project_accounts'))
    )
    with op.batch_alter_table('project_accounts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_accounts_account_id'), ['account_id'], unique=False)

    op.create_table('project_contacts',
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['contact_id'], ['business_contacts.id'], name=op.f('fk_project_contacts_contact_id_business_contacts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['project_id'], ['business_projects.id'], name=op.f('fk_project_contacts_project_id_business_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('project_id', 'contact_id', name=op.f('pk_project_contacts'))
    )
    with op.batch_alter_table('project_contacts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_contacts_contact_id'), ['contact_id'], unique=False)

    op.create_table('project_tasks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('subject', sa.String(length=255), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('assigned_to_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('priority', sa.String(length=8), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('percent_complete', sa.Integer(), nullable=False),
    sa.Column('comments', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('modified_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.CheckConstraint('percent_complete BETWEEN 0 AND 100', name=op.f('ck_project_tasks_percent_complete')),
    sa.ForeignKeyConstraint(['assigned_to_id'], ['users.id'], name=op.f('fk_project_tasks_assigned_to_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['project_id'], ['business_projects.id'], name=op.f('fk_project_tasks_project_id_business_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_tasks'))
    )
    with op.batch_alter_table('project_tasks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_tasks_assigned_to_id'), ['assigned_to_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_project_tasks_project_id_position'), ['project_id', 'position'], unique=False)

    op.create_table('history_files',
    sa.Column('history_id', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['history_id'], ['history_items.id'], name=op.f('fk_history_files_history_id_history_items'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('history_id', name=op.f('pk_history_files'))
    )
    


def downgrade() -> None:
    
    op.drop_table('history_files')
    with op.batch_alter_table('project_tasks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_tasks_project_id_position'))
        batch_op.drop_index(batch_op.f('ix_project_tasks_assigned_to_id'))

    op.drop_table('project_tasks')
    with op.batch_alter_table('project_contacts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_contacts_contact_id'))

    op.drop_table('project_contacts')
    with op.batch_alter_table('project_accounts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_accounts_account_id'))

    op.drop_table('project_accounts')
    with op.batch_alter_table('history_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_history_items_project_id_occurred_at'))
        batch_op.drop_index(batch_op.f('ix_history_items_opportunity_id_occurred_at'))
        batch_op.drop_index(batch_op.f('ix_history_items_contact_id_occurred_at'))
        batch_op.drop_index(batch_op.f('ix_history_items_account_id_occurred_at'))

    op.drop_table('history_items')
    with op.batch_alter_table('stage_history', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stage_history_opportunity_id_changed_at'))

    op.drop_table('stage_history')
    with op.batch_alter_table('opportunity_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_opportunity_lines_opportunity_id_position'))

    op.drop_table('opportunity_lines')
    with op.batch_alter_table('opportunity_categories', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_opportunity_categories_category_id'))

    op.drop_table('opportunity_categories')
    with op.batch_alter_table('opportunity_activities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_opportunity_activities_stage_activity_id'))
        batch_op.drop_index(batch_op.f('ix_opportunity_activities_opportunity_id_position'))

    op.drop_table('opportunity_activities')
    with op.batch_alter_table('business_projects', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_business_projects_status'))
        batch_op.drop_index(batch_op.f('ix_business_projects_opportunity_id'))
        batch_op.drop_index(batch_op.f('ix_business_projects_name'))
        batch_op.drop_index(batch_op.f('ix_business_projects_link_contact_id'))
        batch_op.drop_index(batch_op.f('ix_business_projects_link_account_id'))
        batch_op.drop_index(batch_op.f('ix_business_projects_assigned_to_id'))

    op.drop_table('business_projects')
    with op.batch_alter_table('opportunities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_opportunities_type_id_id'))
        batch_op.drop_index(batch_op.f('ix_opportunities_title_id'))
        batch_op.drop_index(batch_op.f('ix_opportunities_status_id'))
        batch_op.drop_index(batch_op.f('ix_opportunities_stage_id_id'))
        batch_op.drop_index(batch_op.f('ix_opportunities_source_id_id'))
        batch_op.drop_index(batch_op.f('ix_opportunities_probability_id'))
        batch_op.drop_index(batch_op.f('ix_opportunities_modified_at_id'))
        batch_op.drop_index(batch_op.f('ix_opportunities_link_name_id'))
        batch_op.drop_index(batch_op.f('ix_opportunities_link_contact_id'))
        batch_op.drop_index(batch_op.f('ix_opportunities_link_account_id'))
        batch_op.drop_index(batch_op.f('ix_opportunities_initiated_by_marketing_id'))
        batch_op.drop_index(batch_op.f('ix_opportunities_expected_revenue_cents_id'))
        batch_op.drop_index(batch_op.f('ix_opportunities_close_date_id'))
        batch_op.drop_index(batch_op.f('ix_opportunities_assigned_to_id_id'))

    op.drop_table('opportunities')
    with op.batch_alter_table('contact_categories', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contact_categories_category_id'))

    op.drop_table('contact_categories')
    with op.batch_alter_table('business_contacts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_business_contacts_full_name'))
        batch_op.drop_index(batch_op.f('ix_business_contacts_assigned_to_id'))
        batch_op.drop_index(batch_op.f('ix_business_contacts_account_id'))

    op.drop_table('business_contacts')
    with op.batch_alter_table('account_categories', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_account_categories_category_id'))

    op.drop_table('account_categories')
    with op.batch_alter_table('stage_activities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stage_activities_stage_id_position'))

    op.drop_table('stage_activities')
    with op.batch_alter_table('project_template_tasks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_template_tasks_template_id_position'))

    op.drop_table('project_template_tasks')
    with op.batch_alter_table('marketing_activities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_marketing_activities_name'))

    op.drop_table('marketing_activities')
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_accounts_name'))
        batch_op.drop_index(batch_op.f('ix_accounts_assigned_to_id'))

    op.drop_table('accounts')
    op.drop_table('users')
    op.drop_table('settings')
    with op.batch_alter_table('sales_stages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sales_stages_position'))

    op.drop_table('sales_stages')
    op.drop_table('project_templates')
    op.drop_table('products')
    with op.batch_alter_table('list_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_list_items_kind_position'))

    op.drop_table('list_items')
    op.drop_table('categories')
    

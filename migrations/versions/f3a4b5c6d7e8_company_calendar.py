"""company calendar: company_days replaces repair_holidays (rows copied as office entries)

Revision ID: f3a4b5c6d7e8
Revises: 8769a891c406
Create Date: 2026-12-02 15:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f3a4b5c6d7e8'
down_revision = '8769a891c406'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('company_days',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('official', sa.Boolean(), nullable=False),
    sa.CheckConstraint("kind IN ('holiday', 'make_up', 'day_off', 'closure')",
                       name=op.f('ck_company_days_kind')),
    sa.PrimaryKeyConstraint('day', name=op.f('pk_company_days'))
    )
    op.execute("INSERT INTO company_days (day, kind, name, official) "
               "SELECT day, CASE WHEN workday THEN 'make_up' ELSE 'holiday' END, name, false "
               "FROM repair_holidays")
    op.drop_table('repair_holidays')


def downgrade():
    op.create_table('repair_holidays',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('workday', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('day', name=op.f('pk_repair_holidays'))
    )
    op.execute("INSERT INTO repair_holidays (day, name, workday) "
               "SELECT day, substr(name, 1, 40), kind = 'make_up' FROM company_days "
               "WHERE kind IN ('holiday', 'make_up')")
    op.drop_table('company_days')

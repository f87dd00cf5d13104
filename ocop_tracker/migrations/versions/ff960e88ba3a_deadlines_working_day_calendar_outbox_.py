"""deadlines, working-day calendar, outbox sending, mail preferences, API tokens

Revision ID: ff960e88ba3a
Revises: ab7043df7cab
Create Date: 2026-11-23 11:16:36.798210

"""
import json
from datetime import date
from pathlib import Path

from alembic import op
import sqlalchemy as sa

# The official 2025-2026 civil-servant schedule shipped with the project becomes editable data.
CALENDAR_FILE = Path(__file__).resolve().parents[2] / "rules" / "data" / "calendar-vn.json"


# revision identifiers, used by Alembic.
revision = 'ff960e88ba3a'
down_revision = 'ab7043df7cab'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('calendar_years',
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('year', name=op.f('pk_calendar_years'))
    )
    op.create_table('calendar_days',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('name_vi', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.CheckConstraint("kind IN ('holiday', 'working_day')", name=op.f('ck_calendar_days_kind')),
    sa.ForeignKeyConstraint(['year'], ['calendar_years.year'], name=op.f('fk_calendar_days_year_calendar_years')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_days')),
    sa.UniqueConstraint('day', name=op.f('uq_calendar_days_day'))
    )
    with op.batch_alter_table('calendar_days', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_calendar_days_year'), ['year'], unique=False)

    op.create_table('api_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_api_tokens_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_tokens_token_hash'))
    )
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_tokens_user_id'), ['user_id'], unique=False)

    op.create_table('deadlines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dossier_id', sa.Integer(), nullable=False),
    sa.Column('round_number', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('met_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('first_level_check', 'decision', 're_rating_filing', 'certificate_expiry', 'vietgap_expiry')", name=op.f('ck_deadlines_kind')),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossiers.id'], name=op.f('fk_deadlines_dossier_id_dossiers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deadlines'))
    )
    with op.batch_alter_table('deadlines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deadlines_dossier_id'), ['dossier_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_deadlines_due_on'), ['due_on'], unique=False)

    op.create_table('deadline_extensions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('deadline_id', sa.Integer(), nullable=False),
    sa.Column('previous_due_on', sa.Date(), nullable=True),
    sa.Column('new_due_on', sa.Date(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('extended_by_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['deadline_id'], ['deadlines.id'], name=op.f('fk_deadline_extensions_deadline_id_deadlines')),
    sa.ForeignKeyConstraint(['extended_by_id'], ['users.id'], name=op.f('fk_deadline_extensions_extended_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deadline_extensions'))
    )
    with op.batch_alter_table('deadline_extensions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deadline_extensions_deadline_id'), ['deadline_id'], unique=False)

    op.create_table('mail_attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('mail_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('succeeded', sa.Boolean(), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['mail_id'], ['outbox_mails.id'], name=op.f('fk_mail_attempts_mail_id_outbox_mails')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_attempts'))
    )
    with op.batch_alter_table('mail_attempts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mail_attempts_mail_id'), ['mail_id'], unique=False)

    with op.batch_alter_table('outbox_mails', schema=None) as batch_op:
        batch_op.add_column(sa.Column('body_html', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('dedupe_key', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('claim_token', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_outbox_mails_claim_token'), ['claim_token'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_mails_next_attempt_at'), ['next_attempt_at'], unique=False)
        batch_op.create_unique_constraint(batch_op.f('uq_outbox_mails_dedupe_key'), ['dedupe_key'])

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('mail_preference', sa.String(length=10), server_default='immediate', nullable=False))
        batch_op.add_column(sa.Column('is_unit_head', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.create_check_constraint('mail_preference', "mail_preference IN ('immediate', 'summary')")

    # ### end Alembic commands ###
    _load_shipped_calendar()


def _load_shipped_calendar():
    shipped = json.loads(CALENDAR_FILE.read_text(encoding="utf-8"))["years"]
    years = sa.table("calendar_years", sa.column("year", sa.Integer), sa.column("source", sa.Text))
    days = sa.table("calendar_days", sa.column("day", sa.Date), sa.column("year", sa.Integer),
                    sa.column("kind", sa.String), sa.column("name_vi", sa.String), sa.column("name_en", sa.String))
    op.bulk_insert(years, [{"year": int(y), "source": data.get("source", "")} for y, data in shipped.items()])
    op.bulk_insert(days, [
        {"day": date.fromisoformat(entry["date"]), "year": int(y), "kind": kind,
         "name_vi": entry.get("name_vi", ""), "name_en": entry.get("name_en", "")}
        for y, data in shipped.items()
        for key, kind in (("holidays", "holiday"), ("working_days", "working_day"))
        for entry in data.get(key, [])])


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('is_unit_head')
        batch_op.drop_column('mail_preference')

    with op.batch_alter_table('outbox_mails', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_outbox_mails_dedupe_key'), type_='unique')
        batch_op.drop_index(batch_op.f('ix_outbox_mails_next_attempt_at'))
        batch_op.drop_index(batch_op.f('ix_outbox_mails_claim_token'))
        batch_op.drop_column('claimed_at')
        batch_op.drop_column('claim_token')
        batch_op.drop_column('next_attempt_at')
        batch_op.drop_column('dedupe_key')
        batch_op.drop_column('body_html')

    with op.batch_alter_table('mail_attempts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mail_attempts_mail_id'))

    op.drop_table('mail_attempts')
    with op.batch_alter_table('deadline_extensions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deadline_extensions_deadline_id'))

    op.drop_table('deadline_extensions')
    with op.batch_alter_table('deadlines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deadlines_due_on'))
        batch_op.drop_index(batch_op.f('ix_deadlines_dossier_id'))

    op.drop_table('deadlines')
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_tokens_user_id'))

    op.drop_table('api_tokens')
    with op.batch_alter_table('calendar_days', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_calendar_days_year'))

    op.drop_table('calendar_days')
    op.drop_table('calendar_years')
    # ### end Alembic commands ###

"""create the smart city graph

Revision ID: 0001
Revises:
Create Date: 2026-11-22 03:46:22.452860
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('coverage_note',
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('text_en', sa.String(length=1000), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coverage_note')),
    sa.UniqueConstraint('position', name=op.f('uq_coverage_note_position'))
    )
    op.create_index(op.f('ix_coverage_note_updated_at'), 'coverage_note', ['updated_at'], unique=False)

    op.create_table('dimension',
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('name_en', sa.String(length=100), nullable=False),
    sa.Column('name_th', sa.String(length=100), nullable=False),
    sa.Column('alt_names_th', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dimension')),
    sa.UniqueConstraint('code', name=op.f('uq_dimension_code'))
    )
    op.create_index(op.f('ix_dimension_updated_at'), 'dimension', ['updated_at'], unique=False)

    op.create_table('organization',
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('name_en', sa.String(length=300), nullable=True),
    sa.Column('name_th', sa.String(length=300), nullable=True),
    sa.Column('abbreviation', sa.String(length=32), nullable=True),
    sa.Column('kind', sa.Enum('GOVERNMENT_AGENCY', 'STATE_ENTERPRISE', 'LOCAL_GOVERNMENT', 'UNIVERSITY', 'COMPANY', 'OTHER', name='organizationkind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organization')),
    sa.UniqueConstraint('slug', name=op.f('uq_organization_slug'))
    )
    op.create_index(op.f('ix_organization_updated_at'), 'organization', ['updated_at'], unique=False)

    op.create_table('programme_phase',
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=32), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=True),
    sa.Column('start_year', sa.Integer(), nullable=True),
    sa.Column('end_year', sa.Integer(), nullable=True),
    sa.Column('target_areas', sa.Integer(), nullable=True),
    sa.Column('target_provinces', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programme_phase')),
    sa.UniqueConstraint('key', name=op.f('uq_programme_phase_key'))
    )
    op.create_index(op.f('ix_programme_phase_updated_at'), 'programme_phase', ['updated_at'], unique=False)

    op.create_table('province',
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=8), nullable=False),
    sa.Column('dopa_code', sa.Integer(), nullable=False),
    sa.Column('name_th', sa.String(length=100), nullable=False),
    sa.Column('name_en', sa.String(length=100), nullable=False),
    sa.Column('region', sa.Enum('NORTH', 'CENTRAL', 'NORTHEAST', 'WEST', 'EAST', 'SOUTH', name='region', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('latitude', sa.Float(), nullable=True),
    sa.Column('longitude', sa.Float(), nullable=True),
    sa.Column('wikidata_id', sa.String(length=16), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_province')),
    sa.UniqueConstraint('code', name=op.f('uq_province_code'))
    )
    op.create_index(op.f('ix_province_region'), 'province', ['region'], unique=False)
    op.create_index(op.f('ix_province_updated_at'), 'province', ['updated_at'], unique=False)

    op.create_table('source',
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('url', sa.String(length=500), nullable=True),
    sa.Column('publisher', sa.String(length=200), nullable=True),
    sa.Column('title', sa.String(length=500), nullable=True),
    sa.Column('published_on', sa.String(length=10), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_source')),
    sa.UniqueConstraint('key', name=op.f('uq_source_key'))
    )
    op.create_index(op.f('ix_source_updated_at'), 'source', ['updated_at'], unique=False)

    op.create_table('ascn_membership',
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('province_id', sa.Integer(), nullable=False),
    sa.Column('name_as_listed', sa.String(length=100), nullable=False),
    sa.Column('cohort', sa.Enum('PILOT_2018', 'ADDED_LATER', name='ascncohort', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('joined', sa.String(length=10), nullable=True),
    sa.ForeignKeyConstraint(['province_id'], ['province.id'], name=op.f('fk_ascn_membership_province_id_province')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ascn_membership')),
    sa.UniqueConstraint('province_id', name=op.f('uq_ascn_membership_province_id'))
    )
    op.create_index(op.f('ix_ascn_membership_updated_at'), 'ascn_membership', ['updated_at'], unique=False)

    op.create_table('citation',
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('subject_type', sa.String(length=32), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['source_id'], ['source.id'], name=op.f('fk_citation_source_id_source'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('source_id', 'subject_type', 'subject_id', name=op.f('pk_citation'))
    )
    op.create_index(op.f('ix_citation_subject_id'), 'citation', ['subject_id'], unique=False)
    op.create_index(op.f('ix_citation_updated_at'), 'citation', ['updated_at'], unique=False)

    op.create_table('city',
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('name_th', sa.String(length=300), nullable=True),
    sa.Column('name_en', sa.String(length=300), nullable=True),
    sa.Column('province_id', sa.Integer(), nullable=False),
    sa.Column('city_type', sa.Enum('EXISTING', 'NEW', name='citytype', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('status', sa.Enum('PROPOSED', 'UNDER_REVIEW', 'APPROVED_IN_PRINCIPLE', 'CERTIFIED', 'LAPSED', 'RENEWED', name='citystatus', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('round', sa.String(length=16), nullable=True),
    sa.Column('proposed_on', sa.String(length=10), nullable=True),
    sa.Column('certified_on', sa.String(length=10), nullable=True),
    sa.Column('operator_id', sa.Integer(), nullable=True),
    sa.Column('latitude', sa.Float(), nullable=True),
    sa.Column('longitude', sa.Float(), nullable=True),
    sa.Column('certainty', sa.Enum('CONFIRMED', 'REPORTED', 'UNCERTAIN', name='certainty', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.ForeignKeyConstraint(['operator_id'], ['organization.id'], name=op.f('fk_city_operator_id_organization')),
    sa.ForeignKeyConstraint(['province_id'], ['province.id'], name=op.f('fk_city_province_id_province')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_city')),
    sa.UniqueConstraint('slug', name=op.f('uq_city_slug'))
    )
    op.create_index(op.f('ix_city_operator_id'), 'city', ['operator_id'], unique=False)
    op.create_index(op.f('ix_city_province_id'), 'city', ['province_id'], unique=False)
    op.create_index(op.f('ix_city_status'), 'city', ['status'], unique=False)
    op.create_index(op.f('ix_city_updated_at'), 'city', ['updated_at'], unique=False)

    op.create_table('programme_phase_province',
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('phase_id', sa.Integer(), nullable=False),
    sa.Column('province_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['phase_id'], ['programme_phase.id'], name=op.f('fk_programme_phase_province_phase_id_programme_phase'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['province_id'], ['province.id'], name=op.f('fk_programme_phase_province_province_id_province'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('phase_id', 'province_id', name=op.f('pk_programme_phase_province'))
    )
    op.create_index(op.f('ix_programme_phase_province_updated_at'), 'programme_phase_province', ['updated_at'], unique=False)

    op.create_table('city_dimension',
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('city_id', sa.Integer(), nullable=False),
    sa.Column('dimension_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['city_id'], ['city.id'], name=op.f('fk_city_dimension_city_id_city'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['dimension_id'], ['dimension.id'], name=op.f('fk_city_dimension_dimension_id_dimension'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('city_id', 'dimension_id', name=op.f('pk_city_dimension'))
    )
    op.create_index(op.f('ix_city_dimension_dimension_id'), 'city_dimension', ['dimension_id'], unique=False)
    op.create_index(op.f('ix_city_dimension_updated_at'), 'city_dimension', ['updated_at'], unique=False)

    op.create_table('project',
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('city_id', sa.Integer(), nullable=True),
    sa.Column('province_id', sa.Integer(), nullable=False),
    sa.Column('title_th', sa.String(length=500), nullable=True),
    sa.Column('title_en', sa.String(length=500), nullable=True),
    sa.Column('status', sa.Enum('PLANNED', 'IN_PROGRESS', 'COMPLETED', 'STOPPED', name='projectstatus', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('start_on', sa.String(length=10), nullable=True),
    sa.Column('end_on', sa.String(length=10), nullable=True),
    sa.Column('budget', sa.Numeric(18, 2).with_variant(sa.BigInteger(), "sqlite"), nullable=True),
    sa.Column('operator_id', sa.Integer(), nullable=True),
    sa.Column('is_headline', sa.Boolean(), nullable=False),
    sa.Column('certainty', sa.Enum('CONFIRMED', 'REPORTED', 'UNCERTAIN', name='certainty', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.ForeignKeyConstraint(['city_id'], ['city.id'], name=op.f('fk_project_city_id_city')),
    sa.ForeignKeyConstraint(['operator_id'], ['organization.id'], name=op.f('fk_project_operator_id_organization')),
    sa.ForeignKeyConstraint(['province_id'], ['province.id'], name=op.f('fk_project_province_id_province')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project')),
    sa.UniqueConstraint('slug', name=op.f('uq_project_slug'))
    )
    op.create_index(op.f('ix_project_city_id'), 'project', ['city_id'], unique=False)
    op.create_index(op.f('ix_project_operator_id'), 'project', ['operator_id'], unique=False)
    op.create_index(op.f('ix_project_province_id'), 'project', ['province_id'], unique=False)
    op.create_index(op.f('ix_project_updated_at'), 'project', ['updated_at'], unique=False)

    op.create_table('investment',
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('city_id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=True),
    sa.Column('amount', sa.Numeric(18, 2).with_variant(sa.BigInteger(), "sqlite"), nullable=False),
    sa.Column('currency', sa.Enum('THB', 'USD', name='currency', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('kind', sa.Enum('PUBLIC', 'PRIVATE', 'PPP', 'BOI_PROMOTED', 'OPERATOR', 'UNSTATED', name='investmentkind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('stage', sa.Enum('ACTUAL', 'EXPECTED', 'BUDGETED', 'REQUESTED', name='investmentstage', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('label_en', sa.String(length=300), nullable=True),
    sa.Column('investor_id', sa.Integer(), nullable=True),
    sa.Column('as_of', sa.String(length=10), nullable=True),
    sa.Column('certainty', sa.Enum('CONFIRMED', 'REPORTED', 'UNCERTAIN', name='certainty', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.ForeignKeyConstraint(['city_id'], ['city.id'], name=op.f('fk_investment_city_id_city')),
    sa.ForeignKeyConstraint(['investor_id'], ['organization.id'], name=op.f('fk_investment_investor_id_organization')),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_investment_project_id_project')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_investment')),
    sa.UniqueConstraint('key', name=op.f('uq_investment_key'))
    )
    op.create_index(op.f('ix_investment_city_id'), 'investment', ['city_id'], unique=False)
    op.create_index(op.f('ix_investment_investor_id'), 'investment', ['investor_id'], unique=False)
    op.create_index(op.f('ix_investment_project_id'), 'investment', ['project_id'], unique=False)
    op.create_index(op.f('ix_investment_updated_at'), 'investment', ['updated_at'], unique=False)

    op.create_table('milestone',
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=True),
    sa.Column('city_id', sa.Integer(), nullable=True),
    sa.Column('province_id', sa.Integer(), nullable=True),
    sa.Column('title_en', sa.String(length=500), nullable=True),
    sa.Column('title_th', sa.String(length=500), nullable=True),
    sa.Column('type', sa.Enum('PLANNING', 'APPROVAL', 'ENGAGEMENT', 'DELIVERY', 'REPORTING', 'FINANCING', name='milestonetype', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('status', sa.Enum('SCHEDULED', 'MET', 'NOT_MET', 'PARTIALLY_MET', name='milestonestatus', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('due_on', sa.String(length=10), nullable=True),
    sa.Column('met_on', sa.String(length=10), nullable=True),
    sa.ForeignKeyConstraint(['city_id'], ['city.id'], name=op.f('fk_milestone_city_id_city')),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_milestone_project_id_project')),
    sa.ForeignKeyConstraint(['province_id'], ['province.id'], name=op.f('fk_milestone_province_id_province')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_milestone')),
    sa.UniqueConstraint('key', name=op.f('uq_milestone_key'))
    )
    op.create_index(op.f('ix_milestone_city_id'), 'milestone', ['city_id'], unique=False)
    op.create_index(op.f('ix_milestone_project_id'), 'milestone', ['project_id'], unique=False)
    op.create_index(op.f('ix_milestone_province_id'), 'milestone', ['province_id'], unique=False)
    op.create_index(op.f('ix_milestone_status'), 'milestone', ['status'], unique=False)
    op.create_index(op.f('ix_milestone_updated_at'), 'milestone', ['updated_at'], unique=False)

    op.create_table('observation',
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('indicator', sa.String(length=64), nullable=False),
    sa.Column('city_id', sa.Integer(), nullable=True),
    sa.Column('project_id', sa.Integer(), nullable=True),
    sa.Column('dimension_id', sa.Integer(), nullable=True),
    sa.Column('value', sa.Numeric(18, 4).with_variant(sa.BigInteger(), "sqlite"), nullable=True),
    sa.Column('value_text', sa.String(length=300), nullable=True),
    sa.Column('unit', sa.String(length=40), nullable=True),
    sa.Column('qualifier', sa.String(length=200), nullable=True),
    sa.Column('as_of', sa.String(length=10), nullable=True),
    sa.Column('certainty', sa.Enum('CONFIRMED', 'REPORTED', 'UNCERTAIN', name='certainty', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.ForeignKeyConstraint(['city_id'], ['city.id'], name=op.f('fk_observation_city_id_city')),
    sa.ForeignKeyConstraint(['dimension_id'], ['dimension.id'], name=op.f('fk_observation_dimension_id_dimension')),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_observation_project_id_project')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_observation')),
    sa.UniqueConstraint('key', name=op.f('uq_observation_key'))
    )
    op.create_index(op.f('ix_observation_city_id'), 'observation', ['city_id'], unique=False)
    op.create_index(op.f('ix_observation_dimension_id'), 'observation', ['dimension_id'], unique=False)
    op.create_index(op.f('ix_observation_indicator'), 'observation', ['indicator'], unique=False)
    op.create_index(op.f('ix_observation_project_id'), 'observation', ['project_id'], unique=False)
    op.create_index(op.f('ix_observation_updated_at'), 'observation', ['updated_at'], unique=False)

    op.create_table('project_dimension',
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('dimension_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['dimension_id'], ['dimension.id'], name=op.f('fk_project_dimension_dimension_id_dimension'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_project_dimension_project_id_project'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('project_id', 'dimension_id', name=op.f('pk_project_dimension'))
    )
    op.create_index(op.f('ix_project_dimension_dimension_id'), 'project_dimension', ['dimension_id'], unique=False)
    op.create_index(op.f('ix_project_dimension_updated_at'), 'project_dimension', ['updated_at'], unique=False)



def downgrade() -> None:
    op.drop_index(op.f('ix_project_dimension_updated_at'), table_name='project_dimension')
    op.drop_index(op.f('ix_project_dimension_dimension_id'), table_name='project_dimension')

    op.drop_table('project_dimension')
    op.drop_index(op.f('ix_observation_updated_at'), table_name='observation')
    op.drop_index(op.f('ix_observation_project_id'), table_name='observation')
    op.drop_index(op.f('ix_observation_indicator'), table_name='observation')
    op.drop_index(op.f('ix_observation_dimension_id'), table_name='observation')
    op.drop_index(op.f('ix_observation_city_id'), table_name='observation')

    op.drop_table('observation')
    op.drop_index(op.f('ix_milestone_updated_at'), table_name='milestone')
    op.drop_index(op.f('ix_milestone_status'), table_name='milestone')
    op.drop_index(op.f('ix_milestone_province_id'), table_name='milestone')
    op.drop_index(op.f('ix_milestone_project_id'), table_name='milestone')
    op.drop_index(op.f('ix_milestone_city_id'), table_name='milestone')

    op.drop_table('milestone')
    op.drop_index(op.f('ix_investment_updated_at'), table_name='investment')
    op.drop_index(op.f('ix_investment_project_id'), table_name='investment')
    op.drop_index(op.f('ix_investment_investor_id'), table_name='investment')
    op.drop_index(op.f('ix_investment_city_id'), table_name='investment')

    op.drop_table('investment')
    op.drop_index(op.f('ix_project_updated_at'), table_name='project')
    op.drop_index(op.f('ix_project_province_id'), table_name='project')
    op.drop_index(op.f('ix_project_operator_id'), table_name='project')
    op.drop_index(op.f('ix_project_city_id'), table_name='project')

    op.drop_table('project')
    op.drop_index(op.f('ix_city_dimension_updated_at'), table_name='city_dimension')
    op.drop_index(op.f('ix_city_dimension_dimension_id'), table_name='city_dimension')

    op.drop_table('city_dimension')
    op.drop_index(op.f('ix_programme_phase_province_updated_at'), table_name='programme_phase_province')

    op.drop_table('programme_phase_province')
    op.drop_index(op.f('ix_city_updated_at'), table_name='city')
    op.drop_index(op.f('ix_city_status'), table_name='city')
    op.drop_index(op.f('ix_city_province_id'), table_name='city')
    op.drop_index(op.f('ix_city_operator_id'), table_name='city')

    op.drop_table('city')
    op.drop_index(op.f('ix_citation_updated_at'), table_name='citation')
    op.drop_index(op.f('ix_citation_subject_id'), table_name='citation')

    op.drop_table('citation')
    op.drop_index(op.f('ix_ascn_membership_updated_at'), table_name='ascn_membership')

    op.drop_table('ascn_membership')
    op.drop_index(op.f('ix_source_updated_at'), table_name='source')

    op.drop_table('source')
    op.drop_index(op.f('ix_province_updated_at'), table_name='province')
    op.drop_index(op.f('ix_province_region'), table_name='province')

    op.drop_table('province')
    op.drop_index(op.f('ix_programme_phase_updated_at'), table_name='programme_phase')

    op.drop_table('programme_phase')
    op.drop_index(op.f('ix_organization_updated_at'), table_name='organization')

    op.drop_table('organization')
    op.drop_index(op.f('ix_dimension_updated_at'), table_name='dimension')

    op.drop_table('dimension')
    op.drop_index(op.f('ix_coverage_note_updated_at'), table_name='coverage_note')

    op.drop_table('coverage_note')

"""Full-text search index over messages, notes, tickets and contact fields (issue 27.8)

Revision ID: 0016
Revises: 0015

PostgreSQL: GIN expression indexes on to_tsvector('german', …) - nothing to keep in sync.
SQLite: contentless FTS5 tables (unicode61 without diacritics, ß folded to ss) filled from the rows
already stored, then kept in sync by triggers. Definitions: bot/hub/search/index_sql.py.
"""

from alembic import op

from bot.hub.search import index_sql

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for statement in index_sql.sqlite_create() if sqlite else index_sql.postgresql_create():
        op.execute(statement)


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for statement in index_sql.sqlite_drop() if sqlite else index_sql.postgresql_drop():
        op.execute(statement)

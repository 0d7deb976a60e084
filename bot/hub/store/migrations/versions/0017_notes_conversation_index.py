"""An index on notes.conversation_id (issue 27.8: search)

Revision ID: 0017
Revises: 0016

Notes were only reachable by their key: a plain agent's search on SQLite tested every note of the
database (20,000 calls of kd_match per search at 100,000 conversations) instead of the notes of the
few hundred conversations they may see, and the console's notes of one conversation were a table
scan. Plain create_index, not batch mode: on SQLite a batch rebuild would drop the search triggers.
"""

from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_notes_conversation", "notes", ["conversation_id"])


def downgrade() -> None:
    op.drop_index("ix_notes_conversation", table_name="notes")

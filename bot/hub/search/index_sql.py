"""The search index, per database: what the migration creates and what queries match against.

PostgreSQL: a stored generated column `search_vector` (`to_tsvector('german', …)` of each source's
text), so nothing has to be kept in sync and ranking reads the stored vector instead of parsing the
text again, with a GIN index on it.
SQLite: one contentless FTS5 table per source (unicode61, diacritics removed) filled by triggers on
the source table, the text folded (ß as ss) as bot/hub/search/fold.py folds the query. Conversations
have no integer key, so their contact fields are keyed through `search_contact_keys`.

A later migration that rebuilds a source table on SQLite (batch mode copies and drops it) drops its
triggers with it; `ensure_sqlite_triggers` (called by store/db.py's migrate) puts them back. The rows
themselves keep their keys in such a copy, so the index stays right.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, List, Tuple

from sqlalchemy.engine import Connection

CONFIG = "german"
# PostgreSQL: split e-mail addresses, phone numbers and URLs into words, and keep the parser from
# reading "<...>" in customer text as a markup tag (it drops the words inside).
SEPARATORS = "@._+-/<>"


@dataclass(frozen=True)
class Source:
    kind: str  # message, note, ticket, contact
    table: str
    key: str  # the integer key the SQLite index row carries
    columns: Tuple[str, ...]  # the text that is searched
    fts: str  # SQLite FTS5 table
    gin: str  # PostgreSQL index
    newest: str  # grows with time: the newest hits first (PostgreSQL; SQLite uses the FTS rowid)

    def body(self, row: str) -> str:
        """The searched text of a row (alias `row`), as SQL."""
        return " || ' ' || ".join(f"coalesce({row}.{c}, '')" for c in self.columns)

    def document(self) -> str:
        """PostgreSQL: the expression of the generated column."""
        blanks = " " * len(SEPARATORS)
        text = " || ' ' || ".join(f"coalesce({c}, '')" for c in self.columns)
        return f"to_tsvector('{CONFIG}'::regconfig, translate({text}, '{SEPARATORS}', '{blanks}'))"

    @staticmethod
    def vector(row: str) -> str:
        """PostgreSQL: the stored tsvector of row `row`."""
        return f"{row}.{VECTOR}"

    def folded(self, row: str) -> str:
        """SQLite: the text as the FTS5 table gets it (the tokenizer lowercases and drops accents)."""
        return f"replace(replace({self.body(row)}, 'ß', 'ss'), 'ẞ', 'ss')"


VECTOR = "search_vector"
MESSAGES = Source(
    "message", "messages", "seq", ("text",), "search_messages", "ix_messages_search", "seq"
)
NOTES = Source("note", "notes", "id", ("text",), "search_notes", "ix_notes_search", "id")
TICKETS = Source(
    "ticket",
    "tickets",
    "id",
    ("note", "contact", "contact_confirmed"),
    "search_tickets",
    "ix_tickets_search",
    "id",
)
CONTACTS = Source(
    "contact",
    "conversations",
    "id",
    ("display_name", "external_id"),
    "search_contacts",
    "ix_conversations_search",
    "created_at",
)
SOURCES: Dict[str, Source] = {s.kind: s for s in (MESSAGES, NOTES, TICKETS, CONTACTS)}
CONTACT_KEYS = "search_contact_keys"
TOKENIZER = "unicode61 remove_diacritics 2"


# -- PostgreSQL ---------------------------------------------------------------------------------


def postgresql_indexes() -> List[str]:
    return [f"CREATE INDEX {s.gin} ON {s.table} USING gin ({VECTOR})" for s in SOURCES.values()]


def postgresql_drop_indexes() -> List[str]:
    return [f"DROP INDEX IF EXISTS {s.gin}" for s in SOURCES.values()]


def postgresql_create() -> List[str]:
    columns = [
        f"ALTER TABLE {s.table} ADD COLUMN {VECTOR} tsvector GENERATED ALWAYS AS ({s.document()}) STORED"
        for s in SOURCES.values()
    ]
    return columns + postgresql_indexes()


def postgresql_drop() -> List[str]:
    columns = [f"ALTER TABLE {s.table} DROP COLUMN IF EXISTS {VECTOR}" for s in SOURCES.values()]
    return postgresql_drop_indexes() + columns


# -- SQLite -------------------------------------------------------------------------------------


def _keyed_triggers(s: Source) -> List[str]:
    insert = f"INSERT INTO {s.fts}(rowid, body) VALUES (new.{s.key}, {s.folded('new')});"
    delete = f"INSERT INTO {s.fts}({s.fts}, rowid, body) VALUES ('delete', old.{s.key}, {s.folded('old')});"
    cols = ", ".join(s.columns)
    return [
        f"CREATE TRIGGER IF NOT EXISTS {s.fts}_ai AFTER INSERT ON {s.table} BEGIN {insert} END",
        f"CREATE TRIGGER IF NOT EXISTS {s.fts}_ad AFTER DELETE ON {s.table} BEGIN {delete} END",
        f"CREATE TRIGGER IF NOT EXISTS {s.fts}_au AFTER UPDATE OF {cols} ON {s.table} "
        f"BEGIN {delete} {insert} END",
    ]


def _contact_triggers(s: Source) -> List[str]:
    key = f"(SELECT id FROM {CONTACT_KEYS} WHERE conversation_id = {{row}}.id)"
    insert = (
        f"INSERT INTO {s.fts}(rowid, body) VALUES ({key.format(row='new')}, {s.folded('new')});"
    )
    delete = (
        f"INSERT INTO {s.fts}({s.fts}, rowid, body) "
        f"SELECT 'delete', id, {s.folded('old')} FROM {CONTACT_KEYS} WHERE conversation_id = old.id;"
    )
    cols = ", ".join(s.columns)
    return [
        f"CREATE TRIGGER IF NOT EXISTS {s.fts}_ai AFTER INSERT ON {s.table} BEGIN "
        f"INSERT OR IGNORE INTO {CONTACT_KEYS}(conversation_id) VALUES (new.id); {insert} END",
        f"CREATE TRIGGER IF NOT EXISTS {s.fts}_ad AFTER DELETE ON {s.table} BEGIN {delete} "
        f"DELETE FROM {CONTACT_KEYS} WHERE conversation_id = old.id; END",
        f"CREATE TRIGGER IF NOT EXISTS {s.fts}_au AFTER UPDATE OF {cols} ON {s.table} "
        f"BEGIN {delete} {insert} END",
    ]


def sqlite_triggers() -> List[str]:
    out: List[str] = []
    for s in SOURCES.values():
        out += _contact_triggers(s) if s is CONTACTS else _keyed_triggers(s)
    return out


def sqlite_create() -> List[str]:
    """Tables, the rows already stored (rebuild), then the triggers that keep them in sync."""
    out = [
        f"CREATE TABLE {CONTACT_KEYS} (id INTEGER PRIMARY KEY, conversation_id VARCHAR(40) NOT NULL UNIQUE)",
        f"INSERT INTO {CONTACT_KEYS}(conversation_id) SELECT id FROM conversations ORDER BY created_at",
    ]
    for s in SOURCES.values():
        out.append(
            f"CREATE VIRTUAL TABLE {s.fts} USING fts5(body, content='', tokenize='{TOKENIZER}')"
        )
        if s is CONTACTS:
            out.append(
                f"INSERT INTO {s.fts}(rowid, body) SELECT k.id, {s.folded('c')} "
                f"FROM conversations c JOIN {CONTACT_KEYS} k ON k.conversation_id = c.id"
            )
        else:
            out.append(
                f"INSERT INTO {s.fts}(rowid, body) SELECT {s.key}, {s.folded(s.table)} FROM {s.table}"
            )
    return out + sqlite_triggers()


def sqlite_drop() -> List[str]:
    out = [
        f"DROP TRIGGER IF EXISTS {s.fts}_{suffix}"
        for s in SOURCES.values()
        for suffix in ("ai", "ad", "au")
    ]
    out += [f"DROP TABLE IF EXISTS {s.fts}" for s in SOURCES.values()]
    return out + [f"DROP TABLE IF EXISTS {CONTACT_KEYS}"]


def ensure_sqlite_triggers(connection: Connection) -> None:
    """Put back triggers a table rebuild dropped (no-op before the search migration ran)."""
    if connection.dialect.name != "sqlite":
        return
    present: Any = connection.exec_driver_sql(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?", (MESSAGES.fts,)
    ).scalar()
    if not present:
        return
    for statement in sqlite_triggers():
        connection.exec_driver_sql(statement)

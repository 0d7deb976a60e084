"""Alembic environment: migrates on the connection the hub hands over (see store/db.py)."""

from alembic import context

from bot.hub.store.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through bot.hub.store.db.migrate (python -m bot migrate)")
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()

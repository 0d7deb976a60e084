"""Hub storage: SQLAlchemy models, engine/session, Alembic migrations."""

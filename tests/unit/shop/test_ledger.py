"""bot/shop/ledger.py: the bot's own records next to any shop (lock-out, created records)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, text

from bot.shop import ledger


def test_created_records_are_listed_per_conversation(shop_db: str) -> None:
    ledger.record_created("conv-1", "return", "RT-1", "shopware")
    ledger.record_created("conv-2", "note", "4711", "woocommerce")
    ledger.record_created("conv-1", "ticket", "TK-1", "demo")
    rows = [(r.kind, r.reference, r.backend) for r in ledger.created_records("conv-1")]
    assert rows == [("return", "RT-1", "shopware"), ("ticket", "TK-1", "demo")]


def test_verify_failures_are_counted_and_pruned(shop_db: str) -> None:
    now = datetime(2026, 12, 7, 12, 0)
    ledger.record_verify_failure([("order", "1"), ("sender", "s")], now - timedelta(hours=3), now)
    ledger.record_verify_failure([("order", "1")], now, prune_before=now - timedelta(hours=2))
    assert ledger.verify_failure_times(("order", "1"), now - timedelta(days=1)) == [now]
    ledger.clear_verify_failures(("order", "1"))
    assert ledger.verify_failure_times(("order", "1"), now - timedelta(days=1)) == []


def test_a_database_from_before_0_4_gets_the_backend_column(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    with create_engine(url).begin() as conn:
        conn.execute(
            text(
                "CREATE TABLE shop_conversation_records (id INTEGER PRIMARY KEY, conversation_id "
                "VARCHAR(255) NOT NULL, kind VARCHAR(10) NOT NULL, reference VARCHAR(20) NOT NULL, "
                "created_at DATETIME NOT NULL)"
            )
        )
    ledger.engine(url)
    with create_engine(url).connect() as conn:
        columns = [
            row[1] for row in conn.execute(text("PRAGMA table_info(shop_conversation_records)"))
        ]
    assert "backend" in columns

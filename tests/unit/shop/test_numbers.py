"""bot/shop/numbers.py: the shop's order-number format, found in what customers write."""

from __future__ import annotations

import pytest

from bot.shop.numbers import OrderNumbers


def test_the_demo_format_is_the_default() -> None:
    numbers = OrderNumbers()
    assert numbers.normalize("KD-100234") == numbers.normalize("kd 100234") == "100234"
    assert numbers.normalize("meine Bestellung 100234, bitte") == "100234"
    assert numbers.normalize("12345") is None and numbers.normalize(None) is None


@pytest.mark.parametrize(
    "config, typed, expected",
    [
        ({"pattern": r"#?\s*(\d{4,})", "prefix": "#", "example": "1001"}, "1001", "#1001"),
        ({"pattern": r"#?\s*(\d{4,})", "prefix": "#", "example": "1001"}, "# 1001", "#1001"),
        ({"pattern": r"(?:SW)?\s*(\d{5})", "example": "10023"}, "SW10023", "10023"),
        ({"pattern": r"SW\s*\d{5}", "example": "SW10023"}, "sw 10023", "SW10023"),
        ({"pattern": r"KD-\d{6}", "example": "KD-100234"}, "kd-100234", "KD-100234"),
    ],
)
def test_configured_formats(config: dict, typed: str, expected: str) -> None:
    assert OrderNumbers.from_config(config).normalize(typed) == expected


def test_a_broken_configuration_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="no regex"):
        OrderNumbers.from_config({"pattern": "(", "example": "1"})
    with pytest.raises(ValueError, match="example"):
        OrderNumbers.from_config({"pattern": r"\d{5}", "example": "12"})
    with pytest.raises(ValueError, match="one group"):
        OrderNumbers.from_config({"pattern": r"(\d)(\d)", "example": "12"})

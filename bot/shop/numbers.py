"""Order numbers in the shop's own format: find one in what the customer wrote, normalise it.

Shops number orders differently: the demo shop "100234" (customers write "KD-100234"), Shopware
"10023" or "SW10023", Shopify "#1001", WooCommerce "1234". company.yml says which:

    shop:
      order_numbers:
        pattern: '(?:KD-?)?\\s*(1\\d{5})'   # group 1 (else the whole match) is the number
        prefix: ''                          # what the shop puts before it ("#" for Shopify)

`normalize("kd 100234")` -> "100234"; with prefix "#": "1001" and "# 1001" -> "#1001".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Mapping

DEMO_PATTERN = r"(?:KD-?)?\s*(1\d{5})\b"


@dataclass(frozen=True)
class OrderNumbers:
    pattern: str = DEMO_PATTERN
    prefix: str = ""
    example: str = "100234"  # shown when the bot explains the format

    def __post_init__(self) -> None:
        try:
            compiled = re.compile(self.pattern, re.IGNORECASE)
        except re.error as exc:
            raise ValueError(f"company.yml shop.order_numbers.pattern is no regex: {exc}") from None
        if compiled.groups > 1:
            raise ValueError("company.yml shop.order_numbers.pattern: at most one group")
        if self.normalize(self.example) is None:
            raise ValueError("company.yml shop.order_numbers.example does not match the pattern")

    @classmethod
    def from_config(cls, raw: Mapping[str, Any] | None) -> OrderNumbers:
        raw = raw or {}
        return cls(
            pattern=str(raw.get("pattern") or DEMO_PATTERN),
            prefix=str(raw.get("prefix") or ""),
            example=str(raw.get("example") or "100234"),
        )

    @property
    def regex(self) -> re.Pattern[str]:
        return re.compile(self.pattern, re.IGNORECASE)

    def normalize(self, value: Any) -> str | None:
        """The order number in `value` as the shop stores it, or None if there is none."""
        match = self.regex.search(str(value or ""))
        if match is None:
            return None
        found = match.group(1) if self.regex.groups else match.group(0)
        number = re.sub(r"\s+", "", found or "").upper()
        if not number:
            return None
        if self.prefix and not number.startswith(self.prefix.upper()):
            number = self.prefix.upper() + number.lstrip("#")
        return number

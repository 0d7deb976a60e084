"""Fixtures the abuse modules share, imported from the modules that test their subject (not copied):
`team` (Eva and Tom, agents; Sue, supervisor; Chefin, admin; all logged in), the fake messenger
platforms `telegram`, `messenger`, `whatsapp`, and `redis_url` (a real Redis). A module that talks
to the platforms also imports `settings` from tests/unit/hub/test_channel_attachments.py (all three
channels on)."""

from tests.unit.hub.test_agent_security import team  # noqa: F401
from tests.unit.hub.test_bus import redis_url  # noqa: F401
from tests.unit.hub.test_channel_attachments import messenger, telegram, whatsapp  # noqa: F401

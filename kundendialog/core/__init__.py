"""Pure-Python domain knowledge shared by all three processes (no aiohttp, no Rasa imports)."""

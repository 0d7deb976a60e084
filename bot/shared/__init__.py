"""Pure Python used by both environments (Rasa side on 3.10, hub on current CPython): no aiohttp, no Rasa."""

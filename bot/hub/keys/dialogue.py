"""The conversation service and the Rasa client it forwards customer messages to."""

from __future__ import annotations

from aiohttp import web

from bot.hub.conversations import ConversationService
from bot.hub.rasa_client import RasaClient

CONVERSATIONS = web.AppKey("conversations", ConversationService)
RASA = web.AppKey("rasa", RasaClient)

"""Conversations: store every message, route it to Rasa or to a human, relay the answers.

Split by what changes together: access.py (create, find, authenticate), posting.py (store and
publish a message), turns.py (a customer turn), delivery.py (leases, pending messages, the retry
loop), answers.py (asking Rasa and storing its answers), tracker_log.py (what the bot hears while a
human talks), tasks.py (locks, background work); service.py wires them into the one object the
app builds. Who hears about a stored message, and who acts on a handoff request, is not this
package's business: it emits events.
"""

from bot.hub.conversations.answers import as_plain_text
from bot.hub.conversations.service import ConversationService
from bot.hub.tokens import token_hash

__all__ = ["ConversationService", "as_plain_text", "token_hash"]

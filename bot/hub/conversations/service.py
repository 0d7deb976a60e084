"""The conversation service as routes, channels and other services hold it: one object, built at
start-up, that wires the parts of this package and offers their calls under the names callers use.

It has no logic of its own; each call is one part's method:
access (create, find, authenticate), posting (store and publish), turns (a customer turn),
delivery (leases and the retry loop), answers (Rasa's answers, a hand-back), tracker (what the
bot hears while a human talks) and tasks (per-conversation locks, background work).
"""

from __future__ import annotations

from bot.hub.conversations.access import ConversationAccess
from bot.hub.conversations.answers import BotAnswers
from bot.hub.conversations.delivery import Deliveries
from bot.hub.conversations.posting import Posting
from bot.hub.conversations.tasks import Tasks
from bot.hub.conversations.tracker_log import TrackerLog
from bot.hub.conversations.turns import Turns
from bot.hub.events import Events
from bot.hub.rasa_client import RasaClient
from bot.hub.settings import Settings
from bot.hub.store.conversations_repo import ConversationsRepo
from bot.shared.company import Company


class ConversationService:
    def __init__(
        self,
        settings: Settings,
        repo: ConversationsRepo,
        rasa: RasaClient,
        events: Events,
        company: Company,
    ) -> None:
        self.settings = settings
        self.repo = repo
        self.rasa = rasa
        self.events = events
        self.company = company
        self.tasks = tasks = Tasks()
        self.posting = posting = Posting(repo, events, company)
        self.access = access = ConversationAccess(settings, repo, company, posting)
        self.answers = answers = BotAnswers(settings, repo, rasa, events, posting, access)
        self.delivery = delivery = Deliveries(
            settings, repo, answers, posting, access, tasks, events
        )
        self.tracker = tracker = TrackerLog(repo, rasa, events)
        self.turns = turns = Turns(repo, events, company, tasks, posting, access, delivery, tracker)
        # the calls routes, channels and services make, under the names they have always used
        self.create = access.create
        self.get = access.get
        self.authenticate = access.authenticate
        self.authenticate_turn = access.authenticate_turn
        self.admission = access.admission
        self.remember = access.remember
        self.expired = access.expired
        self.revoked = access.revoked
        self.transcript = access.transcript
        self.first_delivery = access.first_delivery
        self.conversation_for = access.conversation_for
        self.store = posting.store
        self.publish = posting.publish
        self.post = posting.post
        self.notice = posting.notice
        self.customer_message = turns.customer_message
        self.customer_turn = turns.customer_turn
        self.unsupported_content = turns.unsupported_content
        self.resume_bot = answers.resume_bot
        self.ask_rating = answers.ask_rating
        self.retry_pending = delivery.retry_pending
        self.retry_loop = delivery.retry_loop
        self.log_customer_message = tracker.customer_message
        self.log_agent_message = tracker.agent_message
        self.lock = tasks.lock
        self.background = tasks.background
        self.drain = tasks.drain

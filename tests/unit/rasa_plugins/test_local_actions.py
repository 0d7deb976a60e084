"""In-process custom actions: the same rasa-sdk action, its answers and events, without the HTTP call."""

import asyncio

import pytest
import rasa.core.actions.action as rasa_action
from rasa.core.actions.action import ActionBotResponse, ActionExecutionRejection, RemoteAction
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa_sdk.interfaces import ActionExecutionRejection as SdkRejection

from bot.rasa_plugins import local_actions
from bot.shared.company import company
from bot.shared.setting import ROOT


@pytest.fixture(scope="module")
def domain():
    return Domain.load(str(ROOT / "domain.yml"))


@pytest.fixture()
def installed():
    yield local_actions.install(["action_faq"], warm=False)
    local_actions.install([], warm=False)


def faq_tracker(domain, key, register=None, confidence=0.98):
    parse = {
        "text": "Was kostet der Versand?",
        "intent": {"name": "faq", "confidence": confidence},
        "response_selector": {
            "faq": {"response": {"intent_response_key": f"faq/{key}", "confidence": 0.99}}
        },
    }
    events = [ActionExecuted("action_listen")]
    if register:
        events.append(SlotSet("register", register))
    events.append(UserUttered(parse["text"], parse["intent"], parse_data=parse))
    return DialogueStateTracker.from_events("local-test", events, domain.slots)


def run(action, tracker, domain):
    nlg = TemplatedNaturalLanguageGenerator(domain.responses)
    return asyncio.run(action.run(CollectingOutputChannel(), nlg, tracker, domain))


def test_only_the_named_actions_run_in_process(installed, domain):
    lookup = rasa_action.action_for_name_or_text
    assert type(lookup("action_faq", domain, None)) is local_actions.LocalAction
    assert type(lookup("action_thank", domain, None)) is RemoteAction
    assert isinstance(lookup("utter_fallback", domain, None), ActionBotResponse)


def test_an_empty_list_restores_rasas_lookup(domain):
    local_actions.install(["action_faq"], warm=False)
    local_actions.install([], warm=False)
    assert rasa_action.action_for_name_or_text is local_actions.ORIGINAL_LOOKUP
    assert type(rasa_action.action_for_name_or_text("action_faq", domain, None)) is RemoteAction


@pytest.mark.parametrize("register", ["sie", "du"])
def test_a_faq_answer_is_the_company_text_in_the_customers_register(installed, domain, register):
    action = rasa_action.action_for_name_or_text("action_faq", domain, None)
    events = run(action, faq_tracker(domain, "shipping_costs", register), domain)
    said = [e.text for e in events if isinstance(e, BotUttered)]
    assert said == [company().text("faq", "shipping_costs", register)]
    assert [e.key for e in events if isinstance(e, SlotSet)] == ["bot_actions"]


def test_the_answer_is_a_json_copy_and_the_domain_goes_only_where_asked(
    installed, domain, monkeypatch
):
    seen = {}
    buttons = [{"title": "Ja", "payload": "/affirm"}]  # e.g. a module-level list of an action

    class Executor:
        async def run(self, call):
            seen.update(call)
            return {"events": [], "responses": [{"text": "ok", "buttons": buttons}]}

    monkeypatch.setattr(local_actions, "executor", lambda: Executor())
    action = local_actions.LocalAction("action_faq", None)
    events = run(action, faq_tracker(domain, "shipping_costs"), domain)
    said = [e for e in events if isinstance(e, BotUttered)]
    assert [e.text for e in said] == ["ok"] and said[0].data["buttons"] == buttons
    assert said[0].data["buttons"] is not buttons
    assert "domain" not in seen and seen["next_action"] == "action_faq"
    assert seen["tracker"]["latest_message"]["intent"]["name"] == "faq"


def test_a_rejection_is_raised_as_rasa_raises_the_servers_400(installed, domain, monkeypatch):
    class Executor:
        async def run(self, call):
            raise SdkRejection("action_faq", "not now")

    monkeypatch.setattr(local_actions, "executor", lambda: Executor())
    with pytest.raises(ActionExecutionRejection) as raised:
        run(local_actions.LocalAction("action_faq", None), faq_tracker(domain, "x"), domain)
    assert raised.value.action_name == "action_faq" and raised.value.message == "not now"


class Server:
    """The action server's endpoint as Rasa holds it; records what was posted to it."""

    kwargs = {}
    url = "http://actions"

    def __init__(self):
        self.posted = []

    async def request(self, json, **kwargs):
        self.posted.append(json["next_action"])
        return {"events": [], "responses": [{"text": "vom Server"}]}


@pytest.mark.parametrize("confidence, where", [(0.98, "worker"), (0.5, "server")])
def test_an_unsure_reading_goes_on_to_the_action_server(installed, domain, confidence, where):
    server = Server()
    action = rasa_action.action_for_name_or_text("action_faq", domain, server)
    events = run(action, faq_tracker(domain, "shipping_costs", confidence=confidence), domain)
    said = [e.text for e in events if isinstance(e, BotUttered)]
    if where == "worker":
        assert server.posted == [] and said == [company().text("faq", "shipping_costs", "sie")]
    else:
        assert server.posted == ["action_faq"] and said == ["vom Server"]

"""The hub channel hands the NLU reading of each turn back to the hub (bot/rasa_plugins/understanding.py)."""

from rasa.core.channels.channel import UserMessage
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.rasa_plugins import understanding

PARSE = {
    "text": "wo ist mein paket",
    "intent": {"name": "order_status", "confidence": 0.91},
    "intent_ranking": [
        {"name": "order_status", "confidence": 0.91},
        {"name": "greet", "confidence": 0.05},
    ],
    "entities": [],
    "mood": {"score": 0.1, "signals": []},
}
SLIM = {
    "intent": PARSE["intent"],
    "intent_ranking": PARSE["intent_ranking"],
    "mood": {"score": 0.1},
}


async def test_a_parsed_message_is_handed_back_once(monkeypatch):
    async def parse(self, message, tracker=None, only_output_properties=True):
        return dict(PARSE)

    monkeypatch.setattr(understanding, "_original_parse", parse)
    result = await understanding._recording_parse(
        None, UserMessage("wo ist mein paket", message_id="m1")
    )
    assert result == PARSE  # Rasa gets what it always got
    assert understanding.taken("m1") == [{"custom": {"nlu": SLIM}}]
    assert understanding.taken("m1") == [] and understanding.taken(None) == []


async def test_the_kept_parses_are_bounded(monkeypatch):
    async def parse(self, message, tracker=None, only_output_properties=True):
        return dict(PARSE)

    monkeypatch.setattr(understanding, "_original_parse", parse)
    monkeypatch.setattr(understanding, "KEEP", 3)
    for i in range(5):
        await understanding._recording_parse(None, UserMessage("x", message_id=f"n{i}"))
    assert understanding.taken("n0") == [] and understanding.taken("n4") != []
    understanding._PARSED.clear()


def test_a_replayed_turn_reads_its_user_event():
    tracker = DialogueStateTracker.from_events(
        "c1",
        [
            ActionExecuted("action_listen"),
            UserUttered("wo ist mein paket", PARSE["intent"], message_id="m1", parse_data=PARSE),
            BotUttered("Unterwegs."),
            ActionExecuted("action_listen"),
        ],
    )
    note = understanding.replayed(tracker, "m1")
    assert note[0]["custom"]["nlu"]["intent"]["name"] == "order_status"
    assert understanding.replayed(tracker, "m2") == [] and understanding.replayed(None, "m1") == []


def test_the_processor_is_wrapped():
    from rasa.core.processor import MessageProcessor

    assert MessageProcessor.parse_message is understanding._recording_parse


async def test_a_free_form_yes_to_the_bot_s_confirmation_is_read_as_yes(monkeypatch):
    async def parse(self, message, tracker=None, only_output_properties=True):
        return {
            "text": message.text,
            "intent": {"name": "nlu_fallback", "confidence": 0.3},
            "intent_ranking": [{"name": "nlu_fallback", "confidence": 0.3}],
            "entities": [],
        }

    monkeypatch.setattr(understanding, "_original_parse", parse)
    tracker = DialogueStateTracker.from_events(
        "c2",
        [
            ActionExecuted("action_listen"),
            UserUttered("Adresse ändern", {"name": "change_address", "confidence": 0.9}),
            BotUttered("Soll ich …?", metadata={"utter_action": "utter_confirm_address"}),
            ActionExecuted("action_listen"),
        ],
    )
    result = await understanding._recording_parse(None, UserMessage("jep"), tracker)
    assert result["intent"]["name"] == "affirm"
    assert result["context"]["question"] == "confirm_address"
    plain = DialogueStateTracker.from_events("c3", [ActionExecuted("action_listen")])
    result = await understanding._recording_parse(None, UserMessage("jep"), plain)
    assert result["intent"]["name"] == "nlu_fallback"  # no question: nothing to answer


async def test_a_worried_tone_without_a_phishing_cue_gets_no_safety_text(monkeypatch):
    """Persona run, problem 4: the classifier's `suspicious_message` needs a phishing cue, unless the
    bot's last turn gave the safety advice (a follow-up like "reicht es, die Seite zu schließen?")."""

    async def parse(self, message, tracker=None, only_output_properties=True):
        return {
            "text": message.text,
            "intent": {"name": "suspicious_message", "confidence": 0.5},
            "intent_ranking": [
                {"name": "suspicious_message", "confidence": 0.5},
                {"name": "faq", "confidence": 0.2},
            ],
            "entities": [],
        }

    monkeypatch.setattr(understanding, "_original_parse", parse)
    plain = DialogueStateTracker.from_events("c4", [ActionExecuted("action_listen")])
    text = "muss ich mich dafür vorher irgendwo anmelden?"
    result = await understanding._recording_parse(None, UserMessage(text), plain)
    assert result["intent"]["name"] == "faq"
    advised = DialogueStateTracker.from_events(
        "c5",
        [
            ActionExecuted("action_listen"),
            UserUttered("Ist die SMS mit dem Link echt?", {"name": "suspicious_message"}),
            ActionExecuted("action_phishing_advice"),
            BotUttered("Bitte öffnen Sie den Link nicht."),
            ActionExecuted("action_listen"),
        ],
    )
    result = await understanding._recording_parse(None, UserMessage(text), advised)
    assert result["intent"]["name"] == "suspicious_message"


async def test_a_data_request_is_read_as_its_answer_and_a_bare_delete_it_after_one_too(monkeypatch):
    """Held-out persona run 2 (d13, d26): a newsletter request read as an order status, and "Can't
    you delete it right here?" after the data-protection answer read as a cancellation."""

    async def parse(self, message, tracker=None, only_output_properties=True):
        intent = {"name": "order_status", "confidence": 0.6}
        return {"text": message.text, "intent": intent, "intent_ranking": [intent], "entities": []}

    monkeypatch.setattr(understanding, "_original_parse", parse)
    plain = DialogueStateTracker.from_events("c6", [ActionExecuted("action_listen")])
    text = "Ich kriege dauernd euren Newsletter, obwohl ich das nie wollte"
    result = await understanding._recording_parse(None, UserMessage(text), plain)
    assert result["intent"]["full_retrieval_intent_name"] == "faq/newsletter"
    asked = "Kannst du das nicht einfach hier löschen?"
    result = await understanding._recording_parse(None, UserMessage(asked), plain)
    assert result["intent"]["name"] == "order_status"  # nothing to delete was named
    privacy = {"name": "faq", "full_retrieval_intent_name": "faq/privacy"}
    after = DialogueStateTracker.from_events(
        "c7",
        [
            ActionExecuted("action_listen"),
            UserUttered("Was speichert ihr von mir?", privacy),
            ActionExecuted("action_faq"),
            BotUttered("Ihre Daten nutzen wir nur …"),
            ActionExecuted("action_listen"),
        ],
    )
    result = await understanding._recording_parse(None, UserMessage(asked), after)
    assert result["intent"]["full_retrieval_intent_name"] == "faq/data_erasure"


async def test_a_data_request_the_classifier_took_for_phishing_without_a_cue_is_read_as_it(
    monkeypatch,
):
    """Held-out persona run 2: "How do I close my customer account?" read as suspicious_message, then
    (no phishing cue) as the account help; the data request reader comes after the phishing one."""

    async def parse(self, message, tracker=None, only_output_properties=True):
        ranking = [
            {"name": "suspicious_message", "confidence": 0.4},
            {"name": "account_help", "confidence": 0.2},
        ]
        return {
            "text": message.text,
            "intent": ranking[0],
            "intent_ranking": ranking,
            "entities": [],
        }

    monkeypatch.setattr(understanding, "_original_parse", parse)
    plain = DialogueStateTracker.from_events("c8", [ActionExecuted("action_listen")])
    text = "How do I close my customer account with you?"
    result = await understanding._recording_parse(None, UserMessage(text), plain)
    assert result["intent"]["full_retrieval_intent_name"] == "faq/account_deletion"


async def test_a_typed_button_is_parsed_as_its_payload(monkeypatch):
    seen = []

    async def parse(self, message, tracker=None, only_output_properties=True):
        seen.append(message.text)
        name = "stop" if message.text == "/stop" else "faq"
        return {"text": message.text, "intent": {"name": name, "confidence": 1.0}, "entities": []}

    monkeypatch.setattr(understanding, "_original_parse", parse)
    buttons = [
        {"title": "Ändern", "payload": "/correct"},
        {"title": "Zurückziehen", "payload": "/stop"},
    ]
    tracker = DialogueStateTracker.from_events(
        "c3",
        [
            ActionExecuted("action_listen"),
            UserUttered("Kann ich die Rücksendung zurückziehen?", {"name": "return_item"}),
            BotUttered("Ändern, zurückziehen oder so lassen?", data={"buttons": buttons}),
            ActionExecuted("action_listen"),
        ],
    )
    result = await understanding._recording_parse(
        None, UserMessage("zurückziehen bitte", message_id="t1"), tracker
    )
    assert seen == ["/stop"] and result["intent"]["name"] == "stop"
    assert result["text"] == "zurückziehen bitte"  # the actions read the customer's words
    understanding.taken("t1")
    seen.clear()
    await understanding._recording_parse(None, UserMessage("was heißt das?"), tracker)
    assert seen == ["was heißt das?"]


async def test_a_pointer_back_to_an_earlier_question_is_read_as_that_question(monkeypatch):
    """Held-out persona run 4 (d23): "Und die Frage mit dem Bezahlen?" got the payment-methods list;
    the customer's own earlier question is parsed and answered, the event keeps her words."""
    seen = []

    async def parse(self, message, tracker=None, only_output_properties=True):
        seen.append(message.text)
        return {"text": message.text, "intent": {"name": "faq", "confidence": 0.9}, "entities": []}

    monkeypatch.setattr(understanding, "_original_parse", parse)
    asked = "Bitte an mich: a@b.de. Muss ich für die offene Bestellung noch etwas bezahlen?"
    tracker = DialogueStateTracker.from_events(
        "c4",
        [
            ActionExecuted("action_listen"),
            UserUttered("Mein Vater ist verstorben. Wie schließe ich sein Konto?", {"name": "faq"}),
            BotUttered("…"),
            ActionExecuted("action_listen"),
            UserUttered(asked, {"name": "faq"}),
            BotUttered("Danke! Ich habe a@b.de notiert."),
            ActionExecuted("action_listen"),
        ],
    )
    pointer = "Und die Frage mit dem Bezahlen?"
    result = await understanding._recording_parse(None, UserMessage(pointer), tracker)
    assert seen == ["Muss ich für die offene Bestellung noch etwas bezahlen?"]
    assert result["text"] == seen[0] and result["context"]["refers_back"] == pointer
    seen.clear()
    await understanding._recording_parse(
        None, UserMessage("Und die Frage mit dem Umtausch?"), tracker
    )
    assert seen == ["Und die Frage mit dem Umtausch?"]  # nothing fits: read as it stands


def test_a_complaint_is_filed_only_with_a_case_on_the_table_after_a_complaint():
    from rasa.shared.core.events import SlotSet

    said = UserUttered("Die Naht ist offen", {"name": "complaint", "confidence": 0.9})
    filed = DialogueStateTracker.from_events("c20", [said, SlotSet("case_ref", "TK-1")])
    assert understanding.complaint_filed(filed)
    returned = UserUttered("Zu klein", {"name": "return_item", "confidence": 0.9})
    other = DialogueStateTracker.from_events("c21", [returned, SlotSet("case_ref", "RT-1")])
    assert not understanding.complaint_filed(other)
    assert not understanding.complaint_filed(DialogueStateTracker.from_events("c22", [said]))

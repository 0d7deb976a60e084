"""A yes or no in free form, read against the bot's pending question (bot/dialogue/yes_no.py)."""

import pytest

from bot.dialogue import pending as p
from bot.dialogue.yes_no import AFFIRM, ASK, CORRECT, DENY, STOP, answer, read_answer
from tests.trackers import user_event


def bot(response: str):
    return {"event": "bot", "text": "…", "metadata": {"utter_action": response}}


def test_a_yes_with_words_after_it_confirms():
    for text in [
        "Ja, bitte stornieren Sie die Bestellung.",
        "jep",
        "passt so",
        "genau",
        "Ja gerne, machen Sie das so",
        "na klar",
        "jo passt",
        "Einverstanden.",
        "👍",
        "bitte so anlegen",
    ]:
        assert answer(text, p.CONFIRM_CANCEL, "cancel_order") == AFFIRM, text


def test_a_no_declines_and_a_taken_back_request_stops():
    for text in ["nein", "nö, lass mal", "Nee, behalt ich", "bitte nicht", "na, passt scho ned"]:
        assert answer(text, p.CONFIRM_ADDRESS, "affirm") == DENY, text
    assert answer("Nein, doch nicht. Ich behalte ihn.", p.CONFIRM_CASE, "deny") == STOP


def test_a_yes_that_turns_or_a_no_that_contrasts_keeps_the_reading():
    assert answer("Ja, aber an die andere Adresse", p.CONFIRM_ADDRESS, "change_address") is None
    # an item left out at a summary narrows it (actions/cases.py shows it again)
    assert answer("ja, nur nicht die Jacke", p.CONFIRM_CASE, "return_item") == CORRECT
    assert answer("nein, sondern die Adresse ändern", p.CONFIRM_CANCEL, "change_address") is None
    assert answer("passt nicht", p.CONFIRM_CASE, "complaint") is None


def test_a_stated_choice_at_the_summary_revises_it():
    assert answer("die will ich lieber in L statt M", p.CONFIRM_CASE, "nlu_fallback") == CORRECT
    assert answer("doch nur umtauschen bitte", p.CONFIRM_CASE, "return_item") == CORRECT
    assert answer("Nein, lieber als Umtausch", p.CONFIRM_CASE, "return_item") == CORRECT
    assert answer("nein, kein Umtausch, gar nichts", p.CONFIRM_CASE, "return_item") == DENY
    # a choice is no revision of a cancellation
    assert answer("lieber umtauschen", p.CONFIRM_CANCEL, "return_item") is None


def test_after_a_soft_question_only_a_bare_yes_or_no_is_read_so():
    assert answer("jep danke", p.ANYTHING_ELSE, "nlu_fallback") == AFFIRM
    assert answer("nö, das wärs", p.ANYTHING_ELSE, "nlu_fallback") == DENY
    assert answer("ja, wo ist meine Bestellung 100234?", p.ANYTHING_ELSE, "order_status") is None


@pytest.mark.parametrize(
    "text",
    [
        "ok, danke trotzdem",
        "Passt schon, danke!",
        "Okay, thanks anyway.",
        "Okay, danke.",
        "ok thanks",
    ],
)
def test_thanks_anyway_to_the_offer_of_a_person_is_a_no(text):
    # a polite no: "ok" must not hand over (found in the presales corpus, 2026-12-07)
    assert answer(text, p.HUMAN_OFFER, "affirm") == DENY


def test_still_wanting_a_person_is_no_polite_no():
    assert answer("ja, ich möchte trotzdem mit jemandem sprechen", p.HUMAN_OFFER, "affirm") is None
    assert answer("ja, danke", p.HUMAN_OFFER, "affirm") is None  # a yes word: the yes stands


def test_no_question_or_a_reading_that_says_more_is_kept():
    assert answer("ja", None, "affirm") is None
    assert answer("nein, das stimmt nicht", p.CONFIRM_CANCEL, "correct") is None
    assert answer("ja bitte einen Menschen", p.HUMAN_OFFER, "request_human") is None


def test_the_parse_is_read_against_the_last_question():
    events = [user_event("stornieren", "cancel_order"), bot("utter_confirm_cancel")]
    parse = {
        "text": "Ja, bitte stornieren Sie die Bestellung.",
        "intent": {"name": "cancel_order", "confidence": 0.9},
        "intent_ranking": [{"name": "cancel_order", "confidence": 0.9}],
        "entities": [],
    }
    out = read_answer(parse, events)
    assert out["intent"]["name"] == "affirm"
    assert [r["name"] for r in out["intent_ranking"]] == ["affirm", "cancel_order"]
    assert out["context"] == {"question": p.CONFIRM_CANCEL, "read_as": "cancel_order"}
    assert parse["intent"]["name"] == "cancel_order"  # the input is kept
    # the same words with no question pending: the classifier's reading stays
    assert read_answer(parse, [user_event("hallo", "greet")]) is parse


def test_a_correction_at_a_case_summary_revises_it_and_only_a_plain_no_declines():
    for text in [
        "Nee, stimmt so nicht: ich möchte die Erstattung, kein Ersatzteil.",
        "ja, aber bitte nur das Zelt",
        "Nein, nur die Socken, die Schuhe behalte ich",
        "No, just the tent please, I keep the mat.",
        "KEINEN Ersatz! Das Geld bitte zurück.",
    ]:
        assert answer(text, p.CONFIRM_CASE, "deny") == CORRECT, text
    for text in ["Nein", "nein danke", "nein, kein Umtausch", "Nein, bitte nicht anlegen"]:
        assert answer(text, p.CONFIRM_CASE, "deny") == DENY, text


def test_a_yes_then_a_question_of_its_own_confirms():
    """Persona run, problem 4: a yes sentence followed by a question that changes nothing is a yes
    (the question is answered after); a question that restricts, negates or revises is not."""
    for text in [
        "Ja, so anlegen bitte. Geht das Geld dann aber auf meine Kreditkarte, oder?",
        "Jawohl. Wie lange dauert das ungefähr?",
        "ok, machen Sie das so!\nBekomme ich eine Bestätigung per Mail?",
    ]:
        assert answer(text, p.CONFIRM_CASE, "suspicious_message") == AFFIRM, text
        assert answer(text, p.CONFIRM_CANCEL, "faq") == AFFIRM, text
    for text in [
        "Ja. Aber nur die Jacke, oder?",
        "Ja, aber ohne die Socken. Geht das?",
        "Ja. Geht das nicht auch als Umtausch?",
        "Ja. Kann ich statt der Erstattung einen Gutschein haben?",
    ]:
        assert answer(text, p.CONFIRM_CASE, "faq") != AFFIRM, text
    # after a soft question a yes with a question stays the question
    assert answer("Ja. Wo ist mein Paket?", p.ANYTHING_ELSE, "order_status") is None


def test_the_other_request_named_at_a_summary_is_a_correction_a_bare_withdrawal_is_not():
    text = "Nein, das soll keine Retoure sein – ich will das reklamieren, es ist kaputt"
    assert answer(text, p.CONFIRM_CASE, "complaint") == CORRECT
    assert answer("nein, keine Rücksendung", p.CONFIRM_CASE, "deny") == DENY


def test_a_polite_no_before_a_new_question_is_that_question():
    """Persona run, problem 9: "Nein danke, schon gut. Eine andere Frage: …?" after "Hat Ihnen das
    geholfen?" is the question, not a no that brings the menu back."""
    from bot.dialogue.yes_no import question_after, read_question_after

    text = "Nein danke, passt schon. Noch was anderes: Woher kommen eigentlich eure Daunen?"
    assert question_after(text) == "Noch was anderes: Woher kommen eigentlich eure Daunen?"
    assert question_after("nein danke") is None
    assert question_after("Ja. Echt?") is None  # too short to be a question of its own
    parse = {
        "text": text,
        "intent": {"name": "deny", "confidence": 0.7},
        "intent_ranking": [
            {"name": "deny", "confidence": 0.7},
            {"name": "product_question", "confidence": 0.2},
        ],
    }
    read = read_question_after(parse, p.KNOWLEDGE_CHECK)
    assert read["intent"]["name"] == "product_question"
    assert read["context"]["read_as"] == "deny"
    only_answers = {**parse, "intent_ranking": parse["intent_ranking"][:1]}
    assert read_question_after(only_answers, None)["intent"]["name"] == "nlu_fallback"
    # at a confirmation the no stays the answer (nothing is created)
    assert read_question_after(parse, p.CONFIRM_CASE) is parse
    plain = {**parse, "text": "Nein danke."}
    assert read_question_after(plain, p.KNOWLEDGE_CHECK) is plain


def test_a_question_at_a_confirmation_is_asked_not_a_correction():
    """Held-out persona run 2, problem 4: answered, then the confirmation is asked again."""
    asked = [
        ("Moment mal, bekomme ich dann mein Geld wieder? Und muss ich das Paket selbst wegbringen?", p.CONFIRM_CASE, "correct"),
        ("ist das für mich kostenlos? und ist es dann noch vor dem Wochenende da?", p.CONFIRM_ADDRESS, "faq"),
        ("Quick question first: is the label free?", p.CONFIRM_CASE, "return_item"),
        ("Ja, aber kostet mich das was?", p.CONFIRM_CANCEL, "cancel_order"),
        ("Muss ich die Rechnung dann trotzdem zahlen?", p.CONFIRM_CANCEL, "payment_issue"),
    ]  # fmt: skip
    for text, question, intent in asked:
        assert answer(text, question, intent) == ASK, text
    # a question that wishes something revises; another request stays that request
    assert answer("Kann ich lieber das Geld zurück statt Ersatz?", p.CONFIRM_CASE, "faq") == CORRECT
    assert answer("Bekomme ich dann eine Mail?", p.CONFIRM_CANCEL, "account_help") == ASK
    assert answer("Können Sie 100236 auch stornieren?", p.CONFIRM_ADDRESS, "cancel_order") is None
    assert answer("kostet das extra?", p.ANYTHING_ELSE, "faq") is None


def test_an_added_item_at_a_summary_is_a_correction_not_a_no():
    for text in [
        "Nein, beide! Die Jacke UND die Mütze.",
        "Die Handschuhe schicke ich übrigens auch gleich mit zurück.",
        "ja, und zusätzlich noch die Socken",
    ]:
        assert answer(text, p.CONFIRM_CASE, "deny") == CORRECT, text


def test_taking_the_change_back_is_a_stop_even_after_an_okay():
    for text in [
        "Ok, vergiss es. Lass die Adresse bitte so, wie sie war.",
        "na gut, dann lieber doch nicht",
        "Lassen Sie alles beim Alten bleiben",
        "Nichts ändern bitte.",
    ]:
        assert answer(text, p.CONFIRM_ADDRESS, "affirm") == STOP, text
    assert (
        answer("Passt, lass es so", p.CONFIRM_CASE, "affirm") == AFFIRM
    )  # "so lassen" = like that


def test_a_yes_closing_a_longer_message_confirms():
    for text in [
        "Hilft mir nicht wirklich, egal. Ja, bitte anlegen.",
        "meh. ok whatever. ja, ändern",
        "Danke für die Info, dann bitte so anlegen.",
        "Alles klar, leg sie so an",
    ]:
        assert answer(text, p.CONFIRM_CASE, "return_item") == AFFIRM, text
    assert answer("Alles klar, danke", p.ANYTHING_ELSE, "thank") is None  # closes, no yes
    assert answer("Hm. Ja, aber nicht so.", p.CONFIRM_CASE, "affirm") != AFFIRM
    assert answer("Keine Ahnung. Ja, wieso?", p.CONFIRM_ADDRESS, "faq") != AFFIRM


def test_taking_the_change_back_while_the_address_is_asked_ends_the_form():
    from bot.dialogue.yes_no import read_form_withdrawal

    parse = {"text": "Ach vergiss es, lass die Adresse wie sie war.", "intent": {"name": "correct"}}
    assert read_form_withdrawal(parse, "address_form")["intent"]["name"] == STOP
    assert read_form_withdrawal(parse, "return_form")["intent"]["name"] == "correct"
    new = {
        "text": "vergiss die alte, nimm Gartenweg 3, 01067 Dresden",
        "intent": {"name": "correct"},
    }
    assert read_form_withdrawal(new, "address_form")["intent"]["name"] == "correct"


def test_a_reason_stated_at_the_summary_revises_it():
    assert (
        answer("Der Grund ist eigentlich, sie ist mir zu warm.", p.CONFIRM_CASE, "return_item")
        == CORRECT
    )
    assert answer("Ach, doch nicht, passt mir doch nicht", p.CONFIRM_CASE, "deny") == STOP
    assert answer("Ja, zu klein halt", p.CONFIRM_CASE, "affirm") == AFFIRM  # a yes stays a yes


def test_a_question_at_a_confirmation_keeps_the_classifiers_doubt_about_the_faq():
    """No stock FAQ block forced on it: as sure of a FAQ question as the classifier was."""
    events = [user_event("Adresse ändern", "change_address"), bot("utter_confirm_address")]
    parse = {
        "text": "Bekomme ich dann eine Mail?",
        "intent": {"name": "account_help", "confidence": 0.55},
        "intent_ranking": [
            {"name": "account_help", "confidence": 0.55},
            {"name": "faq", "confidence": 0.3},
        ],
    }
    out = read_answer(parse, events)
    assert out["intent"] == {"name": ASK, "confidence": 0.3}


def test_a_question_at_an_offer_instead_is_asked_too():
    assert answer("Kostet mich das was?", p.RETURN_OFFER, "faq") == ASK
    assert answer("und bekomme ich dann mein Geld?", p.CANCEL_OFFER, "payment_issue") == ASK


def test_a_stop_that_ends_with_a_new_choice_revises_the_case():
    """ "nee warte, … dann doch geld zurück" at a return summary switches it to the refund; it is no
    withdrawal of the return (persona run 4, d12)."""

    said = "nee warte, in L passt er auch nicht, das bringt mir nix. dann doch lieber geld zurück"
    assert answer(said, p.CONFIRM_CASE, "stop") == CORRECT
    assert answer("Halt. Dann lieber umtauschen.", p.CONFIRM_CASE, "stop") == CORRECT
    # a real stop stays one, also when it names the refund it does not want
    assert answer("ach vergiss es, doch nicht", p.CONFIRM_CASE, "stop") is None
    said = "nee, doch nicht zurückschicken, das Geld brauch ich nicht"
    assert answer(said, p.CONFIRM_CASE, "stop") is None


def test_only_some_items_at_the_cancel_confirmation_is_a_partial_cancellation():
    # held-out persona run 4, d16: "nur die Flasche, das Zelt behalte ich" read as a complaint
    for text, intent in [
        ("Moment, eigentlich bloß die Trinkflasche – das Zelt will ich behalten.", "complaint"),
        ("ja, aber nur das zelt", "affirm"),
        ("das Zelt behalte ich lieber", "deny"),
    ]:
        assert answer(text, p.CONFIRM_CANCEL, intent) == "cancel_order", text
    assert answer("nein, ich behalte alles", p.CONFIRM_CANCEL, "deny") == DENY
    assert answer("nur das zelt bitte", p.CONFIRM_CANCEL, "request_human") is None
    assert answer("nur das zelt bitte", p.CONFIRM_ADDRESS, "complaint") != "cancel_order"


def test_a_part_of_the_shown_address_named_anew_is_a_correction_not_a_no():
    """Held-out run 6, d11: "ned <Ort>, <Ort>!" at the address confirmation dropped the change."""
    events = [
        user_event("Adresse ändern", "change_address"),
        {"event": "slot", "name": "new_address", "value": "Seeweg 2, 24103 Kiil"},
        bot("utter_confirm_address"),
    ]
    parse = {"text": "Na, ned Kiil, Kiel! Kiel schreiben!", "intent": {"name": "deny"}}
    assert read_answer(parse, events)["intent"]["name"] == CORRECT
    parse = {"text": "Nein, danke.", "intent": {"name": "deny"}}
    assert read_answer(parse, events)["intent"]["name"] == "deny"
    # a stop reading with a new value for the address corrects it; one that takes it back stops
    assert (
        answer("Halt! Ned Kiil, Kiel!", p.CONFIRM_ADDRESS, STOP, "Seeweg 2, 24103 Kiil") == CORRECT
    )
    assert answer("Halt, vergessen Sie es", p.CONFIRM_ADDRESS, STOP, "Seeweg 2, 24103 Kiil") is None


def test_a_correction_or_a_condition_at_a_confirmation_is_never_a_yes():
    """Held-out run 8, e17/e23: "…, nicht 45. Bitte so ändern." is a correction, "Will it be size
    42? … If yes, create it." takes the size, "if so" next to a question is asked - never a yes."""
    shown = "Karl-Marx-Allee 45, 10243 Berlin"
    fix = "Pardon, Hausnummer lautet 54 statt 45 – so ändern, bitte."
    assert answer(fix, p.CONFIRM_ADDRESS, "affirm", shown) == CORRECT
    assert answer("Größe 42, nicht 39. Dann anlegen.", p.CONFIRM_CASE, "affirm") == CORRECT
    size = "Does the replacement come in size 42? I don't see it. If yes, go ahead."
    assert answer(size, p.CONFIRM_CASE, "affirm") == CORRECT
    unnamed = "Is the new pair a size 42? Not shown there. If yes, go ahead."
    assert answer(unnamed, p.CONFIRM_CASE, "affirm") == ASK
    asked = "Is the label free? I can't see it. If so, create it."
    assert answer(asked, p.CONFIRM_CASE, "affirm") == ASK
    assert answer("Ja, wenn das nichts kostet. Kostet das was?", p.CONFIRM_CANCEL, "affirm") == ASK
    assert answer("Ja, bitte so anlegen. Wohin geht das Geld?", p.CONFIRM_CASE, "affirm") == AFFIRM
    refused = "Nein, nichts Neues anlegen, das gab es schon. Finden Sie die alte Reklamation?"
    assert answer(refused, p.CONFIRM_CASE, "deny") != ASK  # a refusal with a question of its own


def test_a_refused_person_is_a_no_to_the_offer():
    """Held-out run 8, e06: "Na, ka Kundenservice" to "Soll ich Sie verbinden?"."""
    refused = "Naa, i mog ka Kundenservice. Sogn S' ma's afoch."
    for read in ("nlu_fallback", "request_human"):
        assert answer(refused, p.HUMAN_OFFER, read) == DENY, read


def changed(address="Mühlenweg 3, 22587 Hamburg"):
    """An address confirmed and changed: the slot cleared, the bot's "Erledigt" and its question."""
    return [
        {"event": "slot", "name": "new_address", "value": address},
        bot("utter_confirm_address"),
        user_event("ja", "affirm"),
        bot("utter_address_changed"),
        bot("utter_anything_else"),
        {"event": "slot", "name": "new_address", "value": None},
    ]


def test_a_fix_right_after_the_change_reopens_it():
    """Held-out run 8, e17/e27: a protest or a fix after "Erledigt" is a correction of that change,
    never a goodbye; an unrelated "falsch" or an older change is not."""
    for text in [
        "Nein!! Das ist falsch, die Postleitzahl muss 22589 sein, nicht 22587.",
        "Oops, the postcode is 22589, not 22587. Could you correct that?",
        "Nein, das ist falsch!",
    ]:
        read = read_answer({"text": text, "intent": {"name": "nlu_fallback"}}, changed())
        assert read["intent"]["name"] == CORRECT, text
    other = read_answer(
        {"text": "Ja, meine Rechnung ist falsch", "intent": {"name": "invoice_request"}}, changed()
    )
    assert other["intent"]["name"] == "invoice_request"
    later = [*changed(), user_event("danke", "thank"), bot("utter_anything_else")]
    read = read_answer(
        {"text": "die Postleitzahl ist 22589, nicht 22587", "intent": {"name": "inform"}}, later
    )
    assert read["intent"]["name"] != CORRECT

"""Empathy (issue 12): one fitting acknowledgement per flow, by topic and mood; none on a button tap."""

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.common import empathize
from actions.empathy import ActionAcknowledge
from bot.dialogue.empathy import APOLOGY, acknowledgement, kind_of
from bot.shared.company import company
from tests.trackers import make_tracker, user_event


def bot(text):
    return {"event": "bot", "text": text}


def responses(events, slots=None):
    d = CollectingDispatcher()
    empathize(d, make_tracker(slots or {}, events))
    return [m["response"] for m in d.messages]


@pytest.mark.parametrize(
    "text, intent, kind",
    [
        ("Das Zelt ist mit einem Riss angekommen", "complaint", "defect"),
        ("die jacke ist kaputt", "return_item", "defect"),
        ("Sie haben mir den Betrag doppelt abgebucht", "payment_issue", "double_charge"),
        ("wurde zweimal belastet für eine bestellung", "payment_issue", "double_charge"),
        ("laut DHL zugestellt aber nix angekommen", "order_status", "lost_parcel"),
        ("das paket ist verschwunden", "order_status", "lost_parcel"),
        ("ich warte seit zwei wochen auf mein paket", "order_status", "waiting"),
        ("wo ist mein paket", "order_status", "waiting"),
        ("meine rechnung stimmt nicht", "invoice_request", "general"),
    ],
)
def test_the_kind_follows_what_was_said_and_the_topic(text, intent, kind):
    assert kind_of(intent, [user_event(text, intent)]) == kind


def lines(events, slots=None):
    d = CollectingDispatcher()
    empathize(d, make_tracker(slots or {}, events))
    return [m.get("response") or m.get("text") for m in d.messages]


CALM = {
    kind: company().raw["calm_acknowledgements"][kind]["sie"]
    for kind in ("defect", "double_charge", "lost_parcel")
}


def test_bad_news_told_calmly_is_acknowledged_without_an_apology():
    """Issue 22.7: no empathy line on a neutral message - a calm defect report gets thanks and action."""
    for text, intent, kind in (
        ("Das Zelt ist mit einem Riss angekommen", "complaint", "defect"),
        ("doppelt abgebucht", "payment_issue", "double_charge"),
        ("zugestellt aber nicht da", "order_status", "lost_parcel"),
    ):
        (line,) = lines([user_event(text, intent, mood=0.0)])
        assert line in CALM[kind]
        assert not APOLOGY.search(line)
    assert responses([user_event("wo ist mein paket", "order_status", mood=0.1)]) == []


def test_bad_news_told_annoyed_gets_the_apology():
    assert responses([user_event("Das Zelt hat einen Riss, das nervt", "complaint", mood=0.6)]) == [
        "utter_empathy_defect"
    ]
    assert responses(
        [user_event("wo bleibt mein paket, ich warte seit wochen!!", "order_status", mood=0.6)]
    ) == ["utter_empathy_waiting"]


def test_the_calm_acknowledgement_is_said_once_per_flow():
    first = user_event("Die Hose hat ein Loch", "complaint", mood=0.0)
    (line,) = lines([first])
    events = [first, bot(line), user_event("100234", "inform")]
    assert lines(events) == []
    # the description typed later, annoyed or repeated: still the one acknowledgement of the flow
    events += [
        bot("Was stimmt nicht?"),
        user_event("Die Naht ist gerissen!!", "complaint", mood=0.6),
    ]
    assert lines(events) == []


def test_a_calm_customer_is_never_told_they_are_angry(domain):
    assert responses([user_event("wie lange dauert der Versand?", "faq", mood=0.1)]) == []
    for name, variants in domain["responses"].items():
        if name.startswith("utter_empathy"):
            for variant in variants:
                assert "ärgern" not in variant["text"] and "ärgerst" not in variant["text"], variant


def test_no_acknowledgement_on_a_button_tap():
    tap = user_event("/complaint", "complaint")
    assert responses([tap]) == []
    assert acknowledgement("complaint", [tap], 0.35) is None
    # the details typed afterwards are acknowledged once
    events = [
        tap,
        bot("Wie lautet Ihre Bestellnummer?"),
        user_event("100234", "inform"),
        bot("Was stimmt mit dem Artikel nicht?"),
        user_event("Der Reißverschluss ist kaputt", "inform"),
    ]
    assert lines(events)[0] in CALM["defect"]


def test_at_most_one_apology_per_flow():
    first = user_event("Das Zelt ist mit einem Riss angekommen", "complaint", mood=0.2)
    events = [
        first,
        bot("Oh, das tut mir leid – so soll Ihr Artikel nicht bei Ihnen ankommen."),
        bot("Wie lautet Ihre Bestellnummer?"),
        user_event("100234", "inform"),
        user_event("es ist wirklich kaputt, total ärgerlich!!", "complaint", mood=0.7),
    ]
    assert responses(events) == []  # the same flow: already apologised
    # a frustration answer's apology counts as well
    events = [
        user_event("wo bleibt mein paket!!", "order_status", mood=0.7),
        bot("Das klingt wirklich ärgerlich, und es tut mir leid, dass Sie das erleben."),
        user_event("100234", "inform", mood=0.5),
    ]
    assert responses(events) == []


def test_a_new_topic_starts_a_new_flow():
    events = [
        user_event("Das Zelt ist mit einem Riss angekommen", "complaint"),
        bot("Das tut mir leid, so soll es nicht sein."),
        user_event("und außerdem wurde ich doppelt abgebucht", "payment_issue"),
    ]
    assert lines(events)[0] in CALM["double_charge"]


async def test_action_acknowledge_in_both_registers(domain):
    for slots in ({}, {"register": "du"}):
        d = CollectingDispatcher()
        await ActionAcknowledge().run(
            d, make_tracker(slots, [user_event("Die Hose hat ein Loch", "complaint")]), domain
        )
        reg = slots.get("register", "sie")
        assert [m["text"] for m in d.messages][0] in company().raw["calm_acknowledgements"][
            "defect"
        ][reg]
        d = CollectingDispatcher()
        await ActionAcknowledge().run(
            d, make_tracker(slots, [user_event("/complaint", "complaint")]), domain
        )
        assert d.messages == []


def test_every_acknowledgement_has_two_or_three_variations_in_sie_and_du(domain):
    for name in (
        "utter_empathy",
        "utter_empathy_waiting",
        "utter_empathy_defect",
        "utter_empathy_double_charge",
        "utter_empathy_lost_parcel",
    ):
        variants = domain["responses"][name]
        du = [
            v["text"]
            for v in variants
            if {"name": "register", "type": "slot", "value": "du"} in (v.get("condition") or [])
        ]
        sie = [v["text"] for v in variants if not v.get("condition")]
        assert 2 <= len(du) <= 3 and len(sie) == len(du), name
        assert all("leid" in t for t in du + sie), name  # each is the flow's one apology
        assert not any(" Sie " in t or "Ihnen" in t or "Ihr" in t for t in du), name
        assert not any(" dir" in t or " dich" in t or " du " in t for t in sie), name


def test_an_answer_inside_the_form_does_not_start_a_new_flow():
    events = [
        user_event("Das Zelt ist mit einem Riss angekommen", "complaint"),
        bot("Das tut mir leid, so soll es nicht sein."),
        {"event": "active_loop", "name": "complaint_form"},
        user_event("ich will es zurückschicken, die naht ist kaputt", "return_item", mood=0.5),
        {"event": "active_loop", "name": None},
    ]
    assert responses(events) == []


# Issue 22.7: feelings beyond frustration get their own line (company.yml `emotions`).


def said(events, slots=None):
    d = CollectingDispatcher()
    empathize(d, make_tracker(slots or {}, events))
    return d.messages


def test_praise_gets_thanks_never_an_apology():
    messages = said([user_event("Die Merino-Socken sind der Hammer 😊", "complaint")])
    assert len(messages) == 1 and not messages[0].get("response")
    assert "Dank" in messages[0]["text"] and "leid" not in messages[0]["text"]
    assert (
        acknowledgement("complaint", [user_event("Die Socken sind super 😊", "complaint")], 0.35)
        is None
    )


def test_grief_gets_condolence_not_a_stock_line():
    messages = said(
        [
            user_event(
                "Mein Vater ist gestorben, bitte storniert seine Bestellung",
                "cancel_order",
                mood=0.6,
            )
        ]
    )
    assert [m.get("response") for m in messages] == [None]
    assert "Beileid" in messages[0]["text"] and "rund läuft" not in messages[0]["text"]


def test_a_suspicious_link_gets_safety_advice_with_the_contact_data():
    from bot.shared.company import company

    text = "Ich habe eine Mail mit Link bekommen, ich soll mein Passwort eingeben. Ist das Betrug?"
    reply = said([user_event(text, "account_help", mood=0.8)])[0]["text"]
    assert "Link" in reply and "Passwort" in reply and "TAN" in reply
    assert company().lookup("contact.email") in reply
    assert "ärgerlich" not in reply


def test_the_feeling_line_follows_the_register():
    messages = said(
        [
            user_event(
                "mein opa ist gestorben, kannst du seine bestellung stornieren", "cancel_order"
            )
        ],
        {"register": "du"},
    )
    assert "deinem Verlust" in messages[0]["text"] or "helfe dir" in messages[0]["text"]


async def test_praise_read_as_a_complaint_gets_thanks_and_no_complaint_form(domain):
    from rasa_sdk.events import FollowupAction

    d = CollectingDispatcher()
    tracker = make_tracker(
        {}, [user_event("Die Jacke ist super, bin total zufrieden!", "complaint")]
    )
    result = await ActionAcknowledge().run(d, tracker, domain)
    assert result == [FollowupAction("action_listen")]
    assert "Dank" in d.messages[0]["text"] and d.messages[1]["response"] == "utter_anything_else"


async def test_anger_the_nlu_did_not_understand_is_acknowledged_not_met_with_nicht_verstanden(
    domain,
):
    from actions.faq import ActionFallback

    d = CollectingDispatcher()
    text = "Der Bote war wieder nicht da und das Paket ist zurück ans Lager. Unfassbar!!"
    await ActionFallback().run(
        d, make_tracker({}, [user_event(text, "nlu_fallback", mood=0.6)]), domain
    )
    assert not any(m.get("response") == "utter_fallback" for m in d.messages)
    assert (
        "Ärger" in d.messages[0]["text"]
        or "wütend" in d.messages[0]["text"]
        or "ärgern" in d.messages[0]["text"]
    )
    assert "Bestellnummer" in d.messages[1]["text"] and d.messages[1]["buttons"]


async def test_frustration_without_another_feeling_keeps_its_response(domain):
    from actions.faq import ActionFrustration

    d = CollectingDispatcher()
    await ActionFrustration().run(
        d, make_tracker({}, [user_event("so ein mist", "frustration", mood=0.6)]), domain
    )
    assert [m["response"] for m in d.messages] == ["utter_frustration"]


async def test_a_calm_message_under_the_fallback_still_gets_the_fallback(domain):
    from actions.faq import ActionFallback

    d = CollectingDispatcher()
    await ActionFallback().run(d, make_tracker({}, [user_event("blau", "nlu_fallback")]), domain)
    assert [m["response"] for m in d.messages] == ["utter_fallback"]


def test_a_condolence_comes_once_when_the_bot_first_speaks_about_the_case():
    events = [
        user_event(
            "Mein Vater ist verstorben, ich möchte seine Bestellung stornieren", "cancel_order"
        ),
        bot("Wie lautet Ihre Bestellnummer?"),
        user_event("100236", "inform"),
        bot("Mit welcher E-Mail-Adresse haben Sie bestellt?"),
        user_event("m.yilmaz@posteo.de", "inform"),
    ]
    first = said(events)
    assert "Beileid" in first[0]["text"]
    assert (
        said(events + [bot(first[0]["text"]), user_event("ja, bitte stornieren", "affirm")]) == []
    )


async def test_a_suspicious_message_gets_safety_advice_and_is_remembered(domain):
    from actions.empathy import ActionPhishingAdvice

    d = CollectingDispatcher()
    tracker = make_tracker(
        {"register": "du"}, [user_event("ist der link in der mail sicher?", "suspicious_message")]
    )
    result = await ActionPhishingAdvice().run(d, tracker, domain)
    assert "klick nicht" in d.messages[0]["text"] or "öffne den Link nicht" in d.messages[0]["text"]
    assert d.messages[1]["response"] == "utter_anything_else"
    assert "Sicherheitshinweis" in result[0]["value"][-1]


async def test_the_help_page_fallback_answers_english_and_feelings_first(domain):
    from actions.knowledge import ActionAnswerFromKnowledge

    d = CollectingDispatcher()
    english = make_tracker(
        {"language": "en"}, [user_event("Is there someone who speaks English?", "nlu_fallback")]
    )
    await ActionAnswerFromKnowledge().run(d, english, domain)
    assert [m["response"] for m in d.messages] == ["utter_fallback"]
    d = CollectingDispatcher()
    angry = make_tracker(
        {},
        [
            user_event(
                "Schon wieder nicht zugestellt. Ich bin stinksauer!", "nlu_fallback", mood=0.7
            )
        ],
    )
    await ActionAnswerFromKnowledge().run(d, angry, domain)
    assert "leid" in d.messages[0]["text"] and "Bestellnummer" in d.messages[1]["text"]


async def test_a_phishing_follow_up_gets_what_to_do_now_and_no_repeat(domain):
    """Issue 22.7: "schon auf den Link geklickt" after the advice: what to do now, never the same text."""
    from actions.empathy import ActionPhishingAdvice

    d = CollectingDispatcher()
    first = user_event("Ist diese Mail mit Link echt?", "suspicious_message")
    events = await ActionPhishingAdvice().run(d, make_tracker({}, [first]), domain)
    advice = d.messages[0]["text"]
    assert "Passwort" in advice and "service@" in advice
    history = events[0]["value"]
    seen = [first, bot(advice)]
    for text in ("Ich habe schon auf den Link geklickt", "Soll ich mein Passwort ändern?"):
        seen.append(user_event(text, "suspicious_message"))
        d = CollectingDispatcher()
        await ActionPhishingAdvice().run(d, make_tracker({"bot_actions": history}, seen), domain)
        reply = d.messages[0]["text"]
        assert "Passwort" in reply and reply not in [e.get("text") for e in seen]
        if text.endswith("geklickt"):  # the first follow-up: what to do after a click
            assert reply.startswith("Nur auf den Link zu klicken")
        seen.append(bot(reply))


async def test_card_data_typed_in_gets_block_the_card_now_and_a_direct_yes(domain):
    """Persona run 3 (d07): card number and CVC typed into a phishing page: block the card (116 116),
    not "change your password"; "sperren lassen, ja oder nein?" starts with "Ja"."""
    from actions.empathy import ActionPhishingAdvice

    first = user_event(
        "Die SMS wollte meine Kreditkartendaten, ich habe sie leider eingetippt. Ist die echt?",
        "suspicious_message",
    )
    d = CollectingDispatcher()
    events = await ActionPhishingAdvice().run(d, make_tracker({}, [first]), domain)
    reply = d.messages[0]["text"]
    assert "116 116" in reply and "sperren" in reply and "meist unbedenklich" not in reply
    assert not reply.startswith("Ja")
    asked = user_event(
        "muss ich die Karte jetzt sperren lassen, ja oder nein?", "suspicious_message"
    )
    d = CollectingDispatcher()
    slots = {"bot_actions": events[-1]["value"], "register": "du"}
    await ActionPhishingAdvice().run(d, make_tracker(slots, [first, bot(reply), asked]), domain)
    assert d.messages[0]["text"].startswith("Ja. Lass deine Karte")


async def test_a_click_without_data_keeps_the_mostly_harmless_answer(domain):
    from actions.empathy import ActionPhishingAdvice

    first = user_event("Ist diese SMS mit dem Link echt?", "suspicious_message")
    d = CollectingDispatcher()
    events = await ActionPhishingAdvice().run(d, make_tracker({}, [first]), domain)
    advice = d.messages[0]["text"]
    clicked = user_event("hab nur draufgeklickt, aber nichts eingegeben", "suspicious_message")
    d = CollectingDispatcher()
    slots = {"bot_actions": events[-1]["value"]}
    await ActionPhishingAdvice().run(d, make_tracker(slots, [first, bot(advice), clicked]), domain)
    assert d.messages[0]["text"].startswith("Nur auf den Link zu klicken")


@pytest.mark.parametrize(
    "text, words",
    [
        (
            "Ich habe meine IBAN und den Online-Banking-Login in den Link eingegeben",
            ["Bank", "116 116"],
        ),
        ("ich hab mein PayPal-Passwort auf der Seite aus der Mail eingegeben", ["paypal.com"]),
    ],
)
async def test_bank_access_and_a_password_get_their_own_next_step(domain, text, words):
    from actions.empathy import ActionPhishingAdvice

    d = CollectingDispatcher()
    await ActionPhishingAdvice().run(
        d, make_tracker({}, [user_event(text, "suspicious_message")]), domain
    )
    assert all(word in d.messages[0]["text"] for word in words)
    assert "fragt nie" in d.messages[0]["text"]


async def test_a_contact_given_with_the_block_question_is_noted_and_answered(domain):
    """d07 t5: "0176 …, und soll ich die Karte sperren lassen?" with a request open: both."""
    from actions.empathy import ActionPhishingAdvice

    said = user_event(
        "0176 5551234. und soll ich die karte jetzt sperren lassen?", "suspicious_message"
    )
    d = CollectingDispatcher()
    await ActionPhishingAdvice().run(d, make_tracker({"handoff_ticket": "5"}, [said]), domain)
    assert d.messages[0]["custom"]["contact"]["ticket"] == 5
    assert d.messages[1]["text"].startswith("Ja.") and "116 116" in d.messages[1]["text"]


async def test_a_blocked_card_gets_the_next_steps_not_the_block_text_again(domain):
    """Persona run 5, d07: after "die Karte ist schon gesperrt" the block text came twice more and the
    questions (forward the SMS? customs?) stayed open; a second follow-up gets the shorter variation."""
    from actions.empathy import ActionPhishingAdvice

    typed = user_event(
        "Über den Link in der SMS habe ich meine Kartennummer eingetippt, seid ihr das?",
        "suspicious_message",
    )
    d = CollectingDispatcher()
    events = await ActionPhishingAdvice().run(d, make_tracker({"register": "du"}, [typed]), domain)
    block = d.messages[0]["text"]
    assert block.startswith("Lass deine Karte")
    slots = {"bot_actions": events[-1]["value"], "register": "du"}
    done = user_event("Karte ist gesperrt. Soll ich euch die SMS schicken?", "suspicious_message")
    seen = [typed, bot(block), done]
    d = CollectingDispatcher()
    await ActionPhishingAdvice().run(d, make_tracker(slots, seen), domain)
    first = d.messages[0]["text"]
    assert "sofort sperren" not in first and "service@" in first and "Zoll" in first
    assert "Sie " not in first
    seen += [bot(first), user_event("und der Zoll aus der SMS?", "suspicious_message")]
    d = CollectingDispatcher()
    await ActionPhishingAdvice().run(d, make_tracker(slots, seen), domain)
    second = d.messages[0]["text"]
    assert second != first and "Zoll" in second and "sofort sperren" not in second


async def test_the_block_question_after_a_threat_still_gets_the_block_text(domain):
    """ "sonst wird die Karte gesperrt" (the SMS's threat) is no block done."""
    from actions.empathy import ActionPhishingAdvice

    typed = user_event(
        "Die SMS sagt, sonst wird meine Karte gesperrt. Ich habe die Kartendaten eingegeben.",
        "suspicious_message",
    )
    d = CollectingDispatcher()
    await ActionPhishingAdvice().run(d, make_tracker({}, [typed]), domain)
    assert d.messages[0]["text"].startswith("Lassen Sie Ihre Karte bitte jetzt sofort sperren")


async def test_money_already_gone_gets_the_card_block_at_once(domain):
    """Held-out persona run 6 (d10): "I did it and now 400 € are gone" got "please do not click the
    link"; the first answer is the card block with 116 116."""
    from actions.empathy import ActionPhishingAdvice

    d = CollectingDispatcher()
    text = "Eine Mail wollte 3 € Versandgebühr per Link, hab ich gezahlt – jetzt fehlen mir 250 €!"
    await ActionPhishingAdvice().run(
        d, make_tracker({}, [user_event(text, "suspicious_message")]), domain
    )
    assert "116 116" in d.messages[0]["text"] and "klicken Sie nicht" not in d.messages[0]["text"]


@pytest.mark.parametrize(
    "reg, asked, words",
    [
        (
            "du",
            "ok karte ist gesperrt. und die 1,80 – krieg ich die von euch zurück oder zahlt das meine bank?",
            ["nicht bei uns angekommen", "Kartenaussteller", "Rückbuchung", "Polizei", "du"],
        ),
        (
            "en",
            "I blocked the card already. Will you give me back the 2 euros or is that my bank?",
            ["never reached us", "card issuer", "chargeback", "police"],
        ),
    ],
)
async def test_money_paid_on_the_fake_page_is_for_the_bank_not_a_shop_refund(
    domain, reg, asked, words
):
    """Held-out run 8, e04 t5/t6: "zahlt ihr das oder meine Bank?" got the return policy and "Mehr
    musst du nicht tun": the shop never got the money; the bank or card issuer may get it back."""
    from actions.empathy import ActionPhishingAdvice

    first = user_event(
        "Ich hab über den Link in der SMS 1,80 € Zollgebühr mit meiner Kreditkarte bezahlt",
        "suspicious_message",
    )
    events = [first, bot("Lass deine Karte bitte jetzt sofort sperren …")]
    d = CollectingDispatcher()
    slots = {"bot_actions": ["Sicherheitshinweis gegeben"], "register": reg}
    if reg == "en":
        slots = {**slots, "register": "sie", "language": "en"}
    await ActionPhishingAdvice().run(
        d, make_tracker(slots, [*events, user_event(asked, "suspicious_message")]), domain
    )
    said = " ".join(m.get("text") or "" for m in d.messages)
    assert all(word in said for word in words), said
    assert "116 116" not in said and "Mehr musst du nicht tun" not in said

"""English variants of domain.yml responses (issue 22, pattern 12): the text table of the dialogue.

A response answers an English-writing customer with its variant conditioned on the slot
`language = en`. Rasa picks at random among all matching conditional variants, so an English variant
must be the only match for an English customer, and never match a German one. The core flows must
have one: an English customer gets no German from them.
"""

from __future__ import annotations

from itertools import product
from pathlib import Path

import pytest
import yaml
from rasa.core.nlg.generator import ResponseVariationFilter

DOMAIN = Path(__file__).resolve().parents[3] / "domain.yml"
RESPONSES = yaml.safe_load(DOMAIN.read_text(encoding="utf-8"))["responses"]

# What an English customer meets in the core flows: greeting, order status and its verification,
# returns, cancellation, payment state, handoff, thanks and goodbye.
CORE = """
utter_greet utter_goodbye utter_thank utter_anything_else utter_affirm_ack utter_deny_ack
utter_glad_it_helped utter_goodbye_ask_rating utter_rating_thanks_bye utter_rating_thanks utter_ask_rating
utter_fallback utter_ask_order_id utter_ask_email utter_invalid_order_id utter_invalid_email
utter_email_mismatch utter_verification_failed utter_order_status utter_order_delayed utter_lost_parcel
utter_ask_return_reason utter_ask_return_mode utter_confirm_return utter_return_created
utter_return_not_possible utter_return_not_delivered utter_case_declined utter_return_status_none
utter_confirm_cancel utter_cancel_done utter_cancel_kept utter_cancel_not_possible
utter_cancel_not_possible_delivered utter_cancel_possible utter_cancel_already utter_cancel_partial
utter_payment_status utter_payment_escalate utter_handoff utter_handoff_frustrated utter_shop_unavailable
""".split()


def is_english(variant) -> bool:
    return any(
        c.get("name") == "language" and c.get("value") == "en"
        for c in variant.get("condition") or []
    )


def chosen(name: str, **slots):
    return ResponseVariationFilter(RESPONSES).responses_for_utter_action(name, "rest", slots)


WITH_ENGLISH = sorted(n for n, variants in RESPONSES.items() if any(map(is_english, variants)))


@pytest.mark.parametrize("name", CORE)
def test_core_responses_have_an_english_variant(name):
    assert name in WITH_ENGLISH


@pytest.mark.parametrize("name", WITH_ENGLISH)
def test_an_english_customer_gets_only_the_english_variant(name):
    for welcomed in (True, False):
        variants = chosen(name, language="en", register="sie", welcomed=welcomed)
        assert variants and all(map(is_english, variants)), (name, welcomed)


@pytest.mark.parametrize("name", WITH_ENGLISH)
def test_a_german_customer_never_gets_the_english_variant(name):
    for register, welcomed in product(("sie", "du"), (True, False)):
        variants = chosen(name, language="de", register=register, welcomed=welcomed)
        assert variants and not any(map(is_english, variants)), (name, register, welcomed)


def test_english_buttons_keep_the_german_intents():
    """A button means the same in both languages: only the titles are translated (an English button
    may also send a plain question, like the fallback's "How do returns work?")."""
    for name in WITH_ENGLISH:
        english = [v for v in RESPONSES[name] if is_english(v)]
        german = [v for v in RESPONSES[name] if not v.get("condition")]
        if not german or not german[0].get("buttons"):
            continue
        for variant in english:
            intents = {b["payload"] for b in german[0]["buttons"]}
            for button in variant.get("buttons") or []:
                assert button["payload"] in intents or not button["payload"].startswith("/"), name

import pytest

from bot.dialogue.mood import conversation_mood, score_text


def test_calm_request_scores_low():
    assert score_text("Hallo, wo ist mein Paket?").score < 0.2


def test_angry_message_with_signals_scores_high():
    mood = score_text("Ich bin total sauer!!! Seit Wochen warte ich")
    assert mood.score >= 0.8
    assert any(s.startswith("exclamations") for s in mood.signals)
    assert any(s.startswith("intensified") for s in mood.signals)


def test_caps_raise_the_score():
    assert score_text("DAS IST EINE FRECHHEIT").score > score_text("das ist eine frechheit").score


def test_negated_praise_counts_as_negative():
    mood = score_text("ich bin nicht zufrieden mit der lieferung")
    assert mood.score > 0.2
    assert "negated:zufrieden" in mood.signals


def test_umlaut_free_spelling_is_understood():
    assert score_text("ich bin so wuetend").score > 0.5


def test_praise_is_calm():
    assert score_text("Danke, super schnell geliefert!").score < 0.2


def test_repeated_complaints_raise_conversation_mood():
    single = conversation_mood([0.4], ["complaint"])
    repeated = conversation_mood([0.4, 0.4, 0.4], ["complaint", "complaint", "complaint"])
    assert repeated > single


def test_history_keeps_anger_for_a_while():
    # A still annoyed follow-up keeps half of the earlier anger (and so reaches the
    # escalation threshold 0.7 sooner).
    assert conversation_mood([0.9, 0.4], ["frustration", "order_status"]) >= 0.6
    assert conversation_mood([], []) == 0.0


def test_calm_follow_up_after_anger_is_not_read_as_angry():
    angry = score_text("Ich bin total sauer!!! Seit Wochen warte ich").score
    calm = score_text("Die Bestellnummer ist 100234").score
    # Below the empathy threshold (actions/settings.py EMPATHY_THRESHOLD 0.35): no second "sorry".
    assert conversation_mood([angry, calm], ["frustration", "inform"]) < 0.35
    assert conversation_mood([0.9, 0.1], ["frustration", "order_status"]) < 0.35


@pytest.mark.parametrize(
    "text", ["kein Problem", "nicht schlecht", "Kein Problem, danke!", "Das ist gar nicht schlecht"]
)
def test_negated_complaint_words_are_calm(text):
    assert score_text(text).score < 0.2


@pytest.mark.parametrize("text", ["nicht gut", "nicht so gut", "gar nicht zufrieden"])
def test_negated_praise_still_raises(text):
    assert score_text(text).score >= 0.3


@pytest.mark.parametrize(
    "text", ["Das Zelt ist mit einem Riss angekommen", "Die Jacke ist beschädigt angekommen"]
)
def test_damage_is_mild_dissatisfaction_not_anger(text):
    assert 0.2 <= score_text(text).score <= 0.4


def test_angry_defect_report_stays_angry():
    assert score_text("Das Zelt ist kaputt angekommen, eine Frechheit!!!").score >= 0.8


@pytest.mark.parametrize(
    "text",
    [
        "Muss ich bei der Zustellung in die Schweiz Zoll bezahlen?",
        "nice, und kann ich das irgendwie verfolgen?",
        "Ich habe schon auf den Link geklickt, aber noch nichts eingegeben.",
        "Ich möchte eine Bestellung aufgeben und mit Klarna zahlen.",
    ],
)
def test_shop_words_the_general_lexicon_scores_negative_are_calm(text):
    """Issue 22.7: "bezahlen", "verfolgen", "Link" are shop vocabulary, not frustration."""
    assert score_text(text).score < 0.35


def test_nothing_arrived_after_weeks_is_still_frustration():
    assert score_text("Ich habe nichts bekommen und warte seit Wochen!").score >= 0.35


def test_asking_to_complain_is_a_request_not_anger():
    assert score_text("ich möchte zu bestellung 100238 noch was reklamieren").score < 0.35
    assert score_text("Ich will mich beschweren, das ist eine Frechheit!").score >= 0.35


def test_echt_jetzt_is_annoyance_and_refusing_a_parcel_is_calm():
    """Issue 22.7: "…schon gerissen, echt jetzt??" is annoyed; "Annahme verweigern" asks calmly."""
    assert (
        score_text("die jacke ist nach einer woche gerissen, echt jetzt?? was machst du?").score
        >= 0.35
    )
    assert score_text("kann ich die annahme verweigern?").score < 0.35

from kundendialog.core.mood import conversation_mood, score_text


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
    assert conversation_mood([0.9, 0.1], ["frustration", "order_status"]) >= 0.5
    assert conversation_mood([], []) == 0.0

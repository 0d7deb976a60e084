"""One list of states: enums, labels and the database constraints agree."""

from bot.hub.states import ENUMS, LABELS, ConversationState, values


def test_every_state_has_a_label_and_no_label_lacks_a_state():
    assert set(LABELS) == set(ENUMS)
    for kind, enum in ENUMS.items():
        assert list(LABELS[kind]) == list(values(enum)), kind


def test_members_are_plain_strings_on_the_wire():
    import json

    assert json.dumps({"state": ConversationState.QUEUED}) == '{"state": "queued"}'
    assert f"{ConversationState.AGENT}" == "agent" and str(ConversationState.BOT) == "bot"
    assert ConversationState.CLOSED == "closed"

"""Shared action helpers (actions/common.py)."""

from rasa_sdk.executor import CollectingDispatcher

from tests.trackers import make_tracker, user_event


def test_the_condolence_is_said_once_per_action_run():
    """Two steps of one form run (read-back, e-mail question) both start on the case."""
    from actions.common import feel

    tracker = make_tracker(
        events=[user_event("Mein Opa ist verstorben, Rücksendung 100235", "return_item")]
    )
    d = CollectingDispatcher()
    assert feel(d, tracker) is True
    assert feel(d, tracker) is False
    assert len(d.messages) == 1 and "Beileid" in (d.messages[0].get("text") or "")

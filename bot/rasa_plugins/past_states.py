"""Rasa's dialogue states computed once per event of a conversation, not again on every prediction.

Every policy asks `Domain.states_for_tracker_history` for the states of the whole session, several
times per turn, and Rasa 3.6 answers by replaying every event from the start: 7 ms per call at turn
120 of an FAQ conversation, ~20 % of a turn there, and the reason a turn still got slower the longer
the conversation was once the tracker store no longer did (issue 26.1).

`install()` replaces it with the same loop, resumed: per conversation (and per combination of the
arguments) it keeps the replayed tracker, the states so far and the loop's two flags, and continues
from the first event it has not seen. It starts over whenever the applied events are not an
extension of the ones it saw (a revert, a restart, another tracker under the same id), when a user
event's `use_text_for_featurization` changed since (the one event attribute Rasa changes after the
fact, and the states depend on it), or when the domain is another one. Callers get copies of the
states (the featurizers edit the last state in place), sharing sub-states exactly where Rasa's own
result shares them.
"""

from __future__ import annotations

import dataclasses
import json
from collections import OrderedDict
from typing import Any, Dict, List, Tuple

from rasa.shared.core import constants
from rasa.shared.core.domain import Domain, State
from rasa.shared.core.events import ActionExecuted, Event, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.rasa_plugins.tracker_store import twin

ORIGINAL = Domain.states_for_tracker_history
LIMIT = [200]  # conversations remembered (KD_TRACKER_CACHE); the least recently used is dropped


@dataclasses.dataclass
class _Run:
    domain: Domain
    applied: List[Event]  # the applied events replayed so far
    flags: List[Tuple[int, Any]]  # (position, use_text_for_featurization) of each user event in it
    replay: DialogueStateTracker  # the tracker after `applied`
    states: List[State]
    last_ml: Dict[str, Any] | None = None
    hidden: bool = False


_RUNS: OrderedDict[Tuple[Any, ...], _Run] = OrderedDict()


def _step(
    domain: Domain,
    run: _Run,
    states: List[State],
    tracker: DialogueStateTracker,
    hide: bool,
    omit_unset_slots: bool,
    ignore_rule_only_turns: bool,
    rule_only_data: Dict[str, Any] | None,
) -> None:
    """One pass of the loop body of Domain.states_for_tracker_history (Rasa 3.6), on `run`'s flags."""
    if ignore_rule_only_turns:
        if not run.hidden:
            run.last_ml = domain._get_prev_action_sub_state(tracker)
        if (
            not tracker.followup_action
            and not tracker.latest_action_name == tracker.active_loop_name
        ):
            run.hidden = hide
        if run.hidden:
            return
    state = domain.get_active_state(tracker, omit_unset_slots=omit_unset_slots)
    if ignore_rule_only_turns:
        domain._remove_rule_only_features(state, rule_only_data)
        if states:
            domain._substitute_rule_only_user_input(state, states[-1])
        if run.last_ml:
            state[constants.PREVIOUS_ACTION] = run.last_ml  # type: ignore[assignment]
    states.append(domain._clean_state(state))


def _unchanged(run: _Run, applied: List[Event]) -> bool:
    seen = run.applied
    if len(applied) < len(seen):
        return False
    for old, new in zip(seen, applied):
        if old is not new and (type(old) is not type(new) or old.as_dict() != new.as_dict()):
            return False
    return all(
        getattr(applied[i], "use_text_for_featurization", None) == flag for i, flag in run.flags
    )


def _copy(states: List[State]) -> List[State]:
    """Fresh state and sub-state dicts; a sub-state shared by two states stays shared."""
    copies: Dict[int, Any] = {}
    out: List[State] = []
    for state in states:
        new: Dict[str, Any] = {}
        for kind, sub in state.items():
            if isinstance(sub, dict):
                twin = copies.get(id(sub))
                if twin is None:
                    twin = copies[id(sub)] = dict(sub)
                new[kind] = twin
            else:
                new[kind] = sub
        out.append(new)  # type: ignore[arg-type]
    return out


def states_for_tracker_history(
    self: Domain,
    tracker: DialogueStateTracker,
    omit_unset_slots: bool = False,
    ignore_rule_only_turns: bool = False,
    rule_only_data: Dict[str, Any] | None = None,
) -> List[State]:
    if type(tracker) is not DialogueStateTracker or tracker.is_rule_tracker:
        return ORIGINAL(self, tracker, omit_unset_slots, ignore_rule_only_turns, rule_only_data)
    key = (
        tracker.sender_id,
        omit_unset_slots,
        ignore_rule_only_turns,
        json.dumps(rule_only_data, sort_keys=True, default=str),
    )
    applied = tracker.applied_events()
    run = _RUNS.get(key)
    if run is None or run.domain is not self or not _unchanged(run, applied):
        run = _Run(self, [], [], tracker.init_copy(), [])
    _RUNS[key] = run
    _RUNS.move_to_end(key)
    while len(_RUNS) > LIMIT[0]:
        _RUNS.popitem(last=False)
    args = (omit_unset_slots, ignore_rule_only_turns, rule_only_data)
    # kept up to the latest user event: its `use_text_for_featurization` is set later in the turn
    users = [i for i, e in enumerate(applied) if isinstance(e, UserUttered)]
    cut = max(users[-1] if users else len(applied), len(run.applied))
    for event in applied[len(run.applied) : cut]:
        if isinstance(event, ActionExecuted):
            _step(self, run, run.states, run.replay, event.hide_rule_turn, *args)
        run.replay.update(event)
    run.applied = applied[:cut]
    run.flags = [(i, applied[i].use_text_for_featurization) for i in users if i < cut]
    # the rest, and Rasa's final `yield tracker, False` (the tracker as it is now), on copies
    states, rest, replay = list(run.states), dataclasses.replace(run), twin(run.replay)
    for event in applied[cut:]:
        if isinstance(event, ActionExecuted):
            _step(self, rest, states, replay, event.hide_rule_turn, *args)
        replay.update(event)
    _step(self, rest, states, replay, False, *args)
    return _copy(states)


def install(limit: int) -> None:
    LIMIT[0] = max(1, limit)
    Domain.states_for_tracker_history = states_for_tracker_history  # type: ignore[method-assign]

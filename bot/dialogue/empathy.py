"""One fitting acknowledgement per flow: which kind, and whether one is due at all.

Works on tracker events as plain dicts (like bot.dialogue.escalation), so the actions
and their tests agree. Rules (issue 12):
- the kind follows the topic and what the customer said: waiting for a delivery, a defect or
  damaged item, a double charge, a lost parcel, or a general one;
- a defect, double charge or lost parcel is acknowledged whatever the mood (the fact itself is
  bad news) - reported calmly, without an apology (company.yml `calm_acknowledgements`: no empathy
  line on a neutral message, issue 22.7); waiting and everything else only when the mood shows it
  (never "Sie ärgern sich" to a calm customer);
- at most one apology per flow: none when a bot message since the topic started already
  apologised (the acknowledgement, utter_frustration, a handoff text);
- none on a button tap ("/complaint" from "Problem mit Artikel" is a choice, not a complaint).
Feelings beyond frustration (issue 22, bot/dialogue/emotion.py) come first: grief gets condolence, worry
about a suspicious message safety advice, anger its own acknowledgement, praise thanks - and praise never
an empathy line. Their texts are in company.yml `emotions`.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List

from bot.dialogue.emotion import annoyance_shown, emotion_of
from bot.dialogue.escalation import TOPIC_INTENTS, current_mood, intent_of, since_resume

Event = Dict[str, Any]
KINDS = ("waiting", "defect", "double_charge", "lost_parcel", "general")
RESPONSES = {
    "waiting": "utter_empathy_waiting",
    "defect": "utter_empathy_defect",
    "double_charge": "utter_empathy_double_charge",
    "lost_parcel": "utter_empathy_lost_parcel",
    "general": "utter_empathy",
}
ALWAYS = {"defect", "double_charge", "lost_parcel"}  # bad news in itself: acknowledged at any mood
APOLOGY = re.compile(
    r"\b(tut (mir|uns) (\w+ )?leid|entschuldig\w*|beileid|verstehe (ihren|deinen) ärger|"
    r"dass (sie sich|du dir) sorgen|keine sorge|sorry|apologi[sz]e|understand your (?:anger|worry))",
    re.IGNORECASE,
)
# The calm acknowledgements (company.yml `calm_acknowledgements`, German and English) by their words:
# said once per flow.
CALM_SAID = re.compile(r"(?i)danke für (ihren|deinen) hinweis|thank you for letting us know")
ALWAYS_SAID = {
    "phishing",
    "joy",
}  # answers, not apologies: said whenever the message calls for them

_DOUBLE = re.compile(
    r"\b(doppelt\w*|zweimal|zwei ?mal|2 ?x|mehrfach)\b.*\b(abgebucht|belastet|bezahlt|gezahlt|"
    r"abgezogen|berechnet|abbuchung)|\b(doppelt\w*|zweimal|mehrfach)\s+(abbuchung|belastung)\w*|"
    r"\bdoppelt\w* (abgebucht|belastet|bezahlt|berechnet)",
    re.IGNORECASE,
)
_LOST = re.compile(
    r"zugestellt\b.{0,40}\b(nicht|nix|nichts|kein\w*|nie)\b|\b(verloren|verschwunden|gestohlen|"
    r"nie angekommen|paket ist weg|(nichts|nix) (\w+ )?angekommen)\b|"
    r"\bnicht\b.{0,20}\bzugestellt\b.{0,10}\baber\b",
    re.IGNORECASE,
)
# "falls das Paket verloren ist, …?", "wenn es weg ist": a parcel that might be lost, asked about
# while it is on its way, is no lost parcel ("wenn ein Paket als zugestellt gilt …" was wrong, run 8 e03).
_IF_LOST = re.compile(
    r"\b(?:falls|wenn|sollte|if|in\s+case)\b[^.!?,;]{0,40}?\b(?:verloren|verschwunden|weg|lost|gone)\b",
    re.IGNORECASE,
)
_DEFECT = re.compile(
    r"\b(kaputt\w*|defekt\w*|beschädigt\w*|beschaedigt\w*|riss|rissen|gerissen|loch|löcher|"
    r"zerbrochen|zerrissen|fleck\w*|mangel\w*|mängel\w*|funktioniert nicht|geht nicht mehr|"
    r"falsche[nrs]? (artikel|größe|farbe|ware))\b",
    re.IGNORECASE,
)
_WAITING = re.compile(
    r"\b(wart\w*|immer noch nicht|noch nicht (da|angekommen|geliefert)|verspät\w*|verzöger\w*|"
    r"dauert|wo bleibt|seit (tagen|wochen|\d+))\b",
    re.IGNORECASE,
)


def is_tap(event: Event | None) -> bool:
    """A tapped button: the hub sends its payload ("/complaint"), never typed text with a leading slash."""
    return bool(event) and str((event or {}).get("text") or "").startswith("/")


def flow_events(events: List[Event]) -> List[Event]:
    """The events of the current flow: since the customer last raised a different topic (or the hand-back).
    Answers inside a form (the complaint description, an order number) never start a new flow, whatever
    intent they were read as."""
    events = since_resume(events)
    topics = []
    in_form = False
    for i, event in enumerate(events):
        if event.get("event") == "active_loop":
            in_form = bool(event.get("name"))
        elif event.get("event") == "user" and not in_form:
            topic = (intent_of(event) or "").split("/")[0]
            if topic in TOPIC_INTENTS:
                topics.append((i, topic))
    if not topics:
        return events
    current = topics[-1][1]
    start = topics[-1][0]
    for i, topic in reversed(topics):
        if topic != current:
            break
        start = i
    return events[start:]


def apologized(events: List[Event]) -> bool:
    """Whether a bot message of the current flow already apologised."""
    return any(
        e.get("event") == "bot" and APOLOGY.search(str(e.get("text") or ""))
        for e in flow_events(events)
    )


def kind_of(topic: str | None, events: List[Event]) -> str:
    """Which acknowledgement fits: from what the customer wrote in this flow, else from the topic."""
    said = " ".join(
        str(e.get("text") or "")
        for e in flow_events(events)
        if e.get("event") == "user" and not is_tap(e)
    )
    base = (topic or "").split("/")[0]
    if _DOUBLE.search(said):
        return "double_charge"
    if _LOST.search(_IF_LOST.sub(" ", said)):
        return "lost_parcel"
    if base == "complaint" or _DEFECT.search(said):
        return "defect"
    if base == "order_status" or _WAITING.search(said):
        return "waiting"
    return "general"


def feeling(events: List[Event], threshold: float) -> str | None:
    """The company.yml `emotions` text due instead of a topic's acknowledgement, or None.

    Praise (thanks) and a suspicious message (safety advice) answer the latest typed message. Grief,
    worry and anger are read from every typed message of the current flow, so a condolence still comes
    when the bot first speaks about the case after the verification questions - once per flow, like any
    apology."""
    users = [e for e in events if e.get("event") == "user"]
    if not users or is_tap(users[-1]):
        return None
    latest = emotion_of(str(users[-1].get("text") or ""), threshold)
    if latest.phishing:
        return "phishing"
    if latest.name in ALWAYS_SAID:
        return latest.name
    if apologized(events):
        return None
    return shown(events, threshold)


def shown(events: List[Event], threshold: float) -> str | None:
    """Grief, worry or anger shown in a typed message of the current flow (the latest such), whether
    or not its line was said already: the questions that follow are asked gently (no cheerful
    "Danke!" after "Mein Mann ist verstorben" or "Das ist eine Frechheit!!!")."""
    for event in reversed(flow_events(events)):
        if event.get("event") == "user" and not is_tap(event):
            name = emotion_of(str(event.get("text") or ""), threshold).name
            if name in ("grief", "worry", "anger"):
                return name
    return None


def bereaved(events: List[Event]) -> bool:
    """A relative's death was told anywhere in the conversation (not only this flow): a later money
    or account question is no annoyance to call "ärgerlich"."""
    return any(
        e.get("event") == "user"
        and not is_tap(e)
        and emotion_of(str(e.get("text") or "")).name == "grief"
        for e in events
    )


def annoyed(events: List[Event], threshold: float) -> bool:
    """Frustration without anger in a typed message of the current flow ("echt jetzt?", "😤"): the
    verification questions are asked gently, after the topic's acknowledgement (persona run 2, d14)."""
    return any(
        e.get("event") == "user"
        and not is_tap(e)
        and annoyance_shown(str(e.get("text") or ""), threshold)
        for e in flow_events(events)
    )


def acknowledgement(topic: str | None, events: List[Event], threshold: float) -> str | None:
    """The response to utter before the facts (utter_empathy_*), or None when none is due (also when
    the message calls for a feeling's own line, or is praise)."""
    users = [e for e in events if e.get("event") == "user"]
    if not users or is_tap(users[-1]) or apologized(events) or acknowledged_calmly(events):
        return None  # one acknowledgement per flow, the calm one included
    text = str(users[-1].get("text") or "")
    if emotion_of(text, threshold).name in ("joy", "grief", "worry", "anger"):
        return None
    if bereaved(users):  # "Das ist ärgerlich" to someone whose father died (persona run 5, d05)
        return None
    if current_mood(since_resume(events)) < threshold and not annoyance_shown(text, threshold):
        return None  # calm: no apology (a defect's calm line is calm_acknowledgement)
    return RESPONSES[kind_of(topic, events)]


def calm_acknowledgement(topic: str | None, events: List[Event], threshold: float) -> str | None:
    """The company.yml `calm_acknowledgements` key for bad news told calmly (a defect, a double charge,
    a lost parcel): a plain "thanks for telling us, we sort it out" without an apology, once per flow;
    None when the mood calls for the apology (`acknowledgement`) or no such news was told."""
    users = [e for e in events if e.get("event") == "user"]
    if not users or is_tap(users[-1]) or apologized(events):
        return None
    if emotion_of(str(users[-1].get("text") or ""), threshold).name != "neutral":
        return None
    if current_mood(since_resume(events)) >= threshold:
        return None
    kind = kind_of(topic, events)
    if kind not in ALWAYS:
        return None
    return None if acknowledged_calmly(events) else kind


def acknowledged_calmly(events: List[Event]) -> bool:
    """Whether a bot message of the current flow was a calm acknowledgement (CALM_SAID)."""
    return any(
        e.get("event") == "bot" and CALM_SAID.search(str(e.get("text") or ""))
        for e in flow_events(events)
    )

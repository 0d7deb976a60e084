"""A typed button: the customer writes what a button of the bot's last turn offers (issue 22).

"NACHFORSCHUNG STARTEN bitte" under the buttons "Nachforschung" / "Ich schaue nach", "zurückziehen
bitte" under "Ändern" / "Zurückziehen" / "So lassen", "ja passt." under "Ja, anlegen" / "Nein": the
customer gets exactly what the tap does, so the message is read as that button's payload.

Three readings, each only where nothing in the sentence says no:

- a sentence of the message names one button's title words (stems, case and umlaut spelling
  ignored, politeness and yes words left out) better than every other button, and most of the
  sentence is those words; a W-question or a report ("ich habe die Rücksendung schon …") is not
  a choice;
- a sentence that is only a clear yes ("ja passt.", "yes please.") picks the one button whose
  title starts with a yes, unless the message goes on with "aber", "nur", "but", "only";
- a yes that repeats the offer in the bot's own words ("yes please pass it on" after "… or I pass
  your request on to a colleague") takes the turn's only button.

Works on event dicts like bot.dialogue.pending.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Tuple

from bot.dialogue.pending import CONFIRM_ADDRESS, CONFIRM_CANCEL, CONFIRM_CASE, pending
from bot.dialogue.plain_yes import reservation
from bot.dialogue.word_patterns import DIALECT_NO
from bot.dialogue.yes_no import CONFIRMATIONS, shown_address

Button = Dict[str, str]

_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_WORD = re.compile(r"[a-zäöüß]+")
_SENTENCE = re.compile(r"[.!?;\n]+")
# Words that carry no choice: politeness, yes words, pronouns, articles, fillers.
_QUIET = frozenset(
    (
        "bitte gern gerne danke dank ja jo jap jep jaa okay ok klar genau passt mal doch einfach "
        "jetzt sofort nun dann halt eben so gleich schon ich du sie wir mir mich dir dich uns es "
        "das die der den dem des ein eine einen einem einer mein meine meinen dein deine ihre ihren "
        "und oder an zu mit fuer yes yeah yep please thanks thank sure fine the a an it to on and "
        "of for my your me you we i it them they this that these those can could would will "
        "kannst koennen koennten kann wuerden "
        "magst moechte moechten will wollen"
    ).split()
)
_YES_WORDS = frozenset(
    "ja jo jap jep jaa yes yeah yep ok okay passt gern gerne klar genau stimmt richtig sure "
    "fine correct super perfekt prima".split()
)
_YES_START = frozenset("ja jo jap jep jaa yes yeah yep ok okay gern gerne klar genau sure".split())
_NEGATION = re.compile(
    r"(?i)\b(?:nein|nee|nö|noe|nicht|nich|net|ned|kein\w*|nie|niemals|no|not|don'?t|doesn'?t|"
    rf"never|stop|lieber\s+nicht|doch\s+nicht)\b|n't\b|{DIALECT_NO}"
)
_QUESTION = re.compile(
    r"(?i)^\s*(?:\w+\s+){0,2}(?:was|wie|wann|warum|wieso|weshalb|wo|wohin|woher|welche\w*|wer|"
    r"what|how|when|why|where|which|who)\b"
)
# A report of what happened is not a choice ("ich habe die Rücksendung schon abgeschickt").
_REPORT = re.compile(
    r"(?i)\b(?:habe|hab|hatte|hast|hat|ist|war|wurde|wurden|wird|werden|sind|bin|have|has|had|was|"
    r"were|is)\b"
)
# "…, dass sie storniert wird", "wenn …": a dependent clause names no choice
_DEPENDENT = re.compile(r"(?i)^\s*(?:dass|daß|ob|wenn|falls|weil|that|if|whether|because)\b")
_BUT = re.compile(r"(?i)\b(?:aber|nur|ausser|außer|but|only|except)\b")


def _fold(word: str) -> str:
    return word.lower().translate(_FOLD)


def words(text: str) -> List[str]:
    """The message's words, lower case, umlauts spelt out."""
    return [_fold(w) for w in _WORD.findall((text or "").lower())]


def content(text: str) -> List[str]:
    """The words that can name a choice (no politeness, no yes words, no short bits)."""
    return [w for w in words(text) if w not in _QUIET and len(w) > 2]


def same_stem(a: str, b: str) -> bool:
    """ "starte" / "starten", "storniert" / "stornieren": one stem with short endings; not
    "zurückschicken" / "zurückziehen" (a shared prefix with long different rests)."""
    if a == b:
        return True
    common = 0
    for x, y in zip(a, b):
        if x != y:
            break
        common += 1
    return common >= 4 and len(a) - common <= 4 and len(b) - common <= 4


def last_bot_turn(events: List[Dict[str, Any]]) -> Tuple[List[Button], str]:
    """The buttons and the text of the bot's messages after the latest customer message."""
    buttons: List[Button] = []
    texts: List[str] = []
    for event in reversed(events):
        if event.get("event") == "user":
            break
        if event.get("event") == "bot":
            data = event.get("data") or {}
            buttons = list(data.get("buttons") or []) + buttons
            texts.insert(0, str(event.get("text") or ""))
    valid = [b for b in buttons if b.get("title") and str(b.get("payload") or "").startswith("/")]
    return valid, " ".join(texts)


def _score(sentence: List[str], title: List[str]) -> float:
    if not title:
        return 0.0
    return sum(any(same_stem(t, w) for w in sentence) for t in title) / len(title)


def by_title(text: str, buttons: List[Button]) -> Button | None:
    """The button whose title a sentence of the message names better than any other."""
    titles = [content(b["title"]) for b in buttons]
    for sentence in _SENTENCE.split(text or ""):
        if _NEGATION.search(sentence) or _QUESTION.search(sentence):
            continue
        for clause in sentence.split(","):  # "zurückziehen bitte, meine Schwester nimmt ihn"
            chosen = _named(clause, titles)
            if chosen is not None:
                return buttons[chosen]
    return None


def _named(clause: str, titles: List[List[str]]) -> int | None:
    """The index of the title one clause names (most of the clause being its words)."""
    said = content(clause)
    if not said or _REPORT.search(clause) or _DEPENDENT.search(clause):
        return None
    scores = sorted(((_score(said, t), i) for i, t in enumerate(titles)), reverse=True)
    best, index = scores[0]
    runner_up = scores[1][0] if len(scores) > 1 else 0.0
    if best < (1.0 if len(titles[index]) == 1 else 0.5) or best <= runner_up:
        return None
    covered = sum(any(same_stem(w, t) for t in titles[index]) for w in said) / len(said)
    return index if covered >= 0.5 else None


def _clear_yes(sentence: str) -> bool:
    said = words(sentence)
    return (
        bool(said) and said[0] in _YES_START and all(w in _YES_WORDS or w in _QUIET for w in said)
    )


# Confirmations whose yes may carry a question (actions/answers.py answers it after the change).
_ASKED_AFTER_YES = frozenset({CONFIRM_CASE, CONFIRM_CANCEL, CONFIRM_ADDRESS})


def by_yes(text: str, buttons: List[Button], events: List[Dict[str, Any]]) -> Button | None:
    """ "ja passt." to a turn with one yes button ("Ja, anlegen"); with a question after it only at
    a confirmation ("ok. und wie lange dauert das?" after "Hat das geholfen?" asks something)."""
    first, *rest = [s for s in _SENTENCE.split(text or "") if s.strip()] or [""]
    if not _clear_yes(first) or _NEGATION.search(text or "") or _BUT.search(text or ""):
        return None
    if "?" in (text or "") and pending([*events, {"event": "user"}]) not in _ASKED_AFTER_YES:
        return None
    yes_buttons = [
        b for b in buttons if words(b["title"])[:1] and words(b["title"])[0] in _YES_START
    ]
    return yes_buttons[0] if len(yes_buttons) == 1 else None


def by_echo(text: str, buttons: List[Button], bot_text: str) -> Button | None:
    """ "yes please pass it on" to the only button of a turn whose text offered just that."""
    said = words(text)
    if len(buttons) != 1 or not said or said[0] not in _YES_START or "?" in (text or ""):
        return None
    if _NEGATION.search(text or "") or _BUT.search(text or ""):
        return None
    rest = content(text)
    offered = words(bot_text)
    if rest and all(any(same_stem(w, o) for o in offered) for w in rest):
        return buttons[0]
    return None


def reserved(text: str, events: List[Dict[str, Any]]) -> bool:
    """At a confirmation, a message that corrects what is shown, sets a condition or asks first is
    no tap ("die Hausnummer ist 54, nicht 45. Bitte so ändern." is not "Ja, ändern", held-out run 8,
    e17): its words are read (bot/dialogue/plain_yes.py)."""
    kind = pending([*events, {"event": "user"}])
    if kind not in CONFIRMATIONS:  # a typed button there must be the whole answer
        return False
    shown = shown_address(events) if kind == CONFIRM_ADDRESS else ""
    return reservation(text, shown) is not None


def read_button(text: str, events: List[Dict[str, Any]]) -> Button | None:
    """The button of the bot's last turn the typed message chooses, if one clearly is."""
    if not text or text.lstrip().startswith("/"):  # a tap already sends the payload
        return None
    buttons, bot_text = last_bot_turn(events)
    if not buttons or reserved(text, events):
        return None
    return (
        by_title(text, buttons) or by_yes(text, buttons, events) or by_echo(text, buttons, bot_text)
    )

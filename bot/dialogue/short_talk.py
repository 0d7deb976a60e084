"""Short messages that need a short answer, not "nicht verstanden" (issue 22).

- An acknowledgement ("Na gut.", "ok", "kk", "passt", "alles klar") closes what the bot said: it is
  answered briefly and the context is kept (an offer to help further, the open request's number).
- "Wie lange dauert das?" / "Wann meldet sich jemand?" and "Wie erreichen Sie mich?" in a
  conversation whose matter lies with the team ask about that request, not about a help page.

Plain strings in, so the actions and their tests agree.
"""

from __future__ import annotations

import re

_ACK_WORDS = (
    r"ok(?:ay|ey|e|i)?|kk|k|oki|jut|gut|na gut|na schön|na schoen|schön|schoen|passt|passt schon|"
    r"alles klar|alles gut|klar|verstanden|in ordnung|geht klar|schon gut|na dann|dann halt|"
    r"naja|na ja|hm+|mhm|aha|ach so|achso|alright|fine|got it|gebongt|roger|sauber|"
    r"perfekt|super|prima|toll|top|cool"
)
_ACK = re.compile(
    rf"(?i)^\s*(?:(?:{_ACK_WORDS})(?:\s*[,.!]*\s*(?:danke|dann|so|ja|also|halt|schön|schoen))*"
    r"[\s.!,👍🙂😊]*)+$"
)
_WHEN = re.compile(
    r"(?i)\bwie lange (?:dauert|braucht|brauchen|geht)\s+(?:das|es|dies|so was|sowas)\b"
    r"|\bwann (?:meldet|melden|ruft|rufen|schreibt|schreiben|antwortet|antworten)\b"
    r"|\bwann (?:höre|hoere|bekomme|kriege|krieg) ich (?:was|etwas|eine antwort|bescheid)\b"
    r"|\bwann (?:kümmert|kuemmert) sich\b"
    # "So bald wie möglich heißt was? Heute noch?" right after the handoff (held-out persona run 2, d03)
    r"|\bso\s*bald\s+wie\s+m(?:ö|oe)glich\b.{0,20}\b(?:hei(?:ß|ss)t|bedeutet)\b"
    r"|\b(?:meldet sich|melden sie sich|meldet ihr euch)\s+(?:\w+\s+)?(?:heute|morgen)\s+noch\b"
    # "wie lange dauert's, bis mir jemand schreibt?" (persona run 4, d30): the wait for a person
    r"|\bbis\s+(?:\w+\s+){0,2}?(?:jemand|einer|wer|man|ihr|(?:ein|eine|der|die|euer|ihr)\s+"
    r"(?:mitarbeiter\w*|kolleg\w*|team))\b(?:\s+\w+){0,3}?\s+(?:sich\s+)?(?:meldet|schreibt|"
    r"antwortet|anruft|zur(?:ü|ue)ckruft|zur(?:ü|ue)ckschreibt|reagiert|dran ist)\b"
    # English: "when will somebody get back to me?", "how long until someone calls?"
    r"|\bwhen (?:will|would|does|do|can) (?:somebody|someone|anyone|anybody|you|your (?:team|colleague)|"
    r"a (?:colleague|person|human|agent)|the team)\s+(?:\w+\s+)?(?:get back|call|contact|reply|answer|"
    r"write|respond|reach)\b"
    r"|\bwhen (?:will|do|can) i hear (?:back|from)\b"
    r"|\bhow long (?:until|till|before) (?:somebody|someone|anyone|you|the team|a colleague)\b"
    # "how long will it take until someone replies?" (held-out run 6, d12)
    r"|\bhow long (?:will|does|would) it take (?:until|till|before|for) (?:somebody|someone|anyone|"
    r"you|the team|a colleague)\b"
)
# A bare "WANN?" ("Sie haben meine Frage nicht beantwortet: WANN?", persona run 4, d11): with the
# matter at the team, that is when someone answers; a few words before it at most.
_BARE_WHEN = re.compile(
    r"(?i)^\W*(?:\w+\W+){0,7}?(?<!ab )(?<!bis )(?<!seit )(?<!von )wann"
    r"(?:\s+(?:ungefähr|ungefaehr|etwa|denn|so))?\s*[?!.]+\W*$"
)
_REACHED = re.compile(
    r"(?i)\bwie (?:erreichen|kontaktieren|informieren|benachrichtigen) (?:sie|ihr|du) mich\b"
    r"|\b(?:wie|wo) (?:meldet|melden) (?:sich|ihr|sie)\b(?!.*\bwann\b)"
    r"|\bauf welchem weg\b"
)


# The customer's own next step after an answer ("Ich frage mal bei den Nachbarn nach.", "dann schau
# ich erst in den Briefkasten", "ich warte noch bis morgen"): it closes what the bot said like an okay.
_OWN_STEP = re.compile(
    r"(?i)^\s*(?:(?:gut|ok(?:ay)?|alles klar|na gut|dann|also)[\s,]+)*(?:"
    r"ich\s+(?:frag|frage|schau|schaue|guck|gucke|sehe|seh|warte|wart|probier|probiere|versuch|"
    r"versuche|melde)\s+(?:mich\s+)?(?:mal|dann|erst|noch|jetzt|selbst|gleich)\b"
    r"|(?:frag|frage|schau|schaue|guck|gucke|seh|sehe|warte|wart|probier|probiere|versuch|versuche)"
    r"\s+ich\s+(?:mal|dann|erst|noch|jetzt|selbst|gleich)\b)"
)
MAX_OWN_STEP_WORDS = 12


def is_acknowledgement(text: str) -> bool:
    """A short okay that asks and states nothing ("Na gut.", "ok danke", "passt", "kk 👍"), or the
    customer's own next step after an answer ("Ich frage mal bei den Nachbarn nach.")."""
    text = text or ""
    if len(text.split()) <= 4 and _ACK.match(text):
        return True
    return (
        len(text.split()) <= MAX_OWN_STEP_WORDS and "?" not in text and bool(_OWN_STEP.match(text))
    )


def asks_when_answered(text: str) -> bool:
    """ "Wie lange dauert das?" / "Wann meldet sich jemand?" / "…: WANN?" (about whatever lies with
    the team; the caller asks only while a request is open)."""
    return bool(_WHEN.search(text or "") or _BARE_WHEN.match(text or ""))


# A message that ends by leaving: "egal, ich warte einfach. ciao", "dann warte ich eben, tschüss!"
# (persona run 4, d30: with the matter at the team the goodbye was ignored for an e-mail question).
_LEAVES = re.compile(
    r"(?i)\b(?:ciao|tschau|tsch(?:ü|ue)ss(?:i|le)?|bye|byebye|servus|pfiat\s+di|ade|adieu|bis\s+dann|"
    r"bis\s+sp(?:ä|ae)ter|bis\s+bald|auf\s+wiedersehen|sch(?:ö|oe)nen\s+tag\s+noch|"
    # on the phone and in letters: "Auf Wiederhören", "Wiederhören", "goodbye" (held-out run 5, d13)
    r"(?:auf\s+)?wiederh(?:ö|oe)ren|good\s?bye)[\s!.,👋🙂😊]*$"
)


def leaves(text: str) -> bool:
    """Whether the message ends with a goodbye and asks nothing."""
    return "?" not in (text or "") and bool(_LEAVES.search(text or ""))


# A thanks or goodbye with disappointment: "Danke trotzdem", "schade, aber danke", "thanks anyway",
# "danach hatte ich nicht gefragt": a sorry goodbye, never "Schön, dass es geklappt hat!" (held-out
# run 8, e16/e09).
_LET_DOWN = re.compile(
    r"(?i)\bdanke\s+(?:dir\s+|ihnen\s+|euch\s+)?trotzdem\b|\btrotzdem\s+(?:vielen\s+)?dank\w*\b|"
    r"\bschade\b|\bthanks?\s+(?:you\s+)?anyway\b|"
    r"\b(?:hat|hats|hat's)\s+(?:mir\s+)?(?:leider\s+|aber\s+)?(?:nicht|nix|nichts)\s+(?:wirklich\s+)?"
    r"(?:geholfen|geklappt|gebracht)\b|"
    r"\bnicht\s+(?:danach\s+|nach\s+\w+\s+)?gefragt\b|\b(?:danach|nach\s+\w+)\s+(?:hab|habe|hatte)\s+ich\s+"
    r"(?:\w+\s+){0,2}?nicht\s+gefragt\b|"
    r"\b(?:wollte|will)\s+ich\s+(?:\w+\s+)?(?:gar\s+)?nicht\s+wissen\b"
)
# The customer's own next step anywhere in a leaving message ("Egal, ich schau in die App. Tschüss").
_OWN_STEP_ANYWHERE = re.compile(
    r"(?i)\bich\s+(?:frag|frage|schau|schaue|guck|gucke|seh|sehe|warte|wart|probier|probiere|versuch|"
    r"versuche)\s+(?:mal|dann|erst|noch|jetzt|selbst|gleich|halt|eben|einfach|in|im|bei|auf)\b|"
    r"\b(?:frag|frage|schau|schaue|guck|gucke|seh|sehe|warte|wart)\s+ich\s+(?:mal|dann|halt|eben|"
    r"selbst|einfach|in|im|bei)\b"
)


def let_down(text: str) -> bool:
    """Whether a thanks or goodbye says the answer did not help ("Danke trotzdem", "schade")."""
    return bool(_LET_DOWN.search(text or ""))


def takes_own_step(text: str) -> bool:
    """Whether the message names the customer's own next step ("ich schau in die Klarna App")."""
    return bool(_OWN_STEP_ANYWHERE.search(text or ""))


def asks_how_reached(text: str) -> bool:
    """ "Wie erreichen Sie mich denn?" """
    return bool(_REACHED.search(text or ""))


_WHAT_NOW = re.compile(
    r"(?i)\b(?:was|wie) (?:bringt|hilft|nützt|nuetzt) (?:mir|uns) das\b"
    r"|^\s*(?:und|ja und|na und)\s+(?:jetzt|nun)\s*[?!.]*\s*$"
    r"|\bwas (?:soll|kann) ich (?:jetzt|nun|denn|da) (?:\w+ )?(?:tun|machen)\b"
    # Swiss/Bavarian: "Was söll ich jetzt mache?", "wos soi i etz doa?" (persona run 4, d08)
    r"|\bw[ao]s (?:s(?:ö|oe)ll|s(?:ö|oe)tt|soi|cha|ko) (?:ich|i) (?:jetzt|jetz|etz|jetzat|nun|denn|da)"
    r" (?:\w+ )?(?:mache|macha|mochn|tue|tua|doa|tun|machen)\b"
    r"|\bwie geht(?:'?s| es) (?:jetzt |nun |denn )?weiter\b"
)


def asks_what_now(text: str) -> bool:
    """ "Und was bringt mir das jetzt?" / "Und jetzt?": the answer was not enough, the next step is asked."""
    return bool(_WHAT_NOW.search(text or ""))

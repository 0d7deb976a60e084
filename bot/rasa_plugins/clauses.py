"""Messages that say two things: "danke und tschüss", "hallo, wo ist meine bestellung".

Read as a whole, the social part (a greeting, a thank-you) often wins because such
phrases are short and unambiguous, and the bot answers "gern geschehen" to a farewell
or "hallo" to a question about an order. When the whole message reads as greet or thank
and it has several clauses, each clause is classified on its own and the message is read
as its most confident substantive clause; a farewell clause beats a thank-you.

The opposite case, a request wrapped in a greeting and a generic plea for help ("hallo, kannst
du mir helfen? meine jacke ist mit einem loch angekommen"), reads as the request only if the
wrapper does not drown it: the words "helfen", "hallo" and the sentence vector of the whole
pull towards whatever class has most such openers. `strip_preamble` removes the wrapper from
the text the features read (normalizer.py) when something substantive is left; a message that
is nothing but greeting and plea keeps its words and stays a greeting.

Three more cases read a message by its clauses (issue 22):

- An order number or e-mail next to a request ("die Bestellnummer lautet 100242, wo ist die
  Sendung?"): read as a whole the entity sentence may win (`inform`) or nothing is sure; the
  entity clause is not substantive, so the request clause wins. The entity still fills its slot.
- Negation in scope: "ich will keine Reklamation, nur den Stand wissen", "nicht stornieren,
  ändern", "ned zurückschicken, nur fragen ob ...". A clause that negates a request (a negation
  cue at its start, or right after "ich will/möchte ...", also in dialect: net, ned, nöd, nix)
  does not count; when the whole was read as that negated request, the best other clause wins
  (typically the contrasted one: "sondern ...", "nur ..."), and with none the message is a `deny`.
- A trailing revocation ("…, ach nein, doch nicht") takes back what came before: `stop`.
- A denied defect ("nicht kaputt, nur nicht angekommen", "das Paket ist nicht beschädigt, es kam nie
  an") negates the complaint it sounds like: the defect word is in scope of the negation, so the
  clause counts as a negated request and the message is read from the other clause. When the whole
  message reads as something else but unsure (below SURE_WHOLE), the other clauses still win if
  they are surer.
"""

from __future__ import annotations

import re
from typing import Any, Dict, Iterable, List, Sequence, Set, Tuple

from bot.dialogue.other_questions import MAX_OTHER_REQUESTS, UNKNOWN
from bot.dialogue.questions import ALTERNATIVE, content_stems
from bot.dialogue.same_question import goes_on_with_the_one_before

SOCIAL = frozenset({"greet", "thank"})  # what a substantive clause may override
NOT_SUBSTANTIVE = SOCIAL | {"affirm", "deny", "nlu_fallback", "out_of_scope", "inform"}
MIN_CLAUSE_CONFIDENCE = 0.5
_SPLIT = re.compile(
    r"[,.;:!?\n]+|\s+[-–]\s+|\b(?:und|aber|also|dann|and|sondern|stattdessen)\b", re.IGNORECASE
)
_WORD = re.compile(r"\w")
_WORD_RUN = re.compile(r"\w+")

Ranking = List[Tuple[str, float]]

_GREETING = (
    r"(?:hallo(?: zusammen)?|hi|hey|moin(?: moin)?|servus|huhu|guten (?:morgen|tag|abend)|"
    r"gr(?:ue|ü)(?:ss|ß)(?:e)? (?:gott|dich|euch)|gruezi|liebes? (?:team|kundenservice)|"
    r"sehr geehrte damen und herren)"
)
_PLEA = (
    r"(?:(?:kannst du|k(?:oe|ö)nnen sie|k(?:oe|ö)nntest du|k(?:oe|ö)nnten sie|kann mir (?:jemand|wer)|"
    r"koennt ihr|könnt ihr) (?:mir )?(?:bitte )?(?:mal )?(?:kurz )?helfen|"
    r"ich (?:habe|hab|haette|hätte) (?:da )?(?:mal )?(?:eine|ne|n) (?:kurze )?frage|"
    r"ich (?:brauche|brauch) (?:mal )?(?:ihre |deine |eure )?hilfe|eine frage)"
)
# A polite opener before a question ("Kein Problem, ich wollte nur wissen …"): an idiom with a
# negation cue that carries nothing, yet its words pull the reading (and the help-page search) away.
_OPENER = r"(?:kein problem|keine ursache|kein stress|nicht schlimm|macht nichts|alles gut)"
_WRAPPER = rf"(?:{_GREETING}|{_PLEA}|{_OPENER})"
_LEADING = re.compile(rf"^\s*{_WRAPPER}\b[\s,.;:!?-]*", re.IGNORECASE)
_TRAILING = re.compile(rf"[\s,.;:!?-]*\b{_PLEA}\s*[.!?]*\s*$", re.IGNORECASE)
MIN_REQUEST_WORDS = 2


def strip_preamble(text: str) -> str:
    """The text without leading greetings and pleas for help and a trailing plea, when at least
    MIN_REQUEST_WORDS words remain; else the text unchanged."""
    rest = text
    while True:
        shorter = _TRAILING.sub("", _LEADING.sub("", rest, count=1), count=1)
        if shorter == rest:
            break
        rest = shorter
    if rest == text or len(_WORD_RUN.findall(rest)) < MIN_REQUEST_WORDS:
        return text
    return rest


def split_clauses(text: str) -> List[str]:
    """The parts of a message between punctuation and joining words; only parts with a word in them."""
    return [part.strip() for part in _SPLIT.split(text) if _WORD.search(part)]


def pick_clause(whole_top: str, clause_rankings: Sequence[Ranking]) -> int | None:
    """Index of the clause to read the message as, or None to keep the whole-message reading."""
    if whole_top not in SOCIAL or len(clause_rankings) < 2:
        return None
    best: Tuple[float, int] | None = None
    for index, ranking in enumerate(clause_rankings):
        if not ranking:
            continue
        intent, confidence = ranking[0]
        if intent in NOT_SUBSTANTIVE or confidence < MIN_CLAUSE_CONFIDENCE:
            continue
        if best is None or confidence > best[0]:
            best = (confidence, index)
    return None if best is None else best[1]


# --- issue 22: entities next to a request, negation in scope, revocation -------------------------

UNSURE = 0.5  # a whole-message reading below this is re-read by its clauses
ENTITY_ONLY = frozenset({"inform"})  # "die Nummer ist 100242": context for a request, never one
DENY = "deny"
STOP = "stop"
_CUE = r"(?:nicht|nich|nichts|nix|kein|keine|keinen|keinem|keiner|keines|net|ned|nöd|noed|nimmer)"
_WANT = (
    r"(?:ich|wir|i)\s+(?:will|möchte|moechte|wollte|möchten|wollen|brauche|brauch|mag|mog|mecht|möcht|moecht|wott|wui|tät|taet|würde|"
    r"wuerde|hätte|haette)\s+(?:\w+\s+){0,2}?"
)
_NEGATED_REQUEST = re.compile(
    rf"^(?:(?:nein|nee|ne|na|ach|oh|bitte|also|aber|bloß|bloss|doch)[\s,]+)*(?:{_WANT})?"
    rf"(?:auf\s+)?{_CUE}\b",
    re.IGNORECASE,
)
_REVOKE = re.compile(
    r"^(?:(?:ach|oh|äh|ähm|hm|moment)[\s,]+)?(?:(?:nein|nee|ne|na|nö)[\s,]+)?(?:doch\s+(?:lieber\s+)?nicht|"
    r"lieber\s+(?:doch\s+)?nicht|vergiss\s+(?:es|das)|vergessen\s+sie\s+(?:es|das)|schon\s+gut|"
    r"hat\s+sich\s+erledigt|lass\s+(?:es|das|mal|ruhig)?\s*(?:doch|lieber|besser)\s*(?:sein|bleiben)?|"
    r"lass\s+(?:es|das)\s+(?:sein|bleiben)|kommando\s+zur(?:ü|ue)ck)\s*$"
    r"|^(?:ach\s+)?(?:nein|nee|ne|na|nö)[\s,]+(?:warte|wart|moment|stopp?)\s*(?:mal)?\s*$",
    re.IGNORECASE,
)


# A negation cue right before a defect word (a few fillers between): the defect is denied.
_DENIED_DEFECT = re.compile(
    rf"\b{_CUE}\s+(?:(?:mal|mehr|wirklich|gar|ganz|so|einmal|beschädigt\s+oder)\s+)?"
    r"(?:kaputt\w*|besch(?:ä|ae)digt|defekt|hin|zerbrochen|zerkratzt|verkratzt|kaputtgegangen|"
    r"das\s+problem)\b",
    re.IGNORECASE,
)
CONTRAST_CONFIDENCE = 0.35  # the clause left next to a negated request, read without it
SURE_WHOLE = (
    0.7  # a whole-message reading below this yields to a surer clause next to a negated one
)


_REVOKE_TAIL = re.compile(
    r"\b(?:ach|oh)[\s,]+(?:nein|nee|ne)[\s,]+doch\s+(?:lieber\s+)?nicht\s*[.!]*$", re.IGNORECASE
)


# A negation cue a few words before a request word (an infinitive or noun, not a participle: "nicht
# storniert" describes): "die Bestellung 100237 bitte nicht stornieren", "noch nichts zurückschicken".
# Not after a question of ability ("warum kann ich nicht stornieren?": that asks about the request).
_REQUEST_WORD = (
    r"(?:stornier(?:en|ung)|storno|zur(?:ü|ue|u)ck(?:schicken|senden|geben|bringen)|zruckschicka|"
    r"r(?:ü|ue)cksendung|retour(?:e|nieren)?|reklamier(?:en|ung)|reklamation|beschwerde|"
    r"umtausch(?:en)?|eintauschen|tauschen|abbestellen|k(?:ü|ue)ndigen|erstattung)"
)
_SCOPED_NEGATION = re.compile(rf"\b{_CUE}\s+(?:[\w-]+\s+){{0,3}}?{_REQUEST_WORD}\b", re.IGNORECASE)
# The request a request word names: a negated one is dropped whatever the clause reads as ("ich
# will keine neue Reklamation" may read as account_help on its own words).
REQUEST_WORD_INTENTS = {
    "cancel_order": re.compile(r"(?i)stornier|storno|abbestell|k(?:ü|ue)ndig"),
    "return_item": re.compile(
        r"(?i)zur(?:ü|ue|u)ck(?:schick|send|geb|bring)|zruckschicka|r(?:ü|ue)cksendung|retour|"
        r"tausch|geld\s+(?:\w+\s+){0,2}zur(?:ü|ue|u)ck|erstatt"
    ),
    "complaint": re.compile(r"(?i)reklam|beschwer"),
}


# The same in English ("I don't want to cancel anything", "I do NOT want to return it"); "I" is
# folded to "ich" by the spelling fold. Not after "why can't I": that asks about the request.
_EN_REQUEST_WORD = r"(?:cancel\w*|return\w*|send\s+(?:\w+\s+)?back|refund\w*|complain\w*|exchange)"
_EN_NEGATED_REQUEST = re.compile(
    rf"\b(?:don'?t|do\s+not|does\s+not|doesn'?t|never|not)\s+(?:(?:want|wish|need|plan|mean|"
    rf"like)\s+(?:to\s+)?)?(?:[\w-]+\s+){{0,2}}?{_EN_REQUEST_WORD}\b",
    re.IGNORECASE,
)
EN_REQUEST_WORD_INTENTS = {
    "cancel_order": re.compile(r"(?i)\bcancel"),
    "return_item": re.compile(r"(?i)\breturn|\bsend\s+(?:\w+\s+)?back|\brefund|\bexchange"),
    "complaint": re.compile(r"(?i)\bcomplain"),
}


def named_requests(clause: str) -> Set[str]:
    """The intents of the request words in a clause ("keine Reklamation" -> complaint)."""
    return {
        intent
        for table in (REQUEST_WORD_INTENTS, EN_REQUEST_WORD_INTENTS)
        for intent, words in table.items()
        if words.search(clause)
    }


# "keine neue Reklamation", "nicht noch eine Rücksendung": no second case, the one on file is meant.
_NOT_NEW = re.compile(
    r"\b(?:kein\w*|nicht\s+(?:eine?n?\s+)?)\s*(?:weitere|neue|zweite)\w*\b"
    r"|\bnicht\s+noch\s+(?:ein|eine|einen|mal)\b",
    re.IGNORECASE,
)
_ABILITY = re.compile(
    r"\b(?:warum|wieso|weshalb|kann|kannst|können|koennen|könnte|konnte|geht|ging|lässt|laesst|"
    r"darf|durfte|klappt)\b",
    re.IGNORECASE,
)

_IDIOM = re.compile(
    r"^(?:kein(?:e)?\s+(?:problem|ursache|sorge|thema|stress|ding)|nicht\s+(?:schlecht|schlimm|"
    r"nötig|noetig|so\s+schlimm|der\s+rede\s+wert)|nichts\s+zu\s+danken)\b",
    re.IGNORECASE,
)


def negates_request(clause: str) -> bool:
    """Whether the clause says what the customer does NOT want ("nicht stornieren", "ich will
    keine Reklamation", "ned zurückschicken"), or denies the defect a complaint is about ("nicht
    kaputt", "das Paket ist nicht beschädigt"); "es ist nicht angekommen" describes, and "kein
    Problem", "nicht schlecht" are idioms: they negate no request."""
    clause = clause.strip()
    if _NOT_NEW.search(clause) and not _DENIED_DEFECT.search(clause):
        return False  # "keine neue Reklamation": the old one is the topic (actions/cases.py)
    scoped = _SCOPED_NEGATION.search(clause)
    if scoped and _ABILITY.search(clause[: scoped.start()]):
        scoped = None
    # a cue at the start negates a request only if the clause names one: "keine Kreditkarte" says
    # what the customer lacks, "nee, keine Reklamation" what they do not want
    opening = _NEGATED_REQUEST.search(clause)
    if opening and not re.search(_REQUEST_WORD, clause[opening.end() :], re.IGNORECASE):
        opening = None
    negated = (
        opening or _DENIED_DEFECT.search(clause) or scoped or _EN_NEGATED_REQUEST.search(clause)
    )
    return bool(negated) and not _IDIOM.search(clause)


# "Ich möchte nicht, | dass die Bestellung storniert wird": the refusal and the request it refuses
# are split into two clauses (held-out persona run 3, d01).
_WISH_NOT = re.compile(
    r"^(?:ich\s+|i\s+)?(?:möchte|moechte|will|wünsche|wuensche|mag|wollte|hätte|haette)\b"
    r"(?:\s+\w+){0,2}\s+(?:nicht|ned|net|nich|(?:auf\s+)?keinen\s+fall)$|^(?:ich\s+|i\s+)?(?:don'?t|do\s+not)\s+want$"
    r"|^(?:nicht|ned|net|nich)$",  # "ich will | aber | nicht, | dass …"
    re.IGNORECASE,
)
_THAT = re.compile(r"^(?:dass|daß|das|that)\b", re.IGNORECASE)


def _refused_by_wish(texts: Sequence[str]) -> Set[int]:
    """The clauses a preceding "ich möchte nicht" refuses ("…, dass … storniert wird")."""
    return {
        i + 1
        for i in range(len(texts) - 1)
        if _WISH_NOT.search(texts[i].strip()) and _THAT.search(texts[i + 1].strip())
    }


def declined_requests(texts: Sequence[str]) -> List[str]:
    """The requests the message refuses ("NICHT stornieren", "I don't want to cancel anything"): named
    by a clause that negates it, and not asked for by another clause ("nicht zurückschicken, sondern
    umtauschen" refuses nothing the customer wants). The actions say that the order stays as it is."""
    wished_not = _refused_by_wish(texts)
    refusing = [negates_request(t) or i in wished_not for i, t in enumerate(texts)]
    refused = set().union(*(named_requests(t) for t, no in zip(texts, refusing) if no))
    wanted = set().union(*(named_requests(t) for t, no in zip(texts, refusing) if not no))
    return sorted(refused - wanted)


# "Ich habe keinen Link geöffnet", "nichts eingegeben": the customer denies the act a scam warning is
# about. Next to another request that says nothing more of the scam ("… Ich möchte mich vom
# Newsletter abmelden."), the message is about that request, not the phishing topic of the turn
# before (held-out run 4, d15). "Ich habe nichts eingegeben, nur auf den Link geklickt" still talks
# of the scam: it stays one.
SCAM = "suspicious_message"
_DENIED_SCAM_ACT = re.compile(
    rf"\b{_CUE}\s+(?:[\w-]+\s+){{0,3}}?(?:ge(?:ö|oe)ffnet|aufgemacht|(?:an|drauf)?geklickt|angeklickt|"
    r"eingegeben|angegeben|eingetragen|weitergegeben|geantwortet)\b",
    re.IGNORECASE,
)
_SCAM_TALK = re.compile(
    r"(?i)\b(?:link\w*|sms|e-?mail\w*|mail\w*|nachricht\w*|daten|passw(?:o|ö)rt\w*|iban|pin|tan|"
    r"\w*konto\w*|bank\w*|\w*klick\w*|eingegeben|betrug\w*|phishing|fake|gef(?:ä|ae)lscht\w*)\b"
)


def denied_scam_acts(texts: Sequence[str]) -> Set[int]:
    """The clauses that deny the act of a scam ("keinen Link geöffnet") in a message whose other
    clauses do not talk of the scam: they negate the phishing topic (read_clauses)."""
    denying = {i for i, text in enumerate(texts) if _DENIED_SCAM_ACT.search(text)}
    rest = [text for i, text in enumerate(texts) if i not in denying]
    if not denying or not rest or any(_SCAM_TALK.search(text) for text in rest):
        return set()
    return denying


def revokes(clause: str) -> bool:
    """ "doch nicht", "ach nein, doch nicht", "vergiss es": takes back the request before it."""
    return bool(_REVOKE.search(clause.strip()) or _REVOKE_TAIL.search(clause.strip()))


def takes_something_back(texts: Sequence[str]) -> bool:
    """Whether one of the clauses negates or revokes a request, or denies the act of a scam."""
    return any(negates_request(t) or revokes(t) for t in texts) or bool(denied_scam_acts(texts))


def needs_clause_reading(text: str, whole: Ranking) -> bool:
    """Whether a message is read clause by clause: the whole reads social, as a bare entity, unsure,
    or it has a negated or revoked request in it (cheap checks: one classifier call per clause)."""
    if not whole:
        return False
    top, confidence = whole[0]
    if top in SOCIAL or top in ENTITY_ONLY or confidence < UNSURE:
        return True
    return takes_something_back(split_clauses(text))


Reading = Tuple[int, Ranking]  # a clause's index and the ranking the message takes from it
WHOLE = -1  # the index of a Reading that is the whole message's, re-weighed


def read_clauses(
    whole: Ranking, texts: Sequence[str], clause_rankings: Sequence[Ranking]
) -> Reading | str | None:
    """How to read a message from its clauses: a clause and the ranking taken from it, an intent
    name (DENY, STOP) that replaces the reading, or None to keep the whole-message reading."""
    if not texts or not whole:
        return None
    top, confidence = whole[0]
    if _REVOKE_TAIL.search(texts[-1]) or (
        revokes(texts[-1]) and any(not revokes(t) for t in texts[:-1])
    ):
        return STOP  # "storniere das, ach nein, doch nicht"
    if len(texts) < 2:
        return None
    revoked_at = next((i for i, text in enumerate(texts) if revokes(text)), None)
    if revoked_at is not None:
        return _after_revocation(top, texts, clause_rankings, revoked_at)
    scam_denied = denied_scam_acts(texts)
    negated = sorted({i for i, text in enumerate(texts) if negates_request(text)} | scam_denied)
    if negated:
        # "nicht kaputt" denies the complaint, whatever the clause reads as (its words are few, the
        # whole message's sentence vector may carry it to the very request the customer means);
        # "keinen Link geöffnet" the scam
        dropped = {
            "complaint"
            if _DENIED_DEFECT.search(texts[i])
            else SCAM
            if i in scam_denied
            else clause_rankings[i][0][0]
            for i in negated
            if clause_rankings[i] or _DENIED_DEFECT.search(texts[i]) or i in scam_denied
        } | {intent for i in negated for intent in named_requests(texts[i])}
        others = [i for i in range(len(texts)) if i not in negated]
        # "nicht zurückschicken, sondern umtauschen": what another clause asks for stays
        dropped -= {intent for i in others for intent in named_requests(texts[i])}
        refuses = all(
            named_requests(texts[i]) and not _DENIED_DEFECT.search(texts[i]) for i in negated
        )
        if refuses and not any(
            _asks_or_wants(texts[i], clause_rankings[i], dropped) for i in others
        ):
            # "Ich bringe den aus dem Laden zurück. Also doch nicht stornieren.": the message only
            # refuses; its other clauses tell why and ask for nothing, whatever the whole reads as
            return DENY
        if top not in dropped:
            if confidence >= SURE_WHOLE:
                # "ned zruckschicka, nur wissen was der Versand kostet": the whole reading holds,
                # without the share the negated request still had in it
                if not any(intent in dropped for intent, _ in whole):
                    return None
                return (WHOLE, _without(list(whole), dropped))
            surer = _best((i, _without(clause_rankings[i], dropped)) for i in others)
            return surer if surer is not None and surer[1][0][1] > confidence else None
        # The other clauses, read as "anything but the negated request": each ranking without the
        # dropped intents, renormalised (the clause scores carry the whole message's sentence
        # vector, which still leans towards the negated request).
        # What is left after "nicht X" is what the customer wants instead ("…, nur wissen, wie der
        # Stand ist"): a weaker reading of it still beats reading the message as a bare "nein".
        chosen = _best(
            ((i, _without(clause_rankings[i], dropped)) for i in others), CONTRAST_CONFIDENCE
        )
        return DENY if chosen is None else chosen
    if top in SOCIAL:
        index = pick_clause(top, clause_rankings)
        return None if index is None else (index, list(clause_rankings[index]))
    if top in ENTITY_ONLY or confidence < UNSURE:
        found = _best([(i, list(r)) for i, r in enumerate(clause_rankings)])
        if found is not None and found[1][0][1] > confidence:
            return found
    return None


_INSTEAD = re.compile(
    r"^(?:nur|sondern|lieber|stattdessen|bitte|please|just|only|instead|rather|tell\s+me)\b"
    r"|^(?:how|what|when|where|why|which|who|can|could|do|does|is|are|will|would|should|may)\s",
    re.IGNORECASE,
)


# What a statement read as one of these asks for nothing ("wissen Sie was" reads as the capabilities
# question, "behalte Ihren" as a stop): only a question asks a FAQ.
NO_REPORT = NOT_SUBSTANTIVE | {"faq", "product_question", "stop", "frustration"}


def _asks_or_wants(clause: str, ranking: Ranking, dropped: Set[str]) -> bool:
    """Whether a clause next to a refused request asks or wants something of its own: a question, a
    wish ("ich will …", "nur …", "sondern …"), or a reading as another request it reports ("die
    Jacke hat ein Loch", "das Paket ist nie angekommen"), as weak as a contrast may be."""
    if _QUESTION_START.search(clause) or _WANTS.search(clause) or _INSTEAD.search(clause):
        return True
    if not ranking:
        return False
    intent, confidence = ranking[0]
    return intent not in NO_REPORT and intent not in dropped and confidence >= CONTRAST_CONFIDENCE


AFTER_REVOCATION_CONFIDENCE = 0.6  # a request after "ach nein, doch nicht" must be clear on its own
_WANTS = re.compile(rf"^(?:(?:und|aber|dann)\s+)?{_WANT}", re.IGNORECASE)


def _after_revocation(
    top: str, texts: Sequence[str], clause_rankings: Sequence[Ranking], revoked_at: int
) -> Reading | str:
    """ "storniere 100236 … ne warte, lass doch, ich brauch das zelt ja", "ach, vergessen Sie es, die
    Lampe geht doch": what came before the revocation is taken back, and what follows is a reason,
    unless it asks or wants something else ("… doch nicht, wo ist meine andere Bestellung?"): then
    that request (without the revoked one) is the reading; else the message is a `stop`."""
    revoked = {r[0][0] for r in clause_rankings[:revoked_at] if r}
    if revoked_at > 0:
        revoked.add(top)
    later = [
        (i, _without(clause_rankings[i], revoked))
        for i in range(revoked_at + 1, len(texts))
        if _QUESTION_START.search(texts[i]) or _WANTS.search(texts[i])
    ]
    chosen = _best(later)
    if chosen is not None and chosen[1][0][1] >= AFTER_REVOCATION_CONFIDENCE:
        return chosen
    return STOP


def _without(ranking: Ranking, dropped: Set[str]) -> Ranking:
    rest = [(intent, p) for intent, p in ranking if intent not in dropped]
    total = sum(p for _, p in rest)
    return [(intent, p / total) for intent, p in rest] if total > 0 else []


def _best(readings: Iterable[Reading], minimum: float = MIN_CLAUSE_CONFIDENCE) -> Reading | None:
    """The most confident substantive clause reading (at least `minimum`)."""
    best: Reading | None = None
    for index, ranking in readings:
        if not ranking:
            continue
        intent, confidence = ranking[0]
        if intent in NOT_SUBSTANTIVE or confidence < minimum:
            continue
        if best is None or confidence > best[1][0][1]:
            best = (index, ranking)
    return best


# --- issue 22.5: two requests in one message -----------------------------------------------------

# Requests that are one case when said together: a faulty item the customer wants to send back is a
# complaint (its settlement is the return or the refund), not a complaint plus a return.
SAME_CASE = {"complaint": frozenset({"return_item"}), "return_item": frozenset({"complaint"})}
OTHER_REQUEST_CONFIDENCE = 0.8  # a second request must be clear on its own: a wrong one is worse
OTHER_KEY_CONFIDENCE = 0.6  # and a FAQ question's answer key, too
MIN_OTHER_WORDS = 3
_QUESTION_START = re.compile(
    r"^(?:und\s+|aber\s+|außerdem\s+|ausserdem\s+|noch\s+was:?\s+)?(?:wie|was|wann|wo|wohin|warum|"
    r"wieso|welche\w*|wer|kann|können|koennen|kannst|könnt|koennt|muss|müssen|muessen|darf|gibt|"
    r"ist|sind|habt|haben|bekomme|kriege|krieg|werden|wird|geht)\b",
    re.IGNORECASE,
)
# A clause that only asks to be told, with the question in the next clause ("kannst du mir sagen, wie
# ich mein Geld zurückbekomme?"): no request of its own, whatever its words are read as.
_ASK_ONLY = re.compile(
    r"^\s*(?:sag(?:en\s+sie)?\s+(?:mir\s+)?mal|(?:kannst\s+du|k(?:ö|oe|o)nnen\s+sie|k(?:ö|oe|o)nnt\s+ihr|"
    r"k(?:ö|oe|o)nntest\s+du|k(?:ö|oe|o)nnten\s+sie|wei(?:ß|ss)t\s+du|wissen\s+sie)"
    r"(?:\s+mir)?(?:\s+bitte)?(?:\s+mal)?(?:\s+kurz)?"
    r"(?:\s+(?:sagen|verraten|erkl(?:ä|ae|a)ren|helfen|zeigen))?)\s*[?.!]*\s*$",
    re.IGNORECASE,
)
Keys = Dict[str, List[Tuple[str, float]]]


# A verb that opens a statement as often as a question ("… dann ist sie aus", "dann geht sie aus"):
# it opens a question only in a message with a question mark.
_STATEMENT_VERB = re.compile(
    r"^(?:und\s+|aber\s+)?(?:ist|sind|wird|werden|geht|bekomme|kriege|krieg)\b", re.IGNORECASE
)


def is_question_clause(text: str, clause: str) -> bool:
    """The clause asks: it opens with a question word or verb, or ends in a question mark in the
    message ("Was kostet der Versand und wo ist meine Bestellung?": both). "…, dann is sie aus"
    (a statement with the verb first after "dann") asks nothing in a message without "?"."""
    clause = clause.strip()
    if _QUESTION_START.search(clause) and ("?" in text or not _STATEMENT_VERB.search(clause)):
        return True
    at = text.find(clause)
    return at >= 0 and text[at + len(clause) : at + len(clause) + 2].lstrip().startswith("?")


# A clause that only goes on about the one before: a verb and a pronoun for it, at most one word more
# ("Und die Rücksendung aus der Schweiz, kostet die etwas?": one question, not two).
_REFERS_BACK = re.compile(
    r"^\s*(?:und\s+)?(?!gibt\s+es\b)[a-zäöüß]+\s+(?:die|der|das|den|dem|sie|er|es|ihn|diese[rsmn]?|dies)"
    r"(?:\s+[a-zäöüß]+)?\s*[?.!]*\s*$",
    re.IGNORECASE,
)


_ALTERNATIVE = re.compile(rf"^\s*{ALTERNATIVE}", re.IGNORECASE)


# A dependent clause: part of the question before it ("Muss ich fürchten, dass die Bestellung
# storniert wird?", "…, bevor es verschickt wird?"), never a request of its own. Not "ob": "…, ob ich
# mit PayPal zahlen kann" is the question itself.
_DEPENDENT = re.compile(
    r"^\s*(?:und\s+|aber\s+)?(?:dass|daß|weil|wenn|falls|damit|obwohl|bevor|nachdem|sobald|solange|"
    r"sodass|that|because|before|after|although|unless)\b",
    re.IGNORECASE,
)
# A request word as a participle with an auxiliary describes what happens to the order ("dass die
# Bestellung storniert wird", "is the order cancelled"): no wish to have it done.
_DESCRIBED = re.compile(
    r"\b(?:(?:wird|werden|wurde|wurden|worden|ist|sind|sei|is|was|been|be|gets?|got)\s+(?:\w+\s+){0,3}?"
    r"(?:storniert|reklamiert|erstattet|zur(?:ü|ue)ckgeschickt|umgetauscht|getauscht|cancell?ed|"
    r"returned|refunded)|(?:storniert|reklamiert|erstattet|zur(?:ü|ue)ckgeschickt|umgetauscht|"
    r"getauscht)\s+(?:wird|werden|wurde|wurden|worden|ist|sind|sei))\b",
    re.IGNORECASE,
)


def describes_request(clause: str) -> bool:
    """ "dass die Bestellung storniert wird": the request word tells what happens, it asks for nothing."""
    return bool(_DESCRIBED.search(clause))


def described_in(text: str, clause: str) -> bool:
    """Whether the clause is part of a description in the message: "sie wird dann von selbst
    storniert" is split at "dann", and the clause "von selbst storniert" lost its "wird" (held-out
    run 4, d23: the order's automatic cancellation was taken for a wish to cancel)."""
    at = text.lower().find(clause.strip().lower())
    if at < 0 or not clause.strip():
        return describes_request(clause)
    end = at + len(clause.strip())
    return any(m.start() < end and at < m.end() for m in _DESCRIBED.finditer(text))


_WISH = re.compile(
    r"\b(?:will|möchte|moechte|möchten|wollen|wünsche|wuensche|hätte\s+gern|haette\s+gern|bitte|"
    r"please|want|would\s+like)\b",
    re.IGNORECASE,
)


def only_described(text: str) -> Set[str]:
    """The requests a message names only as what happens to the order ("Ich habe Angst, dass meine
    Bestellung storniert wird", "Wird sie storniert, wenn …?"), without a wish: a question or a
    worry about them, never the request (held-out persona run 2, d01). "Ich möchte, dass sie
    storniert wird" wishes it: nothing."""
    if _WISH.search(text):
        return set()
    rest = _DESCRIBED.sub(" ", text)
    return named_requests(text) - named_requests(rest)


def without(ranking: Ranking, dropped: Set[str]) -> Ranking:
    """The ranking without the dropped intents, renormalised."""
    return _without(ranking, dropped)


def may_ask_on_its_own(text: str, clause: str) -> bool:
    """Whether a clause can be a request of its own (other_requests reads only such clauses): a
    question clause of at least MIN_OTHER_WORDS words with a word that says what it is about, that
    does not only ask to be told and is no dependent clause, choice list or pay-for-it follow-on of
    the question before it."""
    return (
        len(_WORD_RUN.findall(clause)) >= MIN_OTHER_WORDS
        and not _ASK_ONLY.match(clause)
        and not _REFERS_BACK.match(clause)
        and not _DEPENDENT.match(clause)
        and not _ALTERNATIVE.match(clause)  # "oder muss das vorher sein": the same question
        and not goes_on_with_the_one_before(clause)  # "ab Versand oder ab Zustellung"
        and is_question_clause(text, clause)
        and bool(
            content_stems(clause)
        )  # "wann wird sie" of "wann wird sie dann geliefert": a fragment
    )


def drowned(
    text: str,
    parts: Sequence[str],
    rankings: Sequence[Ranking],
    chosen: str,
    questions: Sequence[str],
) -> List[int]:
    """The clauses worth reading again with their own sentence vector: they may ask on their own,
    lie in one of the message's separate `questions` (at least two; a clause of one question, as
    "kann ich sie umtauschen" of "wenn sie nicht passt, kann ich sie umtauschen?", is not read
    alone), are not the clause the message is read by (the surest one for `chosen`), and with the
    whole message's vector, which leans to `chosen`, they are not read surely or read as `chosen`."""
    if len(questions) < 2:
        return []
    main = max(
        (i for i, r in enumerate(rankings) if r and r[0][0] == chosen),
        key=lambda i: rankings[i][0][1],
        default=-1,
    )
    return [
        i
        for i, (part, ranking) in enumerate(zip(parts, rankings, strict=True))
        if i != main
        and any(part.strip().lower() in question.lower() for question in questions)
        and may_ask_on_its_own(text, part)
        and (not ranking or ranking[0][1] < OTHER_REQUEST_CONFIDENCE or ranking[0][0] == chosen)
    ]


def other_requests(
    text: str,
    chosen: str,
    chosen_key: str | None,
    texts: Sequence[str],
    readings: Sequence[Tuple[Ranking, Keys]],
    questions: Sequence[Tuple[str, str]] = (),
) -> List[Dict[str, Any]]:
    """Requests in the message besides the one it is read as (issue 22.5): each question clause
    read clearly as another request - another intent, or another FAQ answer key - not negated.
    Returned as {"intent", "key", "text", "confidence"} for the actions, which answer or queue them.
    `questions`: the message's separate questions (folded as the clauses, and as written); one of
    them that no clause answers - none read as the message's request or listed - is listed as
    UNKNOWN with the text as written, so the bot says it cannot answer it rather than nothing."""
    found = _clear_requests(text, chosen, chosen_key, texts, readings)
    unanswered = _unanswered(text, chosen, chosen_key, texts, readings, questions, found)
    return (found + unanswered)[:MAX_OTHER_REQUESTS]


def _answers(ranking: Ranking, keys: Keys, chosen: str, chosen_key: str | None) -> bool:
    """Whether a clause read so is answered by the message's own reading (the same request)."""
    if not ranking or ranking[0][0] != chosen:
        return False
    if chosen != "faq" or not chosen_key:
        return True
    faq_keys = keys.get("faq") or []
    return not faq_keys or faq_keys[0][1] < OTHER_KEY_CONFIDENCE or faq_keys[0][0] == chosen_key


def _unanswered(
    text: str,
    chosen: str,
    chosen_key: str | None,
    texts: Sequence[str],
    readings: Sequence[Tuple[Ranking, Keys]],
    questions: Sequence[Tuple[str, str]],
    found: List[Dict[str, Any]],
) -> List[Dict[str, Any]]:
    """The questions (two or more) none of whose clauses the reply answers; the first of them is
    taken as the one the message is read by when no clause reads as that."""
    if len(questions) < 2:
        return []
    listed = {str(r["text"]) for r in found}
    unanswered: List[str] = []
    main_seen = False
    previous = ""
    for folded, written in questions:
        previous, before = written, previous
        inside = [
            i
            for i, clause in enumerate(texts)
            if clause.strip() and clause.strip().lower() in folded.lower()
        ]
        if any(texts[i] in listed for i in inside):
            continue
        if any(_answers(readings[i][0], readings[i][1], chosen, chosen_key) for i in inside):
            main_seen = True
            if goes_on_with_the_one_before(folded) and unanswered and unanswered[-1] == before:
                # "…ab wann? Ab Versand oder ab Zustellung?" read by its choices: the question
                # before is the one answered, not a second one (held-out run 8, e09 t5)
                unanswered.pop()
            continue
        if any(
            may_ask_on_its_own(text, texts[i]) and not negates_request(texts[i]) for i in inside
        ):
            unanswered.append(written)
    if not main_seen and unanswered:
        unanswered = unanswered[1:]
    return [{"intent": UNKNOWN, "key": None, "text": q, "confidence": 0.0} for q in unanswered]


def _clear_requests(
    text: str,
    chosen: str,
    chosen_key: str | None,
    texts: Sequence[str],
    readings: Sequence[Tuple[Ranking, Keys]],
) -> List[Dict[str, Any]]:
    """The question clauses read clearly as another request (other_requests)."""
    found: List[Dict[str, Any]] = []
    seen = {(chosen, chosen_key if chosen == "faq" else None)}
    # "NICHT stornieren. Bleibt die Bestellung bestehen?": what one clause refuses, another clause
    # read the same way does not ask for, unless it names that request itself.
    refused = set().union(*(named_requests(c) for c in texts if negates_request(c)))
    for clause, (ranking, keys) in zip(texts, readings, strict=True):
        if not ranking or not may_ask_on_its_own(text, clause):
            continue  # "kannst du mir sagen, …": the question is the next clause
        intent, confidence = ranking[0]
        if (
            intent in NOT_SUBSTANTIVE
            or confidence < OTHER_REQUEST_CONFIDENCE
            or negates_request(clause)
            or (intent in named_requests(clause) and described_in(text, clause))
            or chosen in named_requests(clause)  # "kann ich die zurückgeben?" restates the return
            or intent in SAME_CASE.get(chosen, ())
            or (intent in refused and intent not in named_requests(clause))
        ):
            continue
        key: str | None = None
        if intent == "faq":
            faq_keys = keys.get("faq") or []
            if not faq_keys or faq_keys[0][1] < OTHER_KEY_CONFIDENCE:
                continue
            key = str(faq_keys[0][0])
        if (intent, key) in seen:
            continue
        seen.add((intent, key))
        found.append(
            {"intent": intent, "key": key, "text": clause, "confidence": round(confidence, 3)}
        )
    return found

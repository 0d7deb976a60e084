"""Answers quoted from the shop's help pages (bot/knowledge) where no flow or curated answer fits.

Used where the conversation used to end in "nicht verstanden" or "da kann ich nicht helfen": the
fallback, `out_of_scope`, a weak FAQ reading (actions/faq.py) and a complaint that is really a
how-to question with no order behind it (actions/empathy.py). Curated company.yml answers still win
when the classifier is sure, and transactional requests stay in their forms.

An answer is the best passage's one to three sentences, quoted unchanged, the page named and linked,
and "Hat Ihnen das geholfen?" (pending question KNOWLEDGE_CHECK, answered through ActionAnswer:
"nein" shows the next-best passage once, then offers a human). Below the knowledge base's threshold
the bot says it found nothing and offers a human; it never joins passages into new sentences.
Every answer, abstention and verdict carries a `knowledge` block (bot.shared.wire) for the hub.
"""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any, Dict, List, Sequence, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import followups, open_request
from actions.common import english, facts, react, register, remember
from bot.dialogue.asked_aspects import Aspect, asked_aspects, unanswered_aspect
from bot.dialogue.escalation import since_resume
from bot.dialogue.follow_up import joins_on, with_topic
from bot.dialogue.product_kinds import meets, named_kinds, other_product
from bot.dialogue.questions import (
    availability_question,
    closing_thanks,
    content_stems,
    covers,
    general_question,
    in_context,
    product_question,
    question_clauses,
)
from bot.dialogue.size_tables import row_table, wanted_table
from bot.knowledge.english_query import german_query
from bot.rasa_plugins.clauses import negates_request, split_clauses
from bot.shared import wire

log = logging.getLogger(__name__)

HITS = 3
# A product question whose best passage is below the threshold but at least this sure gets that
# passage as the general rule, marked as such, with the product page and a human (issue 22.6):
# "Ist das Zelt Trekker 2 wasserdicht?" -> what counts as waterproof, not the article's own value.
GENERAL = 0.6
# Earlier customer messages a follow-up question may refer back to ("Darf die in den Trockner?").
CONTEXT_MESSAGES = 3
# "Hat nicht geholfen": the next-best passage is shown (once) when the knowledge base is sure of it,
# or when it is another section of the same page scoring at least this share of the first one's
# score; a weaker passage from another page is a guess ("Kann die Rücksendung abgeholt werden?" ->
# "Karton beschädigt? Annahme verweigern", persona run 2), so a human is offered instead.
NEXT_SHARE = 0.5
# A message shorter than this that nobody understood is more likely noise than a question:
# it gets the "not understood" choices, not "nothing on our help pages".
QUESTION_WORDS = 3
_SAFE_URL = re.compile(r"https?://[A-Za-z0-9.-]+(?::\d+)?(?:/[^\s<>\"'`\\]*)?")


def knowledge_base() -> Any:
    """The process-wide knowledge base (imported here: the action server loads it on first use)."""
    from bot.knowledge.search import KnowledgeBase

    return KnowledgeBase.current()


# A clause that only frames the question ("ich will bloß wissen", "Naa", "ok"): left out too.
FRAME = re.compile(
    r"(?i)^(?:(?:ich|i)\s+(?:will|wui|möchte|moechte|wollte|würde|wuerde|tät|taet)\s+"
    r"(?:(?:nur|bloß|bloss|gern|gerne|mal|halt)\s+)*(?:wissen|wissn|fragen)|"
    r"nein|nee|naa|na|nö|noe|ja|jo|ok|okay|also|hallo|hi|hey)$"
)


def asked_part(question: str) -> str:
    """The question without the clauses that say what the customer does not want ("i mog nix
    zruckschicka. I wui bloß wissn, ob's a Filiale gibt") or only frame it: the help pages are
    searched for the rest."""
    clauses = split_clauses(question)
    kept = [c for c in clauses if not negates_request(c)]
    if len(kept) == len(clauses):
        return question
    kept = [c for c in kept if not FRAME.match(c.strip())] or kept
    return " ".join(kept) if kept else question


async def search(question: str, exclude: Sequence[str] = ()) -> Tuple[List[Any], bool]:
    """The hits, best first, and whether the best is above the threshold. A failure of the knowledge
    base is an abstention ([], False), logged: a broken index must not fail the whole turn. Off the
    event loop: the first call loads the index. A negated request is left out of the question."""
    question = asked_part(question)
    try:
        found = await asyncio.to_thread(
            lambda: knowledge_base().search(question, k=HITS, exclude=list(exclude))
        )
        asked = question_sentences(question)
        if not found.confident and asked and not exclude:  # the greeting and story left out
            only = await asyncio.to_thread(
                lambda: knowledge_base().search(asked, k=HITS, exclude=list(exclude))
            )
            found = only if only.confident else found
    except Exception:  # noqa: BLE001 - any failure of the index is an abstention, and logged
        log.exception("knowledge base search failed")
        return [], False
    hits = list(found.hits or [])
    return hits, bool(found.confident and hits)


_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")


def question_sentences(text: str) -> str:
    """The sentences of a longer message that ask ("Griaß Gott! De Jackn is ma z'eng. Kannt i de in
    L umtauschn?" -> the last one), or "" when that is the whole message or nothing asks: searched
    again when the whole message found nothing sure (persona run, problem 10)."""
    sentences = [s.strip() for s in _SENTENCE.findall(text or "") if s.strip()]
    asking = [s for s in sentences if s.endswith("?")]
    if not asking or len(asking) == len(sentences):
        return ""
    return " ".join(asking)


def safe_url(url: str | None) -> str:
    """The page's URL if it is a plain http(s) address, else "" (the page is named without a link)."""
    url = (url or "").strip()
    return url if _SAFE_URL.fullmatch(url) else ""


def hit_fields(hit: Any) -> Dict[str, Any]:
    """What the wire and the handoff summary keep of a hit (no quote: the page holds it)."""
    return {
        "page_id": hit.page_id,
        "title": hit.page_title,
        "url": safe_url(hit.url),
        "passage_id": hit.passage_id,
        "score": round(float(hit.score), 3),
    }


def more(hit: Any) -> str:
    """ "Mehr dazu: <title> – <url>": the widget turns the bare URL into a safe link, messengers too."""
    url = safe_url(hit.url)
    return f"{hit.page_title} – {url}" if url else str(hit.page_title)


def quote_of(hit: Any) -> str:
    return " ".join(str(hit.quote).split())


def question_id(tracker: Tracker) -> str | None:
    """The hub's id of the customer's latest message (Rasa keeps it on the user event)."""
    for event in reversed(tracker.events or []):
        if event.get("event") == "user":
            return event.get("message_id")
    return None


def blocks(events: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """The knowledge blocks the bot sent since the last hand-back, oldest first."""
    found = []
    for event in since_resume(events):
        custom = (event.get("data") or {}).get("custom") if event.get("event") == "bot" else None
        if isinstance(custom, dict) and isinstance(custom.get(wire.KNOWLEDGE), dict):
            found.append(custom[wire.KNOWLEDGE])
    return found


def shown_pages(events: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """Pages shown as answers since the hand-back, with the customer's verdict (handoff summary)."""
    pages: List[Dict[str, Any]] = []
    for block in blocks(events):
        if block.get("abstained") or not block.get("passage_id"):
            continue
        if block.get("helpful") is None:
            pages.append(
                {
                    "title": block.get("title"),
                    "url": block.get("url"),
                    "helpful": None,
                    "passage_id": block.get("passage_id"),
                }
            )
        else:
            for page in pages:
                if page["passage_id"] == block.get("passage_id"):
                    page["helpful"] = block["helpful"]
    return [{k: v for k, v in page.items() if k != "passage_id"} for page in pages]


def last_answer(events: List[Dict[str, Any]]) -> Dict[str, Any] | None:
    """The latest answer block (no verdict, not an abstention)."""
    for block in reversed(blocks(events)):
        if block.get("helpful") is None and not block.get("abstained"):
            return block
    return None


def question_text(events: List[Dict[str, Any]], message_id: str | None) -> str | None:
    for event in reversed(events):
        if event.get("event") == "user" and message_id and event.get("message_id") == message_id:
            return event.get("text")
    return None


def show(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    hit: Any,
    response: str,
    asked: str | None,
    attempt: int = 1,
) -> List[EventType]:
    if english(tracker):
        # an English writer never gets a German quote (held-out run 8, e22: "it's in German" after one):
        # the pages exist only in German, so the page is named and linked and a person offered
        page = more(hit)
        again = any(
            e.get("event") == "bot" and page in str(e.get("text") or "") for e in tracker.events
        )
        key = "knowledge_german_only_again" if again else "knowledge_german_only"
        dispatcher.utter_message(
            text=facts().text("notices", key, "en", page=page),
            buttons=[followups.human_button("en")],
            json_message=wire.knowledge(asked, hit_fields(hit), False, attempt=attempt),
        )
        return [remember(tracker, f"Hilfeseite nur auf Deutsch genannt: {hit.page_title}")]
    dispatcher.utter_message(
        response=response,
        quote=quote_of(hit),
        more=more(hit),
        json_message=wire.knowledge(asked, hit_fields(hit), False, attempt=attempt),
    )
    return [remember(tracker, f"Hilfeseite gezeigt: {hit.page_title}")]


def earlier_messages(tracker: Tracker) -> List[str]:
    """The customer's typed messages before the latest one, oldest first (the last few), while the
    conversation is about the help pages: the bot's last turn quoted one. After an order status a
    question ("Muss ich zu Hause sein, wenn der Bote kommt?") is about the delivery, not about the
    boots named three messages ago."""
    events = list(tracker.events or [])
    users = [i for i, e in enumerate(events) if e.get("event") == "user"]
    last_turn = events[users[-2] + 1 : users[-1]] if len(users) >= 2 else []
    if not blocks(last_turn):
        return []
    texts = [
        str(events[i].get("text") or "")
        for i in users
        if not str(events[i].get("text") or "").startswith("/")
    ]
    return texts[:-1][-CONTEXT_MESSAGES:]


def typed_messages(tracker: Tracker) -> List[str]:
    """Everything the customer typed (no tapped buttons), oldest first."""
    return [
        str(e.get("text") or "")
        for e in tracker.events or []
        if e.get("event") == "user" and not str(e.get("text") or "").startswith("/")
    ]


def previous_question(tracker: Tracker) -> str:
    """The customer's typed message before the latest one, its asking sentences when it has some:
    the topic a follow-up opening with "und" continues ("" when there is none)."""
    said = typed_messages(tracker)
    if len(said) < 2:
        return ""
    return question_sentences(said[-2]) or said[-2]


async def answer(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    text: str,
    abstain: str | None,
    above: float = 0.0,
    product: bool = False,
    rival: str = "",
) -> List[EventType] | None:
    """Answer `text` from the help pages. When the knowledge base is not confident (or its best
    score is not above `above`, another answer's confidence): say `abstain` (a response name) and
    return [], or with `abstain` None say nothing and return None (the caller answers its own way).
    Inside a form the answer has no check buttons; the form asks again.

    A question about stock or availability is answered honestly (the bot cannot see it), whatever
    the pages hold. A follow-up that names no product is searched with the product the customer
    named before, one opening with "und"/"aber" with the customer's previous question (when that
    finds a sure passage), and never gets a passage already shown. `product`: a product question, which gets
    a weaker passage as the general rule (GENERAL) rather than nothing. `rival`: a curated answer
    the passage must talk more about the question than ("Kein Problem, ich wollte nur wissen, was
    der Versand kostet" is not answered with a page that starts "Kein Problem: …")."""
    in_form = bool((tracker.active_loop or {}).get("name"))
    asked = question_id(tracker)
    if english(tracker):  # the German pages, searched with the German words of the question
        if rival:  # a fair reading of an English curated answer beats a German page
            return None if abstain is None else said_nothing_found(dispatcher, tracker, abstain, [])
        return await answer_english(dispatcher, tracker, text, abstain, above, product)
    if availability_question(text) and not in_form:
        return said_nothing_found(dispatcher, tracker, "utter_product_availability", [])
    query = in_context(text, earlier_messages(tracker))
    shown = [b["passage_id"] for b in blocks(tracker.events) if b.get("passage_id")]
    if product and not in_form:  # "Welche Größe …, und darf die in die Waschmaschine?"
        both = await two_answers(text, earlier_messages(tracker), shown)
        if both:  # the first without the check question; "Hat Ihnen das geholfen?" once, at the end
            show(dispatcher, tracker, both[0], "utter_knowledge_answer_in_form", asked)
            show(dispatcher, tracker, both[1], "utter_knowledge_answer", asked)
            return [
                remember(
                    tracker, f"Hilfeseiten gezeigt: {both[0].page_title}, {both[1].page_title}"
                )
            ]
        one = await one_of_two(text, shown)
        if one is not None:  # the other question is named honestly, never dropped (run 4, d27)
            from actions.second_request import say_unsure  # it answers second questions with us

            hit, other = one
            shown_one = show(dispatcher, tracker, hit, "utter_knowledge_answer_in_form", asked)
            say_unsure(dispatcher, tracker, "du" if register(tracker) == "du" else "sie", other)
            return shown_one + [remember(tracker, f"Frage nicht sicher beantwortet: {other}")]
    before = previous_question(tracker) if joins_on(text) and query == text else ""
    hits: List[Any] = []
    confident = False
    if before:  # "Und wann wird dann verschickt?" after "Kann ich per Überweisung bezahlen?"
        hits, confident = await search(with_topic(text, before), exclude=shown)
    if not confident:
        hits, confident = await search(query, exclude=shown if query != text else ())
    hits, confident = await with_aspect(text, query, hits, confident, shown)
    hits, confident = await titled_page(query, hits, confident, shown)
    hits, confident = await fitting_table(tracker, query, hits, confident, shown)
    # the product asked about: the asking sentences' own, else the one named before
    about = in_context(question_sentences(text) or text, earlier_messages(tracker))
    better = not rival or covers(text, quote_of(hits[0])) > covers(text, rival) if hits else False
    return shown_or_abstained(
        dispatcher, tracker, hits, confident and better, abstain, above, product, about, text
    )


def shown_or_abstained(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    hits: List[Any],
    confident: bool,
    abstain: str | None,
    above: float,
    product: bool,
    question: str = "",
    said: str = "",
) -> List[EventType] | None:
    """The best hit quoted when sure (and above `above`), for a product question a weaker one as the
    general rule; else `abstain` said, or None with `abstain` None (see `answer`). A hit about
    another product than `question` names is never quoted: the customer hears that the pages have
    nothing on that product (`no_page_for`); nor one that does not name the aspect the customer's
    own words (`said`) ask about: the pages do not say it (`no_aspect`)."""
    in_form = bool((tracker.active_loop or {}).get("name"))
    asked = question_id(tracker)
    hits = aspect_first(hits, said or question)
    named = wrong_product(question, hits[0]) if hits else None
    other = right_product(hits, question, said) if named else None
    if other is not None:
        (hits, confident), named = other, None
    if named:
        return None if abstain is None else no_page_for(dispatcher, tracker, named, hits)
    missing = missing_aspect(said or question, hits[0]) if hits else None
    if missing is not None and (confident or product):
        return None if abstain is None else no_aspect(dispatcher, tracker, missing, hits)
    if confident and float(hits[0].score) > above:
        response = "utter_knowledge_answer_in_form" if in_form else "utter_knowledge_answer"
        return show(dispatcher, tracker, hits[0], response, asked)
    if product and not in_form and hits and float(hits[0].score) >= max(GENERAL, above):
        return show(dispatcher, tracker, hits[0], "utter_knowledge_general", asked)
    if abstain is None:
        return None
    return said_nothing_found(dispatcher, tracker, abstain, hits)


async def answer_english(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    text: str,
    abstain: str | None,
    above: float = 0.0,
    product: bool = False,
) -> List[EventType] | None:
    """`answer` for an English writer (held-out persona run 2, d15): the help pages searched with the
    German words the question names (bot/knowledge/english_query.py), the page found named and
    linked as German only with a person offered, never a German quote (`show`, held-out run 8). A
    question naming none of the shop's topics gets what the bot can do in English (a person among
    it), and once that was said, the honest "found nothing" with a person offered."""
    in_form = bool((tracker.active_loop or {}).get("name"))
    # a follow-up naming no product is about the one named before ("what is the comfort
    # temperature?" after a sleeping-bag question got a down jacket, held-out run 7, d22)
    query = german_query(text)
    if query:
        query = in_context(query, [german_query(m) or m for m in earlier_messages(tracker)])
    if not query and abstain is not None:  # no shop topic named: what the bot can do, said once
        said = {(e.get("metadata") or {}).get("utter_action") for e in tracker.events or []}
        intro = "utter_fallback" not in said and not in_form
        if abstain == "utter_knowledge_none" and tracker.get_slot(open_request.TICKET):
            intro = False  # a question while the team has the matter: noted for it (run 6, d12)
        return said_nothing_found(dispatcher, tracker, "utter_fallback" if intro else abstain, [])
    shown = [b["passage_id"] for b in blocks(tracker.events) if b.get("passage_id")]
    hits, confident = await search(query, exclude=shown) if query else ([], False)
    if hits:  # "what's the best way to dry it?": a passage that speaks of drying (run 7, d22)
        hits, confident = await with_aspect(text, query, hits, confident, shown)
    return shown_or_abstained(
        dispatcher, tracker, hits, confident, abstain, above, product, query, text
    )


async def two_answers(text: str, earlier: List[str], shown: List[str]) -> List[Any]:
    """Two product questions in one message, each answered by its own passage (issue 22.5): the
    two hits, in the order asked, when each question clause has a sure one (passage_for) and they
    differ; else [] (one answer for the whole message, as for any question)."""
    asked = question_clauses(text)
    if len(asked) != 2:
        return []
    found: List[Any] = []
    for clause in asked:  # a question naming no product is about the one the message names
        hit = await passage_for(clause, earlier + [text], shown)
        if hit is None or any(h.passage_id == hit.passage_id for h in found):
            return []
        found.append(hit)
    return found


# A passage answers one question of a longer message when it names at least half of the question's
# content words, and two of them when it has two: "kann ich auch im Laden in Leipzig umtauschen" ->
# the store exchange passage (Leipzig, umtauschen); "wie pflege ich die am besten" gets no sizing
# or washing passage that only shares "am besten" (held-out run 4, d09, d27).
COVER = (1, 2)  # numerator, denominator
MIN_COVERED = 2


async def passage_for(
    question: str, context: Sequence[str] = (), exclude: Sequence[str] = ()
) -> Any | None:
    """The help-page passage that surely answers one question of a longer message, or None: the
    search must be confident and the passage must name enough of what the question asks (COVER);
    `context`: earlier messages and the whole message, oldest first, whose product a question
    naming none is about."""
    hits, confident = await search(in_context(question, list(context)), exclude)
    hits = aspect_first(hits, question)
    stems = content_stems(question)
    if not confident or not hits or not stems:
        return None
    share, whole = COVER
    needed = max(min(MIN_COVERED, len(stems)), -(-len(stems) * share // whole))  # rounded up
    plain = (question.translate(PLAIN), quote_of(hits[0]).translate(PLAIN))
    if wrong_product(in_context(question, list(context)), hits[0]):
        return None
    if missing_aspect(question, hits[0]) is not None:  # "wie schwer ist es?"
        return None
    return hits[0] if covers(*plain) >= needed else None


# Umlauts as plain vowels for the coverage count: "groß" and "Größe" share "gross".
PLAIN = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "Ä": "A", "Ö": "O", "Ü": "U", "ß": "ss"})


async def one_of_two(text: str, shown: List[str]) -> Tuple[Any, str] | None:
    """Two product questions of which the help pages answer exactly one (passage_for): that
    passage and the other question as written, else None (one answer for the whole message)."""
    asked = question_clauses(text)
    if len(asked) != 2:
        return None
    found = [await passage_for(question, [text], shown) for question in asked]
    if (found[0] is None) == (found[1] is None):
        return None
    return (found[0], asked[1]) if found[0] is not None else (found[1], asked[0])


async def with_aspect(
    text: str, query: str, hits: List[Any], confident: bool, shown: List[str]
) -> Tuple[List[Any], bool]:
    """When no hit names the aspect the question asks about ("kann ich die Schuhe einfach nicht
    annehmen?" found shoe sizing), one more search with the pages' words for it ("Annahme
    verweigern"); its hit that names the aspect, when sure by its own confidence, replaces them,
    else they stay (and the customer hears the pages do not say it). The aspect is looked for in
    the first hit about the product the question names."""
    # judged on the first hit about the product asked for: a sleeping bag's storage does not say
    # where a tent is kept (held-out run 7, d13)
    about = [h for h in aspect_first(hits, text) if not wrong_product(query, h)]
    if about:
        missing = missing_aspect(text, about[0])
    else:
        missing = next(iter(asked_aspects(text)), None) if hits else None
    if missing is None:
        return hits, confident
    again, _ = await search(f"{query} {missing.search}", exclude=shown)
    # its first hit about the product that names the aspect, never another product's ("may I dry
    # the boots on the radiator?" is no sleeping bag's drying), by its own confidence wherever it
    # ranked (the search answered, so the base is loaded)
    fit = next(
        (h for h in again if not wrong_product(query, h) and missing_aspect(text, h) is None), None
    )
    if fit is not None and float(fit.score) >= float(getattr(knowledge_base(), "threshold", 1.0)):
        return [fit] + [h for h in again if h is not fit], True
    return hits, confident


async def titled_page(
    query: str, hits: List[Any], confident: bool, shown: List[str]
) -> Tuple[List[Any], bool]:
    """A page whose title names the product asked about and everything the question asks about it
    answers the question, however few or casual its words ("wie pflege ich das zelt nach dem
    urlaub??" -> "Zeltpflege – reinigen, trocknen und lagern", held-out run 7, d13: below the
    threshold because no page says "Urlaub"). Searched again with that title, its page's best
    passage is quoted as sure; when no hit's page is such a page, the hits stay as they are."""
    if confident or not hits:
        return hits, confident
    kinds, aspects = named_kinds(query), asked_aspects(query)
    if not kinds or not aspects:
        return hits, confident
    for hit in hits:
        title = str(hit.page_title)
        named = named_kinds(title)
        if any(meets(k, n) for k in kinds for n in named) and all(
            a.answered.search(title) for a in aspects
        ):
            again, _ = await search(f"{query} {title}", exclude=shown)
            same = [h for h in again if h.page_id == hit.page_id] or [hit]
            return aspect_first(same, query), True
    return hits, confident


async def fitting_table(
    tracker: Tracker, query: str, hits: List[Any], confident: bool, shown: List[str]
) -> Tuple[List[Any], bool]:
    """A size-table row only from the table the customer's words name (Herren/Damen), never a women's
    row to a man in suit size 50 (held-out run 7, d01): when the best hit is the other table's, the search
    is repeated with the table's name; the other table's rows are never quoted."""
    if not hits or row_table(hits[0].heading) is None:
        return hits, confident
    want = wanted_table(typed_messages(tracker))
    if want is None or row_table(hits[0].heading) == want:
        return hits, confident
    again, sure = await search(f"{query} {want}", exclude=shown)
    right = [h for h in again if row_table(h.heading) == want]
    if right:
        return right, sure
    fits = [h for h in hits if row_table(h.heading) in (want, None)]
    return fits, confident and bool(fits)


def aspect_first(hits: List[Any], question: str) -> List[Any]:
    """`hits` with the first one that names the aspect the question asks about moved to the front
    when the best does not ("Wie trockne ich den Schlafsack?": the drying section before the airing
    one), if it is from the best one's page or sure enough on its own (GENERAL); else unchanged."""
    if not hits or missing_aspect(question, hits[0]) is None:
        return hits
    for hit in hits[1:]:
        near = hit.page_id == hits[0].page_id or float(hit.score) >= GENERAL
        if near and missing_aspect(question, hit) is None:
            return [hit] + [h for h in hits if h is not hit]
    return hits


def missing_aspect(question: str, hit: Any) -> Aspect | None:
    """What the question asks about that the hit does not speak of (asked_aspects.py); a care page's
    every section speaks of care ("Wie pflege ich meine Membranjacke?")."""
    return unanswered_aspect(question, quote_of(hit), str(getattr(hit, "page_title", "") or ""))


def wrong_product(question: str, hit: Any) -> str | None:
    """The product the question names when the hit's page and quote, or its section, are about
    another kind of product only ("Regenhose" -> a tent page), else None."""
    return other_product(
        question, str(hit.page_title), quote_of(hit), str(getattr(hit, "heading", "") or "")
    )


def right_product(hits: List[Any], question: str, said: str) -> Tuple[List[Any], bool] | None:
    """When the best hit is about another product, the hits from the first one about the asked
    product that speaks of what is asked on ("Isomatte nicht vergessen" yields to the sleeping-bag
    washing section behind it, held-out run 7, d22), if that one is sure enough to be quoted at all (GENERAL), with whether it is
    above the threshold; else None (the pages have nothing on that product)."""
    rest = [
        h
        for h in hits[1:]
        if not wrong_product(question, h) and missing_aspect(said or question, h) is None
    ]
    if not rest or float(rest[0].score) < GENERAL:
        return None
    return rest, float(rest[0].score) >= float(getattr(knowledge_base(), "threshold", 1.0))


def no_page_for(
    dispatcher: CollectingDispatcher, tracker: Tracker, named: str, hits: List[Any]
) -> List[EventType]:
    """The help pages have nothing on the question about `named`; a person offered (the button
    alone: pending reads it as an offer of a person). The nearest page goes to the hub as a gap."""
    from actions.second_request import HUMAN_BUTTON  # it imports this module

    dispatcher.utter_message(
        text=facts().notice("knowledge_other_product", register(tracker), product=named),
        buttons=[HUMAN_BUTTON],
        json_message=wire.knowledge(
            question_id(tracker), hit_fields(hits[0]) if hits else None, True
        ),
    )
    return [remember(tracker, f"In den Hilfeseiten nichts zu {named} gefunden")]


def no_aspect(
    dispatcher: CollectingDispatcher, tracker: Tracker, aspect: Aspect, hits: List[Any]
) -> List[EventType]:
    """The help pages do not say what the question asks about (`aspect`: the weight, drying …);
    a person offered, as for another product (`no_page_for`). The nearest page goes to the hub."""
    from actions.second_request import HUMAN_BUTTON  # it imports this module

    en = english(tracker)
    label = aspect.english if en else aspect.german
    dispatcher.utter_message(
        text=facts().notice("knowledge_no_aspect", register(tracker), aspect=label),
        buttons=[HUMAN_BUTTON_EN if en else HUMAN_BUTTON],
        json_message=wire.knowledge(
            question_id(tracker), hit_fields(hits[0]) if hits else None, True
        ),
    )
    return [remember(tracker, f"In den Hilfeseiten nichts zu {aspect.german} gefunden")]


HUMAN_BUTTON_EN = {"title": "Customer service", "payload": "/request_human"}


def said_nothing_found(
    dispatcher: CollectingDispatcher, tracker: Tracker, response: str, hits: List[Any]
) -> List[EventType]:
    if response == "utter_knowledge_none":  # with a request open: noted for it, no second offer
        text = str((tracker.latest_message or {}).get("text") or "")
        noted = open_request.note_unanswered(dispatcher, tracker, text, "knowledge_none_noted")
        if noted is not None:
            gap = wire.knowledge(question_id(tracker), hit_fields(hits[0]) if hits else None, True)
            dispatcher.utter_message(json_message=gap)  # the hub's content gaps still count it
            return noted
    dispatcher.utter_message(
        response=response,
        json_message=wire.knowledge(
            question_id(tracker), hit_fields(hits[0]) if hits else None, True
        ),
    )
    return [remember(tracker, "In den Hilfeseiten nichts gefunden")]


async def abstain(dispatcher: CollectingDispatcher, tracker: Tracker, text: str) -> List[EventType]:
    """ "Nothing on the help pages" after a search the caller already made found nothing confident
    (the nearest page is searched again for the hub's content gaps; 30 ms)."""
    hits, _ = await search(text)
    return said_nothing_found(dispatcher, tracker, abstention(tracker, text), hits)


def abstention(tracker: Tracker, text: str) -> str:
    """What to say when the help pages have nothing: inside a form and for a few words nobody
    understood, the usual "not understood" choices; otherwise honestly "nothing found" with a human."""
    in_form = bool((tracker.active_loop or {}).get("name"))
    if in_form or len(text.split()) < QUESTION_WORDS:
        return "utter_fallback"
    return "utter_knowledge_none"


class ActionAnswerFromKnowledge(Action):
    """The fallback and `out_of_scope`: an answer from the help pages, else an honest "nothing found"."""

    def name(self) -> str:
        return "action_answer_from_knowledge"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        short = open_request.answer(dispatcher, tracker)  # "ok", "wie lange dauert das?" (22.8)
        if short is not None:
            return short
        if english(tracker):  # the German help pages, with an English lead-in (persona run 2)
            text = str((tracker.latest_message or {}).get("text") or "")
            intent = ((tracker.latest_message or {}).get("intent") or {}).get("name")
            found = await answer(
                dispatcher,
                tracker,
                text,
                abstention(tracker, text),
                product=intent == "product_question",
            )
            return found or []
        if react(
            dispatcher, tracker, domain
        ):  # anger, grief, worry, praise: their own line (issue 22.7)
            return []
        text = str((tracker.latest_message or {}).get("text") or "")
        in_form = bool((tracker.active_loop or {}).get("name"))
        if closing_thanks(text) and not in_form:  # "alles klar, dann bestell ich, danke"
            return [FollowupAction("action_thank")]
        own = await followups.answer(tracker, None, text)
        if own:  # "geht das irgendwie schneller?" about the order on the table (issue 22.5)
            in_form = bool((tracker.active_loop or {}).get("name"))
            dispatcher.utter_message(text=own.text, buttons=[] if in_form else own.buttons)
            started = [FollowupAction(own.form)] if own.form and not in_form else []
            return [remember(tracker, "Folgefrage aus der Bestellung beantwortet")] + started
        intent = ((tracker.latest_message or {}).get("intent") or {}).get("name")
        product = intent == "product_question" or product_question(text)
        return (
            await answer(dispatcher, tracker, text, abstention(tracker, text), product=product)
            or []
        )


def helpful(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
    """ "Ja, danke": recorded for the hub, then "anything else?"."""
    block = last_answer(tracker.events) or {}
    dispatcher.utter_message(
        response="utter_glad_it_helped",
        json_message=wire.knowledge(
            block.get("question_id"), block, False, helpful=True, attempt=block.get("attempt") or 1
        ),
    )
    return []


async def unhelpful(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
    """ "Hat nicht geholfen": recorded, then the next-best passage once, after that a human offered."""
    block = last_answer(tracker.events) or {}
    attempt = int(block.get("attempt") or 1)
    asked = block.get("question_id")
    dispatcher.utter_message(
        json_message=wire.knowledge(asked, block, False, helpful=False, attempt=attempt)
    )
    events: List[EventType] = [remember(tracker, f"Hilfeseite half nicht: {block.get('title')}")]
    question = question_text(tracker.events, asked)
    if english(tracker):
        # the English lead-in promised "a colleague can answer you in English": no second German
        # quote (held-out persona run 4, d07/d21), the person is offered
        question = ""
    if attempt == 1 and question:
        shown = [b["passage_id"] for b in blocks(tracker.events) if b.get("passage_id")]
        hits, confident = await search(question, exclude=shown)
        first = float(block.get("score") or 0.0)
        same_page = bool(hits) and hits[0].page_id == block.get("page_id")
        # never another product's page: the down-jacket wash for a sleeping bag (held-out run 5, d25)
        about = in_context(question, typed_messages(tracker)[-CONTEXT_MESSAGES - 1 :])
        if hits and wrong_product(about, hits[0]):
            hits = []
        if hits and missing_aspect(question, hits[0]) is not None:
            hits = []  # the next try must still speak of what was asked (weight, drying …)
        if hits and (confident or (same_page and float(hits[0].score) >= NEXT_SHARE * first)):
            return events + show(dispatcher, tracker, hits[0], "utter_knowledge_next", asked, 2)
    dispatcher.utter_message(response="utter_knowledge_offer_human")
    return events


async def answer_complaint_question(
    dispatcher: CollectingDispatcher, tracker: Tracker
) -> List[EventType] | None:
    """A complaint that only asks how to do something, with no order behind it, answered from the
    help pages when they are sure; the complaint form is skipped then, and a form in progress goes
    on. None: a complaint after all."""
    text = str((tracker.latest_message or {}).get("text") or "")
    form = str((tracker.active_loop or {}).get("name") or "")
    if form == "complaint_form" or (not form and tracker.get_slot("order_id")):
        return None  # already complaining, or an order on the table: a complaint after all
    if not general_question(text):
        return None
    # A product question (fit, waterproofness, care ...) is never a complaint: answered, or honestly
    # not with a human offered (issue 22.6); a how-to about the customer's own item may still be one.
    honest = "utter_knowledge_none" if product_question(text) and not form else None
    shown = await answer(dispatcher, tracker, text, honest, product=honest is not None)
    if shown is None:
        return None
    # the complaint form is skipped; a form in progress (the verification) asks its question again
    return shown + [FollowupAction(form or "action_listen")]

"""The conversation corpus (tests/conversations/*.yml): play, check, audit and report (issue 22).

Each conversation is a customer persona writing several turns through the hub into the real
stack. Every turn states what the reply must do and must not do; the runner adds the checks
every turn shares, so the corpus only writes what is particular to a turn:

    conversations:
    - name: pensioner asks where her hiking boots are
      persona: elderly, formal
      register: sie          # sie | du | en: the register (or language) every reply must keep
      mood: neutral          # neutral | joy | worry | anger | grief (a turn may override it)
      turns:
      - user: Guten Tag, ich warte auf die Bestellung 100234 ...
        expect: ["E-Mail"]            # regexes (case-insensitive) the reply must match: the flow
        facts: ["08\\.12|morgen"]     # regexes for facts from the demo shop or company.yml
        reject: ["Rücksendung"]       # regexes the reply must not match
        faq: [shipping_costs]         # company.yml FAQ answers this turn may quote word for word
        creates: [return 100235]      # records the customer confirms in this turn (see below)
                                      # ("handoff?" in quotes: allowed, not required)
        ok: [reask]                   # shared checks this turn is exempt from (sparingly)
      - tap: Ja                       # a button of the previous reply, by its title

Shared checks on every turn (cause names in the report):
- `no_reply`   the bot said nothing;
- `menu`       "Worum geht es?" (the menu after a request was stated);
- `reask`      the order number or e-mail is asked for after the customer gave it;
- `register`   du-forms to a Sie customer, Sie-forms to a du customer, German to an English one;
- `empathy`    an apology or sympathy line on a neutral or happy message;
- `repeat`     the same reply word for word as the turn before;
- `stock`      a company.yml FAQ answer word for word that the turn does not allow (`faq`) and
               that either matches none of the turn's `expect`/`facts` (an unrelated block) or
               was given earlier in the conversation (the same block again);
- `dead_end`   "nicht verstanden" (the fallback).

The audit: before each conversation the demo shop is seeded afresh; after every turn the runner
reads what is new - returns and tickets in the shop, orders cancelled or re-addressed, handoffs
in the hub - and matches each record against the `creates` of that turn (`return 100235`,
`complaint 100238`, `ticket 100237`, `cancel 100236`, `address 100236`, `handoff`). A record no
turn confirmed is *unconfirmed*; a second case of the same kind on the same order (or a second
handoff in one conversation) is a *duplicate*; a confirmed record that never appears fails its
turn (`record_missing`). A `creates` of a shop record sits on a turn where the customer says yes.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Sequence, Set, Tuple

import aiohttp
import yaml

from bot.ops.client import Customer

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "conversations"
MOODS = {"neutral", "joy", "worry", "anger", "grief"}
REGISTERS = {"sie", "du", "en"}
SHARED = ("no_reply", "menu", "reask", "register", "empathy", "repeat", "stock", "dead_end")
SHOP_KINDS = {"return", "complaint", "ticket", "invoice_change", "cancel", "address"}
KINDS = SHOP_KINDS | {"handoff", "order_lookup"}
TURN_KEYS = {"user", "tap", "expect", "facts", "reject", "faq", "creates", "ok", "mood", "note"}

MENU = re.compile(r"Worum geht es")
ASK_ORDER = re.compile(
    r"(?i)(wie lautet|nenn(?:en Sie)? mir|schreib(?:en Sie)? mir|brauche ich)[^.?!]{0,40}"
    r"bestellnummer|bestellnummer\?|what is your order number"
)
ASK_EMAIL = re.compile(r"(?i)mit welcher e-mail-adresse|which e-mail address did you use")
ORDER_NO = re.compile(r"\b1\d{5}\b")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
DU = re.compile(r"\b(?:du|dich|dir|dein|deine|deinen|deinem|deiner|deines)\b", re.I)
SIE_ANYWHERE = re.compile(r"\b(?:Ihnen|Ihr|Ihre|Ihren|Ihrem|Ihrer|Ihres)\b")
SIE_WORD = re.compile(r"\bSie\b")
EMPATHY = re.compile(
    r"(?i)tut (?:mir|uns) (?:sehr |wirklich |aufrichtig )?leid|ärgerlich|ärger\b|"
    r"nicht rund läuft|beileid|sorgen machen|keine sorge|bedauer|i am sorry|i'm sorry"
)
DEAD_END = re.compile(r"(?i)nicht (?:ganz )?verstanden|did(?: not|n't) understand")
QUOTED = re.compile(r"„[^\n]*[“”]|\"[^\"\n]*\"|«[^»\n]*»")  # a quote may hold quotes
GERMAN = re.compile(
    r"(?i)\b(?:und|der|die|das|ist|nicht|sie|ihre?|ihnen|bitte|mit|wir|ich|eine?|zu|auf|für|"
    r"bestellung|paket|oder|sind|du|dir|dein|haben|kann|wird|noch)\b"
)
ENGLISH = re.compile(
    r"(?i)\b(?:and|the|is|are|not|you|your|please|with|we|our|to|for|of|from|order|parcel|can|"
    r"will|it|this|that|have|be)\b"
)
YES = re.compile(
    r"(?i)^\s*(ja|jo|jep|jap|jup|yep|jop|jawohl|genau|gern|bitte|ok(ay)?|passt|mach|yes|sure|richtig|klar|"
    r"stimmt|einverstanden|in ordnung|korrekt|ganz genau|gerne)\b"
)


class CorpusError(ValueError):
    """A conversation file breaks the format above (caught before anything is played)."""


@dataclass
class Record:
    kind: str
    order: str | None
    reference: str
    turn: int = 0

    def label(self) -> str:
        return f"{self.kind} {self.order}" if self.order else self.kind


@dataclass
class TurnResult:
    number: int
    said: str
    reply: str
    buttons: List[str]
    intent: str = ""
    actions: List[str] = field(default_factory=list)
    failures: List[Tuple[str, str]] = field(default_factory=list)  # (cause, detail)


@dataclass
class ConversationResult:
    name: str
    source: str
    register: str
    turns: List[TurnResult] = field(default_factory=list)
    records: List[Record] = field(default_factory=list)
    unconfirmed: List[Record] = field(default_factory=list)
    duplicates: List[Record] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return (
            all(not t.failures for t in self.turns) and not self.unconfirmed and not self.duplicates
        )


# ---------------------------------------------------------------------------- loading the corpus


def load(directory: Path = CORPUS) -> List[Dict[str, Any]]:
    """All conversations, each with `source` (file stem); a format error raises CorpusError."""
    found: List[Dict[str, Any]] = []
    names: Set[str] = set()
    for path in sorted(directory.glob("*.yml")):
        for conv in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get(
            "conversations", []
        ):
            conv = {**conv, "source": path.stem}
            validate(conv)
            if conv["name"] in names:
                raise CorpusError(f"{path.stem}: conversation {conv['name']!r} twice")
            names.add(conv["name"])
            found.append(conv)
    return found


def parse_record(text: str) -> Tuple[str, str | None]:
    """ "return 100235" -> ("return", "100235"); a trailing "?" (allowed, not required) is dropped."""
    kind, _, order = str(text).rstrip("?").partition(" ")
    if kind not in KINDS:
        raise CorpusError(f"unknown record kind {kind!r} (one of {sorted(KINDS)})")
    return kind, order.strip() or None


def validate(conv: Dict[str, Any]) -> None:
    where = f"{conv.get('source')}: {conv.get('name')!r}"
    if not conv.get("name") or not conv.get("turns"):
        raise CorpusError(f"{where}: needs a name and turns")
    if conv.get("register", "sie") not in REGISTERS:
        raise CorpusError(f"{where}: register must be one of {sorted(REGISTERS)}")
    for number, turn in enumerate(conv["turns"], 1):
        here = f"{where} turn {number}"
        if set(turn) - TURN_KEYS:
            raise CorpusError(f"{here}: unknown keys {sorted(set(turn) - TURN_KEYS)}")
        if ("user" in turn) == ("tap" in turn):
            raise CorpusError(f"{here}: exactly one of user and tap")
        if not (turn.get("expect") or turn.get("facts") or turn.get("reject")):
            raise CorpusError(f"{here}: says neither what the reply must do nor must not do")
        if turn.get("mood", conv.get("mood", "neutral")) not in MOODS:
            raise CorpusError(f"{here}: mood must be one of {sorted(MOODS)}")
        if set(turn.get("ok") or []) - set(SHARED):
            raise CorpusError(f"{here}: ok names an unknown check")
        for pattern in [*turn.get("expect", []), *turn.get("facts", []), *turn.get("reject", [])]:
            try:
                re.compile(pattern)
            except re.error as e:
                raise CorpusError(f"{here}: bad regex {pattern!r}: {e}") from None
        for created in turn.get("creates") or []:
            kind, _ = parse_record(created)
            said = turn.get("tap") or turn.get("user") or ""
            if kind in SHOP_KINDS and "tap" not in turn and not YES.search(said):
                raise CorpusError(f"{here}: a shop record is confirmed by a yes, not {said!r}")


# --------------------------------------------------------------------------- checking one reply


def faq_signatures(company: Path = ROOT / "company.yml") -> Dict[str, List[str]]:
    """Per FAQ key, the longest placeholder-free piece of each variant (how a verbatim block is seen)."""
    faq = (yaml.safe_load(company.read_text(encoding="utf-8")) or {}).get("faq", {})
    signatures: Dict[str, List[str]] = {}
    for key, variants in faq.items():
        for text in (variants or {}).values():
            piece = max(re.split(r"\{[^}]*\}", str(text)), key=len).strip()
            if len(piece) >= 30:
                signatures.setdefault(key, []).append(piece)
    return signatures


def without_echo(reply: str, customer: Sequence[str]) -> str:
    """The reply without quotes and without what the customer wrote (an echo is no register slip)."""
    text = QUOTED.sub(" ", reply)
    for said in customer:
        if len(said) >= 6:
            text = text.replace(said, " ")
    return text


def register_slip(reply: str, register: str) -> str:
    """What in `reply` breaks the register ("" when nothing does)."""
    if register == "en":
        de, en = len(GERMAN.findall(reply)), len(ENGLISH.findall(reply))
        return f"German, not English ({de} German, {en} English function words)" if de > en else ""
    de, en = len(GERMAN.findall(reply)), len(ENGLISH.findall(reply))
    if en >= 4 and en > de:
        return "English, not German"
    if register == "sie":
        found = DU.search(reply)
        return f"du-form {found.group(0)!r} to a Sie customer" if found else ""
    found = SIE_ANYWHERE.search(reply)
    if found:
        return f"Sie-form {found.group(0)!r} to a du customer"
    for m in SIE_WORD.finditer(reply):
        before = reply[: m.start()].rstrip()
        if before and before[-1] not in '.!?:\n„"–(':
            return "Sie-form 'Sie' to a du customer"
    return ""


def check_turn(
    turn: Dict[str, Any],
    result: TurnResult,
    *,
    register: str,
    mood: str,
    previous: str,
    given_orders: bool,
    given_email: bool,
    customer: Sequence[str],
    signatures: Dict[str, List[str]],
    blocks: Set[str],
) -> None:
    """Adds every failure of this reply to result.failures (turn-specific and shared checks);
    `blocks`: the FAQ blocks of the earlier replies, this reply's are added."""
    reply, ok = result.reply, set(turn.get("ok") or [])
    fail = result.failures.append
    for pattern in turn.get("expect") or []:
        if not re.search(pattern, reply, re.I):
            fail(("expect", f"missing {pattern!r}"))
    for pattern in turn.get("facts") or []:
        if not re.search(pattern, reply, re.I):
            fail(("fact", f"missing fact {pattern!r}"))
    for pattern in turn.get("reject") or []:
        found = re.search(pattern, reply, re.I)
        if found:
            fail(("reject", f"must not say {found.group(0)!r} ({pattern!r})"))
    shared: List[Tuple[str, str]] = []
    if not reply.strip():
        shared.append(("no_reply", "no answer"))
    if MENU.search(reply):
        shared.append(("menu", "'Worum geht es?' after the request was stated"))
    if given_orders and ASK_ORDER.search(reply):
        shared.append(("reask", "asks for the order number again"))
    if given_email and ASK_EMAIL.search(reply):
        shared.append(("reask", "asks for the e-mail address again"))
    slip = register_slip(without_echo(reply, customer), register)
    if slip:
        shared.append(("register", slip))
    if mood in ("neutral", "joy"):
        found = EMPATHY.search(reply)
        if found:
            shared.append(("empathy", f"{found.group(0)!r} on a {mood} message"))
    if len(reply) > 30 and reply.strip() == previous.strip():
        shared.append(("repeat", "the same reply as the turn before"))
    allowed = set(turn.get("faq") or [])
    wanted = [*(turn.get("expect") or []), *(turn.get("facts") or [])]
    for key, pieces in signatures.items():
        lines = [line for line in reply.split("\n") if any(p in line for p in pieces)]
        if not lines:
            continue
        related = any(re.search(w, line, re.I) for w in wanted for line in lines)
        if key not in allowed and (key in blocks or (wanted and not related)):
            again = " again" if key in blocks else ", unrelated to what was asked"
            shared.append(("stock", f"the FAQ block {key!r} word for word{again}"))
        blocks.add(key)
    if DEAD_END.search(reply):
        shared.append(("dead_end", "the fallback"))
    result.failures.extend(f for f in shared if f[0] not in ok)


# ------------------------------------------------------------------------------------- the audit


class Audit:
    """What a conversation created: the demo shop's and the hub's rows, read after every turn."""

    def __init__(self, shop_db: str, hub_db: str) -> None:
        self.shop_db, self.hub_db = shop_db, hub_db

    def snapshot(self, conversation: str) -> Dict[str, Any]:
        with sqlite3.connect(self.shop_db, timeout=30) as db:
            returns = {
                r[0]: r[1:] for r in db.execute("SELECT id, order_id, reference FROM shop_returns")
            }
            tickets = {
                r[0]: r[1:]
                for r in db.execute("SELECT id, order_id, reference, kind FROM shop_tickets")
            }
            orders = {
                r[0]: r[1:]
                for r in db.execute("SELECT id, status, shipping_address FROM shop_orders")
            }
        with sqlite3.connect(self.hub_db, timeout=30) as db:
            handoffs = {
                r[0]: r[1]
                for r in db.execute(
                    "SELECT id, reason FROM handoffs WHERE conversation_id = ?", (conversation,)
                )
            }
        return {"returns": returns, "tickets": tickets, "orders": orders, "handoffs": handoffs}

    @staticmethod
    def new_records(before: Dict[str, Any], after: Dict[str, Any]) -> List[Record]:
        found: List[Record] = []
        for key, (order, ref) in after["returns"].items():
            if key not in before["returns"]:
                found.append(Record("return", order, ref))
        for key, (order, ref, kind) in after["tickets"].items():
            if key not in before["tickets"]:
                found.append(Record(kind if kind in KINDS else "ticket", order, ref))
        for order, (status, address) in after["orders"].items():
            old = before["orders"].get(order)
            if old and old[0] != status and status == "cancelled":
                found.append(Record("cancel", order, f"{old[0]} -> {status}"))
            if old and old[1] != address:
                found.append(Record("address", order, address))
        for key, reason in after["handoffs"].items():
            if key not in before["handoffs"]:
                found.append(Record("handoff", None, f"handoff #{key} ({reason})"))
        return found


def open_cases(snapshot: Dict[str, Any]) -> Set[Tuple[str, str]]:
    """(kind, order) of the cases the shop holds: a new one of the same kind is a duplicate."""
    cases = {("return", str(order)) for order, _ in snapshot["returns"].values()}
    cases |= {(kind, str(order)) for order, _, kind in snapshot["tickets"].values() if order}
    return cases


def audit_records(
    result: ConversationResult, turns: List[Dict[str, Any]], first: Dict[str, Any]
) -> None:
    """Unconfirmed records, duplicates, and confirmed records that never appeared."""
    seen = open_cases(first)
    handoffs = 0
    for record in result.records:
        declared = [parse_record(c) for c in turns[record.turn - 1].get("creates") or []]
        if (record.kind, record.order) not in declared and (record.kind, None) not in declared:
            result.unconfirmed.append(record)
        if record.kind == "handoff":
            handoffs += 1
            if handoffs > 1:
                result.duplicates.append(record)
        elif record.kind not in ("cancel", "address", "order_lookup") and record.order:
            if (record.kind, record.order) in seen:
                result.duplicates.append(record)
            seen.add((record.kind, record.order))
    for number, turn in enumerate(turns, 1):
        for created in turn.get("creates") or []:
            kind, order = parse_record(created)
            if str(created).endswith("?"):
                continue
            if not any(
                r.turn == number and r.kind == kind and (order is None or r.order == order)
                for r in result.records
            ):
                result.turns[number - 1].failures.append(
                    ("record_missing", f"the confirmed {created} was not created")
                )


# ------------------------------------------------------------------------------ playing the corpus


async def tracker_turn(
    session: aiohttp.ClientSession, rasa_url: str, token: str, sender: str
) -> Tuple[str, List[str]]:
    """The intent of the last customer message and the actions that followed it (Rasa's tracker)."""
    params = {"include_events": "APPLIED", "token": token}
    async with session.get(f"{rasa_url}/conversations/{sender}/tracker", params=params) as r:
        if r.status != 200:
            return "", []
        events = (await r.json()).get("events", [])
    last = max((i for i, e in enumerate(events) if e["event"] == "user"), default=-1)
    if last < 0:
        return "", []
    intent = ((events[last].get("parse_data") or {}).get("intent") or {}).get("name") or ""
    actions = [
        e["name"]
        for e in events[last + 1 :]
        if e["event"] == "action" and e.get("name") not in (None, "action_listen")
    ]
    return intent, actions


async def play(
    session: aiohttp.ClientSession,
    conv: Dict[str, Any],
    *,
    hub_url: str,
    rasa_url: str,
    token: str,
    audit: Audit,
    signatures: Dict[str, List[str]],
) -> ConversationResult:
    """One conversation as a new web-chat customer: every turn checked, the records audited."""
    register = conv.get("register", "sie")
    result = ConversationResult(conv["name"], conv["source"], register)
    customer = await Customer(session, hub_url).start()
    before = first = audit.snapshot(customer.id)
    offered: Dict[str, str] = {}
    previous, said_so_far, blocks = "", [], set()
    for number, turn in enumerate(conv["turns"], 1):
        if "tap" in turn:
            title = turn["tap"]
            replies = (
                await customer.say(title, payload=offered.get(title)) if title in offered else []
            )
            said = f"[tap] {title}"
        else:
            title = ""
            replies = await customer.say(turn["user"])
            said = turn["user"]
            said_so_far.append(said)
        replies = [m for m in replies if m.get("sender") != "customer"]
        reply = "\n".join(m.get("text") or "" for m in replies)
        buttons = [b.get("title") for m in replies for b in (m.get("buttons") or [])]
        intent, actions = await tracker_turn(session, rasa_url, token, customer.id)
        res = TurnResult(number, said, reply, buttons, intent, actions)
        if title and title not in offered:
            res.failures.append(("expect", f"button {title!r} not offered: {list(offered)}"))
        offered = {b["title"]: b["payload"] for m in replies for b in (m.get("buttons") or [])}
        written = " ".join(said_so_far)
        check_turn(
            turn,
            res,
            register=register,
            mood=turn.get("mood", conv.get("mood", "neutral")),
            previous=previous,
            given_orders=bool(ORDER_NO.search(written)),
            given_email=bool(EMAIL.search(written)),
            customer=said_so_far,
            signatures=signatures,
            blocks=blocks,
        )
        after = audit.snapshot(customer.id)
        for record in Audit.new_records(before, after):
            record.turn = number
            result.records.append(record)
        before, previous = after, reply
        result.turns.append(res)
    audit_records(result, conv["turns"], first)
    return result


# --------------------------------------------------------------------------------------- report


def summary(results: Sequence[ConversationResult]) -> Dict[str, Any]:
    turns = [t for r in results for t in r.turns]
    causes: Dict[str, int] = {}
    for t in turns:
        for cause in sorted({c for c, _ in t.failures}):
            causes[cause] = causes.get(cause, 0) + 1
    return {
        "conversations": len(results),
        "conversations_passed": sum(r.passed for r in results),
        "turns": len(turns),
        "turns_passed": sum(not t.failures for t in turns),
        "records": sum(len(r.records) for r in results),
        "unconfirmed": sum(len(r.unconfirmed) for r in results),
        "duplicates": sum(len(r.duplicates) for r in results),
        "menu_after_request": sum(any(c == "menu" for c, _ in t.failures) for t in turns),
        "failing_turns_by_cause": causes,
        "by_file": {
            src: [
                sum(r.passed for r in results if r.source == src),
                sum(r.source == src for r in results),
            ]
            for src in sorted({r.source for r in results})
        },
        "by_register": {
            reg: [
                sum(r.passed for r in results if r.register == reg),
                sum(r.register == reg for r in results),
            ]
            for reg in sorted({r.register for r in results})
        },
    }


def share(part: int, whole: int) -> str:
    return f"{part}/{whole} ({100 * part / whole:.1f} %)" if whole else "0/0"


def report(results: Sequence[ConversationResult]) -> str:
    """The figures, then every failing conversation with its failing turns and the bot's reply."""
    s = summary(results)
    lines = [
        "Conversation corpus (issue 22)",
        "",
        f"conversations passing every turn  {share(s['conversations_passed'], s['conversations'])}"
        "   target >= 90 %",
        f"turns passing                     {share(s['turns_passed'], s['turns'])}",
        f"records created (audited)         {s['records']}",
        f"unconfirmed records               {s['unconfirmed']}   target 0",
        f"duplicate cases                   {s['duplicates']}   target 0",
        f"'Worum geht es?' after a request  {s['menu_after_request']}   target 0",
        "by register (passed/all)          "
        + ", ".join(f"{k} {v[0]}/{v[1]}" for k, v in s["by_register"].items()),
        "by file (passed/all)              "
        + ", ".join(f"{k} {v[0]}/{v[1]}" for k, v in s["by_file"].items()),
        "",
        "failing turns by cause: "
        + (
            ", ".join(
                f"{k} {v}"
                for k, v in sorted(s["failing_turns_by_cause"].items(), key=lambda kv: -kv[1])
            )
            or "none"
        ),
    ]
    by_cause: Dict[str, List[str]] = {}
    for r in results:
        causes = {c for t in r.turns for c, _ in t.failures}
        causes |= {"unconfirmed"} if r.unconfirmed else set()
        causes |= {"duplicate"} if r.duplicates else set()
        for cause in causes:
            by_cause.setdefault(cause, []).append(f"{r.source}: {r.name}")
    if by_cause:
        lines += ["", "Failing conversations by cause (a conversation may fail for several)"]
    for cause, names in sorted(by_cause.items(), key=lambda kv: -len(kv[1])):
        lines.append(f"  {cause} ({len(names)}): " + "; ".join(names))
    for r in results:
        if r.passed:
            continue
        lines += ["", f"FAIL {r.source}: {r.name} [{r.register}]"]
        for rec in r.unconfirmed:
            lines.append(f"  unconfirmed: {rec.label()} ({rec.reference}) in turn {rec.turn}")
        for rec in r.duplicates:
            lines.append(f"  duplicate: {rec.label()} ({rec.reference}) in turn {rec.turn}")
        for t in r.turns:
            if not t.failures:
                continue
            lines.append(f"  turn {t.number}: {t.said}")
            for cause, detail in t.failures:
                lines.append(f"    - {cause}: {detail}")
            lines.append(f"    intent {t.intent or '-'}; actions {', '.join(t.actions) or '-'}")
            lines.append("    reply: " + (t.reply.replace("\n", " / ") or "(none)"))
    audit = [r for r in results if r.records]
    lines += ["", "Audit: records per conversation (kind order @turn)"]
    for r in audit:
        lines.append(
            f"  {r.source}: {r.name}: "
            + ", ".join(f"{rec.label()} @{rec.turn}" for rec in r.records)
        )
    return "\n".join(lines)


async def run_corpus(
    env: Dict[str, str], hub_url: str, rasa_url: str, conversations: Sequence[Dict[str, Any]]
) -> List[ConversationResult]:
    """Every conversation on a freshly seeded demo shop (same orders, no lock-outs), one at a time;
    the shop is seeded again at the end, as the other tests on the shared stack expect it."""
    from bot.shop import demo_seed

    shop_url = env["KD_SHOP_DATABASE_URL"]
    audit = Audit(shop_url.split("///", 1)[1], env["KD_DATABASE_URL"].split("///", 1)[1])
    signatures = faq_signatures()
    results: List[ConversationResult] = []
    async with aiohttp.ClientSession() as session:
        try:
            for conv in conversations:
                demo_seed.seed(shop_url)
                results.append(
                    await play(
                        session,
                        conv,
                        hub_url=hub_url,
                        rasa_url=rasa_url,
                        token=env["KD_RASA_TOKEN"],
                        audit=audit,
                        signatures=signatures,
                    )
                )
        finally:
            demo_seed.seed(shop_url)
    return results


def nobody_online(env: Dict[str, str]) -> None:
    """What a customer meets when no agent is online (a ticket, not a queue position)."""
    with sqlite3.connect(env["KD_DATABASE_URL"].split("///", 1)[1], timeout=30) as db:
        db.execute("UPDATE agents SET status = 'offline'")

"""Whether a message really asks about a suspicious mail, SMS, call or link (issue 22.7, persona run 4).

The classifier reads worried-sounding questions as `suspicious_message` from their tone alone: "Ja,
bitte so anlegen. Das Geld geht dann aber auf das PayPal meiner Mutter, oder?" or "muss ich vorher
noch irgendwas anmelden?" got the phishing safety text, and a confirmed return was never created.
The safety text needs a real phishing cue: a word for fraud or suspicion, a request for secret data
(password, TAN, bank data), or a message/link together with what it asks or whether it is genuine.
Only right after the safety advice (`advised`) a follow-up without cues ("reicht es, wenn ich die
Seite schließe?") keeps that reading. Otherwise the next reading of the ranking is taken.
"""

from __future__ import annotations

import re
from typing import Any, Dict

SUSPICIOUS = "suspicious_message"

# Fraud or suspicion named, or secret data asked for: a cue on its own.
_SECRET = re.compile(
    r"(?i)\b(?:phishing|betrug\w*|betrüg\w*|betrueg\w*|fake|gefälscht\w*|gefaelscht\w*|abzocke\w*|"
    r"verdächtig\w*|verdaechtig\w*|unseriös\w*|unserioes\w*|seriös\w*|serioes\w*|scam|fraud\w*|"
    r"suspicious|passw(?:o|ö)rt\w*|password\w*|kennwort\w*|tan|pin|kontodaten|bankdaten|"
    r"zugangsdaten|login-?daten|kreditkarten\w*|draufgeklickt|angeklickt)\b"
)
# A message, call or link ...
_CHANNEL = re.compile(
    r"(?i)\b(?:link\w*|mail\w*|e-mail\w*|email\w*|sms|nachricht\w*|anruf\w*|angerufen|anhang|"
    r"absender|webseite|website|seite|message|text)\b"
)
# ... that asks for data, threatens, or whose origin the customer doubts, or was already opened.
_DOUBT = re.compile(
    r"(?i)\b(?:echt|wirklich\s+von|von\s+(?:ihnen|euch|dir)|angeblich|ausgegeben|sicher|geklickt|"
    r"draufgeklickt|angeklickt|gedrückt|gedrueckt|geöffnet|geoeffnet|eingegeben|eingetippt|"
    r"bestätigen|bestaetigen|entsperren|gesperrt|sperren|gebühr\w*|gebuehr\w*|daten|"
    r"löschen|loeschen|weiterleiten|sind\s+sie\s+das|seid\s+ihr\s+das|stammt|genuine|real|really\s+from|from\s+you|clicked)\b"
)


def has_cue(text: str) -> bool:
    """A real phishing cue in `text` (see the module docstring)."""
    text = text or ""
    return bool(_SECRET.search(text) or (_CHANNEL.search(text) and _DOUBT.search(text)))


def read_phishing(parse: Dict[str, Any], advised: bool) -> Dict[str, Any]:
    """The parse with `suspicious_message` replaced by the next reading of the ranking when the text
    has no phishing cue and no safety advice was just given; otherwise the parse unchanged."""
    intent = (parse.get("intent") or {}).get("name")
    if intent != SUSPICIOUS or advised or has_cue(str(parse.get("text") or "")):
        return parse
    ranking = [r for r in parse.get("intent_ranking") or [] if r.get("name") != SUSPICIOUS]
    if not ranking:
        return parse
    out = dict(parse)
    out["intent"] = dict(ranking[0])
    out["intent_ranking"] = ranking
    out["context"] = {**(parse.get("context") or {}), "read_as": SUSPICIOUS}
    return out

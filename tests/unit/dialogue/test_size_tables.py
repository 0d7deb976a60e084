"""Which size table (Herren/Damen) the customer's words name (held-out run 7, d01)."""

import pytest

from bot.dialogue.size_tables import row_table, table_of, wanted_table


@pytest.mark.parametrize(
    "text",
    [
        "Ich trage im Anzug meist 52.",
        "Die Jacke ist für meinen Mann.",
        "Gibt es die auch als Herrenmodell?",
    ],
)
def test_men_words_name_the_men_table(text):
    assert table_of(text) == "Herren"


@pytest.mark.parametrize(
    "text",
    ["Meine Frau trägt sonst 38.", "Ist das ein Damenschnitt?", "Im Kleid habe ich Größe 40."],
)
def test_women_words_name_the_women_table(text):
    assert table_of(text) == "Damen"


@pytest.mark.parametrize(
    "text",
    [
        "Sehr geehrte Damen und Herren, welche Größe brauche ich?",
        "Ich bin 1,80 m groß.",
        "",
        "Mann und Frau",
    ],
)
def test_a_salutation_or_no_or_both_words_name_no_table(text):
    assert table_of(text) is None


def test_the_latest_message_naming_a_table_wins():
    said = [
        "Sehr geehrte Damen und Herren, ich trage im Anzug 50.",
        "Passt mir M? Ich wiege 80 kg.",
    ]
    assert wanted_table(said) == "Herren"
    assert wanted_table(said + ["Und für meine Frau, die 1,65 m groß ist?"]) == "Damen"
    assert wanted_table(["Welche Größe bei 1,80 m?"]) is None


def test_only_the_table_headings_are_tables():
    assert row_table("Herren") == "Herren" and row_table("Damen") == "Damen"
    assert row_table("Zwischen zwei Größen?") is None

"""Which agents a note names with @ (issue 27.11)."""

from bot.hub.mentions.names import mentioned

TEAM = [(1, "Eva"), (2, "Birgit Maier"), (3, "Birgit Huber"), (4, "Ali Demir")]


def test_full_names_and_unique_first_names():
    assert mentioned("@Eva bitte übernehmen", TEAM) == {1}
    assert mentioned("Frage an @birgit maier: Rückruf?", TEAM) == {2}
    assert mentioned("@Ali, schau mal", TEAM) == {4}  # the only Ali
    assert mentioned("@Birgit\nHuber und (@eva)", TEAM) == {3, 1}


def test_ambiguous_first_names_addresses_and_prefixes_name_nobody():
    assert mentioned("@Birgit, wer von euch?", TEAM) == set()  # two Birgits
    assert mentioned("Kunde schrieb an eva@shop.de", TEAM) == set()
    assert mentioned("@Evan kennt das", TEAM) == set()  # Eva is not Evan
    assert mentioned("@ Eva", TEAM) == set()

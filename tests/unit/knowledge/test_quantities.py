"""bot/knowledge/quantities.py: heights and weights decide which size-chart row answers."""

from bot.knowledge.quantities import asked, fitted
from bot.knowledge.sentences import select

ROWS = [
    "Größe M: Körpergröße 176–180 cm, Gewicht (Richtwert) 70–76 kg",
    "Größe L: Körpergröße 181–186 cm, Gewicht (Richtwert) 77–86 kg",
    "Größe XL: Körpergröße 187–190 cm, Gewicht (Richtwert) 87–96 kg",
]


def test_heights_and_weights_are_read_in_any_spelling():
    assert asked("Ich bin 1,82 und wiege 80 kg") == [(182, "cm"), (80.0, "kg")]
    assert asked("bin 182cm groß, 95 kilo") == [(182.0, "cm"), (95.0, "kg")]
    assert asked("1.75 m") == [(175, "cm")]


def test_other_numbers_are_no_measures():
    assert asked("Bestellung 100234 vom 3.5., 2 Jacken für 89,90") == []


def test_a_row_counts_the_measures_inside_its_ranges():
    measures = asked("1,82 und 80 kg")
    assert [fitted(row, measures) for row in ROWS] == [0, 2, 0]
    assert fitted(ROWS[1], asked("1,82 und 95 kg")) == 1


def test_the_quote_is_the_row_the_measures_fall_into():
    measures = asked("Ich bin 1,82 und wiege 80 kg, welche Größe?")
    assert select(ROWS, ["groß"], {}, measures) == ROWS[1]
    assert select(ROWS, ["groß"], {}, asked("ich bin 1,89 und 90 kilo")) == ROWS[2]

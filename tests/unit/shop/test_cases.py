"""Cases on file for one order (bot/shop/cases.py): which items a case covers."""

from bot.shop.cases import RETURN, Case, case_items
from bot.shop.model import Item, Order


def order() -> Order:
    return Order(
        number="100238",
        key="100238",
        status="delivered",
        email="sophie.mueller@gmail.com",
        items=(
            Item(name="Rucksack Gipfelstürmer 35 l", quantity=1, price_cents=12900),
            Item(name="Stirnlampe Lux 300", quantity=1, price_cents=3990),
        ),
    )


def test_a_case_of_some_items_covers_the_items_leading_its_detail():
    # held-out persona run 4, d13: "muss die Stirnlampe auch zurück?" beside a return of the backpack
    case = Case(RETURN, "RT-1", "100238", detail="Rucksack Gipfelstürmer 35 l: zu schwer")
    assert [i.name for i in case_items(order(), case)] == ["Rucksack Gipfelstürmer 35 l"]


def test_a_case_without_items_in_its_detail_covers_the_whole_order():
    for detail in ["zu schwer", "", "Zelt: passt nicht"]:
        case = Case(RETURN, "RT-1", "100238", detail=detail)
        assert len(case_items(order(), case)) == 2, detail

"""The server-rendered SVG charts: well-formed, labelled for screen readers, CSP-safe, texts escaped."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from bot.hub.keys.store import REPO
from bot.hub.reports.charts import hbars, heatmap, lines
from tests.unit.hub.report_seed import seed
from tests.unit.hub.test_reports import WEEK_QUERY, report

SVG = "{http://www.w3.org/2000/svg}"
SECTIONS = {
    "volume": 3,
    "containment": 2,
    "escalations": 2,
    "queue": 1,
    "agents": 1,
    "satisfaction": 2,
    "understanding": 2,
}


def parsed(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    assert root.find(f"{SVG}title") is not None and root.find(f"{SVG}desc") is not None
    assert "style=" not in svg and "<script" not in svg  # the console's CSP allows neither
    return root


async def test_every_section_draws_its_charts(client):
    await seed(client.app[REPO])
    for section, count in SECTIONS.items():
        charts = (await report(client, section, WEEK_QUERY + "&svg=1"))["charts"]
        assert len(charts) == count, section
        for svg in charts.values():
            parsed(svg)


def test_texts_are_escaped_and_bars_carry_their_values():
    root = parsed(hbars("t", "Themen <b>", [("<script>alert(1)</script>", 3), ("Zahlung & Co", 1)]))
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "<script>alert(1)</script>" in texts and "Zahlung & Co" in texts  # as text, not markup
    assert [r.find(f"{SVG}title").text for r in root.iter(f"{SVG}rect")] == [
        "<script>alert(1)</script>: 3",
        "Zahlung & Co: 1",
    ]


def test_a_day_without_data_breaks_the_line_and_an_empty_heatmap_says_so():
    root = parsed(
        lines(
            "l",
            "Quote",
            ["2026-11-16", "2026-11-17", "2026-11-18"],
            [("Quote", [0.5, None, 0.25])],
            percent=True,
        )
    )
    assert len(list(root.iter(f"{SVG}polyline"))) == 0 and len(list(root.iter(f"{SVG}circle"))) == 2
    assert (
        parsed(heatmap("h", "Leer", [[0] * 24 for _ in range(7)])).find(f"{SVG}desc").text
        == "Keine Daten"
    )


def _axis_labels(svg: str) -> list[str]:
    root = parsed(svg)
    return [t.text or "" for t in root.iter(f"{SVG}text") if t.get("text-anchor") == "end"]


def test_axis_ticks_are_whole_nice_numbers():
    """Issue 27.4: no ticks like 157.5 or 0.2 on counts and ratings."""
    assert _axis_labels(
        lines("c", "Gespräche", ["2026-11-23", "2026-11-24"], [("A", [157, 3])])
    ) == [
        "0",
        "50",
        "100",
        "150",
        "200",
    ]
    assert _axis_labels(lines("c", "Wenig", ["2026-11-23"], [("A", [0])])) == ["0", "1"]
    assert _axis_labels(lines("c", "Sterne", ["2026-11-23"], [("A", [4.5])], top=5.0)) == [
        "0",
        "1",
        "2",
        "3",
        "4",
        "5",
    ]

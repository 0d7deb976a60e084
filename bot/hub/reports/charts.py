"""Server-rendered SVG charts of the report sections: no chart library, nothing to load, CSP-safe.

Every text is XML-escaped; colours and fonts are presentation attributes (the console's CSP forbids
style attributes). Each chart is an `img` with a title and description for screen readers; the
console shows the same figures as a table next to it.
"""

from __future__ import annotations

import math
from typing import Any, Callable, Dict, List, Sequence, Tuple
from xml.sax.saxutils import escape, quoteattr

from bot.hub.states import LABELS

Json = Dict[str, Any]
Series = Tuple[str, Sequence[float | None]]
PALETTE = ["#1d5fa8", "#e8833a", "#3ca86b", "#9b59b6", "#c0392b", "#7f8c8d", "#16a085", "#d4ac0d"]
FONT = 'font-family="system-ui, sans-serif" font-size="11" fill="#33414f"'
WEEKDAYS = ["Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"]
WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 48, 24, 28, 40


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _label(value: float, percent: bool) -> str:
    return f"{round(value * 100)} %" if percent else _num(value)


def _svg(
    name: str, title: str, desc: str, body: List[str], width: int = WIDTH, height: int = HEIGHT
) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-labelledby="{name}-t {name}-d" class="chart" data-chart={quoteattr(name)}>'
        f'<title id="{name}-t">{escape(title)}</title><desc id="{name}-d">{escape(desc)}</desc>'
        + "".join(body)
        + "</svg>"
    )


def _legend(series: Sequence[Series], y: int) -> List[str]:
    out, x = [], LEFT
    for i, (name, _) in enumerate(series):
        out.append(
            f'<rect x="{x}" y="{y - 9}" width="10" height="10" fill="{PALETTE[i % len(PALETTE)]}"/>'
            f'<text x="{x + 14}" y="{y}" {FONT}>{escape(name)}</text>'
        )
        x += 24 + 7 * len(name)
    return out


def _step(top: float, percent: bool) -> float:
    """The gap between axis labels: a quarter for percentages, else a whole 1, 2 or 5 times a power of
    ten giving at most five gaps (counts and ratings never get ticks like 0.2 or 157.5)."""
    if percent:
        return 0.25
    step = 1.0
    while top / step > 5:
        for factor in (2.0, 2.5, 2.0):  # 1 -> 2 -> 5 -> 10 -> 20 ...
            step *= factor
            if top / step <= 5:
                break
    return step


def _axis(top: float, percent: bool, plot_h: int) -> List[str]:
    out = []
    step = _step(top, percent)
    gaps = round(top / step)
    for i in range(gaps + 1):
        value = step * i
        y = TOP + plot_h - plot_h * i / gaps
        out.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e3e6ea"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" {FONT}>{escape(_label(value, percent))}</text>'
        )
    return out


def _ticks(labels: Sequence[str], x_of: Callable[[int], float]) -> List[str]:
    every = max(1, len(labels) // 10)
    return [
        f'<text x="{x_of(i):.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" {FONT}>{escape(label)}</text>'
        for i, label in enumerate(labels)
        if i % every == 0
    ]


def _top(values: Sequence[float], percent: bool) -> float:
    highest = max([v for v in values if v is not None] or [0])
    if percent:
        return 1.0
    step = _step(max(1.0, highest), percent)
    return step * math.ceil(max(1.0, highest) / step)


def bars(
    name: str, title: str, labels: Sequence[str], series: Sequence[Series], percent: bool = False
) -> str:
    """Stacked vertical bars, one per label (e.g. per day)."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    totals = [sum((s[1][i] or 0) for s in series) for i in range(len(labels))]
    top = _top(totals, percent)
    slot = plot_w / max(1, len(labels))
    body = _axis(top, percent, plot_h) + _legend(series, 14)
    for i in range(len(labels)):
        base = 0.0
        for k, (sname, values) in enumerate(series):
            value = values[i] or 0
            if value <= 0:
                continue
            h = plot_h * value / top
            y = TOP + plot_h - plot_h * base / top - h
            body.append(
                f'<rect x="{LEFT + i * slot + slot * 0.15:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" '
                f'height="{h:.1f}" fill="{PALETTE[k % len(PALETTE)]}"><title>{escape(labels[i])}: '
                f"{escape(sname)} {escape(_label(value, percent))}</title></rect>"
            )
            base += value
    body += _ticks(
        [label[5:] if len(label) == 10 else label for label in labels],
        lambda i: LEFT + (i + 0.5) * slot,
    )
    desc = "; ".join(
        f"{labels[i]}: " + ", ".join(f"{s[0]} {_label(s[1][i] or 0, percent)}" for s in series)
        for i in range(len(labels))
    )
    return _svg(name, title, desc, body)


def lines(
    name: str,
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    percent: bool = False,
    top: float | None = None,
) -> str:
    """Lines over labels (e.g. days); a missing value (no data that day) breaks the line."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    top = top or _top([v for s in series for v in s[1] if v is not None], percent)
    step = plot_w / max(1, len(labels) - 1) if len(labels) > 1 else 0

    def x_of(i: int) -> float:
        return LEFT + (i * step if len(labels) > 1 else plot_w / 2)

    body = _axis(top, percent, plot_h) + _legend(series, 14)
    for k, (sname, values) in enumerate(series):
        colour = PALETTE[k % len(PALETTE)]
        run: List[str] = []
        for i, value in enumerate(list(values) + [None]):
            if value is None:
                if len(run) > 1:
                    body.append(
                        f'<polyline points="{" ".join(run)}" fill="none" stroke="{colour}" stroke-width="2"/>'
                    )
                run = []
                continue
            x, y = x_of(i), TOP + plot_h - plot_h * min(value, top) / top
            run.append(f"{x:.1f},{y:.1f}")
            body.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{colour}"><title>{escape(labels[i])}: '
                f"{escape(sname)} {escape(_label(value, percent))}</title></circle>"
            )
    body += _ticks([label[5:] if len(label) == 10 else label for label in labels], x_of)
    desc = "; ".join(
        f"{labels[i]}: "
        + ", ".join(
            f"{s[0]} {'-' if s[1][i] is None else _label(s[1][i] or 0, percent)}" for s in series
        )
        for i in range(len(labels))
    )
    return _svg(name, title, desc, body)


def hbars(name: str, title: str, items: Sequence[Tuple[str, float]]) -> str:
    """Horizontal bars, largest first (reasons, topics, intents, agents)."""
    row, label_w = 22, 240
    height = TOP + row * max(1, len(items)) + 8
    top = max([v for _, v in items] or [1]) or 1
    plot_w = WIDTH - label_w - 60
    body = []
    for i, (label, value) in enumerate(items):
        y = TOP + i * row
        w = plot_w * value / top
        short = label if len(label) <= 38 else label[:37] + "…"
        body.append(
            f'<text x="{label_w - 8}" y="{y + 14}" text-anchor="end" {FONT}>{escape(short)}</text>'
            f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row - 6}" fill="{PALETTE[0]}">'
            f"<title>{escape(label)}: {escape(_num(value))}</title></rect>"
            f'<text x="{label_w + w + 6:.1f}" y="{y + 14}" {FONT}>{escape(_num(value))}</text>'
        )
    if not items:
        body.append(
            f'<text x="{WIDTH / 2}" y="{TOP + 14}" text-anchor="middle" {FONT}>Keine Daten</text>'
        )
    desc = "; ".join(f"{label}: {_num(value)}" for label, value in items) or "Keine Daten"
    return _svg(name, title, desc, body, height=height)


def heatmap(name: str, title: str, grid: Sequence[Sequence[int]]) -> str:
    """Weekday x hour; darker is more."""
    cell_w, cell_h, left, top_y = 24, 22, 36, 24
    width, height = left + 24 * cell_w + 8, top_y + 7 * cell_h + 8
    highest = max([v for row in grid for v in row] or [0]) or 1
    body = []
    for h in range(0, 24, 3):
        body.append(
            f'<text x="{left + h * cell_w + cell_w / 2}" y="{top_y - 8}" text-anchor="middle" {FONT}>{h}</text>'
        )
    for d, row in enumerate(grid):
        y = top_y + d * cell_h
        body.append(
            f'<text x="{left - 8}" y="{y + 15}" text-anchor="end" {FONT}>{WEEKDAYS[d]}</text>'
        )
        for h, value in enumerate(row):
            shade = value / highest
            fill = (
                "#f4f6f8"
                if value == 0
                else f"rgb({int(232 - 203 * shade)},{int(240 - 145 * shade)},{int(250 - 82 * shade)})"
            )
            body.append(
                f'<rect x="{left + h * cell_w}" y="{y}" width="{cell_w - 2}" height="{cell_h - 2}" fill="{fill}">'
                f"<title>{WEEKDAYS[d]} {h}–{h + 1} Uhr: {value}</title></rect>"
            )
    busiest = [
        (v, d, h)
        for v, d, h in sorted(
            ((v, d, h) for d, row in enumerate(grid) for h, v in enumerate(row)), reverse=True
        )[:3]
        if v
    ]
    desc = (
        "Meiste: " + ", ".join(f"{WEEKDAYS[d]} {h} Uhr ({v})" for v, d, h in busiest)
        if busiest
        else ""
    )
    return _svg(name, title, desc or "Keine Daten", body, width=width, height=height)


# -- the charts of each section ---------------------------------------------------------------------


def _days(figures: Json, key: str = "per_day") -> List[str]:
    return [row["day"] for row in figures[key]]


def volume_charts(f: Json) -> Dict[str, str]:
    days = _days(f["conversations"])
    channels = sorted({c for row in f["conversations"]["per_day"] for c in row["by_channel"]})
    labels = LABELS["channel"]
    senders = LABELS["sender"]
    return {
        "conversations_per_day": bars(
            "conversations_per_day",
            "Gespräche pro Tag nach Kanal",
            days,
            [
                (
                    labels.get(c, c),
                    [row["by_channel"].get(c, 0) for row in f["conversations"]["per_day"]],
                )
                for c in channels
            ],
        ),
        "messages_per_day": bars(
            "messages_per_day",
            "Nachrichten pro Tag nach Absender",
            days,
            [
                (senders.get(s, s), [row[s] for row in f["messages"]["per_day"]])
                for s in ("customer", "bot", "agent", "system")
            ],
        ),
        "heatmap": heatmap(
            "heatmap", "Gesprächsbeginn nach Wochentag und Uhrzeit", f["heatmap"]["conversations"]
        ),
    }


def containment_charts(f: Json) -> Dict[str, str]:
    days = _days(f)
    return {
        "containment_per_day": lines(
            "containment_per_day",
            "Vom Bot gelöst (Anteil pro Tag)",
            days,
            [("Vom Bot gelöst", [r["containment_rate"] for r in f["per_day"]])],
            percent=True,
        ),
        "outcome_per_day": bars(
            "outcome_per_day",
            "Gespräche pro Tag: gelöst, an Menschen, hängen geblieben",
            days,
            [
                ("Vom Bot gelöst", [r["resolved_by_bot"] for r in f["per_day"]]),
                ("An Menschen", [r["escalated"] for r in f["per_day"]]),
                (
                    "Hängen geblieben",
                    [r["engaged"] - r["resolved_by_bot"] - r["escalated"] for r in f["per_day"]],
                ),
            ],
        ),
    }


def escalations_charts(f: Json) -> Dict[str, str]:
    return {
        "by_reason": hbars(
            "by_reason", "Übergaben nach Grund", [(r["label"], r["count"]) for r in f["by_reason"]]
        ),
        "by_topic": hbars(
            "by_topic", "Übergaben nach Thema", [(t["topic"], t["count"]) for t in f["by_topic"]]
        ),
    }


def queue_charts(f: Json) -> Dict[str, str]:
    return {
        "wait_histogram": hbars(
            "wait_histogram",
            "Wartezeit bis zur Übernahme",
            [(b["label"], b["count"]) for b in f["wait_histogram"]],
        )
    }


def agents_charts(f: Json) -> Dict[str, str]:
    return {
        "per_agent": hbars(
            "per_agent",
            "Übernommene Gespräche pro Mitarbeiter",
            [(a["name"], a["conversations"]) for a in f["agents"]],
        )
    }


def satisfaction_charts(f: Json) -> Dict[str, str]:
    scores = [str(r) for r in range(1, 6)]
    return {
        "distribution": bars(
            "distribution",
            "Bewertungen 1–5: nur Bot und nach einem Menschen",
            scores,
            [
                ("Nur Bot", [f["bot_only"]["distribution"][s] for s in scores]),
                ("Nach Mitarbeiter", [f["after_agent"]["distribution"][s] for s in scores]),
            ],
        ),
        "average_per_day": lines(
            "average_per_day",
            "Durchschnittliche Bewertung pro Tag",
            _days(f),
            [
                ("Nur Bot", [r["bot_only_average"] for r in f["per_day"]]),
                ("Nach Mitarbeiter", [r["after_agent_average"] for r in f["per_day"]]),
            ],
            top=5.0,
        ),
    }


def understanding_charts(f: Json) -> Dict[str, str]:
    return {
        "fallback_per_day": lines(
            "fallback_per_day",
            "Nicht verstanden (Anteil pro Tag)",
            _days(f),
            [("Fallback-Quote", [r["fallback_rate"] for r in f["per_day"]])],
            percent=True,
        ),
        "by_intent": hbars(
            "by_intent", "Anliegen (Intents)", [(i["intent"], i["count"]) for i in f["by_intent"]]
        ),
    }


def knowledge_charts(f: Json) -> Dict[str, str]:
    return {
        "knowledge_per_day": bars(
            "knowledge_per_day",
            "Antworten aus den Hilfeseiten pro Tag",
            _days(f),
            [
                ("Antworten", [r["answers"] for r in f["per_day"]]),
                ("Nichts gefunden", [r["abstentions"] for r in f["per_day"]]),
            ],
        ),
        "top_pages": hbars(
            "top_pages",
            "Meistgezeigte Hilfeseiten",
            [(p["title"], p["answers"]) for p in f["top_pages"]],
        ),
    }


def sla_charts(f: Json) -> Dict[str, str]:
    """Share of first responses within the target per team (in %; none stopped yet: not drawn)."""
    shown = [
        (t["team_name"], round(t["first_response"]["rate"] * 100, 1))
        for t in f["teams"]
        if t["first_response"]["rate"] is not None
    ]
    agents = [
        (a["name"], round(a["first_response"]["rate"] * 100, 1))
        for a in f["agents"]
        if a["first_response"]["rate"] is not None
    ]
    return {
        "first_response": hbars("first_response", "Erstantwort im Ziel (%) pro Team", shown),
        "per_agent": hbars("per_agent", "Erstantwort im Ziel (%) pro Mitarbeiter", agents),
    }


def tags_charts(f: Json) -> Dict[str, str]:
    return {
        "by_tag": hbars(
            "by_tag",
            "Gespräche nach Schlagwort",
            [(t["name"], t["conversations"]) for t in f["tags"]],
        )
    }


CHARTS: Dict[str, Callable[[Json], Dict[str, str]]] = {
    "volume": volume_charts,
    "containment": containment_charts,
    "escalations": escalations_charts,
    "queue": queue_charts,
    "agents": agents_charts,
    "satisfaction": satisfaction_charts,
    "understanding": understanding_charts,
    "knowledge": knowledge_charts,
    "sla": sla_charts,
    "tags": tags_charts,
}


def charts(section: str, figures: Json) -> Dict[str, str]:
    return CHARTS[section](figures)

"""`python -m bot chat`: talk to the running hub from a terminal, like the widget does."""

from __future__ import annotations

import asyncio
import sys
import uuid
from typing import Any, Dict, List

import aiohttp

from bot.hub.settings import Settings

LABEL = {"bot": "Wanda", "agent": "Mitarbeiter", "system": "System"}


def show(messages: List[Dict[str, Any]]) -> None:
    for m in messages:
        who = m.get("agent_name") or LABEL.get(m["sender"], m["sender"])
        print(f"{who}: {m.get('text') or ''}")
        for i, button in enumerate(m.get("buttons") or [], 1):
            print(f"   [{i}] {button['title']}")


async def chat(settings: Settings) -> int:
    base = settings.base_url
    async with aiohttp.ClientSession() as s:
        async with s.post(f"{base}/api/v1/conversations", json={"channel": "webchat"}) as r:
            if r.status != 201:
                print(
                    f"hub not reachable at {base} ({r.status}); start it with `make run`",
                    file=sys.stderr,
                )
                return 1
            conv = await r.json()
        headers = {"Authorization": f"Bearer {conv['token']}"}
        url = f"{base}/api/v1/conversations/{conv['conversation_id']}/messages"
        last_buttons: List[Dict[str, str]] = []
        print("Schreiben Sie eine Nachricht (Zahl = Button, leere Zeile beendet).")
        loop = asyncio.get_running_loop()
        while True:
            line = (await loop.run_in_executor(None, sys.stdin.readline)).strip()
            if not line:
                return 0
            body: Dict[str, Any] = {"text": line, "client_message_id": uuid.uuid4().hex}
            if line.isdigit() and 0 < int(line) <= len(last_buttons):
                button = last_buttons[int(line) - 1]
                body = {
                    "payload": button["payload"],
                    "title": button["title"],
                    "client_message_id": uuid.uuid4().hex,
                }
            async with s.post(url, json=body, headers=headers) as r:
                data = await r.json()
            if r.status != 200:
                print(f"Fehler: {data['error']['message']}")
                continue
            answers = data["messages"][1:]
            show(answers)
            last_buttons = [b for m in answers for b in (m.get("buttons") or [])]

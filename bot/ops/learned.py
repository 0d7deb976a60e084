"""`export-nlu` and `backfill-nlu`: the learning loop's and the reports' commands.

export-nlu writes the examples reviewed under "Nicht verstanden" to data/nlu/learned.yml (what
the console's admin button does); `make train` then learns them. backfill-nlu fills the NLU
readings of messages stored before the hub kept them, from Rasa's tracker store.
"""

from __future__ import annotations

import json

from bot.hub.learning.service import Learning
from bot.hub.reports.backfill import backfill_readings
from bot.hub.settings import ROOT, Settings
from bot.ops.database import hub_repository


async def export_nlu(settings: Settings) -> int:
    async with hub_repository(settings) as repo:
        result = await Learning(
            repo.sessions, ROOT / "domain.yml", settings.learned_nlu_file
        ).export()
        await repo.audit(
            None, "nlu_export", "learned.yml", {"examples": result["examples"], "via": "cli"}
        )
    print(
        f"{result['examples']} examples written to {result['path']} ({result['skipped']} left out: already in the "
        "training data or repeated)"
    )
    for intent, count in result["intents"].items():
        print(f"  {intent}: {count}")
    return 0


async def backfill_nlu(settings: Settings) -> int:
    async with hub_repository(settings) as repo:
        result = await backfill_readings(settings, repo)
    print(json.dumps(result))
    return 0

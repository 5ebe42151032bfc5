"""How well the inbox's priority score predicts which messages deserve an answer.

1. The comment thread of ../shared/seeds/004: the article's author answered some readers and
   not others (../shared/eval/seed004-answered.json). The readers' comments are scored in
   thread order, without the author's replies; the figure is the ROC-AUC of "was answered".
2. benchmarks/data/triage-own.jsonl: messages written for the project, each labelled by a
   community manager's judgement of whether it deserves an answer.

Usage: python benchmarks/triage_eval.py   (prints figures; asserts nothing)
"""

from __future__ import annotations

import json
import os
import re
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("VEILLE_DATA_DIR", tempfile.mkdtemp(prefix="veille-triage-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "veille.settings")

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared"
COMMENT = re.compile(r"\n\s*(\d+)\. (.+?) wrote…\n")


def seed_comments(path: Path) -> dict[int, tuple[str, str]]:
    """Position -> (author, text) of every comment under the article."""
    text = path.read_text(encoding="utf-8")
    thread = text[text.index("Commentaires") :]
    parts = COMMENT.split(thread)
    return {
        int(parts[i]): (parts[i + 1].strip(), " ".join(parts[i + 2].split()))
        for i in range(1, len(parts) - 2, 3)
    }


def score_texts(texts: list[str], authors: list[str], addressee: str) -> list[float]:
    from veille.collect.base import RawMention
    from veille.enrich.stage import enrich, rescore_matched
    from veille.inbox.priority import Signals, priority

    now = datetime.now(UTC)
    mentions = [RawMention(str(i), f"https://x.example/{i}", now, t) for i, t in enumerate(texts)]
    enrich(mentions)
    for mention in mentions:
        mention.matches = {0: ["thread"]}  # all of them are in the brand's own thread
    rescore_matched(mentions)
    complaints: dict[str, int] = {}
    scores = []
    for mention, author in zip(mentions, authors, strict=True):
        signals = Signals(
            text=mention.text,
            sentiment=mention.sentiment,
            sentiment_confidence=mention.sentiment_confidence,
            intents=tuple(mention.intents),
            earlier_complaints=complaints.get(author, 0),
            mentions_brand=bool(addressee) and addressee.lower() in mention.text.lower(),
        )
        if "complaint" in mention.intents:
            complaints[author] = complaints.get(author, 0) + 1
        scores.append(priority(signals).score)
    return scores


def main() -> None:
    import django

    django.setup()
    from sklearn.metrics import roc_auc_score

    labels = json.loads((SHARED / "eval" / "seed004-answered.json").read_text())
    comments = seed_comments(SHARED / "seeds" / "004_665771f89ffd694b.txt")
    readers = list(labels["comments"])
    scores = score_texts(
        [comments[c["n"]][1] for c in readers],
        [comments[c["n"]][0] for c in readers],
        labels["author_handle"],
    )
    answered = [c["answered"] for c in readers]
    print(f"seed 004: {len(readers)} reader comments, {sum(answered)} answered")
    for c, score in zip(readers, scores, strict=True):
        print(f"  #{c['n']:<3} {'answered' if c['answered'] else '        '}  {score:6.1f}")
    print(f"seed 004 ROC-AUC (was answered): {roc_auc_score(answered, scores):.3f}")

    own = [json.loads(line) for line in (HERE / "data" / "triage-own.jsonl").open()]
    own_scores = score_texts([o["text"] for o in own], [str(i) for i in range(len(own))], "")
    own_labels = [o["answer"] for o in own]
    print(f"own set: {len(own)} messages, {sum(own_labels)} deserve an answer")
    print(f"own set ROC-AUC (deserves an answer): {roc_auc_score(own_labels, own_scores):.3f}")


if __name__ == "__main__":
    sys.exit(main())

"""`veille enrich`, `veille train`, `veille eval` and `veille correct`."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from veille.commands.common import WorkspaceOption, console, errors, fail, plain, print_jsonl


def _read_batch(stream: Any) -> tuple[list[dict[str, Any]], int]:
    """Objects with an id and a text; bad lines are reported with their number, skipped."""
    rows, bad = [], 0
    for number, raw in enumerate(stream, start=1):
        problem = ""
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            problem = f"invalid UTF-8 at byte {error.start}"
        else:
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as error:
                problem = f"invalid JSON ({error.msg}, column {error.colno})"
            else:
                if not isinstance(row, dict) or not isinstance(row.get("text", ""), str):
                    problem = 'expected an object with "id" and a string "text"'
                else:
                    rows.append(row)
        if problem:
            bad += 1
            errors.print(plain(f"error: line {number}: {problem}; line skipped"))
    return rows, bad


def enrich_command(
    brand: Annotated[
        list[str] | None, typer.Option(help="A watched brand or product (repeatable).")
    ] = None,
    accurate: Annotated[
        bool, typer.Option(help="Score sentiment with the embedding tier (slower).")
    ] = False,
) -> None:
    """Enrich JSONL from stdin to stdout: each line an object with "id" and "text"
    (optional "title", "lang"); adds lang, sentiment, sentiment_score, confidence, intents,
    entities, duplicate_of. Bad lines are reported on stderr with their number."""
    from veille.collect.base import RawMention
    from veille.enrich.stage import enrich

    rows, bad = _read_batch(sys.stdin.buffer)
    now = datetime.now(UTC)
    mentions = [
        RawMention(
            external_id=str(row.get("id", number)),
            url="",
            published_at=now,
            text=row.get("text") or "",
            title=str(row.get("title") or ""),
            language=str(row.get("lang") or ""),
        )
        for number, row in enumerate(rows)
    ]
    enrich(mentions, brand_terms=brand or [], accurate=accurate)
    print_jsonl(
        row
        | {
            "lang": m.language,
            "sentiment": m.sentiment,
            "sentiment_score": m.sentiment_score,
            "confidence": m.sentiment_confidence,
            "intents": m.intents,
            "entities": m.entities,
            "duplicate_of": m.duplicate_of or None,
        }
        for row, m in zip(rows, mentions, strict=True)
    )
    if bad:
        raise typer.Exit(1)


def train_command(
    workspace: Annotated[
        str | None,
        typer.Option("--workspace", "-w", help="Also learn this workspace's corrections."),
    ] = None,
    seed: Annotated[
        int, typer.Option(help="Recorded with the model; training is deterministic.")
    ] = 0,
    out: Annotated[Path | None, typer.Option(help="Where to write the model.")] = None,
    fast_only: Annotated[bool, typer.Option(help="Skip the embedding tier.")] = False,
) -> None:
    """Train the sentiment models (seeded, reproducible) and save them."""
    from veille.enrich.train import data_dir, save, train_models, workspace_model_path

    extra: list[tuple[str, str]] = []
    space_id = None
    if workspace is not None:
        from veille.commands.common import setup_django

        setup_django()
        from veille.core import services
        from veille.enrich.corrections import workspace_examples

        try:
            space = services.get_workspace(workspace)
        except services.VeilleError as error:
            raise fail(str(error)) from None
        space_id = space.pk
        extra = workspace_examples(space.pk)
    with console.status("Training…"):
        models = train_models(seed=seed, extra=extra, accurate=not fast_only)
    if out is None:
        out = (
            workspace_model_path(space_id)
            if space_id
            else data_dir() / "models" / "sentiment.joblib"
        )
    save(models, out)
    tiers = "fast + accurate" if models.accurate else "fast"
    console.print(
        plain(
            f"Trained {tiers} on {models.meta['examples']} examples "
            f"({len(extra)} corrections) in {models.meta['seconds']} s: {out}"
        )
    )


def eval_command(
    workspace: WorkspaceOption = None,
    accurate: Annotated[bool, typer.Option(help="Also evaluate the embedding tier.")] = True,
) -> None:
    """Print sentiment macro-F1 per class and language, and intent precision/recall; with
    --workspace, also the gain of the workspace's corrections (base vs workspace model)."""
    from veille.enrich.evaluate import (
        evaluate_intents,
        evaluate_real_intents,
        evaluate_sentiment,
        language_accuracy,
    )
    from veille.enrich.realset import RealSetError
    from veille.enrich.train import get_models

    space_id = None
    if workspace is not None:
        from veille.commands.common import setup_django

        setup_django()
        from veille.core import services

        try:
            space_id = services.get_workspace(workspace).pk
        except services.VeilleError as error:
            raise fail(str(error)) from None
    models = get_models(space_id)
    tiers = [("fast", False)] + ([("accurate", True)] if accurate and models.accurate else [])
    table = Table(
        "tier", "data", "n", "macro-F1", "negative", "neutral", "positive", title="Sentiment"
    )
    for tier, flag in tiers:
        for report in evaluate_sentiment(models, accurate=flag):
            table.add_row(
                tier,
                report.name,
                str(report.examples),
                f"{report.macro_f1:.3f}",
                *(f"{report.per_class[k]:.3f}" for k in ("negative", "neutral", "positive")),
            )
    console.print(table)
    console.print(
        _intent_table("Intents (project comments, written for the project)", evaluate_intents())
    )
    try:
        real = evaluate_real_intents(models)
    except RealSetError as error:
        errors.print(plain(f"error: {error}"))
    else:
        title = "Intents (real French comments from ../shared, see docs/accuracy.md)"
        console.print(_intent_table(title, real))
    console.print(f"Language id on the project comments: {language_accuracy():.3f}")
    if space_id is not None:
        _print_gain(space_id)


def _intent_table(title: str, reports: list[Any]) -> Table:
    table = Table("intent", "support", "found", "precision", "recall", title=title)
    for report in reports:
        precision = f"{report.precision:.3f}" if report.found else "–"
        recall = f"{report.recall:.3f}" if report.support else "–"
        table.add_row(report.intent, str(report.support), str(report.found), precision, recall)
    return table


def _print_gain(space_id: int) -> None:
    """Base model versus the workspace's model, on corrections the latter did not learn."""
    from veille.enrich.corrections import workspace_labelled
    from veille.enrich.evaluate import evaluate_workspace_gain
    from veille.enrich.train import get_models

    labelled = workspace_labelled(space_id)
    try:
        with console.status("Training on the corrections, fold by fold…"):
            report = evaluate_workspace_gain(labelled, get_models())
    except ValueError as error:
        raise fail(str(error)) from None
    table = Table(
        "model",
        "macro-F1",
        "negative",
        "neutral",
        "positive",
        title=f"Workspace gain: {report.corrections} corrections, {report.method} (fast tier)",
    )
    for part in (report.before, report.after):
        table.add_row(
            part.name,
            f"{part.macro_f1:.3f}",
            *(f"{part.per_class[k]:.3f}" for k in ("negative", "neutral", "positive")),
        )
    console.print(table)
    console.print(plain(f"Gain: {report.gain:+.3f} macro-F1 ({report.corrections} corrections)"))


def correct_command(
    mention_id: Annotated[int, typer.Argument(help="The mention's id.")],
    sentiment: Annotated[str | None, typer.Option(help="negative, neutral or positive.")] = None,
    intent: Annotated[
        list[str] | None, typer.Option(help="An intent it has (repeatable); 'none' for none.")
    ] = None,
) -> None:
    """Correct a mention's sentiment or intents; kept over re-enrichment."""
    from veille.commands.common import setup_django

    setup_django()
    from veille.core.models import Mention
    from veille.enrich.corrections import CorrectionError, correct

    if sentiment is None and intent is None:
        raise fail("say what to correct: --sentiment and/or --intent")
    mention = Mention.objects.filter(pk=mention_id).first()
    if mention is None:
        raise fail(f"no mention with id {mention_id}")
    intents = None if intent is None else [i for i in intent if i != "none"]
    try:
        correct(mention, sentiment=sentiment, intents=intents)
    except CorrectionError as error:
        raise fail(str(error)) from None
    console.print(
        plain(
            f"Mention {mention_id}: sentiment {mention.sentiment}, "
            f"intents {', '.join(mention.intents) or 'none'} (correction kept)."
        )
    )


def register(app: typer.Typer) -> None:
    app.command("enrich")(enrich_command)
    app.command("train")(train_command)
    app.command("eval")(eval_command)
    app.command("correct")(correct_command)

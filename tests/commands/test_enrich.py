from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from veille.cli import app


def test_enrich_reports_bad_lines_and_outputs_the_others():
    data = (
        b'{"id": "a", "text": "Merci, super service !"}\n\xff\xfe\n{oops\n{"id": "b", "text": ""}\n'
    )
    result = CliRunner().invoke(app, ["enrich"], input=data)
    assert result.exit_code == 1
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert [row["id"] for row in lines] == ["a", "b"]
    assert lines[0]["sentiment"] == "positive"
    assert "line 2" in result.stderr and "line 3" in result.stderr


@pytest.mark.django_db
def test_corrections_are_kept_over_re_enrichment(workspace_with_mention):
    from veille.core.models import Correction
    from veille.enrich.corrections import reenrich_stored

    mention = workspace_with_mention
    result = CliRunner().invoke(
        app, ["correct", str(mention.pk), "--sentiment", "positive", "--intent", "praise"]
    )
    assert result.exit_code == 0, result.output
    reenrich_stored([mention])
    mention.refresh_from_db()
    assert mention.sentiment == "positive" and mention.intents == ["praise"]
    assert Correction.objects.filter(mention=mention).count() == 2


@pytest.fixture
def workspace_with_mention(db):
    from django.utils import timezone

    from veille.core.models import Mention, Source, Workspace

    space = Workspace.objects.create(name="Lumen")
    source = Source.objects.create(workspace=space, kind="feed", url="https://lumen.example/f")
    return Mention.objects.create(
        workspace=space,
        source=source,
        external_id="1",
        published_at=timezone.now(),
        text="Colis jamais reçu, je suis très déçu, arnaque",
    )


GAMING = [
    ("Encore du lag sur le serveur Kartoz ce soir", "negative"),
    ("Kartoz lag à mort depuis la mise à jour", "negative"),
    ("Trop de lag en partie classée sur Kartoz", "negative"),
    ("Du lag monstrueux sur Kartoz, injouable", "negative"),
    ("Kartoz : lag et déconnexions toute la soirée", "negative"),
    ("La nouvelle saison de Kartoz est une dinguerie", "positive"),
    ("Dinguerie ce patch Kartoz", "positive"),
    ("Kartoz c'est une dinguerie, les nouvelles cartes", "positive"),
    ("Le mode coop de Kartoz, quelle dinguerie", "positive"),
    ("Une dinguerie la mise à jour Kartoz de ce soir", "positive"),
]


def _corrected_workspace(name: str, examples: list[tuple[str, str]]):
    from django.utils import timezone

    from veille.core.models import Mention, Source, Workspace
    from veille.enrich.corrections import correct

    space = Workspace.objects.create(name=name)
    source = Source.objects.create(workspace=space, kind="feed", url="https://kartoz.example/f")
    for number, (text, label) in enumerate(examples):
        mention = Mention.objects.create(
            workspace=space,
            source=source,
            external_id=str(number),
            published_at=timezone.now(),
            text=text,
            language="fr",
            sentiment="neutral",
        )
        correct(mention, sentiment=label)
    return space


@pytest.mark.django_db
def test_eval_shows_the_gain_of_the_workspace_corrections():
    _corrected_workspace("Kartoz", GAMING)

    result = CliRunner().invoke(app, ["eval", "--workspace", "Kartoz", "--no-accurate"])

    assert result.exit_code == 0, result.output
    output = " ".join(result.stdout.split())
    assert "10 corrections, 5-fold cross-validation" in output
    assert "Intents (real French comments" in output
    gain = output[output.index("Gain: ") :].split()[1]
    # Trained deterministically: the workspace's jargon ("lag", "dinguerie") is learnt
    # from the other folds and read on the held-out one, which the base model cannot.
    assert float(gain) > 0.2


@pytest.mark.django_db
def test_eval_says_when_corrections_are_too_few():
    _corrected_workspace("Kartoz", GAMING[:2])

    result = CliRunner().invoke(app, ["eval", "--workspace", "Kartoz", "--no-accurate"])

    assert result.exit_code == 1
    assert "2 sentiment correction(s)" in result.output and "at least 4" in result.output

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

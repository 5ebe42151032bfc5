"""`veille demo --no-serve`: the generated feeds, collected for real into the demo workspace."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from django.contrib.auth import authenticate
from pytest_django.fixtures import Settings
from typer.testing import CliRunner

from veille.cli import app
from veille.core.models import Case, CaseStatus, Mention, MentionMatch, Role, Workspace
from veille.demo.run import DEMO_PASSWORD, DEMO_USERNAME

pytestmark = pytest.mark.django_db


def run_demo() -> str:
    result = CliRunner().invoke(app, ["demo", "--no-serve"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return result.output


def test_the_demo_collects_a_year_of_conversations_once(settings: Settings, tmp_path: Path):
    settings.DATA_DIR = tmp_path
    settings.VEILLE_ALLOW_PRIVATE_URLS = False
    output = run_demo()

    space = Workspace.objects.get(name="Brûlerie Azur")
    mentions = Mention.objects.filter(workspace=space)
    assert f"{mentions.count()} mentions from 10 sources" in output
    assert mentions.count() >= 400
    months = Counter(m.published_at.strftime("%Y-%m") for m in mentions)
    assert len(months) >= 12
    median = sorted(months.values())[len(months) // 2]
    assert months["2025-12"] > 2 * median  # the Christmas contest
    assert months["2026-05"] > 2 * median  # the crisis
    replies = mentions.exclude(kind="post")
    assert replies.count() > 100
    assert not replies.filter(parent__isnull=True).exists()
    assert set(mentions.values_list("media_category", flat=True)) == {"owned", "earned", "paid"}
    matched = Counter(MentionMatch.objects.values_list("watch__kind", flat=True))
    assert matched["brand"] > matched["competitor"] > 0 and matched["topic"] > 0
    # The SSRF guard was only lifted for the demo's own collection.
    assert settings.VEILLE_ALLOW_PRIVATE_URLS is False

    user = authenticate(username=DEMO_USERNAME, password=DEMO_PASSWORD)
    assert user is not None
    assert user.memberships.get(workspace=space).role == Role.OWNER

    # The brand's answers on the social feed come from its handle: those cases are replied,
    # with a first-response time.
    social = Case.objects.filter(workspace=space, thread_root__source__name__startswith="Piaille")
    answered = social.filter(status=CaseStatus.REPLIED, first_response_at__isnull=False)
    assert answered.count() >= 30
    assert all(case.first_response_at > case.opened_at for case in answered)

    # Running it again (the feed server gets a new port) stores nothing twice.
    before = mentions.count()
    again = run_demo()
    assert Mention.objects.count() == before
    assert "not modified" in again
    assert Workspace.objects.count() == 1

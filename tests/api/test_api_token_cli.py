"""`veille token create|list|revoke`."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model
from typer.testing import CliRunner

from tests.api.conftest import Api
from veille.api.models import ApiToken
from veille.cli import app

pytestmark = pytest.mark.django_db
runner = CliRunner()


@pytest.fixture
def camille():
    return get_user_model().objects.create(username="camille")


def test_create_prints_the_token_once_and_it_works(camille):
    result = runner.invoke(app, ["token", "create", "--user", "camille", "--name", "zapier"])
    assert result.exit_code == 0, result.output
    clear = result.output.strip().splitlines()[-1]
    assert clear.startswith("vt_")
    token = ApiToken.objects.get()
    assert token.user == camille and token.name == "zapier"
    assert clear not in json.dumps(list(ApiToken.objects.values()), default=str)
    assert Api(clear).get("/api/workspaces").status_code == 200

    listed = runner.invoke(app, ["token", "list", "--jsonl"])
    assert listed.exit_code == 0, listed.output
    row = json.loads(listed.output)
    assert row["id"] == token.pk and row["user"] == "camille" and row["prefix"] == token.prefix
    assert clear not in listed.output
    assert "zapier" in runner.invoke(app, ["token", "list"]).output

    revoked = runner.invoke(app, ["token", "revoke", str(token.pk)])
    assert revoked.exit_code == 0, revoked.output
    assert Api(clear).get("/api/workspaces").status_code == 401
    assert json.loads(runner.invoke(app, ["token", "list", "--jsonl"]).output)["revoked_at"]
    again = runner.invoke(app, ["token", "revoke", str(token.pk)])
    assert again.exit_code == 0 and "already" in again.output


def test_errors_are_clear(camille):
    unknown = runner.invoke(app, ["token", "create", "--user", "nobody", "--name", "x"])
    assert unknown.exit_code == 1 and "no user named 'nobody'" in unknown.output
    empty = runner.invoke(app, ["token", "create", "--user", "camille", "--name", " "])
    assert empty.exit_code == 1
    missing = runner.invoke(app, ["token", "revoke", "42"])
    assert missing.exit_code == 1 and "no token with id 42" in missing.output
    assert not ApiToken.objects.exists()

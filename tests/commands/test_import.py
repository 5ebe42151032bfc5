"""`veille import FILE`."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests import factories
from veille.cli import app
from veille.core.models import Mention, Source

pytestmark = pytest.mark.django_db


def run(*args: str):
    return CliRunner().invoke(app, list(args), env={"COLUMNS": "220"})


def test_import_then_import_again(tmp_path: Path) -> None:
    factories.workspace()
    path = tmp_path / "export.csv"
    path.write_text("message;created\nBonjour;12/03/2024\nmauvais;31/02/2026\n", "utf-8")
    first = run("import", str(path), "--mapping", "text=message,date=created")
    assert first.exit_code == 0, first.output
    assert "1 created" in first.output
    assert "row 3, column 'created'" in first.output
    assert Mention.objects.count() == 1
    source = Source.objects.get(kind="import")
    assert source.params["mapping"] == {"text": "message", "date": "created"}
    again = run("import", str(path), "--mapping", "text=message,date=created")
    assert again.exit_code == 0, again.output
    assert "unchanged" in again.output
    assert Source.objects.filter(kind="import").count() == 1
    assert Mention.objects.count() == 1


def test_import_reports_errors(tmp_path: Path) -> None:
    factories.workspace()
    assert "not a regular file" in run("import", str(tmp_path)).output
    path = tmp_path / "export.csv"
    path.write_text("a;b\n1;2\n", "utf-8")
    result = run("import", str(path))
    assert result.exit_code == 1
    assert "no text column" in result.output
    bad = run("import", str(path), "--mapping", "text")
    assert bad.exit_code == 1 and "FIELD=COLUMN" in bad.output

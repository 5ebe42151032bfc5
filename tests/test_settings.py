"""Configuration comes from VEILLE_* variables only; each case runs in a fresh interpreter."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

PROBE = """
import json, django
from django.conf import settings
django.setup()
from django.db import connection
with connection.cursor() as cursor:
    journal = None
    if connection.vendor == "sqlite":
        journal = cursor.execute("PRAGMA journal_mode").fetchone()[0]
print(json.dumps({
    "debug": settings.DEBUG,
    "hosts": settings.ALLOWED_HOSTS,
    "time_zone": settings.TIME_ZONE,
    "private": settings.VEILLE_ALLOW_PRIVATE_URLS,
    "database": str(settings.DATABASES["default"]["NAME"]),
    "journal": journal,
    "key": settings.SECRET_KEY,
}))
"""


def probe(**env: str) -> dict:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("VEILLE_", "DJANGO_"))}
    clean |= {"DJANGO_SETTINGS_MODULE": "veille.settings", **env}
    done = subprocess.run(
        [sys.executable, "-c", PROBE], env=clean, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


@pytest.mark.own_database
def test_defaults_are_sqlite_in_wal_mode_in_the_data_dir_with_a_kept_secret(tmp_path: Path):
    first = probe(VEILLE_DATA_DIR=str(tmp_path))
    assert first["debug"] is False
    assert first["private"] is False
    assert first["database"] == str(tmp_path / "veille.sqlite3")
    assert first["journal"] == "wal"
    key_file = tmp_path / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert first["key"] == key_file.read_text() and len(first["key"]) >= 50
    assert probe(VEILLE_DATA_DIR=str(tmp_path))["key"] == first["key"]


@pytest.mark.own_database
def test_every_setting_comes_from_the_environment(tmp_path: Path):
    seen = probe(
        VEILLE_DATA_DIR=str(tmp_path),
        VEILLE_SECRET_KEY="k" * 60,
        VEILLE_DEBUG="1",
        VEILLE_ALLOWED_HOSTS="veille.example.org, localhost",
        VEILLE_TIME_ZONE="America/Montreal",
        VEILLE_ALLOW_PRIVATE_URLS="yes",
    )
    assert seen["key"] == "k" * 60
    assert not (tmp_path / "secret_key").exists()
    assert seen["debug"] is True
    assert seen["hosts"] == ["veille.example.org", "localhost"]
    assert seen["time_zone"] == "America/Montreal"
    assert seen["private"] is True


@pytest.mark.django_db
def test_the_suite_runs_on_the_configured_database():
    expected = "postgresql" if os.environ.get("VEILLE_DATABASE_URL") else "sqlite"
    assert connection.vendor == expected

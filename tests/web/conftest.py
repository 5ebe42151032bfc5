"""Fixtures of the web tests: two workspaces, people with roles, compiled translations."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from django.test import Client

from tests.web import factories
from veille.core.models import Role, Workspace

LOCALE_DIR = Path(__file__).resolve().parents[2] / "src" / "veille" / "locale"


@pytest.fixture(scope="session", autouse=True)
def compiled_translations() -> None:
    """Compile a catalogue whose .mo is missing or older than its .po, as `make` does."""
    for po in LOCALE_DIR.glob("*/LC_MESSAGES/django.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            polib.pofile(str(po)).save_as_mofile(str(mo))


@pytest.fixture
def space_a(db: None) -> Workspace:
    return factories.workspace("Brand A", time_zone="Europe/Paris")


@pytest.fixture
def space_b(db: None) -> Workspace:
    return factories.workspace("Brand B", time_zone="America/New_York")


@pytest.fixture
def agent(space_a: Workspace):
    person = factories.user("agent")
    factories.member(person, space_a, Role.AGENT)
    return person


@pytest.fixture
def agent_client(agent) -> Client:
    client = Client()
    client.force_login(agent)
    return client

"""Fixtures for the collect tests: a local HTTP server and the shared feed fixtures."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_django.fixtures import Settings

from tests.support import FEEDS_DIR
from tests.support.http_server import LocalHTTPServer


@pytest.fixture
def http_server() -> Iterator[LocalHTTPServer]:
    """A running local server; register routes with .add() / .redirect()."""
    with LocalHTTPServer() as server:
        yield server


@pytest.fixture(autouse=True)
def _allow_loopback(settings: Settings) -> None:
    """The local server lives on 127.0.0.1; tests of the guard switch this back off."""
    settings.VEILLE_ALLOW_PRIVATE_URLS = True


@pytest.fixture(scope="session")
def feeds_dir() -> Path:
    """shared/fixtures/feeds, which these tests need (they fail, not skip, without it)."""
    assert FEEDS_DIR.is_dir(), f"missing fixtures: {FEEDS_DIR} (see shared/fixtures/PROVENANCE.md)"
    return FEEDS_DIR

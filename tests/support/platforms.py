"""The recorded platform payloads in shared/fixtures/platforms, for connector tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pytest_django.fixtures import Settings

from tests.support import SHARED_FIXTURES

PLATFORMS_DIR = SHARED_FIXTURES / "platforms"


def payload_path(name: str) -> Path:
    path = PLATFORMS_DIR / name
    assert path.is_file(), f"missing fixture: {path} (see shared/fixtures/PROVENANCE.md)"
    return path


def payload_bytes(name: str) -> bytes:
    """A recorded response body, byte for byte ("mastodon/status.json")."""
    return payload_path(name).read_bytes()


def payload(name: str) -> Any:
    """A recorded response body, decoded."""
    return json.loads(payload_bytes(name))


def as_json(document: Any) -> bytes:
    return json.dumps(document).encode()


def quick_politeness(settings: Settings) -> None:
    """No pacing between requests to the local server, and near-instant retries."""
    settings.VEILLE_HOST_MIN_INTERVAL = 0
    settings.VEILLE_HTTP_BACKOFF = 0.01
    settings.VEILLE_HTTP_TIMEOUT = 2

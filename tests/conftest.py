"""Test-wide fixtures.

scripts/test.sh (run by `make test`) points VEILLE_DATA_DIR at a temporary directory before
pytest starts, so that no test writes into the user's data directory.
"""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The third-party data beside the repository (../shared): read, never copied."""
    if not SHARED.is_dir():
        pytest.fail(f"{SHARED} is missing: the tests read real fixtures from ../shared")
    return SHARED


@pytest.fixture(autouse=True)
def _no_waiting_between_requests(settings) -> None:
    """Every test talks to its own loopback server: no pacing, near-instant retries."""
    settings.VEILLE_HOST_MIN_INTERVAL = 0
    settings.VEILLE_HTTP_BACKOFF = 0.01

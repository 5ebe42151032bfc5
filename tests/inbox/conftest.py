from collections.abc import Iterator

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Reasons are compared in English; the French ones have a test of their own."""
    with translation.override("en"):
        yield


# The web tests' workspaces, people and compiled translations.
from tests.web.conftest import (  # noqa: E402, F401
    agent,
    agent_client,
    compiled_translations,
    space_a,
    space_b,
)

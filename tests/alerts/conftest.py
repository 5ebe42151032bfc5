"""Fixtures of the playbook tests: a real SMTP server on loopback, English texts."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation

from tests.support.smtp import smtp  # noqa: F401
from tests.web.conftest import compiled_translations, space_a, space_b  # noqa: F401


@pytest.fixture(autouse=True)
def _english(settings) -> Iterator[None]:
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _english_workspace(space_a) -> None:  # noqa: F811
    """Alerts are written in the workspace's language (French by default): read English here."""
    space_a.default_language = "en"
    space_a.save(update_fields=["default_language"])

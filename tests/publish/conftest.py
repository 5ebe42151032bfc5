"""Fixtures of the publishing tests: a fake platform on loopback, English texts."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation

from tests.publish.fake_platform import FakePlatform
from tests.web.conftest import compiled_translations, space_a, space_b  # noqa: F401


@pytest.fixture(autouse=True)
def _english_and_loopback(settings) -> Iterator[None]:
    settings.LANGUAGE_CODE = "en"
    settings.VEILLE_ALLOW_PRIVATE_URLS = True
    settings.VEILLE_HTTP_TIMEOUT = 2
    settings.VEILLE_HTTP_RETRIES = 0
    with translation.override("en"):
        yield


@pytest.fixture
def platform() -> Iterator[FakePlatform]:
    with FakePlatform() as server:
        yield server

from collections.abc import Iterator

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _fast_passwords(settings) -> None:
    """The inbox tests create many people; a slow hash would only slow them down."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _english(settings) -> Iterator[None]:
    """Texts are compared in English, in code and in pages (whose default is French)."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


# The web tests' workspaces, people and compiled translations.
from tests.support.smtp import smtp  # noqa: E402, F401  (the real SMTP server fixture)
from tests.web.conftest import (  # noqa: E402, F401
    agent,
    agent_client,
    compiled_translations,
    space_a,
    space_b,
)

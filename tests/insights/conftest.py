"""The insights pages reuse the web tests' workspaces, people and compiled translations."""

from tests.support.smtp import smtp  # noqa: F401  (the real SMTP server fixture)
from tests.web.conftest import (  # noqa: F401
    agent,
    agent_client,
    compiled_translations,
    space_a,
    space_b,
)

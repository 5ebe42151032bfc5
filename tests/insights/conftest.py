"""The insights pages reuse the web tests' workspaces, people and compiled translations."""

from tests.web.conftest import (  # noqa: F401
    agent,
    agent_client,
    compiled_translations,
    space_a,
    space_b,
)

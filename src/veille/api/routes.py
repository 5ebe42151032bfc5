"""The API: one NinjaAPI, token-authenticated, its OpenAPI at /api/openapi.json and /api/docs."""

from __future__ import annotations

from ninja import NinjaAPI

from veille import __version__
from veille.api import cases, mentions, watches, workspaces
from veille.api.auth import TokenAuth

api = NinjaAPI(
    title="veille",
    version=__version__,
    description=(
        "Mentions, watches and the inbox's cases of the workspaces you are a member of. "
        "Authenticate with `Authorization: Bearer <token>` (create one with "
        "`veille token create`). See docs/api.md."
    ),
    auth=TokenAuth(),
    docs_url="/docs",
    urls_namespace="api",
)
for module in (workspaces, mentions, watches, cases):
    api.add_router("/", module.router)

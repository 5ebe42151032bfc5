"""The HTTP API (django-ninja): workspaces, mentions, watches and cases, with per-user tokens.

`routes.api` is the NinjaAPI mounted at /api/; each area has a router module of its own;
`models.ApiToken` holds the tokens (digests only), managed with `veille token`.
"""

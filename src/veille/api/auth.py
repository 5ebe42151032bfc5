"""`Authorization: Bearer <token>`: the token's user becomes the request's user."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from veille.api.models import ApiToken


class TokenAuth(HttpBearer):
    """Accepts live tokens of active users; refuses unknown and revoked ones (401)."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = ApiToken.find_active(token.strip())
        if found is None:
            return None
        found.record_use()
        request.user = found.user
        return found.user

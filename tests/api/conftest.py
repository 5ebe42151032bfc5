"""Fixtures of the API tests: a workspace with one person per role, each with a token."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from tests.web import factories
from veille.api.models import ApiToken
from veille.core.models import Role, Workspace


class Api:
    """A client that sends a Bearer token and JSON bodies."""

    def __init__(self, token: str | None) -> None:
        self.client = Client()
        self.token = token

    def _headers(self) -> dict[str, str]:
        return {"HTTP_AUTHORIZATION": f"Bearer {self.token}"} if self.token else {}

    def get(self, path: str, **params: Any):
        return self.client.get(path, params, **self._headers())

    def post(self, path: str, body: dict[str, Any]):
        return self.client.post(
            path, json.dumps(body), content_type="application/json", **self._headers()
        )

    def delete(self, path: str):
        return self.client.delete(path, **self._headers())

    def patch(self, path: str, body: dict[str, Any]):
        return self.client.patch(
            path, json.dumps(body), content_type="application/json", **self._headers()
        )


@pytest.fixture
def space_a(db: None) -> Workspace:
    """The callers' workspace."""
    return factories.workspace("Brand A")


@pytest.fixture
def space_b(db: None) -> Workspace:
    """Someone else's workspace."""
    return factories.workspace("Brand B")


@pytest.fixture
def people(space_a: Workspace) -> dict[str, Any]:
    """One member of Brand A per role."""
    found = {}
    for role in Role.values:
        # No password: tokens need none, and hashing one per person would slow every test.
        person = get_user_model().objects.create(username=f"{role}-a")
        factories.member(person, space_a, role)
        found[role] = person
    return found


@pytest.fixture
def apis(people: dict[str, Any]) -> dict[str, Api]:
    """An authenticated API client per role of Brand A."""
    return {role: Api(ApiToken.issue(person, "tests")[1]) for role, person in people.items()}


@pytest.fixture
def owner_api(apis: dict[str, Api]) -> Api:
    return apis[Role.OWNER]

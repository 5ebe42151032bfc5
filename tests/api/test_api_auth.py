"""Tokens: who gets in, who does not, and the published schema."""

from __future__ import annotations

import pytest

from tests.api.conftest import Api
from tests.web import factories
from veille.api.models import ApiToken, digest_of

pytestmark = pytest.mark.django_db


def test_requests_without_a_valid_token_are_401(people):
    token, clear = ApiToken.issue(people["owner"], "laptop")
    assert Api(None).get("/api/workspaces").status_code == 401
    assert Api("vt_not-a-real-token").get("/api/workspaces").status_code == 401
    assert Api(clear[:-1]).get("/api/workspaces").status_code == 401
    malformed = Api(None)
    response = malformed.client.get("/api/workspaces", HTTP_AUTHORIZATION=f"Token {clear}")
    assert response.status_code == 401
    assert Api(clear).get("/api/workspaces").status_code == 200
    token.revoke()
    assert Api(clear).get("/api/workspaces").status_code == 401


def test_only_the_digest_and_a_prefix_are_stored(people):
    token, clear = ApiToken.issue(people["owner"], "laptop")
    token.refresh_from_db()
    assert token.digest == digest_of(clear) and clear not in token.digest
    assert clear.startswith(token.prefix) and len(token.prefix) < len(clear) // 3


def test_use_is_recorded(people):
    token, clear = ApiToken.issue(people["owner"], "laptop")
    assert token.last_used_at is None
    Api(clear).get("/api/workspaces")
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_an_inactive_users_tokens_are_refused(people):
    _token, clear = ApiToken.issue(people["agent"], "laptop")
    people["agent"].is_active = False
    people["agent"].save()
    assert Api(clear).get("/api/workspaces").status_code == 401


def test_workspaces_lists_only_the_callers_with_their_role(owner_api, space_a, space_b, people):
    factories.member(people["owner"], space_b, "viewer")
    factories.workspace("Brand C")
    response = owner_api.get("/api/workspaces")
    assert response.status_code == 200
    assert [(w["name"], w["role"]) for w in response.json()] == [
        ("Brand A", "owner"),
        ("Brand B", "viewer"),
    ]


def test_openapi_schema_and_docs(client):
    schema = client.get("/api/openapi.json")
    assert schema.status_code == 200
    body = schema.json()
    assert body["info"]["title"] == "veille"
    paths = body["paths"]
    assert set(paths) >= {
        "/api/workspaces",
        "/api/workspaces/{workspace_id}/mentions",
        "/api/workspaces/{workspace_id}/mentions/{mention_id}/correction",
        "/api/workspaces/{workspace_id}/watches",
        "/api/workspaces/{workspace_id}/watches/{watch_id}",
        "/api/workspaces/{workspace_id}/cases",
        "/api/workspaces/{workspace_id}/cases/{case_id}",
        "/api/workspaces/{workspace_id}/cases/{case_id}/actions",
    }
    assert "patch" in paths["/api/workspaces/{workspace_id}/watches/{watch_id}"]
    assert body["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"
    assert client.get("/api/docs").status_code == 200

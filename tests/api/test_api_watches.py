"""Watches through the API: validation as in the CLI, query errors with a column, audit."""

from __future__ import annotations

import pytest

from tests.web import factories
from veille.core.models import Event, Watch

pytestmark = pytest.mark.django_db


def test_create_and_list(owner_api, space_a):
    path = f"/api/workspaces/{space_a.pk}/watches"
    body = {"name": "Marque", "query": '"café azur" OR azurcafe', "languages": ["fr"]}
    created = owner_api.post(path, body)
    assert created.status_code == 201, created.content
    assert created.json()["kind"] == "brand" and created.json()["active"] is True
    assert [w["name"] for w in owner_api.get(path).json()] == ["Marque"]
    event = Event.objects.get(verb="watch.created")
    assert event.data["watch"] == created.json()["id"] and event.actor.username == "owner-a"


def test_a_query_that_cannot_be_read_is_422_with_its_column(owner_api, space_a):
    path = f"/api/workspaces/{space_a.pk}/watches"
    response = owner_api.post(path, {"name": "Marque", "query": "azur AND"})
    assert response.status_code == 422
    body = response.json()
    assert body["field"] == "query" and body["column"] == 6
    assert "AND" in body["hint"]
    assert body["query"] == "azur AND" and "detail" in body
    assert not Watch.objects.exists() and not Event.objects.exists()


def test_other_bad_input_is_422(owner_api, space_a):
    path = f"/api/workspaces/{space_a.pk}/watches"
    factories.watch(space_a, name="Marque")
    for body in (
        {"name": "Marque", "query": "azur"},
        {"name": " ", "query": "azur"},
        {"name": "Autre", "query": "azur", "kind": "enemy"},
        {"name": "Autre", "query": "azur", "languages": ["xx"]},
    ):
        assert owner_api.post(path, body).status_code == 422, body
    assert Watch.objects.count() == 1


def test_patch_changes_only_what_is_given_and_logs_it(apis, space_a):
    watch = factories.watch(space_a, name="Marque", query="azur", languages=["fr"])
    path = f"/api/workspaces/{space_a.pk}/watches/{watch.pk}"
    response = apis["manager"].patch(path, {"query": "azur OR azurcafe", "active": False})
    assert response.status_code == 200, response.content
    watch.refresh_from_db()
    assert watch.query == "azur OR azurcafe" and not watch.active
    assert watch.name == "Marque" and watch.languages == ["fr"]
    event = Event.objects.get(verb="watch.updated")
    assert event.data["changes"] == {
        "query": ["azur", "azur OR azurcafe"],
        "active": [True, False],
    }
    assert apis["manager"].patch(path, {"active": False}).status_code == 200
    assert Event.objects.filter(verb="watch.updated").count() == 1  # nothing changed


def test_patch_with_a_bad_query_is_422_with_its_column(owner_api, space_a):
    watch = factories.watch(space_a, name="Marque", query="azur")
    other = factories.watch(space_a, name="Rival", query="rival")
    path = f"/api/workspaces/{space_a.pk}/watches/{watch.pk}"
    response = owner_api.patch(path, {"query": 'azur NEAR/x "'})
    assert response.status_code == 422 and response.json()["column"] == 6
    assert owner_api.patch(path, {"name": other.name}).status_code == 422
    watch.refresh_from_db()
    assert watch.query == "azur" and not Event.objects.exists()

"""Cases through the API: priority order, reasons, thread, events; actions via the workflow."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.inbox import builders
from veille.core.models import CaseStatus, Event, Mention
from veille.inbox.models import Label

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(space_a):
    low = builders.case(space_a, "Merci !", priority=0.2)
    high = builders.case(space_a, "Remboursez-moi", priority=0.9)
    done = builders.case(space_a, "Réglé", priority=0.5, status=CaseStatus.CLOSED)
    return low, high, done


def test_list_in_priority_order_with_reasons(owner_api, space_a, cases):
    low, high, done = cases
    response = owner_api.get(f"/api/workspaces/{space_a.pk}/cases")
    assert response.status_code == 200, response.content
    items = response.json()["items"]
    assert [c["id"] for c in items] == [high.pk, done.pk, low.pk]
    assert items[0]["reasons"] == ["question", "reach 12k"]
    assert items[0]["root"]["text"] == "Remboursez-moi"


def test_list_filters(apis, people, space_a, cases):
    low, high, _done = cases
    path = f"/api/workspaces/{space_a.pk}/cases"
    api = apis["agent"]
    ids = [c["id"] for c in api.get(path, status="new").json()["items"]]
    assert ids == [high.pk, low.pk]
    low.assignee = people["agent"]
    low.save()
    assert [c["id"] for c in api.get(path, assignee="me").json()["items"]] == [low.pk]
    by_id = api.get(path, assignee=str(people["agent"].pk)).json()["items"]
    assert [c["id"] for c in by_id] == [low.pk]
    assert len(api.get(path, assignee="none").json()["items"]) == 2
    assert api.get(path, status="done").status_code == 422
    assert api.get(path, assignee="someone").status_code == 422
    page = api.get(path, limit=1, offset=1).json()
    assert page["count"] == 3 and page["next_offset"] == 2


def test_detail_has_thread_and_events(owner_api, space_a, cases):
    _low, high, _done = cases
    root = high.thread_root
    Mention.objects.filter(pk=root.pk).update(thread_root=root)
    reply = Mention.objects.create(
        workspace=space_a,
        source=root.source,
        external_id="reply-1",
        parent=root,
        thread_root=root,
        kind="reply",
        published_at=root.published_at,
        text="Toujours rien",
    )
    Event.objects.create(workspace=space_a, verb="case.note", case=high, data={"text": "vu"})
    response = owner_api.get(f"/api/workspaces/{space_a.pk}/cases/{high.pk}")
    assert response.status_code == 200, response.content
    body = response.json()
    assert [m["id"] for m in body["thread"]] == [root.pk, reply.pk]
    assert [e["verb"] for e in body["events"]] == ["case.note"]


def _act(api, space, case, **body):
    return api.post(f"/api/workspaces/{space.pk}/cases/{case.pk}/actions", body)


def test_actions_go_through_the_workflow_and_are_logged(apis, people, space_a, cases):
    _low, high, _done = cases
    api = apis["agent"]
    assert _act(api, space_a, high, action="assign", assignee="me").status_code == 200
    assert _act(api, space_a, high, action="status", status="pending").status_code == 200
    assert _act(api, space_a, high, action="note", text="Appelé le client").status_code == 200
    replied = _act(api, space_a, high, action="replied", reply_url="https://social.example/1")
    assert replied.status_code == 200, replied.content
    body = replied.json()
    assert body["status"] == "replied" and body["first_response_at"] is not None
    assert body["assignee"]["username"] == "agent-a"
    verbs = [e["verb"] for e in body["events"]]
    assert verbs == ["case.assigned", "case.status", "case.note", "case.replied"]
    assert {e.actor for e in Event.objects.filter(case=high)} == {people["agent"]}
    unassign = _act(api, space_a, high, action="assign", assignee=None)
    assert unassign.json()["assignee"] is None


def test_round_robin_and_assigning_to_a_manager(apis, people, space_a, cases):
    _low, high, _done = cases
    api = apis["manager"]
    assert _act(api, space_a, high, action="assign", assignee="next").json()["assignee"] == {
        "id": people["agent"].pk,
        "username": "agent-a",
    }
    to_owner = _act(api, space_a, high, action="assign", assignee=people["owner"].pk)
    assert to_owner.json()["assignee"]["username"] == "owner-a"


def test_bad_actions_are_422_and_not_logged(apis, people, space_a, cases):
    _low, high, _done = cases
    api = apis["owner"]
    assert _act(api, space_a, high, action="status", status="done").status_code == 422
    assert _act(api, space_a, high, action="note", text="  ").status_code == 422
    bad_url = _act(api, space_a, high, action="replied", reply_url="javascript:alert(1)")
    assert bad_url.status_code == 422
    viewer = people["viewer"].pk
    assert _act(api, space_a, high, action="assign", assignee=viewer).status_code == 422
    assert _act(api, space_a, high, action="assign", assignee=999_999).status_code == 422
    assert _act(api, space_a, high, action="dance").status_code == 422
    assert not Event.objects.exists()


def _listing_queries(api, space, limit: int = 50) -> tuple[list[dict], int]:
    with CaptureQueriesContext(connection) as queries:
        response = api.get(f"/api/workspaces/{space.pk}/cases", limit=limit)
    assert response.status_code == 200, response.content
    return response.json()["items"], len(queries)


def test_cases_carry_their_label_names_sorted_without_a_query_per_case(owner_api, space_a, cases):
    low, high, done = cases
    vip = Label.objects.create(workspace=space_a, name="VIP")
    delivery = Label.objects.create(workspace=space_a, name="livraison")
    angry = Label.objects.create(workspace=space_a, name="Colère")
    vip.cases.add(high)
    items, _queries = _listing_queries(owner_api, space_a)
    assert {c["id"]: c["labels"] for c in items} == {high.pk: ["VIP"], done.pk: [], low.pk: []}
    for label in (vip, delivery, angry):
        label.cases.add(low, high, done)
    items, queries_for_three = _listing_queries(owner_api, space_a)
    assert [c["labels"] for c in items] == [["Colère", "livraison", "VIP"]] * 3
    _items, queries_for_one = _listing_queries(owner_api, space_a, limit=1)
    assert queries_for_three == queries_for_one
    detail = owner_api.get(f"/api/workspaces/{space_a.pk}/cases/{high.pk}").json()
    assert detail["labels"] == ["Colère", "livraison", "VIP"]


def test_labelling_through_the_api_is_logged_and_shown(apis, people, space_a, cases):
    _low, high, _done = cases
    vip = Label.objects.create(workspace=space_a, name="VIP")
    path = f"/api/workspaces/{space_a.pk}/cases/{high.pk}/labels/{vip.pk}"
    added = apis["agent"].post(path, {})
    assert added.status_code == 200, added.content
    assert added.json()["labels"] == ["VIP"]
    assert list(vip.cases.all()) == [high]
    removed = apis["agent"].delete(path)
    assert removed.status_code == 200, removed.content
    assert removed.json()["labels"] == []
    events = [(e["verb"], e["data"], e["actor"]["username"]) for e in removed.json()["events"]]
    assert events == [
        ("case.labelled", {"label": "VIP"}, "agent-a"),
        ("case.unlabelled", {"label": "VIP"}, "agent-a"),
    ]
    unknown = f"/api/workspaces/{space_a.pk}/cases/{high.pk}/labels/{vip.pk + 1000}"
    assert apis["agent"].post(unknown, {}).status_code == 404

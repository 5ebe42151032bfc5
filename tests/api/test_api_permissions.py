"""Every role x every action, in its own workspace and in a foreign one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.inbox import builders
from tests.web import factories
from veille.core.models import Event, Role, Workspace
from veille.inbox.models import Label

pytestmark = pytest.mark.django_db

ALL = set(Role.values)
ACTING = {Role.OWNER, Role.MANAGER, Role.AGENT}
EDITORS = {Role.OWNER, Role.MANAGER}


def _targets(space: Workspace) -> dict[str, Any]:
    watch = factories.watch(space, name="Marque", query="azur")
    case = builders.case(space)
    worn = Label.objects.create(workspace=space, name="livraison")
    worn.cases.add(case)
    return {
        "space": space,
        "watch": watch,
        "mention": factories.mention(space, text="Très déçu", watches=(watch,)),
        "case": case,
        "label": Label.objects.create(workspace=space, name="VIP"),
        "worn": worn,
    }


def _read_mentions(api, t) -> Any:
    return api.get(f"/api/workspaces/{t['space'].pk}/mentions")


def _read_watches(api, t) -> Any:
    return api.get(f"/api/workspaces/{t['space'].pk}/watches")


def _read_cases(api, t) -> Any:
    return api.get(f"/api/workspaces/{t['space'].pk}/cases")


def _read_case(api, t) -> Any:
    return api.get(f"/api/workspaces/{t['space'].pk}/cases/{t['case'].pk}")


def _correct(api, t) -> Any:
    path = f"/api/workspaces/{t['space'].pk}/mentions/{t['mention'].pk}/correction"
    return api.post(path, {"sentiment": "negative"})


def _create_watch(api, t) -> Any:
    return api.post(
        f"/api/workspaces/{t['space'].pk}/watches", {"name": "Concurrent", "query": "rival"}
    )


def _patch_watch(api, t) -> Any:
    path = f"/api/workspaces/{t['space'].pk}/watches/{t['watch'].pk}"
    return api.patch(path, {"active": False})


def _case_action(api, t) -> Any:
    path = f"/api/workspaces/{t['space'].pk}/cases/{t['case'].pk}/actions"
    return api.post(path, {"action": "note", "text": "Je m'en occupe"})


def _label(api, t) -> Any:
    return api.post(
        f"/api/workspaces/{t['space'].pk}/cases/{t['case'].pk}/labels/{t['label'].pk}", {}
    )


def _unlabel(api, t) -> Any:
    return api.delete(f"/api/workspaces/{t['space'].pk}/cases/{t['case'].pk}/labels/{t['worn'].pk}")


def _labels_now(t) -> set[str]:
    return set(t["case"].labels.values_list("name", flat=True))


ACTIONS: dict[str, tuple[Callable[..., Any], set[str], int]] = {
    # name: (call, roles allowed, success status)
    "read mentions": (_read_mentions, ALL, 200),
    "read watches": (_read_watches, ALL, 200),
    "read cases": (_read_cases, ALL, 200),
    "read a case": (_read_case, ALL, 200),
    "correct a mention": (_correct, ACTING, 200),
    "create a watch": (_create_watch, EDITORS, 201),
    "patch a watch": (_patch_watch, EDITORS, 200),
    "act on a case": (_case_action, ACTING, 200),
    "label a case": (_label, ACTING, 200),
    "unlabel a case": (_unlabel, ACTING, 200),
}
WRITES = {
    "correct a mention",
    "create a watch",
    "patch a watch",
    "act on a case",
    "label a case",
    "unlabel a case",
}
# What the case's labels are after each labelling action: done, or refused.
LABELS_AFTER = {
    "label a case": ({"livraison", "VIP"}, {"livraison"}),
    "unlabel a case": (set(), {"livraison"}),
}


@pytest.mark.parametrize("role", Role.values)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_own_workspace(apis, space_a, role, action):
    call, allowed, success = ACTIONS[action]
    targets = _targets(space_a)
    events_before = Event.objects.count()
    response = call(apis[role], targets)
    expected = success if role in allowed else 403
    assert response.status_code == expected, response.content
    if action in WRITES:
        logged = Event.objects.count() - events_before
        assert logged == (1 if expected == success else 0)
    if action in LABELS_AFTER:
        done, refused = LABELS_AFTER[action]
        assert _labels_now(targets) == (done if expected == success else refused)


@pytest.mark.parametrize("role", Role.values)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_foreign_workspace_is_404_whatever_the_role(apis, space_b, role, action):
    call, _allowed, _success = ACTIONS[action]
    targets = _targets(space_b)
    response = call(apis[role], targets)
    assert response.status_code == 404
    assert "Brand B" not in response.content.decode()
    assert not Event.objects.filter(workspace=space_b).exists()
    if action in LABELS_AFTER:
        assert _labels_now(targets) == {"livraison"}


def test_a_missing_workspace_reads_like_a_foreign_one(owner_api, space_b):
    unknown = space_b.pk + 1000
    assert owner_api.get(f"/api/workspaces/{unknown}/mentions").status_code == 404
    foreign = owner_api.get(f"/api/workspaces/{space_b.pk}/mentions")
    assert foreign.json() == owner_api.get(f"/api/workspaces/{unknown}/mentions").json()


def test_objects_of_another_workspace_are_404_through_ones_own(owner_api, space_a, space_b):
    theirs = _targets(space_b)
    ours = space_a.pk
    paths = [
        (owner_api.get, f"/api/workspaces/{ours}/cases/{theirs['case'].pk}", None),
        (
            owner_api.post,
            f"/api/workspaces/{ours}/cases/{theirs['case'].pk}/actions",
            {"action": "status", "status": "closed"},
        ),
        (
            owner_api.post,
            f"/api/workspaces/{ours}/mentions/{theirs['mention'].pk}/correction",
            {"sentiment": "positive"},
        ),
        (owner_api.patch, f"/api/workspaces/{ours}/watches/{theirs['watch'].pk}", {"name": "x"}),
        (
            owner_api.post,
            f"/api/workspaces/{ours}/cases/{theirs['case'].pk}/labels/{theirs['label'].pk}",
            {},
        ),
        (
            owner_api.delete,
            f"/api/workspaces/{ours}/cases/{theirs['case'].pk}/labels/{theirs['worn'].pk}",
            None,
        ),
    ]
    for method, path, body in paths:
        response = method(path) if body is None else method(path, body)
        assert response.status_code == 404, path
    assert not Event.objects.exists()
    assert _labels_now(theirs) == {"livraison"}


def test_a_label_of_another_workspace_is_404_on_ones_own_case(owner_api, space_a, space_b):
    ours = _targets(space_a)
    theirs = _targets(space_b)
    base = f"/api/workspaces/{space_a.pk}/cases/{ours['case'].pk}/labels"
    assert owner_api.post(f"{base}/{theirs['label'].pk}", {}).status_code == 404
    assert owner_api.delete(f"{base}/{theirs['worn'].pk}").status_code == 404
    assert _labels_now(ours) == {"livraison"}
    assert _labels_now(theirs) == {"livraison"}
    assert not Event.objects.exists()

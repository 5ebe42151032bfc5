"""The playbook pages: who may read, who may change, and nothing across workspaces."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from tests.web import factories
from veille.alerts.engine import evaluate_playbooks
from veille.alerts.models import AuthorList, Playbook, PlaybookKind
from veille.core.models import Event, Role

pytestmark = pytest.mark.django_db


def _client(space, role: str) -> Client:
    person = factories.user()
    factories.member(person, space, role)
    client = Client()
    client.force_login(person)
    return client


def _triggered(space, name: str = "Bad buzz"):
    watch = factories.watch(space, "<b>Azur</b>")
    factories.mention(
        space,
        watches=(watch,),
        sentiment="negative",
        text="Café <i>froid</i>",
        published_at=timezone.now(),
    )
    playbook = Playbook.objects.create(
        workspace=space, name=name, kind=PlaybookKind.NEGATIVE_BURST, watch=watch, threshold=1
    )
    (alert,) = evaluate_playbooks(space, now=timezone.now())
    return playbook, alert


def test_members_read_the_active_alert_explained_and_escaped(space_a):
    _playbook, alert = _triggered(space_a)
    page = _client(space_a, Role.VIEWER).get("/alerts/").content.decode()
    assert "1 negative mention about « &lt;b&gt;Azur&lt;/b&gt; »" in page
    assert "Café &lt;i&gt;froid&lt;/i&gt;" in page
    assert f"/alerts/{alert.pk}/resolve/" not in page  # viewers get no resolve button
    assert (
        f"/alerts/{alert.pk}/resolve/"
        in _client(space_a, Role.MANAGER).get("/alerts/").content.decode()
    )


def test_viewers_and_agents_cannot_change_playbooks(space_a):
    playbook, alert = _triggered(space_a)
    for role in (Role.VIEWER, Role.AGENT):
        client = _client(space_a, role)
        assert client.get("/alerts/playbooks/new/").status_code == 403
        assert client.post("/alerts/lists/new/", {"name": "x", "entries": "y"}).status_code == 403
        assert client.post(f"/alerts/playbooks/{playbook.pk}/delete/").status_code == 403
        assert client.post(f"/alerts/{alert.pk}/resolve/").status_code == 403
    alert.refresh_from_db()
    assert alert.active and Playbook.objects.filter(pk=playbook.pk).exists()


def test_another_workspaces_playbooks_and_alerts_do_not_exist(space_a, space_b):
    playbook, alert = _triggered(space_a)
    outsider = _client(space_b, Role.OWNER)
    assert outsider.get(f"/alerts/playbooks/{playbook.pk}/").status_code == 404
    assert outsider.post(f"/alerts/{alert.pk}/resolve/").status_code == 404
    assert "Bad buzz" not in outsider.get("/alerts/").content.decode()


def test_a_manager_sets_up_a_watch_list_and_a_playbook_and_resolves(space_a):
    watch = factories.watch(space_a, "Brûlerie Azur")
    manager = _client(space_a, Role.MANAGER)
    response = manager.post(
        "/alerts/lists/new/",
        {"name": "journalistes", "entries": "@jdupont@mastodon.social\n\nlemonde.fr\n"},
    )
    assert response.status_code == 302
    journalists = AuthorList.objects.get(workspace=space_a)
    assert journalists.entry_list() == ["@jdupont@mastodon.social", "lemonde.fr"]

    form = {
        "name": "Presse",
        "kind": "listed_author",
        "watch": watch.pk,
        "author_list": journalists.pk,
        "threshold": 1,
        "window_minutes": 60,
        "notify_roles": ["owner", "manager"],
        "approval": "concerned",
        "show_banner": "on",
        "quiet_minutes": 120,
        "enabled": "on",
    }
    assert manager.post("/alerts/playbooks/new/", form).status_code == 302
    playbook = Playbook.objects.get(name="Presse")
    assert playbook.notify_roles == ["owner", "manager"] and playbook.approval == "concerned"
    verbs = set(Event.objects.filter(workspace=space_a).values_list("verb", flat=True))
    assert {"author_list.created", "playbook.created"} <= verbs

    _other, alert = _triggered(space_a, name="Bad buzz")
    assert manager.post(f"/alerts/{alert.pk}/resolve/").status_code == 302
    alert.refresh_from_db()
    assert not alert.active


def test_a_burst_without_a_watch_is_refused_with_a_clear_error(space_a):
    manager = _client(space_a, Role.MANAGER)
    response = manager.post(
        "/alerts/playbooks/new/",
        {
            "name": "Bad buzz",
            "kind": "negative_burst",
            "threshold": 5,
            "window_minutes": 60,
            "approval": "none",
            "quiet_minutes": 0,
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "A negative burst is counted on one watch: choose it." in page
    assert "Give between 1 minute and 7 days (10080 minutes)." in page
    assert not Playbook.objects.exists()


def test_a_watch_from_another_workspace_cannot_be_chosen(space_a, space_b):
    foreign = factories.watch(space_b, "Brand B")
    manager = _client(space_a, Role.MANAGER)
    response = manager.post(
        "/alerts/playbooks/new/",
        {
            "name": "Bad buzz",
            "kind": "negative_burst",
            "watch": foreign.pk,
            "threshold": 5,
            "window_minutes": 60,
            "approval": "none",
            "quiet_minutes": 60,
        },
    )
    assert response.status_code == 200 and not Playbook.objects.exists()

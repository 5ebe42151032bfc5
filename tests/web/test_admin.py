"""The admin is for superusers and workspace owners, each seeing only what they own."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.web import factories
from veille.core.models import Event, Role, Watch, Workspace

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(space_a: Workspace, space_b: Workspace):
    person = factories.user("owner")
    factories.member(person, space_a, Role.OWNER)
    # Only a viewer in B: the admin must not show B to them.
    factories.member(person, space_b, Role.VIEWER)
    return person


@pytest.fixture
def owner_client(owner) -> Client:
    client = Client()
    client.force_login(owner)
    return client


@pytest.fixture
def watches(space_a: Workspace, space_b: Workspace) -> dict[str, Watch]:
    return {
        "a": factories.watch(space_a, "WATCH-OF-A"),
        "b": factories.watch(space_b, "WATCH-OF-B"),
    }


def test_anonymous_visitors_are_sent_to_the_admin_login() -> None:
    response = Client().get(reverse("admin:index"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


@pytest.mark.parametrize("role", [Role.AGENT, Role.MANAGER, Role.VIEWER])
def test_members_who_own_nothing_are_kept_out(space_a: Workspace, role: str) -> None:
    person = factories.user(is_staff=True)
    factories.member(person, space_a, role)
    client = Client()
    client.force_login(person)
    for url in (reverse("admin:index"), reverse("admin:core_watch_changelist")):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))


def test_the_admin_login_form_refuses_an_agent(agent) -> None:
    client = Client()
    response = client.post(
        reverse("admin:login"),
        {"username": "agent", "password": factories.PASSWORD, "next": reverse("admin:index")},
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_the_admin_login_form_lets_an_owner_in_without_staff_status(owner) -> None:
    assert not owner.is_staff
    client = Client()
    response = client.post(
        reverse("admin:login"),
        {"username": "owner", "password": factories.PASSWORD, "next": reverse("admin:index")},
    )
    assert response.status_code == 302
    assert response.url == reverse("admin:index")
    assert client.get(reverse("admin:index")).status_code == 200


def test_an_owner_sees_only_the_watches_of_their_workspaces(
    owner_client: Client, watches: dict[str, Watch]
) -> None:
    page = owner_client.get(reverse("admin:core_watch_changelist"))
    assert page.status_code == 200
    content = page.content.decode()
    assert "WATCH-OF-A" in content
    assert "WATCH-OF-B" not in content
    assert "Brand B" not in content  # not even in the workspace filter


def test_an_owner_cannot_open_a_foreign_watch(
    owner_client: Client, watches: dict[str, Watch]
) -> None:
    foreign = reverse("admin:core_watch_change", args=[watches["b"].pk])
    response = owner_client.get(foreign)
    assert response.status_code == 302
    assert response.url == reverse("admin:index")
    own = reverse("admin:core_watch_change", args=[watches["a"].pk])
    assert owner_client.get(own).status_code == 200


def test_an_owner_cannot_move_a_watch_into_a_foreign_workspace(
    owner_client: Client, watches: dict[str, Watch], space_b: Workspace
) -> None:
    watch = watches["a"]
    url = reverse("admin:core_watch_change", args=[watch.pk])
    form = {
        "workspace": space_b.pk,
        "name": "renamed",
        "query": watch.query,
        "kind": watch.kind,
        "languages": "[]",
        "active": "on",
        "created_at_0": "2024-01-01",
        "created_at_1": "00:00:00",
    }
    response = owner_client.post(url, form)
    assert response.status_code == 200
    assert "workspace" in response.context["adminform"].form.errors
    watch.refresh_from_db()
    assert (watch.workspace_id, watch.name) == (watches["a"].workspace_id, "WATCH-OF-A")

    response = owner_client.post(url, {**form, "workspace": watch.workspace_id})
    assert response.status_code == 302
    watch.refresh_from_db()
    assert watch.name == "renamed"


def test_an_owner_sees_only_owned_workspaces_and_cannot_add_one(
    owner_client: Client, space_a: Workspace, space_b: Workspace
) -> None:
    content = owner_client.get(reverse("admin:core_workspace_changelist")).content.decode()
    assert "Brand A" in content and "Brand B" not in content
    assert owner_client.get(reverse("admin:core_workspace_add")).status_code == 403


def test_an_owner_does_not_get_the_user_admin(owner_client: Client) -> None:
    assert owner_client.get(reverse("admin:auth_user_changelist")).status_code == 403


def test_mentions_cannot_be_added_and_events_are_read_only(
    owner_client: Client, owner, space_a: Workspace
) -> None:
    assert owner_client.get(reverse("admin:core_mention_add")).status_code == 403
    mention = factories.mention(space_a, title="TOKEN-ADMIN")
    page = owner_client.get(reverse("admin:core_mention_change", args=[mention.pk]))
    assert page.status_code == 200
    event = Event.objects.create(workspace=space_a, actor=owner, verb="case.opened")
    assert owner_client.get(reverse("admin:core_event_add")).status_code == 403
    view = owner_client.get(reverse("admin:core_event_change", args=[event.pk]))
    assert view.status_code == 200
    assert 'name="_save"' not in view.content.decode()
    delete = owner_client.post(reverse("admin:core_event_delete", args=[event.pk]), {"post": "yes"})
    assert delete.status_code == 403
    assert Event.objects.filter(pk=event.pk).exists()


def test_a_superuser_sees_every_workspace(watches: dict[str, Watch]) -> None:
    boss = factories.user("boss", is_superuser=True, is_staff=True)
    client = Client()
    client.force_login(boss)
    content = client.get(reverse("admin:core_watch_changelist")).content.decode()
    assert "WATCH-OF-A" in content and "WATCH-OF-B" in content


@pytest.mark.parametrize(
    "model", ["workspace", "membership", "watch", "source", "author", "mention", "case", "event"]
)
def test_every_changelist_opens_for_an_owner(owner_client: Client, space_a, model: str) -> None:
    factories.mention(space_a, author=factories.author())
    response = owner_client.get(reverse(f"admin:core_{model}_changelist"))
    assert response.status_code == 200

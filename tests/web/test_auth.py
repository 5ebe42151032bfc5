"""Logging in and out, the login requirement, and the workspace switch."""

from __future__ import annotations

import pytest
from django.contrib.auth import SESSION_KEY as AUTH_SESSION_KEY
from django.test import Client
from django.urls import reverse

from tests.web import factories
from veille.core.models import Role
from veille.web.middleware import SESSION_KEY

pytestmark = pytest.mark.django_db


def test_login_with_a_wrong_password_shows_an_error_and_opens_no_session(agent) -> None:
    client = Client()
    response = client.post(
        reverse("login"), {"username": "agent", "password": "wrong"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
    assert AUTH_SESSION_KEY not in client.session


def test_login_redirects_to_the_mentions(agent) -> None:
    client = Client()
    response = client.post(reverse("login"), {"username": "agent", "password": factories.PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("mentions")
    assert client.session[AUTH_SESSION_KEY] == str(agent.pk)


def test_login_follows_a_local_next_but_not_a_foreign_one(agent) -> None:
    client = Client()
    credentials = {"username": "agent", "password": factories.PASSWORD}
    response = client.post(reverse("login"), {**credentials, "next": "/?page=2"})
    assert response.url == "/?page=2"
    client.logout()
    response = client.post(reverse("login"), {**credentials, "next": "https://evil.example/"})
    assert response.url == reverse("mentions")


def test_logout_is_a_post_that_ends_the_session(agent_client: Client) -> None:
    page = agent_client.get(reverse("mentions")).content.decode()
    assert f'action="{reverse("logout")}"' in page
    assert agent_client.get(reverse("logout")).status_code == 405
    response = agent_client.post(reverse("logout"))
    assert response.status_code == 302
    assert response.url == reverse("login")
    assert AUTH_SESSION_KEY not in agent_client.session


def test_logout_refuses_a_post_without_the_csrf_token(agent) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(agent)
    assert client.post(reverse("logout")).status_code == 403
    assert AUTH_SESSION_KEY in client.session


@pytest.mark.parametrize("name", ["mentions"])
def test_anonymous_visitors_are_sent_to_the_login_page(name: str) -> None:
    url = reverse(name)
    response = Client().get(url)
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"


def test_the_workspace_switch_needs_a_login(space_a) -> None:
    response = Client().post(reverse("switch_workspace"), {"workspace": space_a.pk})
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_login_page_is_open_and_offers_no_workspace() -> None:
    response = Client().get(reverse("login"))
    assert response.status_code == 200
    assert 'name="workspace"' not in response.content.decode()


def test_a_user_without_workspace_is_told_so() -> None:
    client = Client()
    client.force_login(factories.user("lonely"))
    response = client.get(reverse("mentions"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "You are not a member of any workspace yet" in response.content.decode()


def test_a_superuser_sees_only_the_workspaces_of_their_memberships(space_a, space_b) -> None:
    boss = factories.user("boss", is_superuser=True, is_staff=True)
    factories.member(boss, space_b, Role.OWNER)
    client = Client()
    client.force_login(boss)
    page = client.get(reverse("mentions")).content.decode()
    assert "Brand B" in page
    assert "Brand A" not in page


def test_switching_workspace_changes_the_current_one(agent, space_a, space_b) -> None:
    factories.member(agent, space_b, Role.VIEWER)
    factories.mention(space_a, title="heard in A")
    factories.mention(space_b, title="heard in B")
    client = Client()
    client.force_login(agent)
    page = client.get(reverse("mentions")).content.decode()
    assert "heard in A" in page and "heard in B" not in page
    assert 'name="workspace"' in page

    response = client.post(
        reverse("switch_workspace"), {"workspace": space_b.pk, "next": "/?language=fr"}
    )
    assert response.status_code == 302
    assert response.url == "/?language=fr"
    assert client.session[SESSION_KEY] == space_b.pk
    page = client.get(reverse("mentions")).content.decode()
    assert "heard in B" in page and "heard in A" not in page


def test_switching_redirects_home_rather_than_to_another_site(agent, space_a) -> None:
    client = Client()
    client.force_login(agent)
    response = client.post(
        reverse("switch_workspace"), {"workspace": space_a.pk, "next": "https://evil.example/"}
    )
    assert response.url == reverse("mentions")


def test_switching_to_a_foreign_workspace_is_refused(
    agent_client: Client, space_a, space_b
) -> None:
    for wanted in (space_b.pk, "not-a-number", ""):
        response = agent_client.post(reverse("switch_workspace"), {"workspace": wanted})
        assert response.status_code == 404
    assert agent_client.session[SESSION_KEY] == space_a.pk


def test_switching_is_post_only(agent_client: Client, space_a) -> None:
    response = agent_client.get(reverse("switch_workspace"), {"workspace": space_a.pk})
    assert response.status_code == 405


def test_a_stale_workspace_in_the_session_falls_back_to_a_member_one(
    agent, space_a, space_b
) -> None:
    client = Client()
    client.force_login(agent)
    session = client.session
    session[SESSION_KEY] = space_b.pk
    session.save()
    factories.mention(space_b, title="secret of B")
    page = client.get(reverse("mentions")).content.decode()
    assert "secret of B" not in page
    assert client.session[SESSION_KEY] == space_a.pk

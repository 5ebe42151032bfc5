from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from veille.core import services
from veille.core.models import Membership, Role, Workspace

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "torréfaction-2026"


def test_initialise_creates_the_owner_and_the_first_workspace():
    user, space = services.initialise(
        username="claire", password=GOOD_PASSWORD, workspace="Brûlerie Azur"
    )
    assert user.is_superuser and user.check_password(GOOD_PASSWORD)
    assert Membership.objects.get(user=user, workspace=space).role == Role.OWNER


def test_initialise_twice_is_refused_and_changes_nothing():
    services.initialise(username="claire", password=GOOD_PASSWORD, workspace="A")
    with pytest.raises(services.VeilleError, match="already initialised"):
        services.initialise(username="other", password=GOOD_PASSWORD, workspace="B")
    assert list(Workspace.objects.values_list("name", flat=True)) == ["A"]
    assert get_user_model().objects.count() == 1


def test_a_weak_password_is_refused_before_anything_is_written():
    with pytest.raises(services.VeilleError, match="password refused"):
        services.initialise(username="claire", password="123", workspace="A")
    assert not Workspace.objects.exists()


def test_unknown_time_zone_and_language_are_refused():
    with pytest.raises(services.VeilleError, match="time zone"):
        services.add_workspace("A", time_zone="Mars/Olympus")
    with pytest.raises(services.VeilleError, match="language"):
        services.add_workspace("A", language="xx")


def test_get_workspace_names_the_known_ones_when_the_name_is_wrong():
    services.add_workspace("Brûlerie Azur")
    services.add_workspace("Nordet")
    with pytest.raises(services.VeilleError, match="known: Brûlerie Azur, Nordet"):
        services.get_workspace("Azur")
    with pytest.raises(services.VeilleError, match="several workspaces"):
        services.get_workspace(None)


def test_add_watch_validates_its_input():
    space = services.add_workspace("A")
    services.add_watch(space, name="Marque", query='"Brûlerie Azur"', languages=["fr"])
    with pytest.raises(services.VeilleError, match="already has a watch"):
        services.add_watch(space, name="Marque", query="azur")
    with pytest.raises(services.VeilleError, match="no term"):
        services.add_watch(space, name="Vide", query=' "" OR , ')
    with pytest.raises(services.VeilleError, match="watch kind"):
        services.add_watch(space, name="X", query="azur", kind="friend")


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("file:///etc/passwd", "scheme"),
        ("ftp://example.com/feed", "scheme"),
        ("http://127.0.0.1/feed", "loopback"),
        ("http://10.1.2.3/feed", "private"),
        ("http://[::1]/feed", "loopback"),
    ],
)
def test_add_source_refuses_unsafe_urls(settings, url: str, reason: str):
    settings.VEILLE_ALLOW_PRIVATE_URLS = False
    space = services.add_workspace("A")
    with pytest.raises(services.VeilleError, match=reason):
        services.add_source(space, url=url)
    assert not space.sources.exists()


def test_add_source_refuses_duplicates_and_short_intervals(settings):
    settings.VEILLE_ALLOW_PRIVATE_URLS = True
    space = services.add_workspace("A")
    services.add_source(space, url="http://127.0.0.1:9/feed.xml")
    with pytest.raises(services.VeilleError, match="already collects"):
        services.add_source(space, url="http://127.0.0.1:9/feed.xml")
    with pytest.raises(services.VeilleError, match="too short"):
        services.add_source(space, url="http://127.0.0.1:9/other.xml", interval=5)

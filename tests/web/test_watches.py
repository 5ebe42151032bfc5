"""The watches page, the editor with its validation, the live check and who may do what."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.web import factories
from veille.core.models import Role, Watch, Workspace

EDITORS = (Role.OWNER, Role.MANAGER)
READERS = (Role.AGENT, Role.VIEWER)
HOSTILE = '<script>alert(1)</script> Brûlerie Azur <img src=x onerror="alert(2)">'


def _client(space: Workspace, role: str) -> Client:
    person = factories.user()
    factories.member(person, space, role)
    client = Client()
    client.force_login(person)
    return client


def _form(**fields: object) -> dict[str, object]:
    data: dict[str, object] = {"name": "Brûlerie", "query": '"Brûlerie Azur"', "kind": "brand"}
    data.update(fields)
    return data


@pytest.mark.django_db
def test_the_list_shows_each_watch_with_its_details_and_mention_count(space_a: Workspace) -> None:
    watch = factories.watch(space_a, "Azur", query="azur", languages=["fr"], kind="competitor")
    factories.watch(space_a, "Idle", query="moka", active=False)
    for _ in range(3):
        factories.mention(space_a, watches=(watch,))
    factories.watch(factories.workspace("Elsewhere"), "Hidden watch", query="x")

    page = _client(space_a, Role.VIEWER).get(reverse("watches"))

    html = page.content.decode()
    assert page.status_code == 200
    assert "Azur" in html and "Idle" in html and "Hidden watch" not in html
    row = html[html.index(f'data-watch="{watch.pk}"') :]
    row = row[: row.index("</tr>")]
    assert ">3</a>" in row and "fr" in row
    assert reverse("watch_create") not in html  # a viewer is not offered to create one


@pytest.mark.django_db
@pytest.mark.parametrize("role", EDITORS)
def test_an_editor_creates_and_edits_a_watch(space_a: Workspace, role: str) -> None:
    client = _client(space_a, role)

    created = client.post(reverse("watch_create"), _form(languages=["fr", "en"], active="on"))

    assert created.status_code == 302
    watch = Watch.objects.get(workspace=space_a, name="Brûlerie")
    assert watch.query == '"Brûlerie Azur"' and watch.languages == ["fr", "en"] and watch.active
    edited = client.post(
        reverse("watch_edit", args=[watch.pk]), _form(name="Azur", query="azur NEAR/3 moka")
    )
    assert edited.status_code == 302
    watch.refresh_from_db()
    assert (watch.name, watch.query, watch.active, watch.languages) == (
        "Azur",
        "azur NEAR/3 moka",
        False,
        [],
    )


@pytest.mark.django_db
def test_a_malformed_query_is_refused_with_its_column_caret_and_hint(
    space_a: Workspace, settings
) -> None:
    settings.LANGUAGE_CODE = "en"  # the page's default is French
    client = _client(space_a, Role.OWNER)

    page = client.post(reverse("watch_create"), _form(query="café AND OR thé"))

    html = page.content.decode()
    assert page.status_code == 400
    assert not Watch.objects.filter(workspace=space_a).exists()
    assert "(column 10)" in html
    assert "café AND OR thé\n" + " " * 9 + "^^</pre>" in html
    assert "put a term between AND and OR" in html


@pytest.mark.django_db
def test_the_error_shows_the_query_escaped(space_a: Workspace) -> None:
    client = _client(space_a, Role.OWNER)

    page = client.post(reverse("watch_create"), _form(query='<b>x</b> AND ("y'))

    html = page.content.decode()
    assert page.status_code == 400
    assert "<b>x</b>" not in html
    assert "&lt;b&gt;x&lt;/b&gt; AND (&quot;y" in html


@pytest.mark.django_db
def test_two_watches_of_a_workspace_cannot_share_a_name(space_a: Workspace) -> None:
    factories.watch(space_a, "Brûlerie")
    page = _client(space_a, Role.MANAGER).post(reverse("watch_create"), _form())
    assert page.status_code == 400
    assert Watch.objects.filter(workspace=space_a).count() == 1


@pytest.mark.django_db
def test_the_check_shows_the_tree_and_previews_matches_with_inert_highlights(
    space_a: Workspace,
) -> None:
    factories.mention(space_a, title="Chez <Brûlerie> Azur", text=HOSTILE)
    factories.mention(space_a, text="Rien à voir")
    factories.mention(factories.workspace("Other"), text="Brûlerie Azur ailleurs")

    page = _client(space_a, Role.VIEWER).get(reverse("watch_check"), {"query": '"brulerie azur"'})

    html = page.content.decode()
    assert page.status_code == 200
    assert "phrase &#x27;brulerie azur&#x27; -&gt; brulerie azur" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; <mark>Brûlerie Azur</mark> &lt;img" in html
    assert "Chez &lt;<mark>Brûlerie&gt; Azur</mark>" in html
    assert "<script>" not in html and "<img" not in html
    assert "Rien à voir" not in html and "ailleurs" not in html


@pytest.mark.django_db
def test_the_check_of_a_malformed_query_returns_the_error_fragment(
    space_a: Workspace, settings
) -> None:
    settings.LANGUAGE_CODE = "en"  # the page's default is French
    page = _client(space_a, Role.AGENT).get(reverse("watch_check"), {"query": "(café <i>"})

    html = page.content.decode()
    assert page.status_code == 200
    assert 'class="query-error"' in html and "column" in html
    assert "(café &lt;i&gt;" in html and "<i>" not in html


@pytest.mark.django_db
def test_the_preview_keeps_the_newest_twenty(space_a: Workspace) -> None:
    for _ in range(25):
        factories.mention(space_a, text="azur")
    html = _client(space_a, Role.OWNER).get(reverse("watch_check"), {"query": "azur"})
    assert html.content.decode().count("<mark>azur</mark>") == 20


@pytest.mark.django_db
@pytest.mark.parametrize("role", [*EDITORS, *READERS])
def test_who_may_do_what(space_a: Workspace, role: str) -> None:
    watch = factories.watch(space_a, "Azur", query="azur")
    client = _client(space_a, role)
    editor = role in EDITORS

    assert client.get(reverse("watches")).status_code == 200
    assert client.get(reverse("watch_check"), {"query": "azur"}).status_code == 200
    assert client.get(reverse("watch_edit", args=[watch.pk])).status_code == 200
    assert client.get(reverse("watch_create")).status_code == (200 if editor else 403)
    created = client.post(reverse("watch_create"), _form(name="New"))
    assert created.status_code == (302 if editor else 403)
    edited = client.post(reverse("watch_edit", args=[watch.pk]), _form(name="Renamed"))
    assert edited.status_code == (302 if editor else 403)
    watch.refresh_from_db()
    assert (watch.name == "Renamed") is editor
    assert Watch.objects.filter(name="New").exists() is editor


@pytest.mark.django_db
def test_a_reader_sees_the_editor_read_only(space_a: Workspace) -> None:
    watch = factories.watch(space_a, "Azur", query="azur")
    html = _client(space_a, Role.VIEWER).get(reverse("watch_edit", args=[watch.pk])).content
    assert b"disabled" in html and b'type="submit" class="primary"' not in html


@pytest.mark.django_db
@pytest.mark.parametrize("role", [*EDITORS, *READERS])
def test_a_watch_of_another_workspace_is_not_found(space_a: Workspace, role: str) -> None:
    foreign = factories.watch(factories.workspace("Foreign"), "Theirs", query="x")
    client = _client(space_a, role)
    assert client.get(reverse("watch_edit", args=[foreign.pk])).status_code == 404
    assert client.post(reverse("watch_edit", args=[foreign.pk]), _form()).status_code == 404
    foreign.refresh_from_db()
    assert foreign.name == "Theirs"


def test_a_stranger_is_sent_to_log_in(client: Client, db: None) -> None:
    for name in ("watches", "watch_create", "watch_check"):
        assert client.get(reverse(name)).status_code == 302

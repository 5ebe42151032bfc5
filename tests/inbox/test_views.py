"""The inbox pages: list, case, actions, permissions, escaping, SLA, queries."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.inbox import builders
from tests.web import factories
from veille.core.models import CaseStatus, Event, Role

pytestmark = pytest.mark.django_db

XSS = '<script>alert(1)</script><img src=x onerror="alert(2)">'


def _client_for(space, role):
    person = factories.user()
    factories.member(person, space, role)
    client = Client()
    client.force_login(person)
    return client, person


def test_the_inbox_lists_active_cases_with_their_reasons(agent_client, space_a):
    shown = builders.case(space_a, "Livrez-vous à Lyon ?")
    builders.case(space_a, "Merci, réglé", status=CaseStatus.CLOSED)
    page = agent_client.get(reverse("inbox"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Livrez-vous à Lyon ?" in html and "Merci, réglé" not in html
    assert reverse("inbox_case", args=[shown.pk]) in html
    assert '<li class="tag">reach 12k</li>' in html
    closed = agent_client.get(reverse("inbox"), {"status": "closed"}).content.decode()
    assert "Merci, réglé" in closed and "Livrez-vous" not in closed


def test_assignee_filters(agent_client, agent, space_a):
    mine = builders.case(space_a, "le mien", assignee=agent)
    builders.case(space_a, "personne")
    me = agent_client.get(reverse("inbox"), {"assignee": "me"}).content.decode()
    free = agent_client.get(reverse("inbox"), {"assignee": "unassigned"}).content.decode()
    assert "le mien" in me and "personne" not in me
    assert "personne" in free and "le mien" not in free
    assert mine.assignee == agent


def test_a_breached_sla_is_shown(agent_client, space_a):
    now = timezone.now()
    builders.case(
        space_a,
        opened_at=now - datetime.timedelta(hours=3),
        due_at=now - datetime.timedelta(hours=1),
    )
    html = agent_client.get(reverse("inbox")).content.decode()
    assert "SLA breached" in html


def test_untrusted_text_is_inert_in_the_list_and_the_case(agent_client, space_a):
    case = builders.case(
        space_a,
        XSS,
        mention={"url": "javascript:alert(3)", "title": XSS},
    )
    case.thread_root.author.display_name = XSS
    case.thread_root.author.save()
    case.triage.reasons = [XSS]
    case.triage.save()
    Event.objects.create(workspace=space_a, case=case, verb="case.note", data={"text": XSS})
    Event.objects.create(
        workspace=space_a, case=case, verb="case.replied", data={"reply_url": "javascript:alert(4)"}
    )
    for url in (reverse("inbox"), reverse("inbox_case", args=[case.pk])):
        html = agent_client.get(url).content.decode()
        assert "<script>alert" not in html
        assert "<img src=x" not in html
        assert "javascript:" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_case_page_shows_the_thread_indented_and_the_history(agent_client, space_a):
    case = builders.case(space_a, "Le post")
    reply = factories.mention(
        space_a, text="Une réponse", parent=case.thread_root, thread_root=case.thread_root
    )
    factories.mention(space_a, text="Sous-réponse", parent=reply, thread_root=case.thread_root)
    case.thread_root.thread_root = case.thread_root
    case.thread_root.save()
    html = agent_client.get(reverse("inbox_case", args=[case.pk])).content.decode()
    assert html.index("Le post") < html.index("Une réponse") < html.index("Sous-réponse")
    assert "depth-1" in html and "depth-2" in html


ACTIONS = [
    ("assign", {"assignee": "me"}),
    ("status", {"status": "closed"}),
    ("replied", {"reply_url": "https://x.example/1"}),
    ("note", {"text": "à voir"}),
]


@pytest.mark.parametrize("role", [Role.OWNER, Role.MANAGER, Role.AGENT])
@pytest.mark.parametrize(("action", "data"), ACTIONS)
def test_acting_roles_may_post_every_action(space_a, role, action, data):
    client, person = _client_for(space_a, role)
    case = builders.case(space_a)
    response = client.post(reverse("inbox_case_action", args=[case.pk, action]), data)
    assert response.status_code == 302
    assert Event.objects.filter(case=case, actor=person).count() == 1


@pytest.mark.parametrize(("action", "data"), ACTIONS)
def test_viewers_get_403_and_change_nothing(space_a, action, data):
    client, _person = _client_for(space_a, Role.VIEWER)
    case = builders.case(space_a)
    assert client.get(reverse("inbox_case", args=[case.pk])).status_code == 200
    response = client.post(reverse("inbox_case_action", args=[case.pk, action]), data)
    assert response.status_code == 403
    assert not Event.objects.filter(case=case).exists()


@pytest.mark.parametrize(("action", "data"), ACTIONS)
def test_a_foreign_workspace_case_does_not_exist(space_a, space_b, action, data):
    client, _person = _client_for(space_b, Role.OWNER)
    case = builders.case(space_a)
    assert client.get(reverse("inbox_case", args=[case.pk])).status_code == 404
    response = client.post(reverse("inbox_case_action", args=[case.pk, action]), data)
    assert response.status_code == 404
    assert "Où est ma commande" not in client.get(reverse("inbox")).content.decode()


def test_anonymous_visitors_are_sent_to_log_in(space_a):
    case = builders.case(space_a)
    response = Client().post(reverse("inbox_case_action", args=[case.pk, "note"]), {"text": "x"})
    assert response.status_code == 302 and "login" in response["Location"]


def test_an_action_with_bad_input_says_why(agent_client, space_a):
    case = builders.case(space_a)
    response = agent_client.post(
        reverse("inbox_case_action", args=[case.pk, "replied"]),
        {"reply_url": "javascript:alert(1)"},
        follow=True,
    )
    assert "must be an http or https URL" in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.NEW


def test_the_list_needs_the_same_queries_for_5_or_30_cases(
    agent_client, space_a, django_assert_max_num_queries
):
    for _ in range(5):
        builders.case(space_a)
    # Labels, saved views, availability and people to assign: a few more, never per case.
    with django_assert_max_num_queries(16) as few:
        agent_client.get(reverse("inbox"))
    for _ in range(25):
        builders.case(space_a, assignee=factories.user())
    with django_assert_max_num_queries(len(few.captured_queries)):
        agent_client.get(reverse("inbox"))


@pytest.mark.parametrize(("role", "offered"), [(Role.AGENT, True), (Role.VIEWER, False)])
def test_the_case_page_offers_to_correct_each_message(space_a, role, offered):
    case = builders.case(space_a, "Colis jamais reçu")
    client, _ = _client_for(space_a, role)
    html = client.get(reverse("inbox_case", args=[case.pk])).content.decode()
    correct_url = reverse("mention_correct", args=[case.thread_root_id])
    assert f'id="correction-{case.thread_root_id}"' in html
    assert (correct_url in html) is offered


def test_the_sentiment_filter_reads_the_message_the_row_shows(agent_client, space_a):
    angry = builders.case(space_a, "Colis perdu, scandale", mention={"sentiment": "negative"})
    builders.case(space_a, "Merci pour tout", mention={"sentiment": "positive"})
    # The root was neutral; the latest message triaged, the one shown, is negative.
    later = builders.case(space_a, "Bonjour", mention={"sentiment": "neutral"})
    later.triage.mention = factories.mention(
        space_a, text="Toujours rien reçu !", sentiment="negative", thread_root=later.thread_root
    )
    later.triage.save()
    # No triaged message: the root's sentiment counts.
    bare = builders.case(space_a, "Sans tri, furieux", mention={"sentiment": "negative"})
    bare.triage.mention = None
    bare.triage.save()
    page = agent_client.get(reverse("inbox"), {"sentiment": "negative"})
    html = page.content.decode()
    assert "Colis perdu" in html and "Toujours rien reçu" in html and "Sans tri" in html
    assert "Merci pour tout" not in html
    assert '<option value="negative" selected>' in html
    assert reverse("inbox_case", args=[angry.pk]) in html
    # An unknown value filters nothing and is not kept.
    every = agent_client.get(reverse("inbox"), {"sentiment": "<furieux>"}).content.decode()
    assert "Merci pour tout" in every and "&lt;furieux&gt;" not in every
    saved = agent_client.post(
        reverse("inbox_view_save"), {"name": "Mécontents", "sentiment": "negative"}
    )
    assert saved["Location"] == reverse("inbox") + "?sentiment=negative"


def test_a_row_shows_its_prepared_values(agent_client, space_a, agent):
    now = timezone.now()
    found = builders.case(
        space_a,
        "x" * 300,
        priority=41.5,
        assignee=agent,
        due_at=now + datetime.timedelta(hours=2),
        mention={"published_at": now - datetime.timedelta(hours=3)},
    )
    html = agent_client.get(reverse("inbox")).content.decode()
    assert '<span data-field="priority">42</span>' in html
    assert "x" * 239 + "…" in html and "x" * 240 not in html
    assert f'<span class="assignee" data-field="assignee">{agent.get_username()}</span>' in html
    assert "3\xa0hours ago" in html
    action = reverse("inbox_case_action", args=[found.pk, "status"])
    assert html.count(f'action="{action}"') == 2
    assert html.count('name="csrfmiddlewaretoken"') >= 3

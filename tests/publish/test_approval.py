"""The approval gate: while a playbook asks for it, an agent's post waits for a manager."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.test import Client
from django.utils import timezone

from tests.publish import builders
from tests.publish.test_publish import TEXT, _mastodon_answers
from tests.web import factories
from veille.alerts.approval import approve_reply, hold_reply, reply_blocked_reason
from veille.alerts.engine import evaluate_playbooks, resolve_alert
from veille.alerts.models import ApprovalScope, PendingReply, Playbook, PlaybookKind, ReplyState
from veille.core.models import CaseStatus, Event, MentionMatch, Role
from veille.inbox import workflow
from veille.publish.service import publish_reply

pytestmark = pytest.mark.django_db


def _crisis(space, case, scope=ApprovalScope.CONCERNED):
    """A negative-burst playbook asking for approval, triggered by the case's message."""
    watch = factories.watch(space, "Brûlerie Azur")
    root = case.thread_root
    root.sentiment = "negative"
    root.save()
    MentionMatch.objects.create(mention=root, watch=watch, terms=["azur"])
    Playbook.objects.create(
        workspace=space,
        name="Bad buzz",
        kind=PlaybookKind.NEGATIVE_BURST,
        watch=watch,
        threshold=1,
        approval=scope,
        notify_roles=[],
    )
    (alert,) = evaluate_playbooks(space, now=timezone.now())
    return alert


def _people(space):
    agent, manager = factories.user(), factories.user()
    factories.member(agent, space, Role.AGENT)
    factories.member(manager, space, Role.MANAGER)
    return agent, manager


def test_an_agents_post_is_held_until_a_manager_approves_it(space_a, platform):
    _mastodon_answers(platform)
    case = builders.mastodon_case(space_a)
    builders.mastodon_account(space_a, platform.base_url)
    agent, manager = _people(space_a)
    _crisis(space_a, case)

    reason = reply_blocked_reason(case, agent)
    assert reason is not None and "« Bad buzz » is active" in reason
    outcome = publish_reply(case, TEXT, agent)

    assert outcome.status == "held" and outcome.pending.state == ReplyState.PENDING
    assert platform.seen == []
    case.refresh_from_db()
    assert case.status == CaseStatus.NEW
    held = Event.objects.get(verb="reply.held")
    assert held.actor == agent and held.case == case and held.data["text"] == TEXT

    agent_client, manager_client = Client(), Client()
    agent_client.force_login(agent)
    manager_client.force_login(manager)
    decide = f"/alerts/replies/{outcome.pending.pk}/approve/"
    assert agent_client.post(decide).status_code == 403
    assert "Replies awaiting approval" in manager_client.get("/alerts/").content.decode()
    assert manager_client.post(decide).status_code == 302

    post = platform.seen[-1]
    assert post.path == "/api/v1/statuses" and post.body["in_reply_to_id"] == "110446223051565765"
    pending = PendingReply.objects.get()
    assert pending.state == ReplyState.APPROVED and pending.decided_by == manager
    assert pending.reply_url == "https://mastodon.social/@brulerieazur/110446300000000001"
    case.refresh_from_db()
    assert case.status == CaseStatus.REPLIED
    replied = Event.objects.get(verb="case.replied")
    assert replied.actor == agent and replied.data["reply_url"] == pending.reply_url
    assert Event.objects.get(verb="reply.published").data["approved_by"] == manager.pk
    assert Event.objects.get(verb="reply.approved").actor == manager


def test_a_failed_post_on_approval_keeps_the_reply_pending_with_the_error(space_a, platform):
    _mastodon_answers(platform)
    platform.answer("POST", "/api/v1/statuses", {"error": "The access token is invalid"}, 401)
    case = builders.mastodon_case(space_a)
    builders.mastodon_account(space_a, platform.base_url)
    agent, manager = _people(space_a)
    _crisis(space_a, case)
    pending = publish_reply(case, TEXT, agent).pending

    client = Client()
    client.force_login(manager)
    page = client.post(f"/alerts/replies/{pending.pk}/approve/", follow=True).content.decode()

    assert "refused the workspace&#x27;s credentials" in page
    pending.refresh_from_db()
    assert pending.state == ReplyState.PENDING and "HTTP 401" in pending.error
    case.refresh_from_db()
    assert case.status == CaseStatus.NEW


def test_a_rejected_reply_never_goes_out(space_a, platform):
    case = builders.mastodon_case(space_a)
    agent, manager = _people(space_a)
    _crisis(space_a, case)
    pending = hold_reply(case, agent, TEXT)
    client = Client()
    client.force_login(manager)
    client.post(f"/alerts/replies/{pending.pk}/reject/", {"reason": "Ton trop léger"})
    pending.refresh_from_db()
    assert pending.state == ReplyState.REJECTED
    assert Event.objects.get(verb="reply.rejected").data["reason"] == "Ton trop léger"
    assert platform.seen == []
    assert client.post(f"/alerts/replies/{pending.pk}/approve/", follow=True).status_code == 200
    pending.refresh_from_db()
    assert pending.state == ReplyState.REJECTED


def test_managers_are_not_held_and_other_cases_go_out_with_scope_concerned(space_a):
    case = builders.mastodon_case(space_a)
    agent, manager = _people(space_a)
    alert = _crisis(space_a, case)
    other = builders.mastodon_case(space_a, copy=1)  # same workspace, not in the alert
    assert reply_blocked_reason(case, manager) is None
    assert reply_blocked_reason(other, agent) is None
    assert reply_blocked_reason(case) is not None

    resolve_alert(alert, manager)
    assert reply_blocked_reason(case, agent) is None


def test_scope_all_holds_every_case_of_the_workspace_but_not_other_workspaces(space_a, space_b):
    case = builders.mastodon_case(space_a)
    agent, _manager = _people(space_a)
    _crisis(space_a, case, scope=ApprovalScope.ALL)
    unrelated = builders.mastodon_case(space_a, copy=1)
    elsewhere = builders.mastodon_case(space_b)
    assert reply_blocked_reason(unrelated, agent) is not None
    assert reply_blocked_reason(elsewhere) is None


def test_the_banner_and_the_button_show_the_crisis_escaped(space_a):
    case = builders.mastodon_case(space_a)
    builders.mastodon_account(space_a, "https://mastodon.example")
    agent, _manager = _people(space_a)
    alert = _crisis(space_a, case)
    alert.explanation = "<script>alert(1)</script> about « Brûlerie Azur »"
    alert.save()
    banner = Template('{% include "alerts/_inbox_banner.html" %}').render(
        Context({"current_workspace": space_a})
    )
    assert "Bad buzz" in banner and "&lt;script&gt;" in banner and "<script>" not in banner
    assert "A manager must approve replies before they go out." in banner
    button = Template('{% include "publish/_publish_button.html" %}').render(
        Context({"case": case, "user": agent})
    )
    assert "Submit for approval" in button and f'formaction="/publish/case/{case.pk}/"' in button
    client = Client()
    client.force_login(agent)
    page = client.get(f"/inbox/{case.pk}/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; about" in page
    assert "<script>alert(1)" not in page


def test_where_veille_cannot_post_an_approved_reply_lets_the_agent_mark_replied_once(space_a):
    case = builders.mastodon_case(space_a)
    case.thread_root.source.kind = "feed"
    case.thread_root.source.save()
    agent, manager = _people(space_a)
    _crisis(space_a, case)
    with pytest.raises(ValueError, match="A manager must approve replies on this case"):
        workflow.mark_replied(case, agent, "https://blog.example/comment-1", text=TEXT)

    pending = hold_reply(case, agent, TEXT)
    approved = approve_reply(pending, manager)
    assert approved.state == ReplyState.APPROVED and approved.reply_url == ""

    workflow.mark_replied(case, agent, "https://blog.example/comment-1", text=TEXT)
    case.refresh_from_db()
    assert case.status == CaseStatus.REPLIED
    with pytest.raises(ValueError, match="A manager must approve"):
        workflow.mark_replied(case, agent, "https://blog.example/comment-2", text="Encore")
    workflow.mark_replied(case, manager, "https://blog.example/comment-3", text="Merci")

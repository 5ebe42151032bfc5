"""Playbooks evaluated after a batch: one alert per episode, explained, mailed, audited."""

from __future__ import annotations

import datetime
from datetime import UTC
from email.header import decode_header, make_header

import pytest
from django.core.exceptions import PermissionDenied

from tests.support.smtp import Mailbox, free_port
from tests.web import factories
from veille.alerts.engine import evaluate_playbooks, resolve_alert
from veille.alerts.models import Alert, AuthorList, Playbook, PlaybookKind
from veille.core.models import Event, Mention, Role

pytestmark = pytest.mark.django_db

# 14:00 in Paris (UTC+1 in March).
NOON = datetime.datetime(2026, 3, 10, 13, 0, tzinfo=UTC)


def _people(space):
    owner = factories.user(email="owner@azur.example")
    manager = factories.user(email="manager@azur.example")
    agent = factories.user(email="agent@azur.example")
    factories.member(owner, space, Role.OWNER)
    factories.member(manager, space, Role.MANAGER)
    factories.member(agent, space, Role.AGENT)
    return owner, manager, agent


def _burst_playbook(space, watch, **fields) -> Playbook:
    fields.setdefault("threshold", 5)
    fields.setdefault("window_minutes", 60)
    return Playbook.objects.create(
        workspace=space, name="Bad buzz", kind=PlaybookKind.NEGATIVE_BURST, watch=watch, **fields
    )


def _negative(space, watch, minute: int, **fields) -> Mention:
    fields.setdefault("sentiment", "negative")
    return factories.mention(
        space,
        watches=(watch,),
        published_at=NOON + datetime.timedelta(minutes=minute),
        **fields,
    )


def test_a_negative_burst_alerts_once_with_an_explanation_and_an_email(
    space_a, smtp: Mailbox, settings
):
    settings.VEILLE_PUBLIC_URL = "https://veille.example.org/"
    _people(space_a)
    watch = factories.watch(space_a, "Brûlerie Azur")
    playbook = _burst_playbook(space_a, watch)
    other = factories.watch(space_a, "Concurrent")
    for minute in (2, 10, 20, 30):
        _negative(space_a, watch, minute)
    _negative(space_a, other, 15)  # another watch
    _negative(space_a, watch, 25, sentiment="positive")
    assert evaluate_playbooks(space_a, now=NOON + datetime.timedelta(minutes=45)) == []

    _negative(space_a, watch, 41, title="Café froid et serveur désagréable")
    (alert,) = evaluate_playbooks(space_a, now=NOON + datetime.timedelta(minutes=45))

    assert alert.explanation == (
        "5 negative mentions about « Brûlerie Azur » between 14:02 and 14:41"
        " (threshold 5 per 60 min)"
    )
    assert len(alert.mention_ids) == 5 and alert.active
    (message,) = smtp.messages
    assert message["To"] == "manager@azur.example, owner@azur.example"
    subject = str(make_header(decode_header(message["Subject"])))
    assert subject == f"[veille] {space_a.name}: Bad buzz"
    body = message.get_payload(decode=True).decode()
    assert alert.explanation in body and "Café froid et serveur désagréable" in body
    assert Mention.objects.get(pk=alert.mention_ids[-1]).url in body
    assert "https://veille.example.org/alerts/" in body
    verbs = list(Event.objects.filter(workspace=space_a).values_list("verb", flat=True))
    assert sorted(verbs) == ["alert.notified", "alert.triggered"]

    # Still going: the episode grows, nobody is mailed again.
    _negative(space_a, watch, 50)
    _negative(space_a, watch, 55)
    assert evaluate_playbooks(space_a, now=NOON + datetime.timedelta(minutes=58)) == []
    alert.refresh_from_db()
    assert len(alert.mention_ids) == 7
    assert len(smtp.messages) == 1 and playbook.alerts.count() == 1


def test_an_alert_ends_after_the_quiet_period_and_old_mentions_do_not_start_a_new_one(space_a):
    watch = factories.watch(space_a, "Brûlerie Azur")
    _burst_playbook(space_a, watch, quiet_minutes=30, window_minutes=120)
    for minute in range(5):
        _negative(space_a, watch, minute)
    (alert,) = evaluate_playbooks(space_a, now=NOON + datetime.timedelta(minutes=10))

    evaluate_playbooks(space_a, now=NOON + datetime.timedelta(minutes=30))
    alert.refresh_from_db()
    assert alert.active
    evaluate_playbooks(space_a, now=NOON + datetime.timedelta(minutes=41))
    alert.refresh_from_db()
    assert alert.resolved_at == NOON + datetime.timedelta(minutes=41)
    assert alert.resolved_by is None
    ended = Event.objects.get(verb="alert.resolved")
    assert ended.data["automatic"] is True and ended.actor is None

    # The same five mentions are still in the window: they do not start a new episode.
    assert evaluate_playbooks(space_a, now=NOON + datetime.timedelta(minutes=45)) == []
    for minute in range(50, 55):
        _negative(space_a, watch, minute)
    (second,) = evaluate_playbooks(space_a, now=NOON + datetime.timedelta(minutes=56))
    assert len(second.mention_ids) == 5


def test_managers_resolve_alerts_and_agents_cannot(space_a):
    _owner, manager, agent = _people(space_a)
    watch = factories.watch(space_a, "Brûlerie Azur")
    _burst_playbook(space_a, watch, threshold=1)
    _negative(space_a, watch, 1)
    (alert,) = evaluate_playbooks(space_a, now=NOON + datetime.timedelta(minutes=5))
    with pytest.raises(PermissionDenied, match="owners and managers"):
        resolve_alert(alert, agent)
    resolve_alert(alert, manager)
    alert.refresh_from_db()
    assert alert.resolved_by == manager and not alert.active
    event = Event.objects.get(verb="alert.resolved")
    assert event.actor == manager and event.data["automatic"] is False
    with pytest.raises(ValueError, match="already resolved"):
        resolve_alert(alert, manager)


def test_a_listed_author_alerts_by_handle_name_or_site(space_a, smtp: Mailbox):
    _people(space_a)
    journalists = AuthorList.objects.create(
        workspace=space_a,
        name="journalistes",
        entries="@jdupont@mastodon.social\nClaire  Martin\nlemonde.fr",
    )
    Playbook.objects.create(
        workspace=space_a,
        name="Presse",
        kind=PlaybookKind.LISTED_AUTHOR,
        author_list=journalists,
        window_minutes=60,
        notify_roles=[Role.AGENT],
    )
    collected = NOON - datetime.timedelta(minutes=5)
    stranger = factories.author(handle="someone@mastodon.social", display_name="Someone")
    factories.mention(space_a, author=stranger, collected_at=collected)
    assert evaluate_playbooks(space_a, now=NOON) == []

    by_handle = factories.author(handle="JDupont@mastodon.social", display_name="J. Dupont")
    by_name = factories.author(handle="cmartin.bsky.social", display_name="Claire Martin")
    factories.mention(space_a, author=by_handle, collected_at=collected)
    factories.mention(space_a, author=by_name, collected_at=collected)
    factories.mention(
        space_a,
        author=stranger,
        url="https://www.lemonde.fr/economie/article/2026/03/10/cafe.html",
        collected_at=collected,
    )
    factories.mention(space_a, url="https://notlemonde.fr/x", collected_at=collected)
    (alert,) = evaluate_playbooks(space_a, now=NOON)

    assert len(alert.mention_ids) == 3
    assert alert.explanation.startswith("3 mentions by ")
    assert "J. Dupont" in alert.explanation and "Claire Martin" in alert.explanation
    assert alert.explanation.endswith("on the list « journalistes »")
    (message,) = smtp.messages
    assert message["To"] == "agent@azur.example"


def test_a_volume_spike_alerts_on_the_current_hour(space_a):
    space_a.time_zone = "UTC"
    space_a.save()
    source = factories.source(space_a)
    usual = [
        Mention(
            workspace=space_a,
            source=source,
            external_id=f"usual-{hour}-{n}",
            published_at=NOON - datetime.timedelta(hours=hour, minutes=10 + n),
        )
        for hour in range(1, 7 * 24)
        for n in range(2)
    ]
    Mention.objects.bulk_create(usual)
    Playbook.objects.create(
        workspace=space_a, name="Pic", kind=PlaybookKind.VOLUME_SPIKE, threshold=4
    )
    now = NOON + datetime.timedelta(minutes=40)
    for n in range(3):
        factories.mention(space_a, feed=source, published_at=NOON + datetime.timedelta(minutes=n))
    assert evaluate_playbooks(space_a, now=now) == []

    for n in range(20):
        factories.mention(space_a, feed=source, published_at=NOON + datetime.timedelta(minutes=n))
    (alert,) = evaluate_playbooks(space_a, now=now)
    assert alert.explanation == (
        f"23 mentions about « {space_a.name} » since 13:00, against 2 in a usual hour"
        " (median of the last 7 days)"
    )


def test_a_mail_server_down_keeps_the_alert_and_records_the_failure(space_a, settings):
    _people(space_a)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    settings.EMAIL_TIMEOUT = 2
    watch = factories.watch(space_a, "Brûlerie Azur")
    _burst_playbook(space_a, watch, threshold=1)
    _negative(space_a, watch, 1)

    (alert,) = evaluate_playbooks(space_a, now=NOON + datetime.timedelta(minutes=5))

    alert.refresh_from_db()
    assert alert.notified == [] and "ConnectionRefusedError" in alert.notify_error
    failed = Event.objects.get(verb="alert.notify_failed")
    assert failed.data["recipients"] == ["manager@azur.example", "owner@azur.example"]
    assert Alert.objects.count() == 1

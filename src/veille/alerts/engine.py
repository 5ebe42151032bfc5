"""Evaluate a workspace's playbooks after each pipeline batch: trigger, grow, end alerts.

A playbook raises at most one alert at a time (an episode). While the alert is active,
new matching mentions join it without a new notification; it ends when an owner or a
manager resolves it, or by itself once no matching mention came for the quiet period.
A new episode needs new mentions: those of earlier episodes are not counted again.
"""

from __future__ import annotations

import logging
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import BigIntegerField, Count, Func, Max, QuerySet
from django.db.models.functions import TruncHour
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from veille.alerts.models import Alert, Playbook, PlaybookKind
from veille.core.models import Event, Membership, Mention, Role, Sentiment, Workspace
from veille.inbox import workflow
from veille.insights.volume import Tally, spikes

logger = logging.getLogger(__name__)

# How far back earlier episodes are looked at, so that their mentions are not counted twice.
EARLIER_EPISODES = 50
SPIKE_HISTORY = timedelta(days=7)
MENTIONS_IN_MAIL = 10
RESCAN_MARGIN = 1000


class HourNumber(Func):
    """Hours since the epoch of a datetime, computed by the database itself: far faster
    than TruncHour on SQLite, which calls back into Python for every row."""

    output_field = BigIntegerField()
    vendors = frozenset({"sqlite", "postgresql"})

    def as_sqlite(self, compiler, connection, **extra):  # type: ignore[no-untyped-def]
        template = "CAST(strftime('%%%%s', %(expressions)s) AS INTEGER) / 3600"
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_postgresql(self, compiler, connection, **extra):  # type: ignore[no-untyped-def]
        template = "CAST(FLOOR(EXTRACT(EPOCH FROM %(expressions)s) / 3600) AS BIGINT)"
        return self.as_sql(compiler, connection, template=template, **extra)


@dataclass(slots=True)
class Finding:
    """What a playbook's condition found: the mentions, and whether that is enough."""

    mentions: list[Mention] = field(default_factory=list)
    triggers: bool = False
    explanation: str = ""


def _zone(workspace: Workspace) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(workspace.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def _clock(moment: datetime, zone: zoneinfo.ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%H:%M")


def _already_alerted(playbook: Playbook) -> set[int]:
    seen: set[int] = set()
    for ids in playbook.alerts.order_by("-started_at").values_list("mention_ids", flat=True)[
        :EARLIER_EPISODES
    ]:
        seen.update(ids or ())
    return seen


def _of_watch(mentions: QuerySet[Mention], playbook: Playbook) -> QuerySet[Mention]:
    if playbook.watch_id:
        mentions = mentions.filter(matches__watch_id=playbook.watch_id)
    return mentions


def _negative_burst(playbook: Playbook, now: datetime, seen: set[int]) -> Finding:
    start = now - timedelta(minutes=playbook.window_minutes)
    found = [
        mention
        for mention in _of_watch(
            Mention.objects.filter(
                workspace_id=playbook.workspace_id,
                sentiment=Sentiment.NEGATIVE,
                published_at__gte=start,
                published_at__lte=now,
            ),
            playbook,
        ).order_by("published_at", "id")
        if mention.pk not in seen
    ]
    if not found:
        return Finding()
    zone = _zone(playbook.workspace)
    about = playbook.watch.name if playbook.watch else playbook.workspace.name
    explanation = ngettext(
        "%(count)d negative mention about « %(watch)s » between %(first)s and %(last)s"
        " (threshold %(threshold)d per %(window)d min)",
        "%(count)d negative mentions about « %(watch)s » between %(first)s and %(last)s"
        " (threshold %(threshold)d per %(window)d min)",
        len(found),
    ) % {
        "count": len(found),
        "watch": about,
        "first": _clock(found[0].published_at, zone),
        "last": _clock(found[-1].published_at, zone),
        "threshold": playbook.threshold,
        "window": playbook.window_minutes,
    }
    return Finding(found, len(found) >= max(1, playbook.threshold), explanation)


def _listed_author(playbook: Playbook, now: datetime, seen: set[int]) -> Finding:
    if playbook.author_list is None:
        return Finding()
    start = now - timedelta(minutes=playbook.window_minutes)
    newest = Mention.objects.filter(workspace_id=playbook.workspace_id).aggregate(top=Max("pk"))
    # Only mentions stored since the last check, give or take a margin for transactions
    # that committed late (parallel workers): the ids of earlier alerts are left out anyway.
    candidates = _of_watch(
        Mention.objects.filter(
            workspace_id=playbook.workspace_id,
            pk__gt=max(0, playbook.scanned_up_to - RESCAN_MARGIN),
            collected_at__gte=start,
            collected_at__lte=now,
        ),
        playbook,
    ).select_related("author")
    Playbook.objects.filter(pk=playbook.pk).update(scanned_up_to=newest["top"] or 0)
    matcher = playbook.author_list.matcher()
    found: list[Mention] = []
    names: list[str] = []
    for mention in candidates.order_by("published_at", "id"):
        if mention.pk in seen:
            continue
        entry = matcher.match(mention.author, mention.url)
        if entry is not None:
            found.append(mention)
            who = str(mention.author) if mention.author else entry
            if who not in names:
                names.append(who)
    if not found:
        return Finding()
    values = {
        "count": len(found),
        "authors": ", ".join(names[:5]),
        "list": playbook.author_list.name,
    }
    if playbook.watch:
        values["watch"] = playbook.watch.name
        explanation = ngettext(
            "%(count)d mention about « %(watch)s » by %(authors)s, on the list « %(list)s »",
            "%(count)d mentions about « %(watch)s » by %(authors)s, on the list « %(list)s »",
            len(found),
        )
    else:
        explanation = ngettext(
            "%(count)d mention by %(authors)s, on the list « %(list)s »",
            "%(count)d mentions by %(authors)s, on the list « %(list)s »",
            len(found),
        )
    return Finding(found, True, explanation % values)


def _hourly_counts(mentions: QuerySet[Mention]) -> dict[datetime, int]:
    """Mentions per hour (UTC hours, keyed by their start), counted in the database."""
    if connection.vendor not in HourNumber.vendors:
        rows = (
            mentions.annotate(hour=TruncHour("published_at", tzinfo=UTC))
            .values("hour")
            .annotate(n=Count("id", distinct=True))
            .order_by()
        )
        return {row["hour"]: row["n"] for row in rows}
    rows = (
        mentions.annotate(hour=HourNumber("published_at"))
        .values("hour")
        .annotate(n=Count("id", distinct=True))
        .order_by()
    )
    return {datetime.fromtimestamp(row["hour"] * 3600, UTC): row["n"] for row in rows}


def _volume_spike(playbook: Playbook, now: datetime, seen: set[int]) -> Finding:
    """The current hour's volume against the last week's hours (insights' spike detector)."""
    zone = _zone(playbook.workspace)
    current = now.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    start = current - SPIKE_HISTORY
    mentions = _of_watch(
        Mention.objects.filter(
            workspace_id=playbook.workspace_id, published_at__gte=start, published_at__lte=now
        ),
        playbook,
    )
    counts = _hourly_counts(mentions)
    steps = int(SPIKE_HISTORY / timedelta(hours=1))
    hours = [start + timedelta(hours=step) for step in range(steps + 1)]
    series = [(hour, Tally(counts.get(hour, 0), 0, 0)) for hour in hours]
    if current not in spikes(series, threshold=float(playbook.threshold)):
        return Finding()
    found = [
        mention
        for mention in mentions.filter(published_at__gte=current).order_by("published_at", "id")
        if mention.pk not in seen
    ]
    if not found:
        return Finding()
    usual = sorted(tally.mentions for _, tally in series[:-1])
    about = playbook.watch.name if playbook.watch else playbook.workspace.name
    count = counts.get(current, len(found))
    explanation = ngettext(
        "%(count)d mention about « %(watch)s » since %(hour)s, against %(usual)d in a usual"
        " hour (median of the last 7 days)",
        "%(count)d mentions about « %(watch)s » since %(hour)s, against %(usual)d in a usual"
        " hour (median of the last 7 days)",
        count,
    ) % {
        "count": count,
        "watch": about,
        "hour": _clock(current, zone),
        "usual": usual[len(usual) // 2],
    }
    return Finding(found, True, explanation)


CONDITIONS: dict[str, Callable[[Playbook, datetime, set[int]], Finding]] = {
    PlaybookKind.NEGATIVE_BURST: _negative_burst,
    PlaybookKind.LISTED_AUTHOR: _listed_author,
    PlaybookKind.VOLUME_SPIKE: _volume_spike,
}


def _log(alert: Alert, verb: str, actor: AbstractBaseUser | None = None, **data: object) -> None:
    Event.objects.create(
        workspace_id=alert.workspace_id,
        actor=actor,
        verb=verb,
        mention_id=alert.mention_ids[0] if alert.mention_ids else None,
        data={
            "alert": alert.pk,
            "playbook": alert.playbook_id,
            "playbook_name": alert.playbook.name,
            **data,
        },
    )


def recipients(playbook: Playbook) -> list[str]:
    """E-mail addresses of the workspace's members who have one of the playbook's roles."""
    roles = [role for role in playbook.notify_roles or () if role in Role.values]
    emails = (
        Membership.objects.filter(
            workspace_id=playbook.workspace_id, role__in=roles, user__is_active=True
        )
        .exclude(user__email="")
        .order_by("user__email")
        .values_list("user__email", flat=True)
    )
    return list(dict.fromkeys(emails))


def _mail_body(alert: Alert, mentions: list[Mention]) -> str:
    lines = [alert.explanation, ""]
    for mention in mentions[:MENTIONS_IN_MAIL]:
        snippet = " ".join((mention.title or mention.text).split())[:140]
        lines.append(f"- {snippet}")
        if mention.url:
            lines.append(f"  {mention.url}")
    if len(mentions) > MENTIONS_IN_MAIL:
        lines.append(_("… and %(count)d more.") % {"count": len(mentions) - MENTIONS_IN_MAIL})
    base = str(settings.VEILLE_PUBLIC_URL).rstrip("/")
    if base:
        lines += ["", _("Details and resolution: %(url)s") % {"url": f"{base}/alerts/"}]
    return "\n".join(lines)


def notify(alert: Alert, mentions: list[Mention]) -> None:
    """E-mail the playbook's roles once; a mail failure is kept and logged, not raised."""
    playbook = alert.playbook
    to = recipients(playbook)
    if not to:
        return
    subject = _("[veille] %(workspace)s: %(playbook)s") % {
        "workspace": alert.workspace.name,
        "playbook": playbook.name,
    }
    try:
        send_mail(subject, _mail_body(alert, mentions), None, to)
    except Exception as error:  # a mail server down must not stop the pipeline
        logger.warning("alert %s: mail to %s failed: %s", alert.pk, to, error)
        alert.notify_error = f"{type(error).__name__}: {error}"
        alert.save(update_fields=["notify_error"])
        _log(alert, "alert.notify_failed", recipients=to, error=alert.notify_error)
        return
    alert.notified = to
    alert.save(update_fields=["notified"])
    _log(alert, "alert.notified", recipients=to)


def _trigger(playbook: Playbook, finding: Finding, now: datetime) -> Alert:
    alert = Alert.objects.create(
        workspace_id=playbook.workspace_id,
        playbook=playbook,
        explanation=finding.explanation,
        mention_ids=[mention.pk for mention in finding.mentions],
        started_at=now,
        last_seen_at=now,
    )
    _log(alert, "alert.triggered", explanation=alert.explanation, mentions=alert.mention_ids)
    return alert


def _grow(alert: Alert, finding: Finding, now: datetime) -> None:
    known = set(alert.mention_ids)
    alert.mention_ids = alert.mention_ids + [m.pk for m in finding.mentions if m.pk not in known]
    alert.last_seen_at = now
    alert.save(update_fields=["mention_ids", "last_seen_at"])


def _end(alert: Alert, now: datetime, actor: AbstractBaseUser | None) -> None:
    alert.resolved_at = now
    alert.resolved_by = actor
    alert.save(update_fields=["resolved_at", "resolved_by"])
    _log(alert, "alert.resolved", actor, automatic=actor is None)


def evaluate_playbooks(workspace: Workspace, now: datetime | None = None) -> list[Alert]:
    """Check every enabled playbook of the workspace; return the alerts that started now."""
    now = now or timezone.now()
    started: list[Alert] = []
    to_notify: list[tuple[Alert, list[Mention]]] = []
    playbooks = Playbook.objects.filter(workspace=workspace, enabled=True).select_related(
        "workspace", "watch", "author_list"
    )
    with translation.override(workspace.default_language or settings.LANGUAGE_CODE):
        for playbook in playbooks:
            with transaction.atomic():
                active = playbook.alerts.filter(resolved_at__isnull=True).first()
                finding = CONDITIONS[playbook.kind](playbook, now, _already_alerted(playbook))
                if active is not None:
                    if finding.mentions:
                        _grow(active, finding, now)
                    elif now - active.last_seen_at >= timedelta(minutes=playbook.quiet_minutes):
                        _end(active, now, None)
                    continue
                if finding.triggers:
                    alert = _trigger(playbook, finding, now)
                    started.append(alert)
                    to_notify.append((alert, finding.mentions))
        for alert, mentions in to_notify:
            notify(alert, mentions)
    return started


def resolve_alert(alert: Alert, user: AbstractBaseUser) -> Alert:
    """An owner or a manager ends the episode; replies go out freely again."""
    if not workflow.may_manage(user, alert.workspace):
        raise PermissionDenied(_("Only owners and managers can resolve an alert."))
    with transaction.atomic():
        alert = Alert.objects.select_for_update().select_related("playbook").get(pk=alert.pk)
        if alert.resolved_at is not None:
            raise ValueError(_("This alert is already resolved."))
        _end(alert, timezone.now(), user)
    return alert


def active_alerts(workspace: Workspace) -> QuerySet[Alert]:
    return Alert.objects.filter(workspace=workspace, resolved_at__isnull=True).select_related(
        "playbook"
    )

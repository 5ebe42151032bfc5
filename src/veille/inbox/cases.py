"""From stored mentions to cases: one case per conversation thread that may deserve an answer.

A thread opens a case when someone other than the brand speaks in it and the thread
concerns the workspace: a message matched a watch, or the conversation lives on one of
the brand's own channels (comments under its posts). A new message from someone else
reopens a case that was replied to, ignored or closed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from veille.core.models import (
    Author,
    Case,
    CaseStatus,
    Event,
    MediaCategory,
    Mention,
    MentionKind,
    MentionMatch,
    WatchKind,
    Workspace,
)
from veille.inbox.models import CaseTriage, brand_handles, first_response_due
from veille.inbox.priority import Signals, priority

# Statuses where the team is done with a case, until someone speaks again.
HANDLED = (CaseStatus.REPLIED, CaseStatus.CLOSED, CaseStatus.IGNORED)
GROWTH_WINDOW = timedelta(hours=2)


def brand_author_ids(workspace: Workspace) -> set[int]:
    """The brand's authors: its handles in the inbox settings, and who writes its own posts.

    Their replies are the brand answering.
    """
    owned = set(
        Mention.objects.filter(
            workspace=workspace,
            media_category=MediaCategory.OWNED,
            kind=MentionKind.POST,
            author__isnull=False,
        )
        .values_list("author_id", flat=True)
        .distinct()
    )
    handles = brand_handles(workspace)
    if not handles:
        return owned
    wanted = Q(pk__in=[])
    for platform, handle in handles:
        same = Q(handle__iexact=handle) | Q(handle__iexact=f"@{handle}")
        if "@" not in handle:  # a Mastodon user name on any server: name@server
            same |= Q(handle__istartswith=f"{handle}@") | Q(handle__istartswith=f"@{handle}@")
        if platform:
            # "mastodon" names the kind of source; an author's platform is its server.
            same &= Q(platform__iexact=platform) | Q(
                mentions__workspace=workspace, mentions__source__kind__iexact=platform
            )
        wanted |= same
    return owned | set(Author.objects.filter(wanted).values_list("pk", flat=True).distinct())


def written_by_brand(mention: Mention, brand_authors: set[int]) -> bool:
    if mention.media_category == MediaCategory.OWNED and mention.kind == MentionKind.POST:
        return True
    return mention.author_id is not None and mention.author_id in brand_authors


def open_cases(workspace: Workspace, mention_ids: Iterable[int]) -> list[Case]:
    """Open or reopen the cases of the threads these newly stored mentions belong to.

    Returns the cases that were created, reopened or re-scored.
    """
    ids = list(mention_ids)
    if not ids:
        return []
    mentions = list(
        Mention.objects.filter(workspace=workspace, pk__in=ids).annotate(
            matched=Exists(MentionMatch.objects.filter(mention=OuterRef("pk")))
        )
    )
    brand = brand_author_ids(workspace)
    by_root: dict[int, list[Mention]] = defaultdict(list)
    answers: list[Mention] = []
    for mention in mentions:
        if not written_by_brand(mention, brand):
            by_root[mention.thread_root_id or mention.pk].append(mention)
        elif mention.parent_id is not None:
            answers.append(mention)
    if not by_root:
        _record_brand_answers(answers, brand)
        return []
    roots = Mention.objects.in_bulk(list(by_root))
    now = timezone.now()
    touched = []
    fresh: list[tuple[Case, Mention]] = []  # opened or reopened, for the rules
    for root_id, voices in by_root.items():
        root = roots.get(root_id)
        if root is None:
            continue
        case = _case_of_thread(root)
        latest = max(voices, key=lambda m: (m.published_at, m.pk))
        if case is None:
            concerns_us = root.media_category == MediaCategory.OWNED or any(
                m.matched or m.media_category == MediaCategory.OWNED for m in voices
            )
            if not concerns_us:
                continue
            opened = min(latest.published_at, latest.collected_at)
            case = Case.objects.create(
                workspace=workspace,
                thread_root=root,
                status=CaseStatus.NEW,
                opened_at=opened,
                due_at=first_response_due(workspace, opened),
            )
            Event.objects.create(workspace=workspace, verb="case.opened", case=case, mention=latest)
            fresh.append((case, latest))
        elif case.status in HANDLED and latest.published_at > _last_handled(case):
            previous = case.status
            case.status = CaseStatus.OPEN
            case.save(update_fields=["status"])
            Event.objects.create(
                workspace=workspace,
                verb="case.reopened",
                case=case,
                mention=latest,
                data={"from": previous, "to": CaseStatus.OPEN},
            )
            fresh.append((case, latest))
        refresh_priority(case, brand_authors=brand, now=now)
        touched.append(case)
    _record_brand_answers(answers, brand)
    if fresh:
        # Imported here: rules use the workflow, which the pipeline need not load otherwise.
        from veille.inbox.rules import apply_rules

        apply_rules(workspace, fresh)
    return touched


def _record_brand_answers(answers: list[Mention], brand: set[int]) -> None:
    """A reply by the brand, collected from the thread itself, answers its case.

    The team often answers on the platform directly: the collected answer marks the case
    replied, with the answer's time as the first response, unless someone spoke after it.
    """
    for answer in sorted(answers, key=lambda m: (m.published_at, m.pk)):
        case = Case.objects.filter(thread_root_id=answer.thread_root_id).first()
        if case is None or case.status in HANDLED or answer.published_at < case.opened_at:
            continue
        later_voice = any(
            m.published_at > answer.published_at and not written_by_brand(m, brand)
            for m in thread_mentions(case.thread_root)
        )
        if later_voice:
            continue
        case.status = CaseStatus.REPLIED
        fields = ["status"]
        if case.first_response_at is None:
            case.first_response_at = answer.published_at
            fields.append("first_response_at")
        case.save(update_fields=fields)
        Event.objects.create(
            workspace=case.workspace,
            verb="case.replied",
            case=case,
            mention=answer,
            data={"collected": True, "url": answer.url},
        )


def _case_of_thread(root: Mention) -> Case | None:
    """The thread's case, moved onto the root if it was opened before the root was stored.

    A reply collected before its parent starts as its own thread; once store links the
    parent, the thread has a new root and the case follows it.
    """
    found = (
        Case.objects.filter(Q(thread_root=root) | Q(thread_root__thread_root=root))
        .order_by("opened_at", "pk")
        .first()
    )
    if found is not None and found.thread_root_id != root.pk:
        if Case.objects.filter(thread_root=root).exists():
            return Case.objects.get(thread_root=root)
        found.thread_root = root
        found.save(update_fields=["thread_root"])
    return found


def _last_handled(case: Case) -> datetime:
    """When the team last closed the matter: older messages (a backfill) reopen nothing."""
    last = (
        Event.objects.filter(case=case, verb__in=("case.status", "case.replied"))
        .order_by("-created_at", "-pk")
        .values_list("created_at", flat=True)
        .first()
    )
    return last or case.first_response_at or case.opened_at


def thread_mentions(root: Mention) -> list[Mention]:
    """The root and every message below it, oldest first."""
    return list(
        Mention.objects.filter(thread_root=root)
        .select_related("author", "source")
        .order_by("published_at", "pk")
    ) or [root]


def refresh_priority(
    case: Case, *, brand_authors: set[int] | None = None, now: datetime | None = None
) -> Case:
    """Score the case from the latest message of its thread not written by the brand."""
    now = now or timezone.now()
    brand = brand_author_ids(case.workspace) if brand_authors is None else brand_authors
    thread = thread_mentions(case.thread_root)
    voices = [m for m in thread if not written_by_brand(m, brand)]
    latest = voices[-1] if voices else thread[-1]
    signals = Signals(
        text=latest.text,
        sentiment=latest.sentiment,
        sentiment_confidence=latest.sentiment_confidence,
        intents=tuple(latest.intents or ()),
        author_reach=latest.author.reach if latest.author else None,
        earlier_complaints=_earlier_complaints(latest),
        new_replies=sum(
            1
            for m in thread
            if m.pk != case.thread_root_id and m.published_at >= now - GROWTH_WINDOW
        ),
        minutes_to_due=(
            (case.due_at - now).total_seconds() / 60
            if case.due_at and case.status not in HANDLED and case.first_response_at is None
            else None
        ),
        mentions_brand=latest.matches.filter(watch__kind=WatchKind.BRAND).exists(),
    )
    # Reasons are stored as text, in the language the workspace's team reads.
    with translation.override(case.workspace.default_language or None):
        scored = priority(signals)
        score, reasons = scored.score, list(scored.reasons)
        triage = CaseTriage.objects.filter(case=case).first()
        if triage is not None and triage.rule_priority:
            score, reason = rule_adjusted(score, triage.rule_priority)
            reasons.insert(0, reason)
    case.priority = score
    case.save(update_fields=["priority"])
    CaseTriage.objects.update_or_create(
        case=case,
        defaults={"mention": latest, "reasons": reasons, "updated_at": now},
    )
    return case


# Up to this many cases, a change of tonality scores them again one by one (a person's
# correction); a re-enrichment of a whole workspace only updates the tonality shown.
RESCORED_CASES = 200


def follow_rescored_mentions(sender: object, mention_ids: list[int], **kwargs: object) -> None:
    """Mentions got a new tonality: the cases showing them follow (priority included)."""
    shown = Q(mention_id__in=mention_ids) | Q(
        mention__isnull=True, case__thread_root_id__in=mention_ids
    )
    triages = CaseTriage.objects.filter(shown).select_related("case__workspace", "mention")
    if triages.count() <= RESCORED_CASES:
        for triage in triages:
            refresh_priority(triage.case)
        return
    for triage in triages.iterator(chunk_size=2000):
        sentiment = triage.shown_sentiment()
        if sentiment != triage.sentiment:
            CaseTriage.objects.filter(pk=triage.pk).update(sentiment=sentiment)


def rule_adjusted(score: float, change: dict) -> tuple[float, str]:
    """The score after a rule's priority change, and the reason shown for it."""
    value = float(change.get("value") or 0)
    name = str(change.get("rule", ""))
    kind = change.get("change")
    values = {"rule": name, "value": f"{value:g}"}
    if kind == "set":
        return value, _("rule %(rule)s: set to %(value)s") % values
    if kind == "lower":
        return round(score - value, 1), _("rule %(rule)s: −%(value)s") % values
    return round(score + value, 1), _("rule %(rule)s: +%(value)s") % values


def _earlier_complaints(mention: Mention) -> int:
    """Complaints or negative messages by the same author in the workspace, before this one."""
    if mention.author_id is None:
        return 0
    earlier = Mention.objects.filter(
        workspace_id=mention.workspace_id,
        author_id=mention.author_id,
        published_at__lt=mention.published_at,
    ).values_list("sentiment", "intents")
    return sum(
        1 for sentiment, intents in earlier if sentiment == "negative" or "complaint" in intents
    )

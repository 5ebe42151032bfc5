"""Inbox rules: conditions on a new or reopened case, and what to do with it.

Rules are tried in their order. A rule matches when every condition it sets holds (an
empty condition is not checked); its actions are applied and the search stops there,
unless the rule says to continue with the next ones. Each action is an audit event
("case.rule") naming the rule, so the case's history says who did what: a rule.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.db import transaction
from django.utils import translation

from veille.core.models import Case, CaseStatus, Event, Mention, MentionMatch, Workspace
from veille.inbox import workflow
from veille.inbox.models import CaseTriage, Rule
from veille.query import Document, Query, QuerySyntaxError, match_one, parse

logger = logging.getLogger(__name__)


def mention_document(mention: Mention) -> Document:
    """The fields of a stored mention that a rule's keyword query searches."""
    author = mention.author
    return Document(
        text=mention.text,
        title=mention.title,
        author=author.handle if author else "",
        author_name=author.display_name if author else "",
        url=mention.url,
        lang=mention.language,
        platform=author.platform if author else mention.source.kind,
        kind=mention.kind,
    )


def _norm_handle(text: str) -> str:
    return text.strip().lstrip("@").casefold()


def matches(rule: Rule, case: Case, mention: Mention, query: Query | None) -> bool:
    """Whether every condition the rule sets holds for the case's latest message."""
    if rule.watch_id is not None:
        ids = {mention.pk, case.thread_root_id}
        if not MentionMatch.objects.filter(mention_id__in=ids, watch_id=rule.watch_id).exists():
            return False
    if rule.sentiment and mention.sentiment != rule.sentiment:
        return False
    if rule.intent and rule.intent not in (mention.intents or []):
        return False
    author = mention.author
    if rule.platform:
        platforms = {mention.source.kind.casefold()}
        if author is not None:
            platforms.add(author.platform.casefold())
        if rule.platform.strip().casefold() not in platforms:
            return False
    if rule.author:
        if author is None:
            return False
        wanted = _norm_handle(rule.author)
        handle = _norm_handle(author.handle)
        names = {handle, handle.split("@")[0], author.display_name.strip().casefold()}
        if wanted not in names:
            return False
    if rule.keywords.strip():
        if query is None or match_one(query, mention_document(mention)) is None:
            return False
    return True


def _log(case: Case, rule: Rule, action: str, **data: object) -> None:
    Event.objects.create(
        workspace_id=case.workspace_id,
        verb="case.rule",
        case=case,
        data={"rule": rule.name, "rule_id": rule.pk, "action": action, **data},
    )


def _apply(rule: Rule, case: Case) -> None:
    if rule.assign_to_id is not None:
        user = rule.assign_to
        if workflow.may_act(user, case.workspace):
            case.assignee = user
            case.save(update_fields=["assignee"])
            _log(case, rule, "assigned", assignee=user.pk, assignee_name=user.get_username())
        else:
            _log(case, rule, "not_assignable", assignee_name=user.get_username())
    elif rule.round_robin:
        user = workflow.take_turn(case.workspace)
        if user is None:
            _log(case, rule, "no_agent")
        else:
            case.assignee = user
            case.save(update_fields=["assignee"])
            _log(
                case,
                rule,
                "assigned",
                assignee=user.pk,
                assignee_name=user.get_username(),
                round_robin=True,
            )
    if rule.add_label_id is not None:
        rule.add_label.cases.add(case)
        _log(case, rule, "labelled", label=rule.add_label.name)
    if rule.priority_change and rule.priority_value is not None:
        change = {"rule": rule.name, "change": rule.priority_change, "value": rule.priority_value}
        CaseTriage.objects.update_or_create(case=case, defaults={"rule_priority": change})
        # Imported here: cases imports this module lazily, and this one needs it back.
        from veille.inbox.cases import refresh_priority

        refresh_priority(case)
        _log(case, rule, "priority", priority=case.priority)
    if rule.ignore and case.status != CaseStatus.IGNORED:
        previous = case.status
        case.status = CaseStatus.IGNORED
        case.save(update_fields=["status"])
        _log(case, rule, "ignored", **{"from": previous})


def compiled(rules: Iterable[Rule]) -> dict[int, Query]:
    """Each rule's keyword query; one that no longer parses is logged and never matches."""
    queries: dict[int, Query] = {}
    for rule in rules:
        if not rule.keywords.strip():
            continue
        try:
            queries[rule.pk] = parse(rule.keywords)
        except QuerySyntaxError as error:
            logger.warning("rule %s: unreadable keywords: %s", rule.pk, error.message)
    return queries


@transaction.atomic
def apply_rules(workspace: Workspace, fresh: list[tuple[Case, Mention]]) -> list[Rule]:
    """Run the workspace's active rules on cases just opened or reopened; the rules applied."""
    rules = list(
        Rule.objects.filter(workspace=workspace, active=True).select_related(
            "watch", "assign_to", "add_label"
        )
    )
    if not rules:
        return []
    queries = compiled(rules)
    applied: list[Rule] = []
    with translation.override(workspace.default_language or None):
        for case, latest in fresh:
            mention = Mention.objects.select_related("author", "source").get(pk=latest.pk)
            for rule in rules:
                if not matches(rule, case, mention, queries.get(rule.pk)):
                    continue
                _apply(rule, case)
                applied.append(rule)
                if not rule.continue_matching:
                    break
    return applied

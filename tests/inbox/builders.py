"""Cases for the inbox tests, built directly through the ORM."""

from __future__ import annotations

import datetime

from django.utils import timezone

from tests.web import factories
from veille.core.models import Case, CaseStatus, Workspace
from veille.inbox.models import CaseTriage


def case(space: Workspace, text: str = "Où est ma commande ?", **fields: object) -> Case:
    now = timezone.now()
    mention_fields = fields.pop("mention", {})
    root = factories.mention(space, text=text, author=factories.author(), **mention_fields)
    fields.setdefault("status", CaseStatus.NEW)
    fields.setdefault("opened_at", now - datetime.timedelta(minutes=10))
    fields.setdefault("due_at", now + datetime.timedelta(minutes=110))
    found = Case.objects.create(workspace=space, thread_root=root, **fields)
    CaseTriage.objects.create(case=found, mention=root, reasons=["question", "reach 12k"])
    return found

from __future__ import annotations

import pytest
from django.db import IntegrityError

from tests import factories
from veille.core.models import AppendOnlyError, Author, Event, Mention

pytestmark = pytest.mark.django_db


def test_events_are_append_only():
    event = Event.objects.create(workspace=factories.workspace(), verb="case.assigned")
    event.verb = "case.closed"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert Event.objects.get().verb == "case.assigned"


def test_an_author_is_unique_per_platform_and_handle():
    Author.objects.create(platform="piaille.example", handle="marie")
    Author.objects.create(platform="blog.example", handle="marie")
    with pytest.raises(IntegrityError):
        Author.objects.create(platform="piaille.example", handle="marie")


def test_an_external_id_is_unique_per_source():
    source = factories.feed_source(factories.workspace())
    raw = factories.raw(1)
    fields = {"workspace": source.workspace, "source": source, "published_at": raw.published_at}
    Mention.objects.create(external_id="x", **fields)
    with pytest.raises(IntegrityError):
        Mention.objects.create(external_id="x", **fields)

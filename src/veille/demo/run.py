"""Set up the demo: a fictional brand's workspace, watches and feeds, collected for real.

The generated feeds are served on 127.0.0.1 and read by the same connector as any feed,
so the demo exercises the whole pipeline. Running it again adds nothing twice.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, Max, Min

from veille.core import services
from veille.core.models import Membership, Mention, Role, Source, SourceKind, Workspace
from veille.demo.generator import (
    BRAND_HANDLE,
    DEMO_FEEDS,
    DEMO_WATCHES,
    DEMO_WORKSPACE,
    generate,
)
from veille.demo.server import DemoFeedServer
from veille.inbox.models import WorkspaceSLA

DEMO_USERNAME = "demo"
# A fixed, published password: the demo only ever listens on 127.0.0.1.
DEMO_PASSWORD = "azur-demo-2025"  # noqa: S105


@dataclass
class DemoOutcome:
    workspace: Workspace
    reports: list[Any] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return sum(1 for report in self.reports if report.error)

    def summary_lines(self) -> list[str]:
        mentions = Mention.objects.filter(workspace=self.workspace)
        span = mentions.aggregate(first=Min("published_at"), last=Max("published_at"))
        kinds = Counter(dict(mentions.values_list("kind").annotate(n=Count("id"))))
        per_watch = self.workspace.watches.annotate(n=Count("matches")).order_by("-n")
        lines = [
            f"Demo workspace {self.workspace.name!r}: {mentions.count()} mentions "
            f"from {self.workspace.sources.count()} sources.",
        ]
        if span["first"]:
            lines.append(f"Period: {span['first']:%Y-%m-%d} to {span['last']:%Y-%m-%d}.")
        lines.append("By kind: " + ", ".join(f"{k} {n}" for k, n in kinds.most_common()))
        lines.append("By watch: " + ", ".join(f"{w.name} {w.n}" for w in per_watch))
        lines.append(f"Data directory: {settings.DATA_DIR}")
        return lines


def _demo_owner():
    """The demo account, owner of the demo workspace, created once."""
    user_model = get_user_model()
    if not services.is_initialised():
        user, _ = services.initialise(
            username=DEMO_USERNAME, password=DEMO_PASSWORD, workspace=DEMO_WORKSPACE
        )
        return user
    user = user_model.objects.filter(username=DEMO_USERNAME).first()
    if user is None:
        user = user_model.objects.create_user(DEMO_USERNAME, password=DEMO_PASSWORD)
    return user


WORKING_DAYS = ("mon", "tue", "wed", "thu", "fri")


def _demo_workspace(owner) -> Workspace:
    space = Workspace.objects.filter(name=DEMO_WORKSPACE).first()
    if space is None:
        space = services.add_workspace(DEMO_WORKSPACE)
    Membership.objects.update_or_create(user=owner, workspace=space, defaults={"role": Role.OWNER})
    # Answers posted from the brand's social account count as the brand's, like its blog's.
    WorkspaceSLA.objects.update_or_create(
        workspace=space,
        defaults={
            "first_response_minutes": 120,
            "time_zone": "Europe/Paris",
            "business_hours": {day: [["09:00", "18:00"]] for day in WORKING_DAYS},
            "brand_handles": BRAND_HANDLE,
        },
    )
    for watch in DEMO_WATCHES:
        if not space.watches.filter(name=watch["name"]).exists():
            services.add_watch(space, name=watch["name"], query=watch["query"], kind=watch["kind"])
    return space


def _demo_sources(space: Workspace, server: DemoFeedServer) -> list[Source]:
    """One source per generated feed, found by name so that a new port is just an update."""
    sources = []
    for feed in DEMO_FEEDS:
        url = server.url_for(feed["filename"])
        source, created = Source.objects.get_or_create(
            workspace=space,
            kind=SourceKind.FEED,
            name=feed["name"],
            defaults={"url": url, "media_category": feed["media_category"]},
        )
        if not created and source.url != url:
            source.url = url
            source.save(update_fields=["url"])
        sources.append(source)
    return sources


def run_demo(*, seed: int, collect: Callable[[list[Source]], list[Any]]) -> DemoOutcome:
    """Generate the feeds, serve them on loopback, and collect them into the demo workspace."""
    owner = _demo_owner()
    space = _demo_workspace(owner)
    feed_dir = settings.DATA_DIR / "demo-feeds"
    generate(feed_dir, seed=seed)
    # The feeds are on 127.0.0.1: let the SSRF guard through, in this process only.
    allowed = settings.VEILLE_ALLOW_PRIVATE_URLS
    settings.VEILLE_ALLOW_PRIVATE_URLS = True
    try:
        with DemoFeedServer(feed_dir) as server:
            sources = _demo_sources(space, server)
            reports = collect(sources)
    finally:
        settings.VEILLE_ALLOW_PRIVATE_URLS = allowed
    return DemoOutcome(workspace=space, reports=reports)

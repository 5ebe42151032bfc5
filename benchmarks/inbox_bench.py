"""The inbox's first page and a filtered page with 1,000,000 mentions in PostgreSQL.

Generates MENTIONS mentions (1,000,000 by default) with the same generator as
insights_bench.py (six workspaces, the biggest with about 35 % of the rows; a case and its
triage row for one thread in seven, about 97,000 cases), then requests through Django's
test Client, logged in as an agent of the big workspace, the inbox's first page (the
active cases) and filtered pages (a status and "assigned to me"; every status; "not
assigned"; a sentiment), each --requests times, and prints p50 / p95 / max server time in ms (the
whole view in the same process, no network), then the number of SQL queries of one
request, their total time and the two slowest.
Runs with DEBUG off (cached template loader, no query log), as in production.
Prints figures, asserts nothing.

It needs a PostgreSQL database whose name contains "bench" (its veille tables are emptied
and refilled) and exits 0 with a message when VEILLE_DATABASE_URL is not PostgreSQL, so
that `make bench` passes on SQLite. Usage:

    createdb -h 127.0.0.1 -p 55434 -U postgres veille_inbox_bench
    VEILLE_DATABASE_URL=postgresql://postgres@127.0.0.1:55434/veille_inbox_bench \\
        python benchmarks/inbox_bench.py [--mentions 1000000] [--requests 60] [--reuse]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from insights_bench import BIG, generate, refuse_without_postgresql, setup_django

PAGES = {
    "first page (active cases)": "",
    "status=open & assignee=me": "?status=open&assignee=me",
    "status=escalated & unassigned": "?status=escalated&assignee=unassigned",
    "every status, page 3": "?status=all&page=3",
    "sentiment=negative (active cases)": "?sentiment=negative",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentions", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--reuse", action="store_true", help="keep earlier generated data")
    args = parser.parse_args()
    refuse_without_postgresql("inbox_bench.py")
    setup_django()
    generate(args.mentions, args.reuse)

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from veille.core.models import Case, Workspace

    settings.ALLOWED_HOSTS = ["*"]
    if settings.DEBUG:
        sys.exit("run it with DEBUG off (unset VEILLE_DEBUG): DEBUG slows every request")
    workspace = Workspace.objects.get(name=BIG)
    agent = get_user_model().objects.get(username="agent0")
    client = Client()
    client.force_login(agent)
    session = client.session
    session["veille_workspace_id"] = workspace.pk
    session.save()
    cases = Case.objects.filter(workspace=workspace)
    print(
        f"workspace {workspace.name!r}: {cases.count():,} cases, "
        f"{cases.filter(status__in=['new', 'open', 'escalated']).count():,} active, "
        f"{cases.filter(assignee=agent, status='open').count():,} open and assigned to "
        f"{agent.username}"
    )
    print(f"{'page':<34} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'queries':>8} {'SQL ms':>8}")
    for name, query in PAGES.items():
        url = "/inbox/" + query
        response = client.get(url)
        if response.status_code != 200:
            sys.exit(f"{url} answered {response.status_code}")
        times = []
        for _ in range(args.requests):
            started = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        p95 = times[max(0, round(0.95 * len(times)) - 1)]
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        sql = sum(float(found["time"]) for found in queries.captured_queries) * 1000
        print(
            f"{name:<34} {statistics.median(times):>8.1f} {p95:>8.1f} {times[-1]:>8.1f} "
            f"{len(queries):>8} {sql:>8.1f}",
            flush=True,
        )
        slow = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:2]
        for found in slow:
            print(f"    {float(found['time']) * 1000:6.1f} ms  {found['sql'][:160]}")


if __name__ == "__main__":
    main()

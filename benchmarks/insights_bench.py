"""Every dashboard panel over one year of a big workspace, on PostgreSQL, from the roll-ups.

Generates MENTIONS mentions (10,000,000 by default) server-side in PostgreSQL (INSERT …
SELECT generate_series, indexes built afterwards): six workspaces, the biggest holding
about 35 % of the rows over 28 months, with a long tail of authors and sites, replies in
threads, matches to brand / competitor / topic watches, a few spikes (a contest, a bad
buzz), cases with first responses and triage rows. Then builds the daily roll-ups (timed)
and times each panel of `veille.insights.dashboard.build` for one year of the big workspace
with its comparison period: median and worst of --runs runs, server time (no HTTP). Then
the network panel's parts: the one-pass ranking (network.ranked_authors over
MonthlyAuthor), the map with its own ranking, and both as the dashboard would run them if
it handed that ranking to the map. Prints figures, asserts nothing.

It needs a PostgreSQL database whose name contains "bench" (its veille tables are emptied
and refilled) and says so, exiting 0, when VEILLE_DATABASE_URL is not PostgreSQL, so that
`make bench` passes on SQLite. Usage:

    createdb -h 127.0.0.1 -p 55434 -U postgres veille_bench
    VEILLE_DATABASE_URL=postgresql://postgres@127.0.0.1:55434/veille_bench \\
        python benchmarks/insights_bench.py [--mentions 10000000] [--runs 5] [--reuse]

--reuse keeps the data of an earlier run with the same --mentions (generation takes
minutes); the roll-ups are rebuilt and timed unless --keep-rollups is given too.
"""

# ruff: noqa: S608, S106 (SQL built from this script's own constants; throw-away users)

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "veille.settings")

BIG = "Bench big"
FIRST_DAY = date(2024, 7, 1)
DAYS = 853  # 2024-07-01 .. 2026-10-31
# Share of the mentions in each workspace, the first one being the big one.
WORKSPACES = [(BIG, 35), ("Bench two", 25), ("Bench three", 15), ("Bench four", 12)]
WORKSPACES += [("Bench five", 8), ("Bench six", 5)]
PLATFORMS = ["web", "mastodon", "bluesky", "reddit", "hackernews", "youtube", "forum", "x"]
AGENTS = 12
SPIKE_DAYS = ["2025-03-14", "2025-11-28", "2026-02-10", "2026-06-21", "2026-09-03"]
TABLES = ["core_mentionmatch", "inbox_casetriage", "core_case", "core_mention", "core_author"]


def database_is_postgresql() -> bool:
    url = os.environ.get("VEILLE_DATABASE_URL", "")
    return url.startswith(("postgres://", "postgresql://", "pgsql://"))


def refuse_without_postgresql(script: str) -> None:
    if not database_is_postgresql():
        print(
            f"{script}: skipped, it needs PostgreSQL. Set VEILLE_DATABASE_URL to an empty "
            "database whose name contains 'bench', e.g. "
            "VEILLE_DATABASE_URL=postgresql://postgres@127.0.0.1:55434/veille_bench "
            f"python benchmarks/{script}"
        )
        sys.exit(0)


def setup_django() -> None:
    import django
    from django.core.management import call_command

    django.setup()
    from django.db import connection

    name = connection.settings_dict["NAME"]
    if "bench" not in name:
        sys.exit(f"refusing to fill database {name!r}: its name must contain 'bench'")
    call_command("migrate", verbosity=0, skip_checks=True)


def _sql(cursor: Any, statement: str, params: list[Any] | None = None) -> float:
    started = time.perf_counter()
    cursor.execute(statement, params)
    return time.perf_counter() - started


def _drop_indexes(cursor: Any, tables: list[str]) -> list[str]:
    """Drop the secondary indexes and unique constraints of tables; returns how to rebuild."""
    rebuild: list[str] = []
    for table in tables:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype = 'u'",
            [table],
        )
        for name, definition in cursor.fetchall():
            rebuild.append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        cursor.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = %s "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
            [table],
        )
        for name, definition in cursor.fetchall():
            rebuild.append(definition)
            cursor.execute(f'DROP INDEX "{name}"')
    return rebuild


def generate(mentions: int, reuse: bool = False) -> int:
    """Fill the database with `mentions` mentions; returns the big workspace's id."""
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from veille.core.models import Membership, Workspace

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM core_mention")
        (existing,) = cursor.fetchone()
    if reuse and existing == mentions:
        print(f"reusing the {existing:,} mentions already generated")
        return Workspace.objects.get(name=BIG).pk
    started = time.perf_counter()
    authors = max(1000, mentions // 40)
    sites = max(50, mentions // 2000)
    users = get_user_model()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit = off")
        cursor.execute("SET LOCAL session_replication_role = replica")  # no FK triggers
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute("TRUNCATE core_workspace, core_author, auth_user RESTART IDENTITY CASCADE")
        agents = [
            users.objects.create_user(f"agent{n}", password="bench-password") for n in range(AGENTS)
        ]
        spaces = []
        for name, _share in WORKSPACES:
            workspace = Workspace.objects.create(name=name, time_zone="Europe/Paris")
            spaces.append(workspace)
            for agent in agents:
                Membership.objects.create(user=agent, workspace=workspace, role="agent")
        rebuild = _drop_indexes(cursor, TABLES)
        # Sources (40 a workspace, a few owned and paid) and watches (1 brand, 3 rivals, 1 topic).
        for workspace in spaces:
            cursor.execute(
                "INSERT INTO core_source (workspace_id, kind, name, url, params, media_category,"
                " interval, cursor, last_error, consecutive_failures, active, created_at) "
                "SELECT %s, 'feed', 'source ' || s, 'https://feeds.example/' || %s || '/' || s,"
                " '{}', CASE WHEN s <= 2 THEN 'owned' WHEN s = 3 THEN 'paid' ELSE 'earned' END,"
                " 3600, '{}', '', 0, true, now() FROM generate_series(1, 40) s",
                [workspace.pk, workspace.pk],
            )
            cursor.execute(
                "INSERT INTO core_watch (workspace_id, name, query, kind, languages, active,"
                " created_at) SELECT %s, 'watch ' || w, 'term' || w, CASE WHEN w = 1 THEN"
                " 'brand' WHEN w <= 4 THEN 'competitor' ELSE 'topic' END, '[]', true, now()"
                " FROM generate_series(1, 5) w",
                [workspace.pk],
            )
        took = _sql(
            cursor,
            "INSERT INTO core_author (id, platform, handle, display_name, profile_url, reach) "
            "SELECT a, (%s::text[])[1 + (hashint4(a) & 2147483647) %% %s], 'user' || a,"
            " 'Person ' || a, '', (hashint4(a + 7) & 1048575) FROM generate_series(1, %s) a",
            [PLATFORMS, len(PLATFORMS), authors],
        )
        print(f"  {authors:,} authors in {took:.1f} s")
        # Workspace of a mention: by blocks of 100 ids, shares as in WORKSPACES.
        bounds, total = [], 0
        for workspace, (_name, share) in zip(spaces, WORKSPACES, strict=True):
            total += share
            bounds.append((total, workspace.pk))
        case_ws = " ".join(f"WHEN (i / 100) %% 100 < {limit} THEN {pk}" for limit, pk in bounds)
        cursor.execute("SELECT min(id), max(id) FROM core_source")
        first_source, _ = cursor.fetchone()
        cursor.execute("SELECT min(id) FROM core_watch")
        (first_watch,) = cursor.fetchone()
        chunk = 1_000_000
        for low in range(1, mentions + 1, chunk):
            high = min(mentions, low + chunk - 1)
            took = _sql(
                cursor,
                f"""
                INSERT INTO core_mention (id, workspace_id, source_id, external_id, url, kind,
                    parent_id, thread_root_id, in_reply_to_url, author_id, published_at,
                    collected_at, title, text, language, sentiment, sentiment_score, intents,
                    sentiment_confidence, entities, media_category)
                SELECT i, ws, {first_source} + (ws - {spaces[0].pk}) * 40 + src, i::text,
                    'https://' || CASE WHEN site < 3 THEN 'www.' ELSE '' END
                        || 'site' || site || '.example/p/' || i,
                    CASE WHEN reply THEN 'reply' ELSE 'post' END,
                    parent, COALESCE(parent, i), '', author, at, at, '', 'mention ' || i,
                    'fr', sentiment, NULL, '[]', NULL, '{{}}',
                    CASE WHEN src = 0 OR src = 1 THEN 'owned' WHEN src = 2 THEN 'paid'
                        ELSE 'earned' END
                FROM (
                    SELECT i, CASE {case_ws} END AS ws,
                        (hashint4(i + 1) & 2147483647) %% 40 AS src,
                        floor({sites} * power(((hashint4(i + 2) & 2147483647) / 2147483648.0),
                            3))::int AS site,
                        i %% 3 = 0 AND i %% 100 >= 3 AS reply,
                        CASE WHEN i %% 3 = 0 AND i %% 100 >= 3 THEN
                            i - 1 - 3 * ((hashint4(i + 3) & 2147483647) %% ((i %% 100) / 3))
                        END AS parent,
                        CASE WHEN (hashint4(i + 4) & 2147483647) %% 100 < 4 THEN NULL ELSE
                            1 + floor({authors - 1} * power(
                                ((hashint4(i + 5) & 2147483647) / 2147483648.0), 2.5))::int
                        END AS author,
                        CASE WHEN (hashint4(i + 6) & 2147483647) %% 100 < 3 THEN
                            (ARRAY{SPIKE_DAYS}::date[])[1 + (i / 100) %% {len(SPIKE_DAYS)}]
                            + ((hashint4(i + 7) & 2147483647) %% 172800) * interval '1 second'
                        ELSE timestamptz '{FIRST_DAY.isoformat()} 00:00+00'
                            + ((hashint4(i + 8) & 2147483647) %% ({DAYS} * 86400))
                            * interval '1 second'
                        END AS at,
                        (ARRAY['neutral','neutral','neutral','neutral','positive',
                            'positive','positive','negative','negative',''])
                            [1 + (hashint4(i + 9) & 2147483647) %% 10] AS sentiment
                    FROM generate_series(%s, %s) i
                ) generated
                """,
                [low, high],
            )
            print(f"  mentions {low:,}..{high:,} in {took:.1f} s", flush=True)
        took = _sql(
            cursor,
            "INSERT INTO core_mentionmatch (mention_id, watch_id, terms) "
            f"SELECT id, {first_watch} + (workspace_id - {spaces[0].pk}) * 5"
            " + (hashint4(id::int + 11) & 2147483647) % 5, '[]' FROM core_mention",
        )
        print(f"  {mentions:,} matches in {took:.1f} s", flush=True)
        # A case for one thread in seven; most answered, some late, a few escalated.
        took = _sql(
            cursor,
            f"""
            INSERT INTO core_case (workspace_id, thread_root_id, status, priority, assignee_id,
                opened_at, first_response_at, due_at)
            SELECT workspace_id, id, status, priority, assignee, published_at,
                CASE WHEN status IN ('replied', 'closed') THEN published_at
                    + (5 + h % 600) * interval '1 minute' END,
                published_at + interval '2 hours'
            FROM (
                SELECT m.id, m.workspace_id, m.published_at, hashint4(m.id::int + 12)
                    & 2147483647 AS h,
                    (ARRAY['new','open','open','pending','replied','replied','replied',
                        'replied','closed','closed','ignored','escalated'])
                        [1 + (hashint4(m.id::int + 13) & 2147483647) % 12] AS status,
                    ((hashint4(m.id::int + 14) & 2147483647) % 1000) / 1000.0 AS priority,
                    CASE WHEN (hashint4(m.id::int + 15) & 2147483647) % 4 = 0 THEN NULL
                        ELSE {agents[0].pk} + (hashint4(m.id::int + 16) & 2147483647)
                            % {AGENTS} END AS assignee
                FROM core_mention m WHERE m.kind = 'post' AND m.id % 7 = 1
            ) picked
            """,
        )
        took += _sql(
            cursor,
            "INSERT INTO inbox_casetriage (case_id, mention_id, reasons, sentiment, updated_at)"
            " SELECT c.id, c.thread_root_id, '[\"question\"]', m.sentiment, c.opened_at"
            " FROM core_case c JOIN core_mention m ON m.id = c.thread_root_id",
        )
        cursor.execute("SELECT count(*) FROM core_case")
        print(f"  {cursor.fetchone()[0]:,} cases and triage rows in {took:.1f} s", flush=True)
        took = 0.0
        for statement in rebuild:
            took += _sql(cursor, statement)
        print(f"  {len(rebuild)} indexes and unique constraints built in {took:.1f} s")
        for table in ["core_author", "core_mention", "core_case", "inbox_casetriage"]:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                f" (SELECT max(id) FROM {table}))"
            )
    with connection.cursor() as cursor:
        took = 0.0
        for table in ["core_author", "core_mention", "core_mentionmatch", "core_case"]:
            took += _sql(cursor, f"VACUUM ANALYZE {table}")
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        size = cursor.fetchone()[0]
    print(
        f"generated {mentions:,} mentions in {time.perf_counter() - started:.0f} s "
        f"(vacuum analyze {took:.0f} s); database size {size}"
    )
    return Workspace.objects.get(name=BIG).pk


def timed(runs: int, work: Callable[[], object]) -> tuple[float, float]:
    """Median and worst wall time of `runs` calls, in milliseconds."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), max(times)


def bench_panels(workspace_id: int, runs: int, rebuild: bool = True) -> None:
    from zoneinfo import ZoneInfo

    from veille.core.models import Mention, Workspace
    from veille.insights import dashboard
    from veille.insights.period import Period
    from veille.insights.rollups import rebuild_rollups

    workspace = Workspace.objects.get(pk=workspace_id)
    if rebuild:
        started = time.perf_counter()
        rows = rebuild_rollups()
        print(
            f"roll-ups rebuilt for every workspace in {time.perf_counter() - started:.1f} s "
            f"({', '.join(f'{name} {count:,}' for name, count in rows.items())} rows)"
        )
        vacuum_rollups()
    else:
        print("roll-ups kept as they are (--keep-rollups)")
    zone = ZoneInfo(workspace.time_zone)
    period = Period(date(2025, 11, 1), date(2026, 10, 31), zone)
    previous = period.previous()
    count = Mention.objects.filter(
        workspace=workspace, published_at__gte=previous.start, published_at__lt=period.end
    ).count()
    print(
        f"workspace {workspace.name!r}: {Mention.objects.filter(workspace=workspace).count():,}"
        f" mentions; {period.first_day}..{period.last_day} compared with "
        f"{previous.first_day}..{previous.last_day}: {count:,} mentions"
    )
    print(f"{'panel':<44} {'median ms':>10} {'worst ms':>10}")
    total_median = 0.0
    for name, work in dashboard.panel_functions(workspace, period, "week").items():
        work()  # warm the cache as a dashboard in use would be
        median, worst = timed(runs, work)
        total_median += median
        print(f"{name:<44} {median:>10.1f} {worst:>10.1f}", flush=True)
    print(f"{'sum of the panels (median)':<44} {total_median:>10.1f}")
    bench_network(workspace, period, runs)
    median, worst = timed(
        runs, lambda: dashboard.build(workspace, period, "week", chart_format=None)
    )
    print(f"{'whole dashboard, per week, no charts':<44} {median:>10.1f} {worst:>10.1f}")


def vacuum_rollups() -> None:
    """VACUUM ANALYZE the roll-up tables just rebuilt, as autovacuum would do in a while:
    statistics for the planner, and the visibility map that index-only scans need."""
    from django.apps import apps
    from django.db import connection

    started = time.perf_counter()
    tables = [
        model._meta.db_table
        for model in apps.get_app_config("insights").get_models()
        if model.__name__.startswith(("Daily", "Author", "Monthly"))
    ]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(table)}")
    print(
        f"vacuum analyze of {len(tables)} roll-up tables in {time.perf_counter() - started:.1f} s"
    )


def bench_network(workspace: Any, period: Any, runs: int) -> None:
    """The network panel's parts, and the panel as the dashboard would run it with the
    busiest, ambassadors, detractors and most answered ranked in one pass over MonthlyAuthor
    (network.ranked_authors, handed to conversation_graph as `ranked`)."""
    from veille.insights import dashboard
    from veille.insights.network import conversation_graph, ranked_authors
    from veille.insights.rollups import whole_days

    days = whole_days(period.start, period.end, period.zone)
    limit, top = dashboard.NETWORK_AUTHORS, dashboard.TOP_PEOPLE

    def ranked() -> dict[str, list[tuple[int, int]]]:
        return ranked_authors(workspace, days, limit + 1, top, answered=limit)

    def panel() -> object:
        found = ranked()
        graph = conversation_graph(workspace, period.start, period.end, limit, ranked=found)
        return dashboard._one_sided(found, graph)

    parts: dict[str, Callable[[], object]] = {
        "network: ranked_authors, one pass": ranked,
        "network: map with its own ranking": lambda: conversation_graph(
            workspace, period.start, period.end, limit
        ),
        "network: ranked_authors + map (proposed)": panel,
    }
    for name, work in parts.items():
        work()
        median, worst = timed(runs, work)
        print(f"{name:<44} {median:>10.1f} {worst:>10.1f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentions", type=int, default=10_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--reuse", action="store_true", help="keep earlier generated data")
    parser.add_argument(
        "--keep-rollups", action="store_true", help="with --reuse: do not rebuild the roll-ups"
    )
    args = parser.parse_args()
    refuse_without_postgresql("insights_bench.py")
    setup_django()
    workspace_id = generate(args.mentions, args.reuse)
    bench_panels(workspace_id, args.runs, rebuild=not (args.reuse and args.keep_rollups))


if __name__ == "__main__":
    main()

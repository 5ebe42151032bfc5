from __future__ import annotations

import json
from datetime import timedelta

import pytest
from typer.testing import CliRunner

from tests import factories
from veille.cli import app
from veille.core.models import Mention, Workspace

pytestmark = pytest.mark.django_db

PASSWORD = "torréfaction-2026"


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(app, list(args), input=input, env={"COLUMNS": "220"})


def jsonl(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def init() -> None:
    result = run(
        "init", "--username", "claire", "--password", PASSWORD, "--workspace", "Brûlerie Azur"
    )
    assert result.exit_code == 0, result.output


def test_init_then_init_again_is_refused():
    init()
    again = run("init", "--username", "x", "--password", PASSWORD, "--workspace", "Autre")
    assert again.exit_code == 1
    assert "already initialised" in again.output
    assert list(Workspace.objects.values_list("name", flat=True)) == ["Brûlerie Azur"]


def test_init_without_a_terminal_names_the_missing_flag():
    result = run("init", "--username", "claire", "--workspace", "A")
    assert result.exit_code == 1
    assert "--password is required" in result.output


def test_init_refuses_a_weak_password():
    result = run("init", "--username", "claire", "--password", "azerty", "--workspace", "A")
    assert result.exit_code == 1
    assert "password refused" in result.output


def test_workspaces_watches_and_sources_are_listed_as_jsonl(settings):
    settings.VEILLE_ALLOW_PRIVATE_URLS = True
    init()
    assert run("workspace", "add", "Nordet", "--owner", "claire").exit_code == 0
    added = run(
        "watch",
        "add",
        "-w",
        "Brûlerie Azur",
        "--name",
        "Marque",
        "--query",
        '"Brûlerie Azur" OR "Azur Moka"',
        "--language",
        "fr",
    )
    assert added.exit_code == 0, added.output
    source = run(
        "source",
        "add",
        "http://127.0.0.1:9/feed.xml",
        "-w",
        "Brûlerie Azur",
        "--name",
        "Blog",
        "--media",
        "owned",
    )
    assert source.exit_code == 0, source.output

    spaces = jsonl(run("workspace", "list", "--jsonl").output)
    assert [(s["name"], s["watches"], s["sources"]) for s in spaces] == [
        ("Brûlerie Azur", 1, 1),
        ("Nordet", 0, 0),
    ]
    (watch,) = jsonl(run("watch", "list", "-w", "Brûlerie Azur", "--jsonl").output)
    assert watch["query"] == '"Brûlerie Azur" OR "Azur Moka"'
    assert watch["languages"] == ["fr"]
    (feed,) = jsonl(run("source", "list", "-w", "Brûlerie Azur", "--jsonl").output)
    assert (feed["name"], feed["media"], feed["url"]) == (
        "Blog",
        "owned",
        "http://127.0.0.1:9/feed.xml",
    )


def test_errors_name_what_is_wrong(settings):
    settings.VEILLE_ALLOW_PRIVATE_URLS = False
    init()
    unknown = run("watch", "add", "-w", "Azur", "--name", "X", "--query", "azur")
    assert unknown.exit_code == 1
    assert "no workspace named 'Azur' (known: Brûlerie Azur)" in unknown.output
    no_space = run("source", "add", "https://blog.example/feed", "--workspace", "Nordet")
    assert no_space.exit_code == 1
    assert "no workspace named 'Nordet'" in no_space.output
    private = run("source", "add", "http://127.0.0.1/feed")
    assert private.exit_code == 1
    assert "loopback" in private.output
    bad_kind = run("watch", "add", "--name", "X", "--query", "azur", "--kind", "ami")
    assert bad_kind.exit_code == 1
    assert "unknown watch kind" in bad_kind.output


def test_mentions_filters_by_watch_since_language_and_sentiment():
    space = factories.workspace()
    watch = space.watches.create(name="Marque", query="azur")
    source = factories.feed_source(space)
    for number, language, sentiment in [
        (1, "fr", "positive"),
        (30, "en", "negative"),
        (60, "fr", "negative"),
    ]:
        mention = Mention.objects.create(
            workspace=space,
            source=source,
            external_id=str(number),
            published_at=factories.START + timedelta(days=number),
            text=f"azur {number}",
            language=language,
            sentiment=sentiment,
        )
        if number != 30:
            mention.matches.create(watch=watch, terms=["azur"])

    def ids(*args: str) -> list[str]:
        result = run("mentions", "--jsonl", *args)
        assert result.exit_code == 0, result.output
        return [row["text"] for row in jsonl(result.output)]

    assert ids() == ["azur 60", "azur 30", "azur 1"]
    assert ids("--watch", "Marque") == ["azur 60", "azur 1"]
    assert ids("--since", "2026-03-15") == ["azur 60", "azur 30"]
    assert ids("--language", "en") == ["azur 30"]
    assert ids("--sentiment", "negative", "--language", "fr") == ["azur 60"]
    assert run("mentions", "--since", "hier").exit_code == 1
    assert "no watch named" in run("mentions", "--watch", "Nope").output


def test_mentions_table_shows_untrusted_text_literally():
    space = factories.workspace()
    source = factories.feed_source(space)
    Mention.objects.create(
        workspace=space,
        source=source,
        external_id="x",
        published_at=factories.START,
        text="[bold red]faux[/] \x1b[2J effacé",
    )
    result = run("mentions")
    assert result.exit_code == 0
    assert "[bold red]faux[/]" in result.output
    assert "\x1b[2J" not in result.output


def test_collect_reports_each_source_and_fails_when_one_failed(settings):
    from tests.support import FEEDS_DIR
    from tests.support.http_server import LocalHTTPServer

    settings.VEILLE_ALLOW_PRIVATE_URLS = True
    space = factories.workspace()
    space.watches.create(name="Tech", query="Linux OR Haskell")
    feed = (FEEDS_DIR / "wordpress-norm2782.rss2.xml").read_bytes()
    with LocalHTTPServer() as server:
        factories.feed_source(space, url=server.add("/gone.xml", b"", status=404), name="Gone")
        factories.feed_source(space, url=server.add("/wp.xml", feed), name="Blog")
        result = run("collect")
        again = run("collect", "--workspace", space.name)

    assert result.exit_code == 1
    assert "Gone" in result.output and "404" in result.output
    assert "1 of 2 sources failed" in result.output
    stored = Mention.objects.filter(source__name="Blog").count()
    assert stored > 0
    assert f"{stored} new mentions from 2 sources" in result.output
    assert "0 new mentions from 2 sources" in again.output
    (gone,) = [row for row in jsonl(run("source", "list", "--jsonl").output) if row["failures"]]
    assert gone["name"] == "Gone" and gone["failures"] == 2 and "404" in gone["last_error"]


def test_platform_sources_take_parameters_and_get_a_canonical_url(settings):
    settings.VEILLE_ALLOW_PRIVATE_URLS = True  # no DNS here: the instance is on loopback
    init()
    added = run(
        "source",
        "add",
        "--kind",
        "mastodon",
        "-p",
        "instance=http://127.0.0.1:9",
        "-p",
        "hashtag=cafe",
        "--name",
        "Piaille",
    )
    assert added.exit_code == 0, added.output
    (source,) = jsonl(run("source", "list", "--jsonl").output)
    assert source["url"] == "http://127.0.0.1:9/tags/cafe"
    missing = run("source", "add", "--kind", "mastodon", "-p", "hashtag=cafe")
    assert missing.exit_code == 1 and "instance" in missing.output
    unknown = run("source", "add", "--kind", "reddit", "-p", "colour=blue", "-p", "query=azur")
    assert unknown.exit_code == 1 and "unknown reddit parameter colour" in unknown.output
    malformed = run("source", "add", "--kind", "reddit", "-p", "query")
    assert malformed.exit_code == 1 and "expected key=value" in malformed.output

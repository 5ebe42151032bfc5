"""A person's copy of their data, and their erasure, with the threads and counts kept."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from tests import factories
from veille.cli import app
from veille.core.models import Author, Case, Correction, Event, ForgottenAuthor, Mention
from veille.core.privacy import PrivacyError, export_author, find_authors, forget_author
from veille.enrich.corrections import correct
from veille.inbox.cases import open_cases
from veille.pipeline.store import store

pytestmark = pytest.mark.django_db


def _conversation():
    """Alice complains, Bob answers her, Carol names her elsewhere; a watch matches Alice."""
    space = factories.workspace()
    watch = space.watches.create(name="Azur", query="azur")
    source = factories.feed_source(space)
    alice = factories.raw(
        1,
        "Azur m'a livré un café éventé, remboursez-moi",
        author_handle="@alice",
        author_name="Alice Martin",
        sentiment="negative",
        matches={watch.pk: ["azur"]},
    )
    bob = factories.raw(
        2,
        "Pareil pour moi",
        author_handle="@bob",
        kind="reply",
        in_reply_to_url=alice.url,
    )
    carol = factories.raw(3, "Comme disait @alice, Azur déçoit", author_handle="@carol")
    result = store(source, [alice, bob, carol], {})
    open_cases(space, result.mention_ids)
    return space, source, [alice, bob, carol]


def test_the_export_holds_their_messages_cases_and_who_names_them():
    space, _, _ = _conversation()
    mention = Mention.objects.get(author__handle="@alice")
    correct(mention, sentiment="negative")

    document = export_author(find_authors("@ALICE"))

    assert document["authors"][0]["display_name"] == "Alice Martin"
    [message] = document["mentions"]
    assert message["text"] == "Azur m'a livré un café éventé, remboursez-moi"
    assert message["watches"] == ["Azur"] and message["workspace"] == space.name
    assert document["cases_opened_by_their_messages"] == [
        {"case": Case.objects.get().pk, "workspace": space.name}
    ]
    assert [m["url"] for m in document["messages_by_others_naming_them"]] == [
        "https://blog.example/3"
    ]
    assert "Pareil pour moi" not in json.dumps(document)


def test_forgetting_empties_their_messages_and_keeps_the_threads():
    space, _, _ = _conversation()
    mention = Mention.objects.get(author__handle="@alice")
    correct(mention, sentiment="neutral")
    case = Case.objects.get()
    before = Mention.objects.filter(workspace=space).count()

    done = forget_author(find_authors("@alice"), reason="request of 2026-11-20")

    assert (done.authors, done.mentions, done.corrections) == (1, 1, 1)
    mention.refresh_from_db()
    assert (mention.text, mention.title, mention.url, mention.author) == ("", "", "", None)
    assert mention.external_id == f"forgotten:{mention.pk}"
    assert mention.sentiment == "neutral"  # still counted, without saying who or what
    assert not Author.objects.filter(handle="@alice").exists()
    assert not Correction.objects.filter(mention=mention).exists()
    reply = Mention.objects.get(author__handle="@bob")
    assert reply.thread_root_id == mention.pk and reply.text == "Pareil pour moi"
    assert Case.objects.filter(pk=case.pk).exists()
    assert Mention.objects.filter(workspace=space).count() == before
    event = Event.objects.get(verb="author.forgotten")
    assert event.data == {"mentions": 1, "reason": "request of 2026-11-20"}
    assert "alice" not in json.dumps(list(ForgottenAuthor.objects.values_list("digest")))
    carol = Mention.objects.get(author__handle="@carol")
    assert "@alice" in carol.text  # other people's words are theirs: listed, not changed


def test_a_forgotten_person_is_not_collected_again():
    _, source, (alice, bob, _) = _conversation()
    forget_author(find_authors("@alice", "blog.example"))
    again = factories.raw(9, "Toujours pas remboursée par Azur", author_handle="@Alice")
    newcomer = factories.raw(10, "Azur, enfin livré", author_handle="@dan")

    result = store(source, [alice, bob, again, newcomer], {})

    assert result.created == 1
    assert not Mention.objects.filter(text__contains="remboursé").exists()
    assert Mention.objects.filter(author__handle="@dan").exists()
    assert not Author.objects.filter(handle__iexact="@alice").exists()


def test_an_unknown_person_or_an_empty_handle_is_a_clear_error():
    _conversation()
    with pytest.raises(PrivacyError, match="no author '@zoe' on mastodon"):
        find_authors("@zoe", "mastodon")
    with pytest.raises(PrivacyError, match="give the person's handle"):
        find_authors("  ")


def test_the_commands_export_then_forget(tmp_path):
    _conversation()
    out = tmp_path / "alice.json"
    runner = CliRunner()
    exported = runner.invoke(app, ["privacy", "export", "@alice", "--out", str(out)])
    assert exported.exit_code == 0, exported.output
    assert "1 messages" in exported.output
    assert "éventé" in out.read_text()  # French kept readable, not \\u escapes

    refused = runner.invoke(app, ["privacy", "forget", "@alice"], input="n\n")
    assert refused.exit_code == 1 and Author.objects.filter(handle="@alice").exists()
    forgotten = runner.invoke(app, ["privacy", "forget", "@alice", "--yes"])
    assert forgotten.exit_code == 0, forgotten.output
    assert "1 messages emptied" in forgotten.output
    unknown = runner.invoke(app, ["privacy", "export", "@alice", "--out", str(out)])
    assert unknown.exit_code == 1 and "no author '@alice'" in unknown.output

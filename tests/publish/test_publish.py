"""Replies posted in the thread on Mastodon and Bluesky, against a recording fake server."""

from __future__ import annotations

import copy
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client

from tests.publish import builders
from tests.publish.fake_platform import FakePlatform
from tests.support.platforms import payload
from tests.web import factories
from veille.core.models import CaseStatus, Event, Role
from veille.publish.models import PlatformAccount
from veille.publish.service import PublishError, publish_reply

pytestmark = pytest.mark.django_db

TEXT = "Bonjour, nous regardons votre commande tout de suite."
BRAND_DID = "did:plc:brandazur0000000000000000"
TOKEN = "tok-0123456789-abcdef"


def _agent(space):
    person = factories.user(email="agent@azur.example")
    factories.member(person, space, Role.AGENT)
    return person


def _mastodon_answers(platform: FakePlatform) -> dict:
    status = payload("mastodon/status.json")
    platform.answer("GET", "/api/v2/search", {"accounts": [], "statuses": [status], "hashtags": []})
    posted = copy.deepcopy(payload("mastodon/status.json"))
    posted.update(
        id="110446300000000001",
        in_reply_to_id=status["id"],
        in_reply_to_account_id=status["account"]["id"],
        url="https://mastodon.social/@brulerieazur/110446300000000001",
        uri="https://mastodon.social/users/brulerieazur/statuses/110446300000000001",
    )
    platform.answer("POST", "/api/v1/statuses", posted)
    return status


def test_a_mastodon_reply_goes_in_the_thread_and_marks_the_case_replied(space_a, platform):
    status = _mastodon_answers(platform)
    case = builders.mastodon_case(space_a)
    builders.mastodon_account(space_a, platform.base_url)
    agent = _agent(space_a)

    outcome = publish_reply(case, TEXT, agent)

    url = "https://mastodon.social/@brulerieazur/110446300000000001"
    assert (outcome.status, outcome.url) == ("published", url)
    search, post = platform.seen
    assert (search.method, search.path) == ("GET", "/api/v2/search")
    assert search.query["q"] == [status["uri"]] and search.query["resolve"] == ["true"]
    assert search.headers["authorization"] == f"Bearer {builders.MASTODON_TOKEN}"
    assert (post.method, post.path) == ("POST", "/api/v1/statuses")
    assert post.body == {
        "status": f"@halcy@icosahedron.website {TEXT}",
        "in_reply_to_id": "110446223051565765",
    }
    assert post.headers["authorization"] == f"Bearer {builders.MASTODON_TOKEN}"
    assert post.headers["user-agent"].startswith("veille/")
    assert post.headers["idempotency-key"]
    case.refresh_from_db()
    assert case.status == CaseStatus.REPLIED and case.first_response_at is not None
    replied = Event.objects.get(case=case, verb="case.replied")
    assert replied.actor == agent and replied.data["reply_url"] == url
    assert replied.data["text"] == TEXT
    published = Event.objects.get(case=case, verb="reply.published")
    assert published.data["platform"] == "mastodon" and published.data["url"] == url


@pytest.mark.parametrize(
    ("status", "answer", "expected"),
    [
        (401, {"error": "The access token is invalid"}, "refused the workspace's credentials"),
        (
            422,
            {"error": "Validation failed: Text character limit of 500 exceeded"},
            "Text character limit of 500 exceeded",
        ),
    ],
)
def test_a_refused_mastodon_post_says_why_and_changes_nothing(
    space_a, platform, status, answer, expected
):
    _mastodon_answers(platform)
    platform.answer("POST", "/api/v1/statuses", answer, status=status)
    case = builders.mastodon_case(space_a)
    builders.mastodon_account(space_a, platform.base_url)

    with pytest.raises(PublishError, match=re.escape(expected)) as error:
        publish_reply(case, TEXT, _agent(space_a))

    assert "Nothing was posted" in str(error.value)
    case.refresh_from_db()
    assert case.status == CaseStatus.NEW and case.first_response_at is None
    assert not Event.objects.filter(case=case).exists()


def test_a_platform_too_slow_to_answer_is_a_clear_error(space_a, platform, settings):
    settings.VEILLE_HTTP_TIMEOUT = 0.3
    _mastodon_answers(platform)
    platform.answer("POST", "/api/v1/statuses", {"url": "https://late.example/1"}, delay=1.5)
    case = builders.mastodon_case(space_a)
    builders.mastodon_account(space_a, platform.base_url)

    with pytest.raises(PublishError, match=re.escape("timed out after 0.3 s")) as error:
        publish_reply(case, TEXT, _agent(space_a))

    assert "Mastodon did not take the reply" in str(error.value)
    case.refresh_from_db()
    assert case.status == CaseStatus.NEW


def _bluesky_answers(platform: FakePlatform, parent: dict) -> None:
    platform.answer(
        "POST",
        "/xrpc/com.atproto.server.createSession",
        {
            "did": BRAND_DID,
            "handle": "brulerie-azur.bsky.social",
            "accessJwt": "access-jwt-1",
            "refreshJwt": "refresh-jwt-1",
            "active": True,
        },
    )
    platform.answer(
        "GET",
        "/xrpc/app.bsky.feed.getPostThread",
        {"thread": {"$type": "app.bsky.feed.defs#threadViewPost", "post": parent, "replies": []}},
    )
    created = payload("bluesky/post_record.json")
    platform.answer(
        "POST",
        "/xrpc/com.atproto.repo.createRecord",
        {
            "uri": f"at://{BRAND_DID}/app.bsky.feed.post/3lazurreply2",
            "cid": created["cid"],
            "commit": {"cid": "bafyreicommit", "rev": "3lazurrev"},
            "validationStatus": "valid",
        },
    )


def _reply_post(root: dict) -> dict:
    """A reply under the recorded thread's post, shaped like a getPostThread postView."""
    reply = copy.deepcopy(root)
    reply["uri"] = "at://did:plc:customer0000000000000000/app.bsky.feed.post/3lcustomer1"
    reply["cid"] = "bafyreicustomerreplycid"
    reply["record"]["text"] = "Toujours pas de réponse du service client"
    ref = {"uri": root["uri"], "cid": root["cid"]}
    reply["record"]["reply"] = {"root": ref, "parent": ref}
    return reply


def test_a_bluesky_reply_to_a_reply_names_the_thread_root_and_its_parent(space_a, platform):
    root = payload("bluesky/thread.json")["thread"]["post"]
    parent = _reply_post(root)
    _bluesky_answers(platform, parent)
    case = builders.bluesky_case(space_a, parent["uri"])
    builders.bluesky_account(space_a, platform.base_url)

    outcome = publish_reply(case, TEXT, _agent(space_a))

    assert outcome.url == f"https://bsky.app/profile/{BRAND_DID}/post/3lazurreply2"
    session, thread, create = platform.seen
    assert session.path == "/xrpc/com.atproto.server.createSession"
    assert session.body == {
        "identifier": "brulerie-azur.bsky.social",
        "password": builders.BLUESKY_PASSWORD,
    }
    assert thread.query["uri"] == [parent["uri"]]
    assert thread.headers["authorization"] == "Bearer access-jwt-1"
    assert create.path == "/xrpc/com.atproto.repo.createRecord"
    assert create.headers["authorization"] == "Bearer access-jwt-1"
    record = create.body["record"]
    assert create.body["repo"] == BRAND_DID
    assert create.body["collection"] == record["$type"] == "app.bsky.feed.post"
    assert record["text"] == TEXT
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", record["createdAt"])
    assert record["reply"] == {
        "root": {"uri": root["uri"], "cid": root["cid"]},
        "parent": {"uri": parent["uri"], "cid": parent["cid"]},
    }
    case.refresh_from_db()
    assert case.status == CaseStatus.REPLIED
    assert Event.objects.get(case=case, verb="case.replied").data["reply_url"] == outcome.url


def test_a_bluesky_reply_to_a_thread_root_uses_it_as_root_and_parent(space_a, platform):
    root = payload("bluesky/thread.json")["thread"]["post"]
    _bluesky_answers(platform, root)
    case = builders.bluesky_case(space_a, root["uri"])
    builders.bluesky_account(space_a, platform.base_url)

    publish_reply(case, TEXT, _agent(space_a))

    ref = {"uri": root["uri"], "cid": root["cid"]}
    assert platform.seen[-1].body["record"]["reply"] == {"root": ref, "parent": ref}


def test_a_wrong_bluesky_app_password_posts_nothing(space_a, platform):
    root = payload("bluesky/thread.json")["thread"]["post"]
    _bluesky_answers(platform, root)
    platform.answer(
        "POST",
        "/xrpc/com.atproto.server.createSession",
        {"error": "AuthenticationRequired", "message": "Invalid identifier or password"},
        status=401,
    )
    case = builders.bluesky_case(space_a, root["uri"])
    builders.bluesky_account(space_a, platform.base_url)

    with pytest.raises(PublishError, match="Bluesky refused the workspace's credentials"):
        publish_reply(case, TEXT, _agent(space_a))

    assert [seen.path for seen in platform.seen] == ["/xrpc/com.atproto.server.createSession"]
    case.refresh_from_db()
    assert case.status == CaseStatus.NEW


def test_a_bluesky_reply_over_300_characters_is_refused_before_any_request(space_a, platform):
    root = payload("bluesky/thread.json")["thread"]["post"]
    case = builders.bluesky_case(space_a, root["uri"])
    builders.bluesky_account(space_a, platform.base_url)
    with pytest.raises(PublishError, match="at most 300 characters; this reply has 301"):
        publish_reply(case, "x" * 301, _agent(space_a))
    assert platform.seen == []


def test_other_platforms_say_to_answer_on_the_original(space_a):
    case = builders.mastodon_case(space_a)
    case.thread_root.source.kind = "feed"
    case.thread_root.source.save()
    with pytest.raises(PublishError, match="Cannot post on this platform: open the original"):
        publish_reply(case, TEXT, _agent(space_a))


def test_without_an_account_the_error_says_where_to_add_one(space_a):
    case = builders.mastodon_case(space_a)
    with pytest.raises(PublishError, match="no Mastodon account to post with"):
        publish_reply(case, TEXT, _agent(space_a))


def test_viewers_and_outsiders_cannot_post(space_a, space_b):
    case = builders.mastodon_case(space_a)
    viewer = factories.user()
    factories.member(viewer, space_a, Role.VIEWER)
    outsider = factories.user()
    factories.member(outsider, space_b, Role.OWNER)
    for person in (viewer, outsider):
        with pytest.raises(PermissionDenied):
            publish_reply(case, TEXT, person)


# -- the page's endpoint ---------------------------------------------------------------------


def _client(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def test_the_post_endpoint_publishes_for_agents(space_a, platform):
    _mastodon_answers(platform)
    case = builders.mastodon_case(space_a)
    builders.mastodon_account(space_a, platform.base_url)

    response = _client(_agent(space_a)).post(f"/publish/case/{case.pk}/", {"reply_text": TEXT})

    assert response.status_code == 302 and response.url == f"/inbox/{case.pk}/"
    case.refresh_from_db()
    assert case.status == CaseStatus.REPLIED


def test_the_post_endpoint_refuses_viewers_outsiders_gets_and_missing_csrf(space_a, space_b):
    case = builders.mastodon_case(space_a)
    viewer = factories.user()
    factories.member(viewer, space_a, Role.VIEWER)
    outsider = factories.user()
    factories.member(outsider, space_b, Role.OWNER)
    url = f"/publish/case/{case.pk}/"
    assert _client(viewer).post(url, {"reply_text": TEXT}).status_code == 403
    assert _client(outsider).post(url, {"reply_text": TEXT}).status_code == 404
    agent = _agent(space_a)
    assert _client(agent).get(url).status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(agent)
    assert strict.post(url, {"reply_text": TEXT}).status_code == 403
    case.refresh_from_db()
    assert case.status == CaseStatus.NEW


def test_the_accounts_page_never_shows_a_secret_in_full(space_a, platform):
    builders.mastodon_account(space_a, platform.base_url)
    manager = factories.user()
    factories.member(manager, space_a, Role.MANAGER)
    page = _client(manager).get("/publish/accounts/").content.decode()
    assert builders.MASTODON_TOKEN not in page and "••••cdef" in page
    agent_page = _client(_agent(space_a)).get("/publish/accounts/").content.decode()
    assert builders.MASTODON_TOKEN not in agent_page and "cdef" not in agent_page


def test_managers_set_accounts_and_agents_cannot(space_a):
    manager = factories.user()
    factories.member(manager, space_a, Role.MANAGER)
    form = {
        "platform": "bluesky",
        "service_url": "",
        "handle": "brulerie-azur.bsky.social",
        "secret": "wxyz-abcd-efgh-ijkl",
    }
    assert _client(_agent(space_a)).post("/publish/accounts/", form).status_code == 403
    response = _client(manager).post("/publish/accounts/", form)
    assert response.status_code == 302
    account = space_a.platform_accounts.get()
    assert account.service_url == "https://bsky.social" and account.secret == form["secret"]
    # Replacing without a secret keeps the saved one.
    _client(manager).post("/publish/accounts/", {**form, "secret": "", "handle": "azur.fr"})
    account.refresh_from_db()
    assert account.handle == "azur.fr" and account.secret == form["secret"]
    assert Event.objects.filter(verb="platform_account.saved").count() == 2


def test_the_database_holds_the_token_sealed_never_in_clear(space_a, platform):
    account = builders.mastodon_account(space_a, platform.base_url)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM publish_platformaccount WHERE id = %s", [account.pk])
        row = cursor.fetchone()
    assert not any(builders.MASTODON_TOKEN in str(value) for value in row)
    assert PlatformAccount.objects.get(pk=account.pk).secret == builders.MASTODON_TOKEN


def test_after_a_key_change_posting_says_to_enter_the_token_again(space_a, platform, settings):
    _mastodon_answers(platform)
    case = builders.mastodon_case(space_a)
    builders.mastodon_account(space_a, platform.base_url)
    settings.SECRET_KEY = "a new key for this installation, long enough to be realistic"

    with pytest.raises(PublishError, match="must enter it again on the accounts page"):
        publish_reply(case, TEXT, _agent(space_a))

    assert platform.seen == []
    case.refresh_from_db()
    assert case.status == CaseStatus.NEW
    settings.LANGUAGE_CODE = "en"
    manager = factories.user()
    factories.member(manager, space_a, Role.MANAGER)
    page = _client(manager).get("/publish/accounts/").content.decode()
    assert "unreadable: enter it again" in page


@pytest.mark.django_db(transaction=True)
def test_the_migration_seals_the_tokens_already_saved():
    executor = MigrationExecutor(connection)
    executor.migrate([("publish", "0001_initial")])
    old = executor.loader.project_state([("publish", "0001_initial")]).apps
    space = old.get_model("core", "Workspace").objects.create(name="Azur migré")
    old.get_model("publish", "PlatformAccount").objects.create(
        workspace_id=space.pk, platform="mastodon", service_url="https://m.example", secret=TOKEN
    )
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    account = PlatformAccount.objects.get()
    assert TOKEN not in account.sealed_secret and account.secret == TOKEN

"""The case page's one composer: one text box, posted by veille or marked replied by hand."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from django.test import Client

from tests.publish import builders
from tests.publish.test_approval import _crisis, _people
from tests.publish.test_publish import TEXT, _mastodon_answers
from tests.web import factories
from veille.alerts.models import PendingReply, ReplyState
from veille.core.models import CaseStatus, Event, Role, SourceKind

pytestmark = pytest.mark.django_db


@dataclass
class Composer:
    action: str = ""
    fields: dict[str, str] = field(default_factory=dict)  # name -> value
    boxes: list[dict[str, str]] = field(default_factory=list)  # the textareas' attributes
    buttons: list[tuple[dict[str, str], str]] = field(default_factory=list)  # attrs, label

    def button(self, label: str) -> dict[str, str]:
        found = [attrs for attrs, text in self.buttons if text == label]
        assert len(found) == 1, (label, self.buttons)
        return found[0]

    def labels(self) -> list[str]:
        return [text for _attrs, text in self.buttons]


class _ComposerParser(HTMLParser):
    """Reads the form marked data-composer: its fields, text boxes and submit buttons."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[Composer] = []
        self.inside = False
        self.button: dict[str, str] | None = None
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = {key: value or "" for key, value in attrs}
        if tag == "form" and "data-composer" in named:
            self.inside = True
            self.found.append(Composer(action=named["action"]))
        elif not self.inside:
            return
        elif tag == "input" and named.get("name"):
            self.found[-1].fields[named["name"]] = named.get("value", "")
        elif tag == "textarea":
            self.found[-1].boxes.append(named)
            self.found[-1].fields[named.get("name", "")] = ""
        elif tag == "button":
            self.button, self.text = named, ""

    def handle_data(self, data: str) -> None:
        if self.button is not None:
            self.text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "button" and self.button is not None:
            self.found[-1].buttons.append((self.button, self.text.strip()))
            self.button = None


def _client(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def _composers(client: Client, case) -> list[Composer]:
    response = client.get(f"/inbox/{case.pk}/")
    assert response.status_code == 200
    parser = _ComposerParser()
    parser.feed(response.content.decode())
    return parser.found


def _composer(client: Client, case) -> Composer:
    (found,) = _composers(client, case)
    return found


def _agent(space):
    person = factories.user()
    factories.member(person, space, Role.AGENT)
    return person


def test_with_an_account_one_box_serves_both_the_post_and_mark_replied(space_a):
    case = builders.mastodon_case(space_a)
    builders.mastodon_account(space_a, "https://mastodon.example")
    composer = _composer(_client(_agent(space_a)), case)
    assert [box["id"] for box in composer.boxes] == ["reply-text"]
    assert composer.boxes[0]["name"] == "reply_text" and "data-draft" in composer.boxes[0]
    assert composer.labels() == ["Post on Mastodon", "Mark replied"]
    assert composer.button("Post on Mastodon")["formaction"] == f"/publish/case/{case.pk}/"
    assert "formaction" not in composer.button("Mark replied")
    assert composer.action == f"/inbox/{case.pk}/replied/"
    assert "reply_url" in composer.fields


def test_the_post_button_sends_the_composers_text_to_the_platform(space_a, platform):
    _mastodon_answers(platform)
    case = builders.mastodon_case(space_a)
    builders.mastodon_account(space_a, platform.base_url)
    client = _client(_agent(space_a))
    composer = _composer(client, case)
    sent = composer.fields | {"reply_text": TEXT}

    response = client.post(composer.button("Post on Mastodon")["formaction"], sent)

    assert response.status_code == 302
    assert platform.seen[-1].body["status"].endswith(TEXT)
    case.refresh_from_db()
    assert case.status == CaseStatus.REPLIED
    assert Event.objects.get(case=case, verb="case.replied").data["text"] == TEXT


def test_without_an_account_the_composer_marks_replied_and_says_why(space_a):
    case = builders.mastodon_case(space_a)
    client = _client(_agent(space_a))
    composer = _composer(client, case)
    assert composer.labels() == ["Mark replied"]
    page = client.get(f"/inbox/{case.pk}/").content.decode()
    assert "This workspace has no Mastodon account to post with yet." in page
    assert 'id="publish-text"' not in page


def test_where_veille_cannot_post_there_is_only_mark_replied(space_a):
    case = builders.mastodon_case(space_a)
    builders.mastodon_account(space_a, "https://mastodon.example")
    case.thread_root.source.kind = SourceKind.FEED
    case.thread_root.source.save()
    client = _client(_agent(space_a))
    assert _composer(client, case).labels() == ["Mark replied"]
    assert "account to post with" not in client.get(f"/inbox/{case.pk}/").content.decode()


def test_during_a_crisis_an_agents_buttons_submit_for_approval(space_a):
    case = builders.mastodon_case(space_a)
    builders.mastodon_account(space_a, "https://mastodon.example")
    agent, manager = _people(space_a)
    _crisis(space_a, case)

    held = _composer(_client(agent), case)
    assert held.labels() == ["Submit for approval"]
    assert held.button("Submit for approval")["formaction"] == f"/publish/case/{case.pk}/"
    assert "reply_url" not in held.fields
    # Managers approve replies; theirs go out at once.
    assert _composer(_client(manager), case).labels() == ["Post on Mastodon", "Mark replied"]

    response = _client(agent).post(f"/publish/case/{case.pk}/", {"reply_text": TEXT})
    assert response.status_code == 302
    pending = PendingReply.objects.get(case=case)
    assert pending.state == ReplyState.PENDING and pending.text == TEXT


def test_during_a_crisis_without_an_account_mark_replied_submits_for_approval(space_a):
    case = builders.mastodon_case(space_a)
    agent, _manager = _people(space_a)
    _crisis(space_a, case)
    client = _client(agent)
    composer = _composer(client, case)
    assert composer.labels() == ["Submit for approval"]
    assert "formaction" not in composer.button("Submit for approval")

    response = client.post(composer.action, composer.fields | {"reply_text": TEXT})

    assert response.status_code == 302
    assert PendingReply.objects.get(case=case).text == TEXT
    case.refresh_from_db()
    assert case.status == CaseStatus.NEW


def test_viewers_get_no_composer(space_a):
    case = builders.mastodon_case(space_a)
    builders.mastodon_account(space_a, "https://mastodon.example")
    viewer = factories.user()
    factories.member(viewer, space_a, Role.VIEWER)
    assert _composers(_client(viewer), case) == []

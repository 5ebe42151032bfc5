"""Labels, bulk actions, saved views, settings, brand handles and the hooks for other apps."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests import factories as pipeline_factories
from tests.inbox import builders
from tests.web import factories
from veille.core.models import Author, Case, CaseStatus, Event, Mention, Role, Source
from veille.inbox import views, workflow
from veille.inbox.cases import brand_author_ids, open_cases
from veille.inbox.models import Label, SavedView, WorkspaceSLA

pytestmark = pytest.mark.django_db


def _client(space, role=Role.AGENT):
    person = factories.user()
    factories.member(person, space, role)
    client = Client()
    client.force_login(person)
    return client, person


def test_labels_go_on_cases_and_filter_the_inbox(space_a):
    client, _person = _client(space_a)
    vip = Label.objects.create(workspace=space_a, name="VIP", colour="purple")
    tagged = builders.case(space_a, "Client fidèle")
    builders.case(space_a, "Inconnu")
    client.post(reverse("inbox_case_action", args=[tagged.pk, "label"]), {"label": vip.pk})
    assert list(tagged.labels.all()) == [vip]
    html = client.get(reverse("inbox"), {"label": vip.pk}).content.decode()
    assert "Client fidèle" in html and "Inconnu" not in html
    assert '<li class="label label-purple">VIP</li>' in html
    client.post(
        reverse("inbox_case_action", args=[tagged.pk, "label"]), {"label": vip.pk, "remove": "1"}
    )
    assert not tagged.labels.exists()
    verbs = list(Event.objects.filter(case=tagged).order_by("pk").values_list("verb", flat=True))
    assert verbs == ["case.labelled", "case.unlabelled"]
    page = client.get(reverse("inbox_case", args=[tagged.pk])).content.decode()
    assert "added the label VIP" in page and "removed the label VIP" in page


def test_a_label_of_another_workspace_filters_nothing_in(space_a, space_b):
    client, _person = _client(space_a)
    builders.case(space_a, "Ici")
    foreign = Label.objects.create(workspace=space_b, name="autre")
    html = client.get(reverse("inbox"), {"label": foreign.pk}).content.decode()
    assert "Ici" not in html and "autre" not in html


def test_a_duplicate_label_name_is_refused(space_a):
    client, _person = _client(space_a, Role.MANAGER)
    Label.objects.create(workspace=space_a, name="VIP")
    response = client.post(reverse("inbox_labels"), {"name": "vip", "colour": "red"})
    assert "already has a label with this name" in response.content.decode()
    response = client.post(reverse("inbox_labels"), {"name": "x", "colour": "fuchsia"})
    assert "Select a valid choice" in response.content.decode()
    assert Label.objects.count() == 1


def test_bulk_actions_change_every_selected_case_with_one_event_each(space_a):
    client, person = _client(space_a)
    other = factories.user("other")
    factories.member(other, space_a, Role.AGENT)
    urgent = Label.objects.create(workspace=space_a, name="urgent")
    picked = [builders.case(space_a, f"choisi {n}") for n in range(3)]
    left = builders.case(space_a, "laissé")
    ids = [str(case.pk) for case in picked]

    client.post(reverse("inbox_bulk"), {"action": "assign", "assignee": other.pk, "case": ids})
    client.post(reverse("inbox_bulk"), {"action": "label", "label": urgent.pk, "case": ids})
    response = client.post(
        reverse("inbox_bulk"), {"action": "status", "status": "pending", "case": ids}, follow=True
    )
    assert "3 cases changed." in response.content.decode()
    for case in picked:
        case.refresh_from_db()
        assert (case.assignee, case.status) == (other, CaseStatus.PENDING)
        assert list(case.labels.all()) == [urgent]
        verbs = sorted(Event.objects.filter(case=case, actor=person).values_list("verb", flat=True))
        assert verbs == ["case.assigned", "case.labelled", "case.status"]
    left.refresh_from_db()
    assert left.assignee is None and not left.labels.exists() and left.status == CaseStatus.NEW


def test_a_bad_bulk_action_changes_nothing_and_says_why(space_a):
    client, _person = _client(space_a)
    cases = [builders.case(space_a) for _ in range(2)]
    response = client.post(
        reverse("inbox_bulk"),
        {"action": "status", "status": "nonsense", "case": [c.pk for c in cases]},
        follow=True,
    )
    assert "Unknown status: nonsense." in response.content.decode()
    assert not Event.objects.filter(verb="case.status").exists()
    response = client.post(reverse("inbox_bulk"), {"action": "ignore"}, follow=True)
    assert "Select at least one case." in response.content.decode()
    # A foreign case among one's own: the whole request is refused.
    foreign = builders.case(factories.workspace("Ailleurs"))
    response = client.post(
        reverse("inbox_bulk"), {"action": "ignore", "case": [cases[0].pk, foreign.pk]}
    )
    assert response.status_code == 404
    assert not Case.objects.filter(status=CaseStatus.IGNORED).exists()


def test_low_value_cases_are_ignored_in_one_action(space_a):
    client, person = _client(space_a)
    spam = builders.case(space_a, "concours", priority=-50)
    meh = builders.case(space_a, "bof", priority=4)
    worth = builders.case(space_a, "question", priority=35)
    closed = builders.case(space_a, "fini", priority=1, status=CaseStatus.CLOSED)
    response = client.post(
        reverse("inbox_bulk"), {"action": "ignore_low", "below": "10"}, follow=True
    )
    assert "2 cases changed." in response.content.decode()
    statuses = {c.pk: Case.objects.get(pk=c.pk).status for c in (spam, meh, worth, closed)}
    assert statuses == {
        spam.pk: CaseStatus.IGNORED,
        meh.pk: CaseStatus.IGNORED,
        worth.pk: CaseStatus.NEW,
        closed.pk: CaseStatus.CLOSED,
    }
    assert Event.objects.filter(verb="case.status", actor=person).count() == 2
    bad = client.post(reverse("inbox_bulk"), {"action": "ignore_low", "below": "x"}, follow=True)
    assert "Give the priority below which cases are ignored." in bad.content.decode()


def test_the_list_has_checkboxes_select_all_and_the_bulk_form(space_a):
    client, _person = _client(space_a)
    case = builders.case(space_a)
    html = client.get(reverse("inbox")).content.decode()
    assert f'name="case" value="{case.pk}" form="bulk-form"' in html
    assert "data-select-all" in html and 'id="bulk-form"' in html
    viewer, _v = _client(space_a, Role.VIEWER)
    html = viewer.get(reverse("inbox")).content.decode()
    assert 'id="bulk-form"' not in html and 'name="case"' not in html


def test_saved_views_are_private_unless_shared(space_a):
    alice, _a = _client(space_a)
    bob, _b = _client(space_a)
    response = alice.post(
        reverse("inbox_view_save"), {"name": "Mes nouveaux", "status": "new", "assignee": "me"}
    )
    assert response["Location"] == reverse("inbox") + "?status=new&assignee=me"
    alice.post(reverse("inbox_view_save"), {"name": "Équipe", "status": "open", "shared": "on"})
    mine = alice.get(reverse("inbox")).content.decode()
    theirs = bob.get(reverse("inbox")).content.decode()
    assert "Mes nouveaux" in mine and "Équipe" in mine
    assert "Mes nouveaux" not in theirs and "Équipe" in theirs
    private = SavedView.objects.get(name="Mes nouveaux")
    assert bob.post(reverse("inbox_view_delete", args=[private.pk])).status_code == 404
    shared = SavedView.objects.get(name="Équipe")
    assert bob.post(reverse("inbox_view_delete", args=[shared.pk])).status_code == 403
    assert alice.post(reverse("inbox_view_delete", args=[private.pk])).status_code == 302
    assert list(SavedView.objects.values_list("name", flat=True)) == ["Équipe"]


def test_settings_validate_hours_and_time_zone(space_a):
    client, _person = _client(space_a, Role.OWNER)
    response = client.post(
        reverse("inbox_settings"),
        {"first_response_minutes": "0", "time_zone": "Mars/Olympus", "hours_tue": "9h-18h"},
    )
    html = response.content.decode()
    assert "Unknown time zone “Mars/Olympus”" in html
    assert "Tuesday: “9h-18h” is not a span like 09:00-18:00." in html
    assert "at least one minute" in html
    assert not WorkspaceSLA.objects.exists()
    data = {"first_response_minutes": "120", "time_zone": "", "brand_handles": "@azur"}
    data |= {f"hours_{day}": "09:00-18:00" for day in ("mon", "tue", "wed", "thu", "fri")}
    assert client.post(reverse("inbox_settings"), data).status_code == 302
    sla = WorkspaceSLA.objects.get()
    assert sla.business_hours["fri"] == [["09:00", "18:00"]] and "sat" not in sla.business_hours
    page = client.get(reverse("inbox_settings")).content.decode()
    assert 'value="09:00-18:00"' in page


def test_replies_from_a_brand_handle_answer_the_case(space_a):
    WorkspaceSLA.objects.create(
        workspace=space_a, brand_handles="mastodon:@brulerieazur\n@azur_support"
    )
    # On Mastodon an author's platform is its server; "mastodon:" names the kind of source.
    brand = Author.objects.create(platform="piaille.fr", handle="brulerieazur@piaille.fr")
    support = Author.objects.create(platform="bsky.app", handle="azur_support")
    lookalike = Author.objects.create(platform="bsky.app", handle="brulerieazur")
    watch = factories.watch(space_a, query="azur")
    source = Source.objects.create(workspace=space_a, kind="mastodon", url="https://piaille.fr/")
    elsewhere = factories.source(space_a)
    factories.mention(space_a, feed=elsewhere, author=lookalike)
    assert brand_author_ids(space_a) == {support.pk}  # brand has not spoken yet here
    start = timezone.now() - timedelta(hours=2)
    reader = Author.objects.create(platform="mastodon", handle="lea@mamot.fr")
    question = Mention.objects.create(
        workspace=space_a,
        source=source,
        external_id="q",
        author=reader,
        published_at=start,
        text="@brulerieazur vous livrez à Nice ?",
    )
    question.thread_root = question
    question.save()
    question.matches.create(watch=watch, terms=["azur"])
    open_cases(space_a, [question.pk])
    answer = Mention.objects.create(
        workspace=space_a,
        source=source,
        external_id="a",
        author=brand,
        parent=question,
        thread_root=question,
        kind="reply",
        published_at=start + timedelta(minutes=25),
        text="Oui !",
    )
    assert brand_author_ids(space_a) == {brand.pk, support.pk}
    open_cases(space_a, [answer.pk])
    case = Case.objects.get()
    assert case.status == CaseStatus.REPLIED
    assert case.first_response_time == timedelta(minutes=25)


def test_reply_checks_and_banners_from_other_apps(space_a, monkeypatch):
    client, person = _client(space_a)
    case = builders.case(space_a)
    monkeypatch.setattr(workflow, "REPLY_CHECKS", [])
    monkeypatch.setattr(views, "BANNER_PROVIDERS", [])

    @workflow.register_reply_check
    def crisis(checked, actor):
        return "Crise <en cours> : un manager doit approuver." if checked.pk == case.pk else None

    views.register_banner(lambda request: ["Procédure de crise <active>"])
    assert workflow.reply_blocked(case, person) == "Crise <en cours> : un manager doit approuver."
    response = client.post(
        reverse("inbox_case_action", args=[case.pk, "replied"]), {"reply_text": "ok"}, follow=True
    )
    html = response.content.decode()
    assert "Crise &lt;en cours&gt; : un manager doit approuver." in html
    case.refresh_from_db()
    assert case.status == CaseStatus.NEW
    inbox = client.get(reverse("inbox")).content.decode()
    assert '<p class="inbox-banner" role="alert">Procédure de crise &lt;active&gt;</p>' in inbox


def test_the_pipeline_uses_business_hours_for_the_due_time():
    space = pipeline_factories.workspace()
    WorkspaceSLA.objects.create(
        workspace=space,
        first_response_minutes=120,
        time_zone="Europe/Paris",
        business_hours={d: [["09:00", "18:00"]] for d in ("mon", "tue", "wed", "thu", "fri")},
    )
    watch = space.watches.create(name="Azur", query="azur")
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from veille.pipeline.store import store

    paris = ZoneInfo("Europe/Paris")
    friday = datetime(2026, 11, 20, 17, 30, tzinfo=paris)
    raw = pipeline_factories.raw(1, "Azur ?", published_at=friday)
    raw.matches = {watch.pk: ["azur"]}
    source = pipeline_factories.feed_source(space)
    Mention.objects.filter(pk__in=store(source, [raw], {}).mention_ids).update(collected_at=friday)
    open_cases(space, Mention.objects.values_list("pk", flat=True))
    case = Case.objects.get()
    assert case.due_at.astimezone(paris) == datetime(2026, 11, 23, 10, 30, tzinfo=paris)

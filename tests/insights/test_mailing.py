"""Scheduled reports, sent through a real SMTP server on loopback (aiosmtpd)."""

from __future__ import annotations

import socket
import zoneinfo
from datetime import UTC, date, datetime, timedelta
from email.header import decode_header, make_header

import pytest

from tests import factories
from tests.support.smtp import Mailbox
from veille.core.models import Mention
from veille.insights.mailing import last_complete_period, schedule_report, send_due_reports

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def test_the_last_complete_week_and_month():
    wednesday = date(2026, 3, 11)
    week = last_complete_period("weekly", wednesday, PARIS)
    assert (week.first_day, week.last_day) == (date(2026, 3, 2), date(2026, 3, 8))
    month = last_complete_period("monthly", wednesday, PARIS)
    assert (month.first_day, month.last_day) == (date(2026, 2, 1), date(2026, 2, 28))
    monday = last_complete_period("weekly", date(2026, 3, 9), PARIS)
    assert monday.last_day == date(2026, 3, 8)


@pytest.mark.django_db
def test_a_weekly_report_is_mailed_once_per_week_with_charts_and_pdf(smtp: Mailbox):
    space = factories.workspace("Brûlerie Azur")
    source = factories.feed_source(space)
    for day in range(14):
        Mention.objects.create(
            workspace=space,
            source=source,
            external_id=str(day),
            sentiment="positive",
            published_at=datetime(2026, 3, 1, 10, tzinfo=UTC) + timedelta(days=day),
        )
    schedule_report(space, "weekly", ["cm@azur.example", "boss@azur.example"], "en")

    sent = send_due_reports(now=datetime(2026, 3, 11, 8, tzinfo=UTC))
    assert [(s.period.first_day, s.error) for s in sent] == [(date(2026, 3, 2), "")]
    (message,) = smtp.messages
    assert message["To"] == "cm@azur.example, boss@azur.example"
    subject = str(make_header(decode_header(message["Subject"])))
    assert subject == "Brûlerie Azur: conversations from 2026-03-02 to 2026-03-08"
    parts = {part.get_content_type(): part for part in message.walk()}
    html = parts["text/html"].get_payload(decode=True).decode()
    assert 'src="cid:chart1"' in html and "data:image" not in html
    assert parts["image/png"].get_payload(decode=True).startswith(b"\x89PNG")
    assert parts["application/pdf"].get_payload(decode=True).startswith(b"%PDF")

    assert send_due_reports(now=datetime(2026, 3, 13, 8, tzinfo=UTC)) == []
    assert len(smtp.messages) == 1
    later = send_due_reports(now=datetime(2026, 3, 16, 8, tzinfo=UTC))
    assert [s.period.first_day for s in later] == [date(2026, 3, 9)]
    assert len(smtp.messages) == 2


@pytest.mark.django_db
def test_an_unreachable_server_leaves_the_period_to_send_again(settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", closed_port
    schedule = schedule_report(factories.workspace(), "monthly", ["cm@azur.example"])
    (sending,) = send_due_reports(now=datetime(2026, 3, 11, tzinfo=UTC))
    assert "ConnectionRefusedError" in sending.error
    schedule.refresh_from_db()
    assert schedule.sent_through is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("frequency", "recipients", "language", "message"),
    [
        ("daily", ["a@b.example"], "fr", "unknown frequency"),
        ("weekly", [], "fr", "no recipient"),
        ("weekly", ["not an address"], "fr", "'not an address' is not an e-mail address"),
        ("weekly", ["a@b.example"], "de", "unknown language"),
    ],
)
def test_schedules_are_checked(frequency, recipients, language, message):
    with pytest.raises(ValueError, match=message):
        schedule_report(factories.workspace(), frequency, recipients, language)

"""Scheduled reports by e-mail: after each complete week or month, HTML with its charts
inline (as attached PNG images, which mail readers show) and the same report as a PDF.

`send_due_reports` is safe to call as often as one likes (cron, `veille run`): a period is
sent once, and a period that failed to send is tried again on the next call.
"""

from __future__ import annotations

import base64
import logging
import re
import tempfile
import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email.mime.image import MIMEImage
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from veille.insights.models import Frequency, ReportSchedule
from veille.insights.period import Period
from veille.insights.report import ReportError, html_to_pdf, render_html

logger = logging.getLogger(__name__)
_PNG_URI = re.compile(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"')


def last_complete_period(frequency: str, today: date, zone: zoneinfo.ZoneInfo) -> Period:
    """The last whole week (Monday to Sunday) or calendar month before `today`."""
    if frequency == Frequency.WEEKLY:
        last = today - timedelta(days=today.weekday() + 1)
        return Period(last - timedelta(days=6), last, zone)
    last = today.replace(day=1) - timedelta(days=1)
    return Period(last.replace(day=1), last, zone)


def _inline_images(html: str) -> tuple[str, list[MIMEImage]]:
    """PNG data URIs become cid: references to attached images."""
    images: list[MIMEImage] = []

    def attach(match: re.Match[str]) -> str:
        image = MIMEImage(base64.b64decode(match.group(1)), "png")
        cid = f"chart{len(images) + 1}"
        image.add_header("Content-ID", f"<{cid}>")
        image.add_header("Content-Disposition", "inline", filename=f"{cid}.png")
        images.append(image)
        return f'src="cid:{cid}"'

    return _PNG_URI.sub(attach, html), images


def build_message(schedule: ReportSchedule, period: Period) -> EmailMultiAlternatives:
    space = schedule.workspace
    html = render_html(space, period, "day", schedule.language, chart_format="png")
    mail_html, images = _inline_images(html)
    with translation.override(schedule.language):
        subject = _("%(workspace)s: conversations from %(first)s to %(last)s") % {
            "workspace": space.name,
            "first": period.first_day,
            "last": period.last_day,
        }
        text = _(
            "The report of %(workspace)s is in this message as HTML, and attached as a PDF."
        ) % {"workspace": space.name}
    message = EmailMultiAlternatives(
        subject=subject.replace("\n", " "),
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=schedule.recipients,
    )
    message.attach_alternative(mail_html, "text/html")
    message.mixed_subtype = "related"
    for image in images:
        message.attach(image)
    name = f"{slugify(space.name) or 'veille'}-{period.first_day}-{period.last_day}"
    try:
        pdf = _pdf(html)  # the same report, its charts as PNG
        message.attach(f"{name}.pdf", pdf, "application/pdf")
    except ReportError as error:
        logger.warning("report %s sent without its PDF: %s", schedule.pk, error)
        message.attach(f"{name}.html", html, "text/html")
    return message


def _pdf(html: str) -> bytes:
    with tempfile.TemporaryDirectory(prefix="veille-mail-") as work:
        out = Path(work) / "report.pdf"
        html_to_pdf(html, out)
        return out.read_bytes()


@dataclass
class Sending:
    schedule: ReportSchedule
    period: Period
    error: str = ""


def send_due_reports(now: datetime | None = None) -> list[Sending]:
    """Send every active schedule's report for its last complete period, once."""
    now = now or timezone.now()
    done = []
    for schedule in ReportSchedule.objects.filter(active=True).select_related("workspace"):
        zone = zoneinfo.ZoneInfo(schedule.workspace.time_zone)
        period = last_complete_period(schedule.frequency, now.astimezone(zone).date(), zone)
        if schedule.sent_through is not None and schedule.sent_through >= period.last_day:
            continue
        sending = Sending(schedule, period)
        try:
            build_message(schedule, period).send()
        except OSError as error:  # SMTP and socket errors: try again next time
            sending.error = f"{type(error).__name__}: {error}"
            logger.warning("report %s not sent: %s", schedule.pk, sending.error)
        else:
            schedule.sent_through = period.last_day
            schedule.save(update_fields=["sent_through"])
        done.append(sending)
    return done


def schedule_report(workspace, frequency: str, recipients: list[str], language: str = "fr"):
    """Add a schedule, checking every address and the language first."""
    if frequency not in Frequency.values:
        raise ValueError(f"unknown frequency {frequency!r}: use {', '.join(Frequency.values)}")
    if language not in ("fr", "en"):
        raise ValueError(f"unknown language {language!r}: use fr or en")
    if not recipients:
        raise ValueError("no recipient: give at least one e-mail address")
    for address in recipients:
        try:
            validate_email(address)
        except ValidationError:
            raise ValueError(f"{address!r} is not an e-mail address") from None
    return ReportSchedule.objects.create(
        workspace=workspace, frequency=frequency, recipients=recipients, language=language
    )

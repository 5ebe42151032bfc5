"""What the conversation may move: daily web traffic or sales, imported by the team."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from veille.core.models import Workspace


class Outcome(models.Model):
    """One day's value of a business figure (visits, sales, sign-ups) for a workspace."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="outcomes")
    metric = models.CharField(_("metric"), max_length=80)
    day = models.DateField(_("day"))
    value = models.FloatField(_("value"))

    class Meta:
        ordering = ["workspace", "metric", "day"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "metric", "day"], name="one_outcome_per_day"
            )
        ]
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")

    def __str__(self) -> str:
        return f"{self.metric} {self.day}: {self.value:g}"


class Frequency(models.TextChoices):
    WEEKLY = "weekly", _("every week")
    MONTHLY = "monthly", _("every month")


class ReportSchedule(models.Model):
    """A report mailed after each complete week or month, in the workspace's time zone."""

    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="report_schedules"
    )
    frequency = models.CharField(_("frequency"), max_length=8, choices=Frequency.choices)
    recipients = models.JSONField(_("recipients"), default=list)
    language = models.CharField(_("language"), max_length=8, default="fr")
    active = models.BooleanField(_("active"), default=True)
    # The last day of the last period sent: the next report starts the day after.
    sent_through = models.DateField(_("sent through"), null=True, blank=True)

    class Meta:
        ordering = ["workspace", "frequency"]
        verbose_name = _("report schedule")
        verbose_name_plural = _("report schedules")

    def __str__(self) -> str:
        return f"{self.workspace} {self.frequency} → {', '.join(self.recipients)}"


# Daily roll-ups: what the dashboard reads instead of the mentions (see rollups.py).
# A "day" is a calendar day in the workspace's time zone, as the panels cut periods.


class DailyVolume(models.Model):
    """Mentions of one workspace day, by platform, media category and sentiment."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    platform = models.CharField(max_length=100, blank=True)
    media_category = models.CharField(max_length=8)
    sentiment = models.CharField(max_length=8, blank=True)
    number = models.PositiveIntegerField()  # of mentions

    class Meta:
        indexes = [models.Index(fields=["workspace", "day"], name="rollup_volume_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.platform} {self.media_category} {self.sentiment}: {self.number}"


class DailyWatchVolume(models.Model):
    """Mentions matched by one watch on one workspace day, by sentiment."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    watch = models.ForeignKey(
        "core.Watch", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    sentiment = models.CharField(max_length=8, blank=True)
    number = models.PositiveIntegerField()  # of mentions

    class Meta:
        indexes = [models.Index(fields=["workspace", "day"], name="rollup_watch_day")]

    def __str__(self) -> str:
        return f"{self.day} watch {self.watch_id} {self.sentiment}: {self.number}"


class AuthorDay(models.Model):
    """One author active on one workspace day: how many mentions, how many polar."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(
        "core.Author", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    day = models.DateField()
    month = models.IntegerField()  # year * 12 + month - 1, of the day
    mentions = models.PositiveIntegerField()
    positive = models.PositiveIntegerField()
    negative = models.PositiveIntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["workspace", "day"], name="rollup_authorday_day"),
            models.Index(fields=["workspace", "author", "day"], name="rollup_authorday_author"),
        ]

    def __str__(self) -> str:
        return f"{self.day} author {self.author_id}: {self.mentions}"


class AuthorMonth(models.Model):
    """One author active in one workspace month (month = year * 12 + month - 1)."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(
        "core.Author", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    month = models.IntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["workspace", "month"], name="rollup_authormonth_month"),
            models.Index(fields=["workspace", "author"], name="rollup_authormonth_author"),
        ]

    def __str__(self) -> str:
        return f"{self.month} author {self.author_id}"


class AuthorFirst(models.Model):
    """The first day (and month) an author was active in a workspace."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(
        "core.Author", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    first_day = models.DateField()
    first_month = models.IntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["workspace", "first_day"], name="rollup_authorfirst_day"),
            models.Index(fields=["workspace", "author"], name="rollup_authorfirst_author"),
        ]

    def __str__(self) -> str:
        return f"author {self.author_id} since {self.first_day}"


class MonthlyCohort(models.Model):
    """Of the authors whose first month in the workspace is `first_month`, how many were
    active in `month` (months as in AuthorMonth); the cohorts panel reads these rows."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    first_month = models.IntegerField()
    month = models.IntegerField()
    authors = models.PositiveIntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["workspace", "first_month"], name="rollup_cohort_first"),
            models.Index(fields=["workspace", "month"], name="rollup_cohort_month"),
        ]

    def __str__(self) -> str:
        return f"cohort {self.first_month} in {self.month}: {self.authors}"


class DailyEdge(models.Model):
    """Network edges of one workspace day: an author published on a site ("site:<host>") or
    replied to an author ("author:<id>"), `weight` times. A row with no author records
    that a site was seen (a mention without a known author)."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    author = models.ForeignKey(
        "core.Author", null=True, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    target = models.CharField(max_length=300)
    weight = models.PositiveIntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["workspace", "day"], name="rollup_edge_day"),
            # One author's edges of a period: PostgreSQL reads the index alone (the map reads
            # its kept authors' edges so, without visiting the table's pages).
            models.Index(
                fields=["workspace", "author", "day"],
                include=["target", "weight"],
                name="rollup_edge_author_targets",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.author_id} -> {self.target}: {self.weight}"


class MonthlyAuthor(models.Model):
    """One author's month in a workspace (month as in AuthorMonth): the mentions they
    published (positive, negative among them) and the replies other authors made to them
    (`answered`). A row exists when either is not zero. The network panel ranks the busiest
    and most answered authors of a period from these rows (see network.py)."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(
        "core.Author", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    month = models.IntegerField()
    mentions = models.PositiveIntegerField()
    positive = models.PositiveIntegerField()
    negative = models.PositiveIntegerField()
    answered = models.PositiveIntegerField()

    class Meta:
        indexes = [
            # The authors of a month with at least so many mentions, or replies received.
            models.Index(
                fields=["workspace", "month", "mentions"],
                include=["author"],
                name="rollup_monthly_mentions",
            ),
            models.Index(
                fields=["workspace", "month", "answered"],
                include=["author"],
                name="rollup_monthly_answered",
            ),
            # One author's months, with their figures (PostgreSQL reads the index alone).
            models.Index(
                fields=["workspace", "author", "month"],
                include=["mentions", "positive", "negative", "answered"],
                name="rollup_monthly_author",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month} author {self.author_id}: {self.mentions}, {self.answered} answers"

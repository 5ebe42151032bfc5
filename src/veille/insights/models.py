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

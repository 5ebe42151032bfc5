"""Forms of the inbox's settings: labels, rules, service level and brand handles, views."""

from __future__ import annotations

import zoneinfo

from django import forms
from django.utils.translation import gettext_lazy as _

from veille.core.models import Sentiment, Watch, Workspace
from veille.enrich.intent import INTENTS
from veille.inbox import workflow
from veille.inbox.business_hours import (
    WEEKDAYS,
    format_spans,
    parse_spans,
    week_from_json,
    week_to_json,
)
from veille.inbox.models import Label, PriorityChange, Rule, SavedView, WorkspaceSLA
from veille.query import QuerySyntaxError
from veille.web.forms import query_validation_error, read_query

DAY_NAMES = {
    "mon": _("Monday"),
    "tue": _("Tuesday"),
    "wed": _("Wednesday"),
    "thu": _("Thursday"),
    "fri": _("Friday"),
    "sat": _("Saturday"),
    "sun": _("Sunday"),
}
INTENT_NAMES = {
    "question": _("question"),
    "complaint": _("complaint"),
    "praise": _("praise"),
    "purchase_intent": _("purchase intent"),
    "spam": _("spam"),
}


class LabelForm(forms.ModelForm):
    class Meta:
        model = Label
        fields = ["name", "colour"]

    def __init__(self, *args: object, workspace: Workspace, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.instance.workspace = workspace

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("A label needs a name."))
        taken = Label.objects.filter(workspace=self.instance.workspace, name__iexact=name)
        if taken.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("This workspace already has a label with this name."))
        return name


class RuleForm(forms.ModelForm):
    """A rule's conditions and actions; the keywords must parse as a query."""

    assign = forms.ChoiceField(label=_("Assign to"), required=False)

    class Meta:
        model = Rule
        fields = [
            "name",
            "active",
            "watch",
            "sentiment",
            "intent",
            "platform",
            "author",
            "keywords",
            "add_label",
            "priority_change",
            "priority_value",
            "ignore",
            "continue_matching",
        ]
        widgets = {"keywords": forms.Textarea(attrs={"rows": 2, "spellcheck": "false"})}

    def __init__(self, *args: object, workspace: Workspace, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.workspace = workspace
        self.instance.workspace = workspace
        self.query_error: QuerySyntaxError | None = None
        self.fields["watch"].queryset = Watch.objects.filter(workspace=workspace).order_by("name")
        self.fields["watch"].empty_label = _("any watch")
        self.fields["add_label"].queryset = Label.objects.filter(workspace=workspace)
        self.fields["add_label"].empty_label = _("no label")
        self.fields["sentiment"] = forms.ChoiceField(
            label=_("Sentiment"),
            required=False,
            choices=[("", _("any sentiment")), *Sentiment.choices],
        )
        self.fields["intent"] = forms.ChoiceField(
            label=_("Intent"),
            required=False,
            choices=[("", _("any intent"))] + [(name, INTENT_NAMES[name]) for name in INTENTS],
        )
        people = workflow.assignable_users(workspace)
        self.fields["assign"].choices = [
            ("", _("nobody (leave as is)")),
            ("round-robin", _("round-robin among available agents")),
        ] + [(str(person.pk), person.get_username()) for person in people]
        if self.instance.pk:
            if self.instance.round_robin:
                self.initial["assign"] = "round-robin"
            elif self.instance.assign_to_id:
                self.initial["assign"] = str(self.instance.assign_to_id)
        self.order_fields(["name", "active", "watch", "sentiment", "intent", "platform"])

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("A rule needs a name."))
        return name

    def clean_keywords(self) -> str:
        text = self.cleaned_data.get("keywords", "").strip()
        if text:
            _query, self.query_error = read_query(text)
            if self.query_error is not None:
                raise query_validation_error(self.query_error)
        return text

    def clean(self) -> dict:
        data = super().clean()
        change, value = data.get("priority_change"), data.get("priority_value")
        if change and value is None:
            self.add_error("priority_value", _("Give the number to raise, lower or set to."))
        if change in (PriorityChange.RAISE, PriorityChange.LOWER) and value is not None:
            if value < 0:
                self.add_error("priority_value", _("Give a positive number."))
        return data

    def save(self, commit: bool = True) -> Rule:
        rule = super().save(commit=False)
        chosen = self.cleaned_data.get("assign", "")
        rule.round_robin = chosen == "round-robin"
        rule.assign_to = None
        if chosen and chosen != "round-robin":
            rule.assign_to = next(
                person
                for person in workflow.assignable_users(self.workspace)
                if str(person.pk) == chosen
            )
        if not rule.priority_change:
            rule.priority_value = None
        if rule.pk is None:
            last = Rule.objects.filter(workspace=self.workspace).order_by("-position").first()
            rule.position = (last.position + 1) if last else 0
        if commit:
            rule.save()
        return rule


class SettingsForm(forms.ModelForm):
    """The first-response target, its business hours and time zone, the brand's handles."""

    class Meta:
        model = WorkspaceSLA
        fields = ["first_response_minutes", "time_zone", "brand_handles"]
        widgets = {"brand_handles": forms.Textarea(attrs={"rows": 3, "spellcheck": "false"})}

    def __init__(self, *args: object, workspace: Workspace, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.instance.workspace = workspace
        self.fields["first_response_minutes"].min_value = 1
        try:
            week = week_from_json(self.instance.business_hours)
        except ValueError:
            week = {}
        for day in WEEKDAYS:
            self.fields[f"hours_{day}"] = forms.CharField(
                label=DAY_NAMES[day],
                required=False,
                initial=format_spans(week.get(day, [])),
                help_text=_("e.g. 09:00-12:30, 14:00-18:00; empty: closed"),
            )

    def clean_first_response_minutes(self) -> int:
        minutes = self.cleaned_data["first_response_minutes"]
        if minutes < 1:
            raise forms.ValidationError(_("The target is at least one minute."))
        return minutes

    def clean_time_zone(self) -> str:
        name = self.cleaned_data.get("time_zone", "").strip()
        if name:
            try:
                zoneinfo.ZoneInfo(name)
            except (ValueError, zoneinfo.ZoneInfoNotFoundError):
                raise forms.ValidationError(
                    _("Unknown time zone “%(name)s”: use a name like Europe/Paris.")
                    % {"name": name}
                ) from None
        return name

    def clean(self) -> dict:
        data = super().clean()
        week = {}
        for day in WEEKDAYS:
            try:
                week[day] = parse_spans(data.get(f"hours_{day}", ""), str(DAY_NAMES[day]))
            except ValueError as error:
                self.add_error(f"hours_{day}", str(error))
        self.instance.business_hours = week_to_json(week)
        return data


class SavedViewForm(forms.ModelForm):
    class Meta:
        model = SavedView
        fields = ["name", "shared"]

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("A view needs a name."))
        return name

"""Forms of the playbook pages: author watch-lists and playbooks."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from veille.alerts.models import AuthorList, Playbook, PlaybookKind
from veille.core.models import Role, Watch, Workspace

MAX_ENTRIES = 2000


class AuthorListForm(forms.ModelForm):
    class Meta:
        model = AuthorList
        fields = ["name", "entries"]
        widgets = {"entries": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args: object, workspace: Workspace, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.instance.workspace = workspace

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        taken = AuthorList.objects.filter(workspace=self.instance.workspace, name=name)
        if taken.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("A watch-list with this name exists."))
        return name

    def clean_entries(self) -> str:
        lines = [line.strip() for line in self.cleaned_data["entries"].splitlines()]
        lines = [line for line in lines if line]
        if not lines:
            raise forms.ValidationError(_("Give at least one handle, name or site."))
        if len(lines) > MAX_ENTRIES:
            raise forms.ValidationError(
                _("A watch-list holds at most %(limit)d entries.") % {"limit": MAX_ENTRIES}
            )
        for number, line in enumerate(lines, start=1):
            if len(line) > 200:
                raise forms.ValidationError(
                    _("Line %(number)d is longer than 200 characters.") % {"number": number}
                )
        return "\n".join(lines)


class PlaybookForm(forms.ModelForm):
    notify_roles = forms.MultipleChoiceField(
        label=gettext_lazy("roles to email"),
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Playbook
        fields = [
            "name",
            "kind",
            "watch",
            "author_list",
            "threshold",
            "window_minutes",
            "notify_roles",
            "approval",
            "show_banner",
            "quiet_minutes",
            "enabled",
        ]

    def __init__(self, *args: object, workspace: Workspace, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.instance.workspace = workspace
        self.fields["watch"].queryset = Watch.objects.filter(workspace=workspace)
        self.fields["author_list"].queryset = AuthorList.objects.filter(workspace=workspace)

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        taken = Playbook.objects.filter(workspace=self.instance.workspace, name=name)
        if taken.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("A playbook with this name exists."))
        return name

    def clean(self) -> dict:
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == PlaybookKind.NEGATIVE_BURST and not cleaned.get("watch"):
            self.add_error("watch", _("A negative burst is counted on one watch: choose it."))
        if kind == PlaybookKind.LISTED_AUTHOR and not cleaned.get("author_list"):
            self.add_error("author_list", _("Choose the watch-list of authors to look for."))
        if cleaned.get("threshold") == 0:
            self.add_error("threshold", _("The threshold must be at least 1."))
        for name in ("window_minutes", "quiet_minutes"):
            value = cleaned.get(name)
            if value is not None and not 1 <= value <= 7 * 24 * 60:
                self.add_error(name, _("Give between 1 minute and 7 days (10080 minutes)."))
        return cleaned

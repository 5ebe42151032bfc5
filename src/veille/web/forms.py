"""Forms of the web interface."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from veille.core.models import MediaCategory, MentionKind, Sentiment, Watch, Workspace

LANGUAGE_CHOICES = [
    ("fr", _("French")),
    ("en", _("English")),
    ("es", _("Spanish")),
    ("de", _("German")),
    ("it", _("Italian")),
    ("pt", _("Portuguese")),
    ("nl", _("Dutch")),
]


def _with_blank(choices: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [("", _("All")), *choices]


class MentionFilterForm(forms.Form):
    """The mention list's filters; every field is optional and read from the query string."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    watch = forms.ModelChoiceField(
        label=_("Watch"), queryset=Watch.objects.none(), required=False, empty_label=_("All")
    )
    language = forms.ChoiceField(
        label=_("Language"), choices=_with_blank(LANGUAGE_CHOICES), required=False
    )
    sentiment = forms.ChoiceField(
        label=_("Sentiment"), choices=_with_blank(Sentiment.choices), required=False
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=_with_blank(MentionKind.choices), required=False
    )
    media_category = forms.ChoiceField(
        label=_("Media"), choices=_with_blank(MediaCategory.choices), required=False
    )
    since = forms.DateField(
        label=_("Since"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    until = forms.DateField(
        label=_("Until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args: object, workspace: Workspace, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["watch"].queryset = Watch.objects.filter(workspace=workspace).order_by("name")

    def clean(self) -> dict[str, object]:
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end date is before the start date."))
        return data

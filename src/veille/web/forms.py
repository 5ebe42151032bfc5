"""Forms of the web interface."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from veille.core.models import MediaCategory, MentionKind, Sentiment, Watch, Workspace
from veille.query import Query, QuerySyntaxError, parse

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
        self.fields["q"].help_text = _('The query language of watches: café OR thé, "a phrase"…')
        self.query_error: QuerySyntaxError | None = None

    def clean_q(self) -> Query | None:
        """The search, read with the query language of watches; None when empty."""
        text = self.cleaned_data.get("q", "").strip()
        if not text:
            return None
        query, self.query_error = read_query(text)
        if self.query_error is not None:
            raise query_validation_error(self.query_error)
        return query

    def clean(self) -> dict[str, object]:
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end date is before the start date."))
        return data


def read_query(text: str) -> tuple[Query | None, QuerySyntaxError | None]:
    try:
        return parse(text), None
    except QuerySyntaxError as error:
        return None, error


def query_validation_error(error: QuerySyntaxError) -> forms.ValidationError:
    """The parser's message with its column; the caret and the hint are shown apart."""
    return forms.ValidationError(
        _("%(message)s (column %(column)s)"),
        code="query",
        params={"message": error.message, "column": error.column},
    )


class WatchForm(forms.ModelForm):
    """A watch's name, query, kind, languages and state; the query must parse."""

    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=LANGUAGE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every language."),
    )

    class Meta:
        model = Watch
        fields = ["name", "query", "kind", "languages", "active"]
        widgets = {"query": forms.Textarea(attrs={"rows": 4, "spellcheck": "false"})}

    def __init__(self, *args: object, workspace: Workspace, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.workspace = workspace
        self.query_error: QuerySyntaxError | None = None

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        others = Watch.objects.filter(workspace=self.workspace, name=name)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(_("This workspace already has a watch with this name."))
        return name

    def clean_query(self) -> str:
        text = self.cleaned_data["query"].strip()
        _query, self.query_error = read_query(text)
        if self.query_error is not None:
            raise query_validation_error(self.query_error)
        return text

    def save(self, commit: bool = True) -> Watch:
        self.instance.workspace = self.workspace
        return super().save(commit)

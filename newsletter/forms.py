import datetime

from django import forms

from blog.models import Series
from taxonomy.geography import REGION_CHOICES
from taxonomy.models import Outcome


class InterestsForm(forms.Form):
    name = forms.CharField(required=False, max_length=120, label="Name (optional)")
    series = forms.ModelMultipleChoiceField(
        queryset=Series.objects.all(), required=False, widget=forms.CheckboxSelectMultiple, label="Series"
    )
    outcomes = forms.ModelMultipleChoiceField(
        queryset=Outcome.objects.all(), required=False, widget=forms.CheckboxSelectMultiple, label="Outcome areas"
    )
    regions = forms.MultipleChoiceField(
        choices=REGION_CHOICES, required=False, widget=forms.CheckboxSelectMultiple, label="Regions"
    )


class SignupForm(InterestsForm):
    """The sign-up form; `website` is a honeypot people never see or fill in."""

    email = forms.EmailField(max_length=254, label="Email address")
    website = forms.CharField(
        required=False,
        label="Leave this empty",
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    field_order = ["email", "name", "series", "outcomes", "regions", "website"]

    def is_bot(self):
        return bool(self.data.get("website"))


class DateInput(forms.DateInput):
    """A date picker; a value it cannot hold (a hand-made request's "next week") is shown
    empty beside its error rather than written into the field as invalid HTML."""

    input_type = "date"

    def format_value(self, value):
        if isinstance(value, str):
            try:
                datetime.date.fromisoformat(value)
            except ValueError:
                return None
        return super().format_value(value)


class PreferencesForm(InterestsForm):
    paused_until = forms.DateField(required=False, label="Pause the digest until", widget=DateInput)


class ConfirmForm(forms.Form):
    """The button behind a confirmation link. Whoever signed up may not be the address's
    owner, so the owner sees the name that was typed in a field, to keep or correct."""

    name = forms.CharField(required=False, max_length=120, label="Name (optional)")


def interests_described(interests):
    """[(label, [choice labels])] for requested interests (ids and region slugs), labelled
    as the sign-up form labels them."""
    described = []
    for key in ("series", "outcomes", "regions"):
        field = InterestsForm.base_fields[key]
        wanted = set(interests.get(key, []))
        labels = [str(label) for value, label in field.choices if value in wanted]
        if labels:
            described.append((field.label, labels))
    return described

from django import forms

from taxonomy.geography import REGION_CHOICES, STATE_CHOICES
from taxonomy.models import Stage
from website.query_text import query_text_clean

SORT_CHOICES = [
    ("name", "Name (A to Z)"),
    ("state", "State"),
    ("newest", "Newest members"),
    ("oldest", "Longest in the network"),
]


class DirectoryFilterForm(forms.Form):
    """The directory's filters, read from the query string so any view can be shared."""

    q = forms.CharField(required=False, max_length=100, label="Name or community")
    state = forms.MultipleChoiceField(required=False, choices=STATE_CHOICES)
    region = forms.MultipleChoiceField(required=False, choices=REGION_CHOICES)
    stage = forms.MultipleChoiceField(required=False, choices=Stage.choices)
    outcome = forms.MultipleChoiceField(required=False, choices=[])
    sort = forms.ChoiceField(required=False, choices=SORT_CHOICES)

    def __init__(self, *args, outcomes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = [(outcome.slug, outcome.name) for outcome in outcomes]

    def filters(self):
        """The valid filters; an invalid value (a hand-edited URL) is dropped, not an error."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "q": query_text_clean(data.get("q"), max_length=self.fields["q"].max_length),
            "state": data.get("state") or [],
            "region": data.get("region") or [],
            "stage": data.get("stage") or [],
            "outcome": data.get("outcome") or [],
            "sort": data.get("sort") or "name",
        }

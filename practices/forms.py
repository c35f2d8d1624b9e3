from django import forms

from taxonomy.geography import STATE_CHOICES
from taxonomy.models import Stage
from website.query_text import query_text_clean

from .models import EvidenceLevel

SORT_CHOICES = [("relevance", "Best match"), ("newest", "Newest")]


class CaseStudySearchForm(forms.Form):
    """Practice search's query and filters, read from the query string so every view can be shared."""

    q = forms.CharField(required=False, max_length=200, label="Search practices")
    state = forms.MultipleChoiceField(required=False, choices=STATE_CHOICES)
    stage = forms.MultipleChoiceField(required=False, choices=Stage.choices)
    evidence = forms.MultipleChoiceField(required=False, choices=EvidenceLevel.choices)
    outcome = forms.MultipleChoiceField(required=False, choices=[])
    topic = forms.MultipleChoiceField(required=False, choices=[])
    partnership = forms.MultipleChoiceField(required=False, choices=[])
    year_from = forms.IntegerField(required=False, min_value=1990, max_value=2100)
    year_to = forms.IntegerField(required=False, min_value=1990, max_value=2100)
    sort = forms.ChoiceField(required=False, choices=SORT_CHOICES)

    def __init__(self, *args, outcomes, topics, partnerships, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = [(outcome.slug, outcome.name) for outcome in outcomes]
        self.fields["topic"].choices = [(topic.slug, topic.name) for topic in topics]
        self.fields["partnership"].choices = [(slug, title) for slug, title in partnerships]

    def filters(self):
        """The valid filters; an invalid value (a hand-edited URL) is dropped, not an error."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        filters = {
            "q": query_text_clean(data.get("q"), max_length=self.fields["q"].max_length),
            "year_from": data.get("year_from"),
            "year_to": data.get("year_to"),
            "sort": data.get("sort") or "relevance",
        }
        for name in ("state", "stage", "evidence", "outcome", "topic", "partnership"):
            filters[name] = data.get(name) or []
        if filters["year_from"] and filters["year_to"] and filters["year_from"] > filters["year_to"]:
            filters["year_from"], filters["year_to"] = filters["year_to"], filters["year_from"]
        return filters

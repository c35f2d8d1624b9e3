"""Run by test_serving in a process of its own on a SQLite file: the tests' practice corpus
and three copies of one more, one case study unpublished and one behind a password; then
for what a visitor typed (cleaned by the search form) the ids the library's database
search lists, page after page, beside the ids the search backend's own queryset gives,
in its order, and the first three titles listed. Prints {"per_page": n, "answers":
{typed: [listed, backend's, titles]}} as JSON. Run through `manage.py shell -c`, the
queries on standard input."""

import io
import json
import sys

from django.core.management import call_command
from wagtail.models import PageViewRestriction

from practices.forms import CaseStudySearchForm
from practices.library import CASE_STUDIES_PER_PAGE, _ranked, case_study_search
from practices.models import CaseStudyIndexPage, CaseStudyPage
from tests.factories import CaseStudyPageFactory, practice_corpus_build
from website.selectors import page_public_q

practice_corpus_build()
library = CaseStudyIndexPage.objects.get()
for copy in range(3):  # the same words, so the same score: ties for the order to break
    CaseStudyPageFactory(parent=library, title="Tutors in every reading classroom", slug=f"tutors-{copy}")
call_command(
    "update_index", stdout=io.StringIO()
)  # every title weighed against the same mean, as load_demo_data leaves it
hidden = CaseStudyPage.objects.filter(title__icontains="read").order_by("pk")
hidden[0].unpublish()
PageViewRestriction.objects.create(page=hidden[1], restriction_type=PageViewRestriction.PASSWORD, password="s3cret")

answers = {}
for typed in json.loads(sys.stdin.read()):
    filters = CaseStudySearchForm({"q": typed}, outcomes=[], topics=[], partnerships=[]).filters()
    query, listed, number, last = filters["q"], [], 1, 1
    while number <= last:
        page = case_study_search(filters=filters, page_number=number).page
        listed += [hit.pk for hit in page.object_list]
        number, last = number + 1, page.paginator.num_pages
    backend = list(_ranked(query).filter(page_public_q()).values_list("pk", flat=True))
    titles = dict(CaseStudyPage.objects.filter(pk__in=listed[:3]).values_list("pk", "title"))
    answers[typed] = [listed, backend, [titles[pk] for pk in listed[:3]]]
print(json.dumps({"per_page": CASE_STUDIES_PER_PAGE, "answers": answers}))

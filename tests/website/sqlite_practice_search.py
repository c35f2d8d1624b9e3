"""Run by test_serving in a process of its own on a SQLite file: the tests' practice corpus
and three copies of one more, one case study unpublished and one behind a password; then
for what a visitor typed (cleaned by the search form), sorted by relevance and by date,
the ids the library's database search lists, page after page, beside the ids the search
backend's own queryset gives in that order, the first three titles, and how its SQL
matched: statements with a full-text match, and those with the match in a subquery (the
backend's own way, run again per row). Prints {"per_page": n, "answers": {typed: {sort:
[listed, backend's, titles, matches, subquery matches]}}} as JSON. Run through
`manage.py shell -c`, the queries on standard input."""

import io
import json
import sys

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
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
# Every title weighed against the same mean, as load_demo_data leaves it.
call_command("update_index", stdout=io.StringIO())
hidden = CaseStudyPage.objects.filter(title__icontains="read").order_by("pk")
hidden[0].unpublish()
PageViewRestriction.objects.create(page=hidden[1], restriction_type=PageViewRestriction.PASSWORD, password="s3cret")

BY_DATE = ("-year", "-first_published_at", "pk")
answers = {}
for typed in json.loads(sys.stdin.read()):
    answers[typed] = {}
    for sort in ("relevance", "newest"):
        filters = CaseStudySearchForm({"q": typed, "sort": sort}, outcomes=[], topics=[], partnerships=[]).filters()
        listed, number, last = [], 1, 1
        with CaptureQueriesContext(connection) as searched:
            while number <= last:
                page = case_study_search(filters=filters, page_number=number).page
                listed += [hit.pk for hit in page.object_list]
                number, last = number + 1, page.paginator.num_pages
        statements = [query["sql"] for query in searched.captured_queries if " MATCH " in query["sql"]]
        in_subquery = [sql for sql in statements if "(SELECT" in sql[: sql.index(" MATCH ")]]
        backend = _ranked(filters["q"]).filter(page_public_q())
        backend = backend.order_by(*BY_DATE) if sort == "newest" else backend
        titles = dict(CaseStudyPage.objects.filter(pk__in=listed[:3]).values_list("pk", "title"))
        answers[typed][sort] = [
            listed,
            list(backend.values_list("pk", flat=True)),
            [titles[pk] for pk in listed[:3]],
            len(statements),
            len(in_subquery),
        ]
print(json.dumps({"per_page": CASE_STUDIES_PER_PAGE, "answers": answers}))

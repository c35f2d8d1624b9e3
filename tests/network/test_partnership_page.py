import pytest
from bs4 import BeautifulSoup
from django.core.files.base import ContentFile
from wagtail.documents.models import Document

from network.models import PartnershipReportCard
from tests.factories import ImageFactory

pytestmark = pytest.mark.django_db


def test_partnership_page_shows_its_facts_links_and_report_cards(client, make_partnership):
    page = make_partnership(
        title="Cincinnati Learning",
        city="Cincinnati",
        state="OH",
        stage="proof-point",
        outcomes=["kindergarten-readiness"],
        anchor_organisation="Community Learning Council",
        year_joined=2011,
        website="https://cincinnati.example.org/",
        contact_email="hello@cincinnati.example.org",
        logo=ImageFactory(),
    )
    for year in (2023, 2024):
        document = Document.objects.create(title=f"Report card {year}", file=ContentFile(b"%PDF", name=f"r{year}.pdf"))
        PartnershipReportCard.objects.create(page=page, year=year, document=document)

    response = client.get(page.url)

    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.h1.get_text() == "Cincinnati Learning"
    facts = soup.select_one(".partnership-facts").get_text(" ", strip=True)
    for expected in (
        "Cincinnati",
        "Ohio",
        "Midwest",
        "Proof Point",
        "Kindergarten readiness",
        "Community Learning Council",
        "2011",
    ):
        assert expected in facts
    assert [a.get_text() for a in soup.select(".report-cards a")] == [
        "2024: Report card 2024",
        "2023: Report card 2023",
    ]
    directory_url = page.get_parent().url
    assert soup.select_one(f'a[href="{directory_url}?state=OH"]')
    assert soup.select_one(f'a[href="{directory_url}?outcome=kindergarten-readiness"]')


def test_partnership_page_query_count_is_pinned(client, make_partnership, django_assert_max_num_queries):
    page = make_partnership(outcomes=["kindergarten-readiness", "employment"], logo=ImageFactory())
    client.get(page.url)

    with django_assert_max_num_queries(15):
        assert client.get(page.url).status_code == 200


def test_directory_page_renders_with_no_partnerships(client, directory):
    response = client.get(directory.url)

    assert response.status_code == 200
    assert b"0 partnerships" in response.content

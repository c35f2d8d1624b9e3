import pytest
from bs4 import BeautifulSoup

from tests.factories import StandardPageFactory

pytestmark = pytest.mark.django_db


def test_site_search_finds_public_pages_of_any_type(client, home_page):
    StandardPageFactory(parent=home_page, title="Kindergarten readiness toolkit")
    StandardPageFactory(parent=home_page, title="Unrelated page")
    StandardPageFactory(parent=home_page, title="Kindergarten draft", live=False)

    response = client.get("/search/", {"q": "kindergarten"})

    soup = BeautifulSoup(response.content, "html.parser")
    assert [h.get_text() for h in soup.select(".search-results h2")] == ["Kindergarten readiness toolkit"]
    assert "1 result for" in soup.select_one(".results-count").get_text()


def test_search_results_are_never_indexed_by_search_engines(client, home_page):
    response = client.get("/search/", {"q": "reading"})

    assert response["X-Robots-Tag"] == "noindex, follow"
    assert b'<meta name="robots" content="noindex, follow">' in response.content


def test_empty_and_oversized_queries_answer_calmly(client, home_page):
    assert client.get("/search/").status_code == 200
    response = client.get("/search/", {"q": "x" * 5000})

    assert response.status_code == 200
    assert response.context["search_query"] == "x" * 200


def test_each_result_says_what_it_is(client, home_page):
    from news.models import FeedSource
    from news.parsing import parse_feed
    from news.services import items_store
    from tests.factories import (
        BlogIndexPageFactory,
        BlogPageFactory,
        CaseStudyIndexPageFactory,
        CaseStudyPageFactory,
        DirectoryPageFactory,
        PartnershipPageFactory,
    )
    from tests.news.conftest import rss

    BlogPageFactory(parent=BlogIndexPageFactory(parent=home_page), title="Mentoring notes").save_revision().publish()
    partnership = PartnershipPageFactory(parent=DirectoryPageFactory(parent=home_page), title="Mentoring Akron")
    CaseStudyPageFactory(parent=CaseStudyIndexPageFactory(parent=home_page), title="Mentoring at scale")
    source = FeedSource.objects.create(partnership=partnership, name="Akron", url="https://akron.example.org/feed")
    entry = {"guid": "1", "link": "https://akron.example.org/m", "title": "Mentoring graduates celebrated"}
    items_store(source=source, entries=parse_feed(rss(entry), url=source.url))

    soup = BeautifulSoup(client.get("/search/", {"q": "mentoring"}).content, "html.parser")

    kinds = {
        result.select_one("h2").get_text(): result.select_one(".search-result__kind").get_text()
        for result in soup.select(".search-results li")
    }
    assert kinds == {
        "Mentoring notes": "Post",
        "Mentoring Akron": "Partnership",
        "Mentoring at scale": "Practice",
        "Mentoring graduates celebrated": "Member news · from Mentoring Akron",
    }

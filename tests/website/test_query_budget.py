"""Every public page type, rendered (no page cache), costs at most 15 queries, and the same
number once the network has four times the content."""

import datetime
from dataclasses import dataclass

import pytest
from django.test import override_settings
from django.utils import timezone

from news.models import FeedSource, NewsIndexPage, NewsItem
from tests.conftest import Snapshot, TableCopies, snapshot_take
from tests.factories import (
    BlogCategoryFactory,
    BlogIndexPageFactory,
    BlogPageFactory,
    CaseStudyIndexPageFactory,
    CaseStudyPageFactory,
    DirectoryPageFactory,
    ImageFactory,
    PartnershipPageFactory,
    PersonFactory,
    SeriesFactory,
    StandardPageFactory,
    home_page_as_site_root,
)

pytestmark = pytest.mark.django_db

QUERY_BUDGET = 15


class Network:
    """A site with every page type; `grow` adds partnerships, posts, case studies and news."""

    def __init__(self, home_page):
        self.home = home_page
        self.image = ImageFactory()
        self.directory = DirectoryPageFactory(parent=home_page)
        self.blog = BlogIndexPageFactory(parent=home_page)
        self.library = CaseStudyIndexPageFactory(parent=home_page)
        self.news = home_page.add_child(instance=NewsIndexPage(title="Network news", slug="news"))
        self.series = SeriesFactory(slug="in-the-news")
        self.category = BlogCategoryFactory(slug="practice")
        self.authors = [PersonFactory(photo=self.image), PersonFactory()]
        self.partnerships, self.posts, self.case_studies, self.items = [], [], [], []
        self.post = None

    def grow(self, count):
        for _ in range(count):
            partnership = PartnershipPageFactory(
                parent=self.directory, logo=self.image, outcomes=["employment", "kindergarten-readiness"]
            )
            self.partnerships.append(partnership)
            source = FeedSource.objects.create(
                partnership=partnership, name=partnership.title, url=f"https://{partnership.slug}.example.org/feed"
            )
            number = len(self.items)
            self.items.append(
                NewsItem.objects.create(
                    source=source,
                    identity_key=f"story-{number}",
                    title=f"Reading story {number}",
                    link=f"https://{partnership.slug}.example.org/{number}",
                    published_at=timezone.now() - datetime.timedelta(hours=number),
                    content_hash=f"hash-{number}",
                    story_key=f"story-{number}",
                )
            )
            self.posts.append(self._post())
            self.case_studies.append(
                CaseStudyPageFactory(
                    parent=self.library,
                    title=f"Reading practice {len(self.case_studies)}",
                    partnerships=self.partnerships[-2:],
                    topics=["k12", "equity"],
                    outcomes=["early-grade-reading"],
                )
            )
        self.post = self.post or self.posts[0]
        self._home_cards()

    def _post(self):
        post = BlogPageFactory(
            parent=self.blog,
            date=datetime.date(2026, 1, 1) + datetime.timedelta(days=len(self.posts)),
            series=self.series,
            authors=self.authors,
            categories=[self.category],
            tags=["reading"],
            partnerships=self.partnerships[-2:],
            listing_image=self.image,
            body=[
                ("paragraph", "<p>Body text.</p>"),
                ("member_news", {"heading": "In the news", "items": self.items[-3:]}),
            ],
        )
        post.save_revision().publish()
        return post

    def _home_cards(self):
        featured = [*self.partnerships[-3:], *self.posts[-3:], *self.case_studies[-3:]]
        self.home.body = [
            ("featured_pages", {"heading": "Featured", "intro": "", "pages": featured, "more_link": {}}),
            ("latest_pages", {"heading": "Latest posts", "index_page": self.blog, "count": 6}),
            ("latest_pages", {"heading": "New practices", "index_page": self.library, "count": 6}),
        ]
        self.home.save_revision().publish()


PAGES = {
    "home": lambda network: "/",
    "standard page": lambda network: StandardPageFactory(parent=network.home, listing_image=network.image).url,
    "blog index": lambda network: network.blog.url,
    "blog series": lambda network: f"{network.blog.url}series/in-the-news/",
    "post": lambda network: network.post.url,
    "directory": lambda network: network.directory.url,
    "directory, filtered": lambda network: f"{network.directory.url}?region=midwest&outcome=employment&stage=emerging",
    "partnership": lambda network: network.partnerships[0].url,
    "practice library": lambda network: network.library.url,
    "practice search, database": lambda network: f"{network.library.url}?q=reading&topic=k12",
    "case study": lambda network: network.case_studies[0].url,
    "network news": lambda network: network.news.url,
    "site search": lambda network: "/search/?q=reading",
}


def queries_of(client, path, django_assert_max_num_queries):
    client.get(path)  # renditions are made on the first view
    with django_assert_max_num_queries(QUERY_BUDGET) as captured:
        assert client.get(path).status_code == 200
    return [query["sql"] for query in captured.captured_queries]


@dataclass(frozen=True)
class Sizes:
    network: Network  # its pages are the same rows in both snapshots
    small: Snapshot  # grown by 2
    large: Snapshot  # grown by 6 more


@pytest.fixture(scope="session")
def network_sizes(migrated_tables, django_db_blocker, tmp_path_factory):
    """The network at both sizes, built once per session (a few seconds a test before)."""
    from django.db import connection

    built = {}

    def build():
        with override_settings(ELASTICSEARCH_URL=""):
            network = built["network"] = Network(home_page_as_site_root())
            network.grow(2)
            built["small"] = TableCopies(connection, "budget_small")
            built["small"].take()
            network.grow(6)

    large = snapshot_take(
        "budget_large",
        build,
        migrated_tables=migrated_tables,
        django_db_blocker=django_db_blocker,
        tmp_path_factory=tmp_path_factory,
    )
    return Sizes(network=built["network"], small=Snapshot(tables=built["small"], media=large.media), large=large)


@pytest.mark.parametrize("page", PAGES)
def test_page_queries_stay_within_budget_as_the_network_grows(
    client, network_sizes, db, settings, page, django_assert_max_num_queries
):
    settings.ELASTICSEARCH_URL = ""  # practice search on the database: its costlier way
    network = network_sizes.network
    network_sizes.small.restore(media_root=settings.MEDIA_ROOT)
    path = PAGES[page](network)
    small = queries_of(client, path, django_assert_max_num_queries)

    network_sizes.large.restore(media_root=settings.MEDIA_ROOT)
    if page == "standard page":
        path = PAGES[page](network)  # made again in the grown network
    large = queries_of(client, path, django_assert_max_num_queries)

    assert len(large) == len(small), "\n".join(large)

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.models import Page, Site

from website.models import HomePage, NavigationSettings, StandardPage

pytestmark = pytest.mark.django_db


def load_demo_data():
    """Run the command again (the `demo_data` fixture is its first run's result)."""
    call_command("load_demo_data", stdout=io.StringIO())


def test_demo_data_builds_the_site_and_a_working_admin_login(client, demo_data):
    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)
    assert set(StandardPage.objects.live().values_list("slug", flat=True)) >= {"about", "join", "contact"}
    assert not Page.objects.filter(depth=2).exclude(pk=site.root_page.pk).exists(), "welcome page replaced"
    assert [link.value["label"] for link in NavigationSettings.for_site(site).primary_links] == [
        "Network directory",
        "Network blog",
        "Network news",
        "Practice library",
        "Events",
        "About the network",
        "Join the network",
        "Contact",
    ]
    assert client.login(username="admin", password="network-demo")
    assert client.get("/admin/").status_code == 200
    for path in ("/", "/about/", "/join/", "/contact/", "/practices/", "/events/", "/events/calendar/"):
        assert client.get(path).status_code == 200, path


def test_demo_data_can_be_loaded_again_without_duplicates(demo_data):
    from newsletter.models import NewsletterIssue, Subscriber

    def counts():
        return (
            Page.objects.count(),
            get_user_model().objects.count(),
            Site.objects.count(),
            Subscriber.objects.count(),
            NewsletterIssue.objects.filter(status=NewsletterIssue.Status.SENT).count(),
        )

    before = counts()

    load_demo_data()

    assert counts() == before
    assert before[-1] == 1, "one past issue in the archive"


def test_demo_network_is_realistic(demo_data):
    from network.models import PartnershipPage
    from taxonomy.models import Stage

    partnerships = PartnershipPage.objects.live()
    assert partnerships.count() >= 30
    assert partnerships.values("state").distinct().count() >= 20
    assert set(partnerships.values_list("stage", flat=True)) == set(Stage.values)
    assert all(p.outcomes.exists() and p.summary and p.logo_id for p in partnerships)


def test_demo_practice_library_spans_every_facet(demo_data):
    from practices.models import CaseStudyPage
    from taxonomy.models import Outcome, Stage, Topic

    case_studies = CaseStudyPage.objects.live()
    assert case_studies.count() >= 30
    assert set(case_studies.values_list("stage", flat=True)) == set(Stage.values)
    assert set(case_studies.values_list("topics__slug", flat=True)) == set(Topic.objects.values_list("slug", flat=True))
    assert set(case_studies.values_list("outcomes__slug", flat=True)) == set(
        Outcome.objects.values_list("slug", flat=True)
    )
    assert case_studies.values("state").distinct().count() >= 20
    assert case_studies.values("year").distinct().count() >= 8
    assert all(case_study.partnership_links.exists() and case_study.results for case_study in case_studies)


def test_demo_blog_has_two_series_and_enough_posts(demo_data):
    from blog.models import BlogPage, Series

    posts = BlogPage.objects.live()
    assert posts.count() >= 24
    in_the_news = Series.objects.get(name="Network in the News")
    assert posts.filter(series=in_the_news).count() >= 8
    assert Series.objects.filter(posts__isnull=False).distinct().count() >= 2
    assert all(post.authors.exists() and post.categories.exists() for post in posts)
    assert posts.filter(partnership_links__isnull=False).distinct().count() >= 10


def test_demo_news_loads_offline_from_the_sample_feeds(demo_data):
    from news.models import FeedSource, NewsItem

    assert FeedSource.objects.count() >= 10
    assert NewsItem.objects.count() >= 40
    assert all(source.partnership and source.partnership.feed_url == source.url for source in FeedSource.objects.all())


def test_demo_newsletter_has_subscribers_a_past_issue_and_a_home_sign_up(client, demo_data):
    from django.utils.html import escape

    from newsletter.models import NewsletterIssue, Subscriber

    assert Subscriber.objects.filter(status=Subscriber.Status.ACTIVE).count() >= 15
    assert set(Subscriber.objects.values_list("status", flat=True)) == set(Subscriber.Status.values)
    issue = NewsletterIssue.objects.get(status=NewsletterIssue.Status.SENT)
    assert set(issue.items.values_list("section", flat=True)) == {"posts", "news", "case_studies", "events"}
    assert escape(issue.subject) in client.get("/newsletter/archive/").content.decode()
    assert client.get(f"/newsletter/archive/{issue.pk}/").status_code == 200
    home = client.get("/").content.decode()
    assert 'id="home-signup-email"' in home and 'id="footer-signup-email"' not in home, "one sign-up form"
    assert 'id="footer-signup-email"' in client.get("/about/").content.decode()


def test_demo_content_reads_like_a_real_network(client, demo_data):
    """Every post and member-news story has its own headline, summary and body (nothing
    templated), and some stories are carried by several partnerships."""
    from blog.models import BlogPage
    from news.models import NewsItem

    posts = list(BlogPage.objects.live())
    for name, values in {
        "title": [post.title for post in posts],
        "summary": [post.summary for post in posts],
        "body": [str(post.body) for post in posts],
    }.items():
        assert len(set(values)) == len(values), f"repeated post {name}"
    assert not [post for post in posts if "notes from the network team" in post.summary]

    stories = {}
    for item in NewsItem.objects.select_related("source"):
        stories.setdefault(item.story_key, []).append(item)
    for name in ("title", "summary"):
        values = [getattr(items[0], name) for items in stories.values()]
        assert len(set(values)) == len(values), f"repeated member news {name}"
    assert not NewsItem.objects.filter(summary__icontains="shares an update from").exists()
    carried_by_several = [items for items in stories.values() if len({item.source_id for item in items}) > 1]
    assert len(carried_by_several) >= 2
    assert all(len({item.link for item in items}) > 1 for items in carried_by_several), "each partner links its own"
    assert client.get("/news/").content.decode().count("also from") >= 2


def test_demo_indexes_are_what_a_rebuild_makes(demo_data):
    """The command leaves Wagtail's reference and search indexes alone while it saves, then
    rebuilds both: nothing it made is missing from either."""
    from wagtail.models import ReferenceIndex
    from wagtail.search.models import IndexEntry

    def references():
        return sorted(
            ReferenceIndex.objects.values_list(
                "content_type_id", "object_id", "to_content_type_id", "to_object_id", "model_path", "content_path"
            )
        )

    def entries():
        return sorted(IndexEntry.objects.values_list("content_type_id", "object_id", "title"))

    made = references(), entries()
    assert made[0] and made[1]

    call_command("rebuild_references_index", verbosity=0)
    call_command("update_index", verbosity=0)

    assert (references(), entries()) == made


def test_demo_posts_carry_their_tags_in_the_published_revision(demo_data):
    from blog.models import BlogPage

    posts = list(BlogPage.objects.live())
    assert posts and all(post.tags.exists() for post in posts)
    for post in posts:
        published = post.live_revision.as_object()
        assert sorted(published.tags.names()) == sorted(post.tags.names()), post.slug
        assert not post.has_unpublished_changes, post.slug

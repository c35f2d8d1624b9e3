"""What a post shows of other content (neighbours, related posts, byline, filing) is kept
between renders for the page-cache generation; any publish must show on the next render."""

import datetime

import pytest
from bs4 import BeautifulSoup

from tests.factories import BlogCategoryFactory, PersonFactory, SeriesFactory

pytestmark = pytest.mark.django_db


def soup_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return BeautifulSoup(response.content, "html.parser")


def next_in_series(client, post):
    link = soup_of(client, post.url).select_one('.series-nav a[rel="next"]')
    return link["href"] if link else None


def related_titles(client, post):
    return [a.get_text() for a in soup_of(client, post.url).select(".related-posts .post-card__title a")]


def test_a_new_instalment_is_the_next_in_its_series_as_soon_as_it_is_published(client, make_post):
    series = SeriesFactory()
    first = make_post(title="First", series=series, date=datetime.date(2026, 11, 1))
    assert next_in_series(client, first) is None

    second = make_post(title="Second", series=series, date=datetime.date(2026, 11, 8), live=False)
    assert next_in_series(client, first) is None, "a draft is not an instalment yet"
    second.save_revision().publish()

    assert next_in_series(client, first) == second.url


def test_an_unpublished_post_leaves_its_neighbours_and_related_posts_at_once(client, make_post):
    category = BlogCategoryFactory()
    series = SeriesFactory()
    post = make_post(title="Main", series=series, categories=[category], date=datetime.date(2026, 11, 1))
    later = make_post(title="Later", series=series, categories=[category], date=datetime.date(2026, 11, 8))
    assert next_in_series(client, post) == later.url
    assert related_titles(client, post) == ["Later"]

    later.unpublish()

    assert next_in_series(client, post) is None
    assert related_titles(client, post) == []


def test_a_related_post_republished_under_a_new_title_shows_it(client, make_post):
    category = BlogCategoryFactory()
    post = make_post(title="Main", categories=[category])
    other = make_post(title="Old title", categories=[category], date=datetime.date(2026, 11, 2))
    assert related_titles(client, post) == ["Old title"]

    other.title = "New title"
    other.save_revision().publish()

    assert related_titles(client, post) == ["New title"]


def test_a_post_republished_with_other_filing_and_authors_shows_them(client, make_post):
    first, second = BlogCategoryFactory(name="First category"), BlogCategoryFactory(name="Second category")
    author = PersonFactory(name="Ada Author")
    post = make_post(title="Main", categories=[first], authors=[author])
    soup = soup_of(client, post.url)
    assert [a.get_text() for a in soup.select(".post-meta a")] == ["Ada Author"]
    assert [a.get_text() for a in soup.select(".tag-list a")] == ["First category"]

    post.categories.set([second])
    post.authors.set([])
    post.save_revision().publish()

    soup = soup_of(client, post.url)
    assert soup.select(".post-meta a") == []
    assert [a.get_text() for a in soup.select(".tag-list a")] == ["Second category"]


def test_a_renamed_author_shows_on_every_post_at_once(client, make_post):
    author = PersonFactory(name="Before Rename")
    post = make_post(title="Main", authors=[author])
    assert [a.get_text() for a in soup_of(client, post.url).select(".post-meta a")] == ["Before Rename"]

    author.name = "After Rename"
    author.save()

    assert [a.get_text() for a in soup_of(client, post.url).select(".post-meta a")] == ["After Rename"]


def test_an_unpublished_or_moved_post_is_not_served_at_its_old_address(client, blog, make_post):
    post = make_post(title="Main", slug="main")
    old_url = post.url
    soup_of(client, old_url)

    post.slug = "renamed"
    post.save_revision().publish()
    post.refresh_from_db()
    assert post.url != old_url
    assert client.get(old_url).status_code == 404
    soup_of(client, post.url)

    post.unpublish()
    assert client.get(post.url).status_code == 404


def test_the_blog_listings_and_their_archive_show_a_publish_at_once(client, blog, make_post):
    category = BlogCategoryFactory(name="Data use")
    make_post(title="Older", categories=[category], date=datetime.date(2026, 10, 1))
    soup_of(client, blog.url)
    soup_of(client, f"{blog.url}category/{category.slug}/")

    newest = make_post(title="Newest", categories=[category], date=datetime.date(2026, 11, 1), live=False)
    newest.save_revision().publish()

    for url in (blog.url, f"{blog.url}category/{category.slug}/"):
        soup = soup_of(client, url)
        assert [a.get_text() for a in soup.select(".post-card__title a")] == ["Newest", "Older"]
        assert "Data use (2)" in soup.select_one(".blog-archive").get_text(" ", strip=True)

    newest.refresh_from_db()
    newest.unpublish()
    soup = soup_of(client, blog.url)
    assert [a.get_text() for a in soup.select(".post-card__title a")] == ["Older"]

"""Blog pages cost the same number of queries with 5 posts or 40."""

import datetime

import pytest

from tests.factories import BlogCategoryFactory, ImageFactory, PersonFactory, SeriesFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def many_posts(make_post, request):
    series = SeriesFactory(slug="in-the-news")
    authors = [PersonFactory(), PersonFactory()]
    category = BlogCategoryFactory(slug="latest")
    image = ImageFactory()
    posts = [
        make_post(
            date=datetime.date(2026, 1, 1) + datetime.timedelta(days=index),
            series=series,
            authors=authors,
            categories=[category],
            tags=["news"],
            listing_image=image,
        )
        for index in range(request.param)
    ]
    return posts


@pytest.mark.parametrize("many_posts", [5, 40], indirect=True)
@pytest.mark.parametrize(("path", "limit"), [("", 15), ("series/in-the-news/", 15), ("category/latest/", 15)])
def test_listing_query_count_is_constant(client, blog, many_posts, path, limit, django_assert_max_num_queries):
    client.get(f"{blog.url}{path}")

    with django_assert_max_num_queries(limit):
        assert client.get(f"{blog.url}{path}").status_code == 200


@pytest.mark.parametrize("many_posts", [5, 40], indirect=True)
def test_feed_query_count_is_constant(client, blog, many_posts, django_assert_max_num_queries):
    with django_assert_max_num_queries(11):
        assert client.get(f"{blog.url}rss/").status_code == 200


@pytest.mark.parametrize("many_posts", [5, 40], indirect=True)
def test_post_query_count_is_constant(client, many_posts, django_assert_max_num_queries):
    post = many_posts[len(many_posts) // 2]
    client.get(post.url)

    with django_assert_max_num_queries(15):
        assert client.get(post.url).status_code == 200

import pytest

from tests.factories import BlogIndexPageFactory, BlogPageFactory


@pytest.fixture
def blog(home_page):
    return BlogIndexPageFactory(parent=home_page)


@pytest.fixture
def make_post(blog):
    def make(**fields):
        return BlogPageFactory(parent=blog, **fields)

    return make

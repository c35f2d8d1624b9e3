"""Reads for site-wide search: every public page type, then member news, through Wagtail's
search backend."""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.utils.functional import cached_property

from news.selectors import news_item_search
from website.selectors import page_live_public_searchable

RESULTS_PER_PAGE = 10


@dataclass
class SiteSearchResult:
    """One line of site search: what it is (post, partnership, practice, member news...)."""

    kind: str
    title: str
    url: str
    summary: str
    source: str = ""


class _PagesThenNews:
    """Page results then member news, both ranked by the search backend, as one sequence
    a Paginator can slice: only the slice shown is read from each."""

    def __init__(self, pages, news):
        self.pages, self.news = pages, news

    @cached_property
    def page_count(self):
        return self.pages.count()

    def count(self):
        return self.page_count + self.news.count()

    def __getitem__(self, window):
        start, stop = window.start or 0, window.stop
        shown = [_page_result(page) for page in self.pages[start:stop]] if start < self.page_count else []
        news_start, news_stop = max(start - self.page_count, 0), stop - self.page_count
        if news_stop > 0:
            shown += [_news_result(item) for item in self.news[news_start:news_stop]]
        return shown


def _page_result(page):
    return SiteSearchResult(
        kind=getattr(page, "search_result_kind", "Page"),
        title=page.title,
        url=page.url,
        summary=page.get_listing_summary() if hasattr(page, "get_listing_summary") else "",
    )


def _news_result(item):
    return SiteSearchResult(
        kind="Member news", title=item.title, url=item.link, summary=item.summary, source=item.source_name
    )


def site_search_page(*, query, page_number=1):
    """A page of site-wide results for `query`: every public page type, then member news."""
    if not query:
        return Paginator([], RESULTS_PER_PAGE).get_page(page_number)
    pages = page_live_public_searchable().specific().search(query)
    news = news_item_search(query=query)
    return Paginator(_PagesThenNews(pages, news), RESULTS_PER_PAGE).get_page(page_number)

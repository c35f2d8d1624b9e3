import copy

from django.db.models import Prefetch
from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock

from website.page_cache import page_cache_kept


class NewsItemChooserBlock(SnippetChooserBlock):
    """A member news item, read with its source and partnership (the template names both)
    and kept for the page-cache generation: storing news starts a new one."""

    def __init__(self, **kwargs):
        super().__init__("news.NewsItem", **kwargs)

    def deconstruct(self):
        # The plain snippet chooser's definition: what is stored is the same, so no migration.
        return "wagtail.snippets.blocks.SnippetChooserBlock", ("news.NewsItem",), self._constructor_args[1]

    def bulk_to_python(self, values):
        ids = sorted({value for value in values if value is not None})
        by_id = page_cache_kept(f"member-news-items:{','.join(map(str, ids))}", lambda: self._items_read(ids))
        seen, result = set(), []
        for value in values:
            item = by_id.get(value)
            result.append(copy.copy(item) if item is not None and value in seen else item)
            seen.add(value)
        return result

    def _items_read(self, ids):
        from .models import FeedSource

        sources = FeedSource.objects.select_related("partnership")
        return self.model_class.objects.prefetch_related(Prefetch("source", queryset=sources)).in_bulk(ids)


class MemberNewsBlock(blocks.StructBlock):
    """Items picked from the members' own news, shown as links with their source:
    how "Network in the News" is assembled rather than retyped."""

    heading = blocks.CharBlock(required=False, max_length=120)
    items = blocks.ListBlock(NewsItemChooserBlock(), min_num=1, max_num=30)

    class Meta:
        icon = "list-ul"
        template = "components/blocks/member_news_block.html"
        description = "Member news items, linked, with the partnership each comes from"

from django.db.models import Prefetch, prefetch_related_objects
from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock


class MemberNewsBlock(blocks.StructBlock):
    """Items picked from the members' own news, shown as links with their source:
    how "Network in the News" is assembled rather than retyped."""

    heading = blocks.CharBlock(required=False, max_length=120)
    items = blocks.ListBlock(SnippetChooserBlock("news.NewsItem"), min_num=1, max_num=30)

    class Meta:
        icon = "list-ul"
        template = "components/blocks/member_news_block.html"
        description = "Member news items, linked, with the partnership each comes from"

    def bulk_to_python(self, values):
        """Every block's items with their source and partnership, read together (the
        template names both for each item)."""
        from .models import FeedSource

        values = super().bulk_to_python(values)
        items = [item for value in values for item in value["items"] if item]
        prefetch_related_objects(items, Prefetch("source", queryset=FeedSource.objects.select_related("partnership")))
        return values

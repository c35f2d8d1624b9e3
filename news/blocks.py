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

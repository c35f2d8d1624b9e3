from wagtail import hooks

from .selectors import blog_post_for_partnership


@hooks.register("partnership_page_sections")
def partnership_posts(*, partnership, request, limit):
    return {"blog_posts": blog_post_for_partnership(partnership=partnership, limit=limit)}

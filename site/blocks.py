"""The block library every StreamField in the project draws from.

One block per editorial idea, each with its own template, a description for the
block picker and a preview value, so editors see what they are inserting.
"""

from django.core.exceptions import ValidationError
from django.forms.utils import ErrorList
from wagtail import blocks
from wagtail.blocks import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock


class LinkBlock(blocks.StructBlock):
    """A link to a page of the site or to an outside address, with its label."""

    label = blocks.CharBlock(required=False, max_length=80)
    page = blocks.PageChooserBlock(required=False)
    url = blocks.URLBlock(required=False, label="External URL")

    class Meta:
        icon = "link"
        template = "components/blocks/link_block.html"
        description = "A labelled link to a page or an external address"
        preview_value = {"label": "Join the network", "url": "https://example.org/join"}

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        if not (self.required or value.get("label") or value.get("page") or value.get("url")):
            return value  # an optional link left empty
        if bool(value.get("page")) == bool(value.get("url")):
            errors["url"] = "Choose a page or enter an external URL (one of the two)."
        if not value.get("label"):
            errors["label"] = "Give the link a label."
        if errors:
            raise StructBlockValidationError(
                block_errors={name: ErrorList([ValidationError(message)]) for name, message in errors.items()}
            )
        return value

    def get_api_representation(self, value, context=None):
        return {"label": value["label"], "href": link_href(value)}


def link_href(value):
    """The address a LinkBlock value points to."""
    if value.get("page"):
        return value["page"].url
    return value.get("url") or ""


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=120)
    level = blocks.ChoiceBlock(choices=[("h2", "Section (h2)"), ("h3", "Subsection (h3)")], default="h2")

    class Meta:
        icon = "title"
        template = "components/blocks/heading_block.html"
        description = "A section heading (the page title is the only h1)"
        preview_value = {"text": "What the network learned", "level": "h2"}


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    alt_text = blocks.CharBlock(
        required=False,
        max_length=200,
        help_text="Describe the image for people who cannot see it. Leave blank to use the image's own description.",
    )
    decorative = blocks.BooleanBlock(required=False, help_text="Tick when the image adds nothing a reader would miss.")
    caption = blocks.CharBlock(required=False, max_length=250)
    attribution = blocks.CharBlock(required=False, max_length=120)

    class Meta:
        icon = "image"
        template = "components/blocks/image_block.html"
        description = "An image with caption and credit"


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock()
    attribution = blocks.CharBlock(required=False, max_length=120)
    role = blocks.CharBlock(required=False, max_length=120, help_text="e.g. Director, Milwaukee Succeeds")

    class Meta:
        icon = "openquote"
        template = "components/blocks/quote_block.html"
        description = "A pull quote with the person who said it"
        preview_value = {
            "quote": "We stopped arguing about whose program worked and started looking at the same data.",
            "attribution": "A partnership director",
            "role": "Cradle-to-career partnership",
        }


class CallToActionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120)
    text = blocks.TextBlock(required=False)
    link = LinkBlock()

    class Meta:
        icon = "pick"
        template = "components/blocks/call_to_action_block.html"
        description = "A highlighted invitation with one button"
        preview_value = {
            "heading": "Get the weekly digest",
            "text": "New practices, member news and network stories, every Friday.",
            "link": {"label": "Subscribe", "url": "https://example.org/subscribe"},
        }


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock()
    title = blocks.CharBlock(required=False, max_length=200, help_text="Defaults to the document's title.")

    class Meta:
        icon = "doc-full"
        template = "components/blocks/document_link_block.html"
        description = "A link to a downloadable document, with its type and size"


class StatisticBlock(blocks.StructBlock):
    figure = blocks.CharBlock(max_length=20, help_text="e.g. 74% or 1,200")
    label = blocks.CharBlock(max_length=160)
    source = blocks.CharBlock(required=False, max_length=160)

    class Meta:
        icon = "table"
        template = "components/blocks/statistic_block.html"
        description = "One headline figure, such as an outcome rate"
        preview_value = {
            "figure": "74%",
            "label": "of kindergartners assessed as ready to learn",
            "source": "Community report card",
        }


class StatisticsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(required=False, max_length=120)
    items = blocks.ListBlock(StatisticBlock(), min_num=1, max_num=6)

    class Meta:
        icon = "table"
        template = "components/blocks/statistics_block.html"
        description = "A row of headline figures"


class FeaturedPagesBlock(blocks.StructBlock):
    """Pages an editor puts forward, e.g. featured partnerships or practices."""

    heading = blocks.CharBlock(max_length=120)
    intro = blocks.TextBlock(required=False)
    pages = blocks.ListBlock(blocks.PageChooserBlock(), min_num=1, max_num=12)
    more_link = LinkBlock(required=False)

    class Meta:
        icon = "list-ul"
        template = "components/blocks/featured_pages_block.html"
        description = "Hand-picked pages shown as cards"

    def get_context(self, value, parent_context=None):
        from .selectors import page_cards

        context = super().get_context(value, parent_context)
        context["cards"] = page_cards(pages=[page for page in value["pages"] if page])
        return context


class LatestPagesBlock(blocks.StructBlock):
    """The newest published children of a listing page (e.g. the blog index)."""

    heading = blocks.CharBlock(max_length=120)
    index_page = blocks.PageChooserBlock(help_text="Shows the newest pages below this one.")
    count = blocks.IntegerBlock(min_value=1, max_value=12, default=3)

    class Meta:
        icon = "date"
        template = "components/blocks/latest_pages_block.html"
        description = "The newest pages of a section, updated automatically"

    def get_context(self, value, parent_context=None):
        from .selectors import page_latest_children

        context = super().get_context(value, parent_context)
        context["latest_pages"] = page_latest_children(parent=value["index_page"], limit=value["count"])
        return context


class BodyBlock(blocks.StreamBlock):
    """The general-purpose body every content page uses."""

    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        features=["bold", "italic", "link", "document-link", "ol", "ul", "h3", "h4"],
        template="components/blocks/paragraph_block.html",
        description="Formatted text",
        preview_value="<p>Partnerships share one set of outcomes and look at the same data.</p>",
    )
    image = ImageBlock()
    quote = QuoteBlock()
    embed = EmbedBlock(
        max_width=960,
        template="components/blocks/embed_block.html",
        description="A video or post from YouTube, Vimeo and similar services",
    )
    call_to_action = CallToActionBlock()
    document = DocumentLinkBlock()
    statistics = StatisticsBlock()


class NewsletterSignupBlock(blocks.StructBlock):
    """The weekly digest's sign-up form, where the editor puts it."""

    heading = blocks.CharBlock(max_length=120, default="Get the weekly digest")
    text = blocks.TextBlock(required=False)

    class Meta:
        icon = "mail"
        template = "components/blocks/newsletter_signup_block.html"
        description = "The newsletter sign-up form"
        preview_value = {
            "heading": "Get the weekly digest",
            "text": "New posts, the members' own news and new case studies, once a week.",
        }


class HomeSectionBlock(BodyBlock):
    """What the home page is made of: the body blocks plus listing sections."""

    featured_pages = FeaturedPagesBlock()
    latest_pages = LatestPagesBlock()
    newsletter_signup = NewsletterSignupBlock()

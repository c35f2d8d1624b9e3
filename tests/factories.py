import factory
import wagtail_factories

from website.models import HomePage, StandardPage
from website.services import home_page_install


class ImageFactory(wagtail_factories.ImageFactory):
    title = factory.Sequence(lambda n: f"Image {n}")
    description = factory.Sequence(lambda n: f"Description of image {n}")


class HomePageFactory(wagtail_factories.PageFactory):
    title = "Home"
    slug = "home-page"
    hero_heading = "What works for kids, from cradle to career"
    hero_text = "Partnerships share their data, practice and news."

    class Meta:
        model = HomePage


class StandardPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Standard page {n}")
    introduction = "An introduction."
    listing_summary = factory.LazyAttribute(lambda page: f"Summary of {page.title}")

    class Meta:
        model = StandardPage


def home_page_as_site_root():
    """A HomePage that the default Site serves, as load_demo_data arranges it."""
    return home_page_install(defaults=factory.build(dict, FACTORY_CLASS=HomePageFactory))

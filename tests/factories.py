import datetime
import io

import factory
import wagtail_factories
from django.test import override_settings
from django.utils import timezone

from blog.models import BlogCategory, BlogIndexPage, BlogPage, BlogPagePartnership, Person, Series
from events.models import EventIndexPage, EventPage, EventPartnership
from network.models import DirectoryPage, PartnershipPage
from practices import demo as practices_demo
from practices.models import CaseStudyIndexPage, CaseStudyPage, CaseStudyPartnership
from taxonomy.models import Outcome, Stage, Topic
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


class DirectoryPageFactory(wagtail_factories.PageFactory):
    title = "Network directory"
    slug = "network"

    class Meta:
        model = DirectoryPage


class PartnershipPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Partnership {n:04d}")
    city = "Cincinnati"
    state = "OH"
    stage = Stage.EMERGING
    summary = factory.LazyAttribute(lambda page: f"{page.title} works from cradle to career.")

    class Meta:
        model = PartnershipPage
        skip_postgeneration_save = True

    @factory.post_generation
    def outcomes(self, create, slugs, **kwargs):
        if slugs:
            self.outcomes.set(Outcome.objects.filter(slug__in=slugs))
            self.save()


class BlogIndexPageFactory(wagtail_factories.PageFactory):
    title = "Network blog"
    slug = "blog"

    class Meta:
        model = BlogIndexPage


class PersonFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Author {n}")
    slug = factory.Sequence(lambda n: f"author-{n}")

    class Meta:
        model = Person


class SeriesFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Series {n}")
    slug = factory.Sequence(lambda n: f"series-{n}")

    class Meta:
        model = Series


class BlogCategoryFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")

    class Meta:
        model = BlogCategory


class BlogPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Post {n:04d}")
    summary = factory.LazyAttribute(lambda post: f"Summary of {post.title}")
    body = factory.LazyFunction(lambda: [("paragraph", "<p>Body text.</p>")])
    date = datetime.date(2026, 11, 20)

    class Meta:
        model = BlogPage
        skip_postgeneration_save = True

    @classmethod
    def _create(cls, model_class, *args, authors=(), categories=(), partnerships=(), tags=(), **kwargs):
        """Also takes authors=, categories=, partnerships= (objects) and tags= (names)."""
        post = super()._create(model_class, *args, **kwargs)
        if authors or categories or partnerships or tags:
            post.authors.set(authors)
            post.categories.set(categories)
            post.partnership_links = [BlogPagePartnership(partnership=partnership) for partnership in partnerships]
            post.tags.set(tags)
            post.save()
        return post


class CaseStudyIndexPageFactory(wagtail_factories.PageFactory):
    title = "Practice library"
    slug = "practices"

    class Meta:
        model = CaseStudyIndexPage


class CaseStudyPageFactory(wagtail_factories.PageFactory):
    """A case study, published through a revision (so the publish signals run, as in the admin)."""

    title = factory.Sequence(lambda n: f"Case study {n:04d}")
    summary = factory.LazyAttribute(lambda page: f"What {page.title} did and what changed.")
    state = "OH"
    stage = Stage.SUSTAINING
    year = 2024
    body = factory.LazyFunction(lambda: [("paragraph", "<p>How the work was done.</p>")])

    class Meta:
        model = CaseStudyPage
        skip_postgeneration_save = True

    @classmethod
    def _create(cls, model_class, *args, partnerships=(), outcomes=(), topics=(), **kwargs):
        """Also takes partnerships= (pages), outcomes= and topics= (slugs)."""
        page = super()._create(model_class, *args, **kwargs)
        page.partnership_links = [CaseStudyPartnership(partnership=partnership) for partnership in partnerships]
        page.outcomes = list(Outcome.objects.filter(slug__in=outcomes))
        page.topics = list(Topic.objects.filter(slug__in=topics))
        page.save_revision().publish()
        return page


class EventIndexPageFactory(wagtail_factories.PageFactory):
    title = "Events"
    slug = "events"

    class Meta:
        model = EventIndexPage


class EventPageFactory(wagtail_factories.PageFactory):
    """An event an hour long, published through a revision; pass starts_at= (aware)."""

    title = factory.Sequence(lambda n: f"Event {n:04d}")
    summary = factory.LazyAttribute(lambda page: f"Who {page.title} is for and what they take away.")
    time_zone = "America/Chicago"
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=3))
    ends_at = factory.LazyAttribute(lambda page: page.starts_at + datetime.timedelta(hours=1))
    format = EventPage.Format.ONLINE

    class Meta:
        model = EventPage
        skip_postgeneration_save = True

    @classmethod
    def _create(cls, model_class, *args, partnerships=(), **kwargs):
        """Also takes partnerships= (pages)."""
        page = super()._create(model_class, *args, **kwargs)
        page.partnership_links = [EventPartnership(partnership=partnership) for partnership in partnerships]
        page.save_revision().publish()
        return page


PRACTICE_CORPUS_CITIES = [
    ("Milwaukee", "WI"),
    ("Phoenix", "AZ"),
    ("Cincinnati", "OH"),
    ("Albany", "NY"),
    ("Tulsa", "OK"),
    ("Portland", "OR"),
    ("Richmond", "VA"),
    ("Dayton", "OH"),
    ("Spokane", "WA"),
    ("Memphis", "TN"),
]


def practice_corpus_build():
    """The demo practice library (16 practices, each told by two partnerships) over ten
    partnerships, not indexed in Elasticsearch (the database backend indexes as it saves)."""
    home_page = home_page_as_site_root()
    CaseStudyIndexPageFactory(parent=home_page)
    directory = DirectoryPageFactory(parent=home_page)
    for number, (city, state) in enumerate(PRACTICE_CORPUS_CITIES):
        PartnershipPageFactory(
            parent=directory,
            title=f"{city} Promise",
            city=city,
            state=state,
            stage=Stage.values[number % len(Stage.values)],
        )
    with override_settings(ELASTICSEARCH_URL=""):
        practices_demo.load(home_page=home_page, stdout=io.StringIO())

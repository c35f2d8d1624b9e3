"""A week of network content and a list of subscribers, shared by the newsletter tests."""

import datetime
import email

import pytest
from django.utils import timezone

from news.models import FeedSource, NewsItem
from newsletter.models import Subscriber
from taxonomy.models import Outcome
from tests.factories import (
    BlogIndexPageFactory,
    BlogPageFactory,
    CaseStudyIndexPageFactory,
    CaseStudyPageFactory,
    DirectoryPageFactory,
    PartnershipPageFactory,
)


@pytest.fixture
def week(home_page):
    """A week with two posts, member news from three partnerships and a new case study."""
    blog = BlogIndexPageFactory(parent=home_page)
    for title in ("Network in the News: week 47", "What we learned in Phoenix"):
        BlogPageFactory(parent=blog, title=title, date=timezone.localdate()).save_revision().publish()
    directory = DirectoryPageFactory(parent=home_page)
    for _number, city in enumerate(["Tulsa", "Albany", "Dayton"]):
        partnership = PartnershipPageFactory(parent=directory, title=f"{city} Promise")
        source = FeedSource.objects.create(
            name=f"{city} news", url=f"https://{city.lower()}.example.org/feed", partnership=partnership
        )
        for story in range(2):
            NewsItem.objects.create(
                source=source,
                identity_key=f"{city}-{story}",
                title=f"{city} story {story}",
                link=f"https://{city.lower()}.example.org/{story}",
                published_at=timezone.now() - datetime.timedelta(hours=story),
                content_hash=f"{city}{story}",
                story_key=f"{city}-{story}",
                is_pinned=(city == "Dayton" and story == 1),
            )
    CaseStudyPageFactory(parent=CaseStudyIndexPageFactory(parent=home_page), title="Chronic absence cut in half")
    return timezone.now() - datetime.timedelta(days=7)


@pytest.fixture
def subscribers():
    employment = Outcome.objects.get(slug="employment")
    people = [
        Subscriber.objects.create(email=f"reader{n}@example.org", name=f"Reader {n}", status=Subscriber.Status.ACTIVE)
        for n in range(5)
    ]
    people[0].outcomes.add(employment)
    Subscriber.objects.create(email="pending@example.org")
    Subscriber.objects.create(email="gone@example.org", status=Subscriber.Status.UNSUBSCRIBED)
    Subscriber.objects.create(email="bounced@example.org", status=Subscriber.Status.BOUNCED)
    Subscriber.objects.create(
        email="paused@example.org",
        status=Subscriber.Status.ACTIVE,
        paused_until=timezone.localdate() + datetime.timedelta(days=14),
    )
    return people


def messages_of(inbox):
    return [email.message_from_bytes(message.as_bytes()) for message in inbox.messages]


def parts(message):
    return {
        part.get_content_type(): part.get_payload(decode=True).decode()
        for part in message.walk()
        if not part.is_multipart()
    }

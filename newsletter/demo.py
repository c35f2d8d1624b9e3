"""Demo subscribers, the sign-up section on the home page and one past issue in the archive."""

import datetime

from django.utils import timezone

from blog.models import Series
from taxonomy.models import Outcome
from website.demo import home_section_put

from .models import NewsletterIssue, Subscriber
from .services.issues import issue_build, issue_review_ensure

FIRST_NAMES = [
    "Amara",
    "Ben",
    "Carmen",
    "Dev",
    "Elena",
    "Femi",
    "Grace",
    "Hiro",
    "Ines",
    "Jamal",
    "Keisha",
    "Luis",
    "Maya",
    "Noah",
    "Olu",
    "Priya",
    "Quinn",
    "Rosa",
    "Sam",
    "Tariq",
    "Uma",
    "Victor",
    "Wen",
    "Yara",
]
# Mostly active readers, with one of each other state so the admin's filters show something.
STATUSES = {
    3: Subscriber.Status.PENDING,
    7: Subscriber.Status.UNSUBSCRIBED,
    11: Subscriber.Status.BOUNCED,
    15: Subscriber.Status.COMPLAINED,
}
PAST_ISSUE_SUBJECT = "Weekly digest: chronic absence, summer melt and the members' news"


def load(*, home_page, stdout):
    home_section_put(
        home_page=home_page,
        block_type="newsletter_signup",
        value={
            "heading": "Get the weekly digest",
            "text": "Every Friday: the network's new posts, the best of the members' own news and new practice "
            "case studies. Free, no tracking, one click to leave.",
        },
    )
    outcomes, series = list(Outcome.objects.all()), list(Series.objects.all())
    joined = timezone.now() - datetime.timedelta(days=120)
    for number, first_name in enumerate(FIRST_NAMES):
        status = STATUSES.get(number, Subscriber.Status.ACTIVE)
        subscriber, _ = Subscriber.objects.update_or_create(
            email=f"{first_name.lower()}@example.org",
            defaults={
                "name": first_name if number % 3 else "",
                "status": status,
                "consent_at": None if status == Subscriber.Status.PENDING else joined + datetime.timedelta(days=number),
                "consent_source": "demo data",
                "regions": ["midwest"] if number % 4 == 0 else [],
            },
        )
        subscriber.outcomes.set(outcomes[number % len(outcomes) :][:1] if outcomes and number % 2 else [])
        subscriber.series.set(series[:1] if series and number % 5 == 0 else [])
    if not NewsletterIssue.objects.filter(subject=PAST_ISSUE_SUBJECT).exists():
        until = timezone.now()
        issue = issue_build(since=until - datetime.timedelta(days=60), until=until, force=True)
        issue.subject = PAST_ISSUE_SUBJECT
        issue.intro = (
            "A busy fortnight: two partnerships halved chronic absence, three more started summer "
            "bridge programmes, and the network's data team shared its new dashboard."
        )
        issue.status, issue.sent_at = NewsletterIssue.Status.SENT, until
        issue.save()
        issue.save_revision().publish()  # what was sent is the published revision
    issue_review_ensure()
    stdout.write(
        f"  newsletter: {Subscriber.objects.count()} subscribers, "
        f"{NewsletterIssue.objects.filter(status=NewsletterIssue.Status.SENT).count()} issue in the archive"
    )

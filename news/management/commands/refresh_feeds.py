import sys

from django.core.management.base import BaseCommand, CommandError

from news.models import FeedSource
from news.services import feed_sources_due, feed_sources_refresh, feed_sources_sync
from news.tasks import refresh_due_feeds
from website.terminal import progress_bar


class Command(BaseCommand):
    help = "Fetch the member feeds that are due (or all active ones with --force) and store new items."

    def add_arguments(self, parser):
        parser.add_argument("--partnership", help="Only this partnership's feeds (its page slug).")
        parser.add_argument("--force", action="store_true", help="Every active feed now, due or not.")
        parser.add_argument(
            "--discover", action="store_true", help="First look for the feeds of partnerships that give only a website."
        )
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Queue one pass on the tasks framework (for cron with db_worker processes) instead of running it here.",
        )

    def handle(self, *args, partnership=None, force=False, enqueue=False, discover=False, **options):
        if enqueue:
            result = refresh_due_feeds.enqueue()
            self.stdout.write(f"Queued feed refresh {result.id}")
            return
        feed_sources_sync(discover=discover)
        sources = feed_sources_due(force=force or bool(partnership))
        if partnership:
            sources = sources.filter(partnership__slug=partnership)
            if not FeedSource.objects.filter(partnership__slug=partnership).exists():
                raise CommandError(f"No feed for a partnership with slug {partnership!r}.")
        sources = list(sources)
        on_terminal = sys.stdout.isatty()

        def progress(done, total):
            self.stderr.write(progress_bar(done, total, label="feeds"), ending="")

        totals = feed_sources_refresh(sources=sources, progress=progress if on_terminal else None)
        if on_terminal and sources:
            self.stderr.write("")
        keys = ("fetched", "not modified", "new items", "updated", "failed", "paused", "retired")
        self.stdout.write(", ".join(f"{totals.get(key, 0)} {key}" for key in keys))

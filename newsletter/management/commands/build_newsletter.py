import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from newsletter.services.issues import issue_approve, issue_build
from newsletter.tasks import build_weekly_issue


class Command(BaseCommand):
    help = "Assemble this week's draft issue from new posts, member news and case studies."

    def add_arguments(self, parser):
        parser.add_argument(
            "--since", type=datetime.date.fromisoformat, help="Start date (default: the last issue's end)."
        )
        parser.add_argument("--approve", action="store_true", help="Approve it for sending now.")
        parser.add_argument("--force", action="store_true", help="Build an issue even in a quiet week.")
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Queue the weekly build on the tasks framework (for cron with db_worker processes).",
        )

    def handle(self, *args, since=None, approve=False, force=False, enqueue=False, **options):
        if enqueue:
            self.stdout.write(f"Queued the weekly build {build_weekly_issue.enqueue().id}")
            return
        start = timezone.make_aware(datetime.datetime.combine(since, datetime.time())) if since else None
        issue = issue_build(since=start, force=force)
        if issue is None:
            self.stdout.write("A quiet week: nothing new, no issue built (use --force to build one anyway).")
            return
        if approve:
            issue_approve(issue=issue)
        counts = {section: issue.items.filter(section=section).count() for section in ("posts", "news", "case_studies")}
        self.stdout.write(
            f"Issue {issue.pk} ({issue.get_status_display().lower()}): {counts['posts']} posts, "
            f"{counts['news']} member news, {counts['case_studies']} case studies."
        )

import datetime
import sys

from django.core.management.base import BaseCommand, CommandError

from newsletter.models import NewsletterIssue, Subscriber
from newsletter.services.delivery import BATCH_SIZE, deliveries_enqueue, issue_deliver, issue_test_send
from newsletter.services.issues import issue_due
from newsletter.tasks import send_due_issue
from website.terminal import progress_bar


class Command(BaseCommand):
    help = "Send an approved issue to every active subscriber, exactly once; safe to run again at any time."

    def add_arguments(self, parser):
        parser.add_argument("--issue", type=int, help="Issue id (default: the latest approved issue that is due).")
        parser.add_argument("--test-to", help="Send one copy to this address only; the ledger is untouched.")
        parser.add_argument("--dry-run", action="store_true", help="Say who would get it, send nothing.")
        parser.add_argument(
            "--lease", type=int, default=600, help="Seconds after which another run takes over a dead run's deliveries."
        )
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE, help="Deliveries claimed at a time.")
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Queue the due issue's delivery in batches on the tasks framework (for cron with "
            "db_worker processes) instead of sending here.",
        )

    def handle(
        self, *args, issue=None, test_to=None, dry_run=False, lease=600, batch_size=BATCH_SIZE, enqueue=False, **options
    ):
        if enqueue:
            result = send_due_issue.enqueue()
            self.stdout.write(f"Queued delivery of the due issue {result.id}")
            return
        target = NewsletterIssue.objects.filter(pk=issue).first() if issue else issue_due()
        if target is None:
            raise CommandError(f"No issue {issue}." if issue else "No approved issue is due.")
        if test_to:
            issue_test_send(issue=target, email=test_to)
            self.stdout.write(f"Test copy of issue {target.pk} sent to {test_to}.")
            return
        if target.status == NewsletterIssue.Status.DRAFT:
            raise CommandError(f"Issue {target.pk} is a draft: approve it first.")
        if dry_run:
            active = Subscriber.objects.filter(status=Subscriber.Status.ACTIVE).count()
            self.stdout.write(
                f"Issue {target.pk} would go to {active} active subscribers "
                f"({target.deliveries.filter(state='sent').count()} already sent)."
            )
            return
        deliveries_enqueue(issue=target)
        total = target.deliveries.exclude(state="sent").count()
        interactive = sys.stdout.isatty()

        def progress(sent):
            if interactive:
                self.stdout.write(progress_bar(sent, total, label="sent"), ending="")
                self.stdout.flush()

        result = issue_deliver(
            issue=target, lease=datetime.timedelta(seconds=lease), batch_size=batch_size, on_progress=progress
        )
        if interactive:
            self.stdout.write("")
        self.stdout.write(
            f"Issue {target.pk}: {result['sent']} sent, {result['failed']} failed, "
            f"{result['remaining']} remaining, {result['in_progress']} in progress elsewhere; "
            f"MJML compiled {result['compiles']} times."
        )
        if result["remaining"]:
            raise CommandError("Some deliveries are still pending: run the command again.")

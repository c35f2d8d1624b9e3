from django.core.management.base import BaseCommand, CommandError
from elasticsearch import ApiError, TransportError

from practices.documents import CaseStudyDocument
from practices.services import case_study_index_create, case_study_index_drift, case_study_index_rebuild
from website.elasticsearch import elasticsearch_client, elasticsearch_enabled
from website.terminal import progress_bar

DRIFT_SHOWN = 10


class Command(BaseCommand):
    help = "Create, rebuild (into a new index, then swap the alias) or check the practice search index."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["create", "rebuild", "check"])

    def handle(self, *args, action, **options):
        if not elasticsearch_enabled():
            raise CommandError("ELASTICSEARCH_URL is not set: practice search runs on the database, there is no index.")
        try:
            getattr(self, f"_{action}")()
        except (ApiError, TransportError) as error:
            raise CommandError(f"Elasticsearch at the configured URL failed: {error}") from error

    def _create(self):
        index = case_study_index_create()
        self.stdout.write(f"{CaseStudyDocument.alias_name()} -> {index}")

    def _rebuild(self):
        interactive = self.stdout.isatty()

        def progress(done, total):
            if interactive:
                self.stdout.write(progress_bar(done, total, label="case studies"), ending="")
                self.stdout.flush()
            else:
                self.stdout.write(f"indexed {done}/{total}")

        report = case_study_index_rebuild(on_progress=progress)
        if interactive:
            self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(
                f"{report.indexed} case studies indexed into {report.index}; alias swapped"
                f"{' from ' + ', '.join(report.dropped) if report.dropped else ''}; "
                f"{report.reconciled} reconciled after the swap."
            )
        )

    def _check(self):
        client = elasticsearch_client()
        alias = CaseStudyDocument.alias_name()
        if not client.indices.exists_alias(name=alias):
            raise CommandError(f"No index behind {alias}: run `manage.py search_index rebuild`.")
        index = next(iter(client.indices.get_alias(name=alias)))
        meta = client.indices.get_mapping(index=index)[index]["mappings"].get("_meta", {})
        count = client.count(index=alias)["count"]
        drift = case_study_index_drift(client=client)
        self.stdout.write(f"{alias} -> {index}: {count} documents, stemming: {meta.get('stemming', 'unknown')}")
        for label, ids in (
            ("missing from the index", drift["missing"]),
            ("in the index but not published", drift["extra"]),
        ):
            if ids:
                shown = ", ".join(str(pk) for pk in sorted(ids)[:DRIFT_SHOWN])
                self.stdout.write(
                    self.style.WARNING(f"{len(ids)} {label}: {shown}{' ...' if len(ids) > DRIFT_SHOWN else ''}")
                )
        if drift["missing"] or drift["extra"]:
            raise CommandError("The index has drifted: run `manage.py search_index rebuild` to bring it in step.")
        self.stdout.write(self.style.SUCCESS("In step with the published case studies."))

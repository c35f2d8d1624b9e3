"""Practice search benchmark: 10,000 generated case studies, text + facet queries, p50/p95
latency on Elasticsearch and on the database fallback.

    scripts/bench.sh search            (starts the services, then runs this)
    BENCH_CASE_STUDIES=2000 scripts/bench.sh search
    BENCH_SEARCH_REBUILD=0 scripts/bench.sh search     (search the last run's index)
    BENCH_SEARCH_BACKENDS=elasticsearch scripts/bench.sh search   (or database: one of the two)

The corpus is generated once (fixed seed) into the bench database and reused; the
index is rebuilt on every run (unless BENCH_SEARCH_REBUILD=0) so the figures include a
fresh alias swap.
"""

import os
import random
import statistics
import sys
import time

from bench import setup_django

SEED = 20261122
CASE_STUDIES = int(os.environ.get("BENCH_CASE_STUDIES", "10000"))
PARTNERSHIPS = 200
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
REBUILD = os.environ.get("BENCH_SEARCH_REBUILD", "1") != "0"
BACKENDS = os.environ.get("BENCH_SEARCH_BACKENDS", "elasticsearch,database").split(",")
QUERIES = [
    ("kindergarten readiness", {"topic": ["early-childhood"]}),
    ("reading", {"state": ["OH", "WI"]}),
    ("data sharing agreement", {"stage": ["sustaining", "systems-change"]}),
    ("fafsa completion", {"year_from": 2020}),
    ("chronic absence", {"outcome": ["early-grade-reading"]}),
    ("internships employers", {"topic": ["workforce"], "state": ["AZ"]}),
    ("kindergarden readyness", {}),
    ("equity audit", {"topic": ["equity"], "year_from": 2018, "year_to": 2022}),
    ("", {"topic": ["data-use"], "stage": ["proof-point"]}),
    ("community report card", {"outcome": ["postsecondary-completion"], "topic": ["data-use"]}),
]


def corpus_ensure():
    """10,000 case studies over 200 partnerships, written once with a fixed seed."""
    from django.conf import settings
    from django.core.management import call_command
    from django.db import transaction
    from django.db.models.signals import post_save
    from modelsearch.signal_handlers import post_save_signal_handler

    from network.models import DirectoryPage, PartnershipPage
    from practices.demo import PRACTICES, TOPIC_NAMES
    from practices.models import CaseStudyIndexPage, CaseStudyPage, CaseStudyPartnership
    from taxonomy.geography import STATES
    from taxonomy.models import Outcome, Stage, Topic
    from website.management.commands.load_demo_data import HOME_PAGE
    from website.services import home_page_install

    call_command("migrate", verbosity=0)
    if CaseStudyPage.objects.count() >= CASE_STUDIES:
        return 0.0
    started = time.perf_counter()
    rng = random.Random(SEED)
    elasticsearch_url, settings.ELASTICSEARCH_URL = settings.ELASTICSEARCH_URL, ""  # indexed in one go below
    post_save.disconnect(post_save_signal_handler, sender=CaseStudyPage)
    try:
        with transaction.atomic():
            home = home_page_install(defaults=HOME_PAGE)
            directory = DirectoryPage.objects.first() or home.add_child(
                instance=DirectoryPage(title="Network directory", slug="network")
            )
            library = CaseStudyIndexPage.objects.first() or home.add_child(
                instance=CaseStudyIndexPage(title="Practice library", slug="practices")
            )
            topics = [
                Topic.objects.get_or_create(slug=slug, defaults={"name": name})[0] for slug, name in TOPIC_NAMES.items()
            ]
            outcomes = list(Outcome.objects.all())
            states = list(STATES)
            partnerships = list(PartnershipPage.objects.all())
            for number in range(len(partnerships), PARTNERSHIPS):
                partnerships.append(
                    directory.add_child(
                        instance=PartnershipPage(
                            title=f"Bench partnership {number:03d}",
                            slug=f"bench-partnership-{number:03d}",
                            state=rng.choice(states),
                            stage=rng.choice(Stage.values),
                            city=f"City {number}",
                        )
                    )
                )
            for number in range(CaseStudyPage.objects.count(), CASE_STUDIES):
                title, summary, paragraphs, results, _, _ = PRACTICES[number % len(PRACTICES)]
                partnership = rng.choice(partnerships)
                page = CaseStudyPage(
                    title=f"{title.format(city=partnership.city)} ({number})",
                    slug=f"case-study-{number:05d}",
                    summary=summary.format(city=partnership.city),
                    state=partnership.state,
                    stage=partnership.stage,
                    year=rng.randint(2012, 2025),
                    body=[
                        ("paragraph", f"<p>{paragraph.format(city=partnership.city)}</p>") for paragraph in paragraphs
                    ],
                    results=[("result", {"figure": f, "label": label, "source": s}) for f, label, s in results],
                    partnership_links=[CaseStudyPartnership(partnership=partnership)],
                )
                page.outcomes = rng.sample(outcomes, 2)
                page.topics = rng.sample(topics, 2)
                library.add_child(instance=page)
                if number % 1000 == 999:
                    print(f"  generated {number + 1}/{CASE_STUDIES} case studies", file=sys.stderr)
    finally:
        post_save.connect(post_save_signal_handler, sender=CaseStudyPage)
        settings.ELASTICSEARCH_URL = elasticsearch_url
    call_command("update_index", verbosity=0)
    return time.perf_counter() - started


class _Timed:
    """Per search: the milliseconds Elasticsearch reported (`took`) and the milliseconds
    Django spent waiting for SQL, to tell the server's share from Django's."""

    def __init__(self):
        self.took = 0
        self.sql = 0.0

    def sql_wrapper(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.sql += (time.perf_counter() - started) * 1000

    def elasticsearch_client(self, original):
        timed = self

        class Client:
            def __init__(self, client):
                self._client = client

            def search(self, **kwargs):
                response = self._client.search(**kwargs)
                timed.took += response["took"]
                return response

            def __getattr__(self, name):
                return getattr(self._client, name)

        return lambda **kwargs: Client(original(**kwargs))


def _percentiles(values):
    values = sorted(values)
    return statistics.median(values), values[int(len(values) * 0.95) - 1]


def _request_cache_clear():
    """Empty the node's request cache for the case-study index (not timed)."""
    from practices.documents import CaseStudyDocument
    from website.elasticsearch import elasticsearch_client

    elasticsearch_client().indices.clear_cache(index=CaseStudyDocument.alias_name(), request=True)


def measure(passes):
    """`passes`: (label, what to do before each search, untimed). Every query is searched
    once per pass in a row, so the passes share the machine's load alike."""
    from django.db import connection

    from practices import library
    from practices.library import case_study_search

    base = {
        "q": "",
        "state": [],
        "stage": [],
        "evidence": [],
        "outcome": [],
        "topic": [],
        "partnership": [],
        "year_from": None,
        "year_to": None,
        "sort": "relevance",
    }
    for query, facets in QUERIES:  # warm-up
        case_study_search(filters=base | {"q": query} | facets)
    figures = {label: ([], [], [], set()) for label, _ in passes}
    original_client = library.elasticsearch_client
    for _ in range(ROUNDS):
        for query, facets in QUERIES:
            for label, before in passes:
                if before:
                    before()
                timings, tooks, sqls, backends = figures[label]
                timed = _Timed()
                library.elasticsearch_client = timed.elasticsearch_client(original_client)
                try:
                    with connection.execute_wrapper(timed.sql_wrapper):
                        started = time.perf_counter()
                        results = case_study_search(filters=base | {"q": query} | facets)
                        timings.append((time.perf_counter() - started) * 1000)
                finally:
                    library.elasticsearch_client = original_client
                tooks.append(timed.took)
                sqls.append(timed.sql)
                backends.add(results.backend)
    for label, _ in passes:
        timings, tooks, sqls, backends = figures[label]
        p50, p95 = _percentiles(timings)
        print(f"{label:<28} {len(timings):>5} {p50:>9.1f} {p95:>9.1f}   ({', '.join(sorted(backends))})")
        if "elasticsearch" in backends:
            print(
                f"{'  of which took (server)':<28} {'':>5} {_percentiles(tooks)[0]:>9.1f} {_percentiles(tooks)[1]:>9.1f}"
            )
        print(f"{'  of which SQL':<28} {'':>5} {_percentiles(sqls)[0]:>9.1f} {_percentiles(sqls)[1]:>9.1f}")


def main():
    setup_django(database="search")
    from django.conf import settings

    from practices.services import case_study_index_rebuild
    from website.elasticsearch import elasticsearch_enabled

    generated = corpus_ensure()
    from practices.models import CaseStudyPage

    total = CaseStudyPage.objects.live().count()
    print(
        f"corpus: {total} case studies ({f'generated in {generated:.0f} s' if generated else 'reused'}),"
        f" database {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}"
    )
    print(f"{'practice search':<28} {'runs':>5} {'p50 ms':>9} {'p95 ms':>9}")
    if elasticsearch_enabled() and "elasticsearch" in BACKENDS:
        if REBUILD:
            started = time.perf_counter()
            report = case_study_index_rebuild()
            print(f"{'index rebuild':<28} {report.indexed:>5} docs in {time.perf_counter() - started:.1f} s")
        else:
            print("index rebuild: skipped (BENCH_SEARCH_REBUILD=0), the last run's index is searched")
        print(
            "  cold: the node's request cache emptied before each search;"
            " repeated: the same search again at once, its query phase from that cache"
        )
        measure([("elasticsearch, cold", _request_cache_clear), ("elasticsearch, repeated", None)])
    else:
        print("elasticsearch: skipped (ELASTICSEARCH_URL not set, or not in BENCH_SEARCH_BACKENDS)")
    if "database" in BACKENDS:
        settings.ELASTICSEARCH_URL = ""
        measure([("database fallback", None)])


if __name__ == "__main__":
    main()

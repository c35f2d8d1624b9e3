"""Page benchmark: the production settings served by gunicorn on 127.0.0.1, the demo
data scaled up (500 partnerships, 2,000 posts, 10,000 case studies, 20,000 news items),
loaded by wrk from another process (50 connections). For each page: a warm-up, then
several runs; the median run's requests/s, p50/p95/p99 and the gunicorn workers' CPU
time per request are printed, with the error responses of every run added up, and the
load average before and after. Beside it, in the same run and alternating page by page,
the same gunicorn serving Django's own WSGI handler (no website.page_replay in front):
the ratio is what answering cached pages before Django's request cycle buys.

    scripts/bench.sh pages
    BENCH_PAGE_SECONDS=60 BENCH_PAGE_RUNS=1 scripts/bench.sh pages    (the acceptance run)
    PAGE_CACHE_SECONDS=0 scripts/bench.sh pages                       (every request rendered)

The scaled data are generated once (fixed seed) into the bench database and reused.
"""

import datetime
import io
import json
import os
import random
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from bench import setup_django

SEED = 20261122
PARTNERSHIPS, POSTS, NEWS_ITEMS = 500, 2000, 20000
SECONDS = int(os.environ.get("BENCH_PAGE_SECONDS", "20"))
RUNS = int(os.environ.get("BENCH_PAGE_RUNS", "3"))
CONNECTIONS = 50
WORKERS = int(os.environ.get("BENCH_GUNICORN_WORKERS", "3"))
ROOT = Path(__file__).resolve().parent.parent
NEWS_LATEST = datetime.datetime(2026, 11, 20, 12, tzinfo=datetime.UTC)


def data_ensure():
    """The search benchmark's 10,000 case studies, the demo content on top, then more
    partnerships, posts and news items up to the target numbers."""
    from django.core.management import call_command

    from bench.search import corpus_ensure
    from blog.models import BlogIndexPage, BlogPage, Series
    from network.models import DirectoryPage, PartnershipPage
    from news.models import FeedSource, NewsItem
    from taxonomy.geography import STATES
    from taxonomy.models import Outcome, Stage

    started = time.perf_counter()
    corpus_ensure()
    if not BlogIndexPage.objects.exists():
        call_command("load_demo_data", stdout=io.StringIO())
    rng = random.Random(SEED)
    directory = DirectoryPage.objects.get()
    outcomes = list(Outcome.objects.all())
    for number in range(PartnershipPage.objects.count(), PARTNERSHIPS):
        partnership = PartnershipPage(
            title=f"Scaled partnership {number:03d}",
            slug=f"scaled-partnership-{number:03d}",
            state=rng.choice(list(STATES)),
            stage=rng.choice(Stage.values),
            city=f"Town {number}",
            summary="A cradle-to-career partnership.",
        )
        directory.add_child(instance=partnership)
        partnership.outcomes.set(rng.sample(outcomes, 3))
    blog = BlogIndexPage.objects.get(slug="blog")
    series = list(Series.objects.all())
    template = BlogPage.objects.live().order_by("pk").first()
    for number in range(BlogPage.objects.count(), POSTS):
        blog.add_child(
            instance=BlogPage(
                title=f"Network notes {number}: what partnerships learned",
                slug=f"network-notes-{number:04d}",
                summary=template.summary,
                body=template.body.raw_data,
                series=rng.choice(series) if number % 2 else None,
                date=template.date - datetime.timedelta(days=number // 3),
            )
        )
        if number % 250 == 249:
            print(f"  generated {number + 1}/{POSTS} posts", file=sys.stderr)
    sources = list(FeedSource.objects.all())
    have = NewsItem.objects.count()
    NewsItem.objects.bulk_create(
        (
            NewsItem(
                source=sources[number % len(sources)],
                identity_key=f"scaled-{number}",
                title=f"Member story {number}",
                link=f"https://member-{number % len(sources)}.example.org/news/{number}",
                summary="What happened this week.",
                published_at=NEWS_LATEST - datetime.timedelta(minutes=20 * number),
                content_hash=f"scaled-{number}",
                story_key=f"scaled-{number}",
            )
            for number in range(have, NEWS_ITEMS)
        ),
        batch_size=2000,
    )
    return time.perf_counter() - started


def pages_to_load():
    from blog.models import BlogPage
    from network.models import PartnershipPage

    return [
        ("home", "/"),
        ("directory, filtered", "/network/?region=midwest&stage=sustaining&outcome=early-grade-reading"),
        ("partnership page", PartnershipPage.objects.live().order_by("pk").first().url),
        ("blog index", "/blog/"),
        ("post", BlogPage.objects.live().order_by("pk").first().url),
        ("series page", "/blog/series/network-in-the-news/"),
        ("practice search + facets", "/practices/?q=reading&topic=data-use&stage=proof-point"),
        ("network news", "/news/"),
    ]


def production_environment(port):
    """The production settings over plain http on loopback, for a gunicorn on `port`."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "website.settings.production",
        "SECRET_KEY": "bench-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "False",
        "SECURE_HSTS_SECONDS": "0",
        "STATIC_ROOT": str(ROOT / "var" / "bench" / "static"),
        "LOG_LEVEL": "WARNING",
        "BASE_URL": f"http://127.0.0.1:{port}",
    }


def server_start(port, application="website.wsgi"):
    """gunicorn serving `application` with the production settings, plain http on loopback."""
    environment = production_environment(port)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=environment, check=True
    )
    process, health = gunicorn_start(
        [str(Path(sys.executable).parent / "gunicorn"), application],
        cwd=ROOT,
        environment=environment,
        port=port,
        ready_path="/health/",
    )
    return process, json.loads(health)


def gunicorn_start(command, *, cwd, environment, port, ready_path, ready_timeout=5):
    """gunicorn (`command`: its path and WSGI application) on loopback with WORKERS gthread
    workers of 4 threads; (process, the body of ready_path) once that page answers."""
    process = subprocess.Popen(
        [*command, "-b", f"127.0.0.1:{port}", "-w", str(WORKERS), "--worker-class", "gthread", "--threads", "4"]
        + ["--log-level", "warning"],
        cwd=cwd,
        env=environment,
    )
    for _ in range(300):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{ready_path}", timeout=ready_timeout) as response:
                return process, response.read()
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError(f"gunicorn in {cwd} did not answer {ready_path}")


def workers_cpu_seconds(master):
    """CPU time (user + system) the gunicorn `master`'s workers have used so far: per
    request, a figure other work on a shared machine sways far less than requests/s."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended meanwhile
            continue
        if int(fields[1]) == master:
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def wrk(url, seconds, *, connections=CONNECTIONS):
    output = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(ROOT / "bench" / "wrk_report.lua"),
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    report = json.loads(output.strip().splitlines()[-1])
    report["rps"] = report["requests"] / report["seconds"]
    return report


def page_load(process, url):
    """A 5 s warm-up, then RUNS runs of wrk on `url`: the median run, with the gunicorn
    workers' CPU time per request and the errors of every run added up."""
    wrk(url, 5)
    runs = []
    for _ in range(RUNS):
        cpu = workers_cpu_seconds(process.pid)
        run = wrk(url, SECONDS)
        run["cpu_us"] = (workers_cpu_seconds(process.pid) - cpu) / max(run["requests"], 1) * 1e6
        runs.append(run)
    runs.sort(key=lambda run: run["rps"])
    median = runs[len(runs) // 2]
    median["errors"] = sum(run["non_2xx"] + run["socket_errors"] for run in runs)
    return median


def main():
    setup_django(database="pages")
    from django.conf import settings

    from blog.models import BlogPage
    from network.models import PartnershipPage
    from news.models import NewsItem
    from practices.models import CaseStudyPage

    generated = data_ensure()
    if settings.ELASTICSEARCH_URL:
        from elasticsearch import NotFoundError

        from practices.services import case_study_index_drift, case_study_index_rebuild

        try:
            stale = bool(case_study_index_drift()["missing"])
        except NotFoundError:  # no index yet
            stale = True
        if stale:
            case_study_index_rebuild()
    servers = {}
    try:
        for side, application in (("ours", "website.wsgi"), ("django", "django.core.wsgi:get_wsgi_application()")):
            with socket.socket() as probe:
                probe.bind(("127.0.0.1", 0))
                port = probe.getsockname()[1]
            process, health = server_start(port, application)
            servers[side] = (process, port)
        print(
            f"data: {PartnershipPage.objects.count()} partnerships, {BlogPage.objects.count()} posts, "
            f"{CaseStudyPage.objects.count()} case studies, {NewsItem.objects.count()} news items "
            f"(ready in {generated:.0f} s); gunicorn {WORKERS} workers x 4 threads, production settings, "
            f"page cache {os.environ.get('PAGE_CACHE_SECONDS', '300')} s, search "
            f"{health['checks']['search'].get('backend')}"
        )
        print(f"wrk: {CONNECTIONS} connections, {RUNS} run(s) of {SECONDS} s after a 5 s warm-up; median run quoted")
        print("ours: website.wsgi (cached pages replayed before Django); django: Django's WSGI handler alone")
        print(f"load average {os.getloadavg()[0]:.1f}")
        print(
            f"{'page':<26} {'req/s':>8} {'django':>8} {'ratio':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}"
            f" {'CPU us':>7} {'django':>7} {'errors':>7}"
        )
        for label, path in pages_to_load():
            median = {
                side: page_load(process, f"http://127.0.0.1:{port}{path}") for side, (process, port) in servers.items()
            }
            ours, django = median["ours"], median["django"]
            print(
                f"{label:<26} {ours['rps']:>8.0f} {django['rps']:>8.0f} {ours['rps'] / max(django['rps'], 1e-9):>5.2f}x "
                f"{ours['p50']:>7.1f} {ours['p95']:>7.1f} {ours['p99']:>7.1f} {ours['cpu_us']:>7.0f} "
                f"{django['cpu_us']:>7.0f} {ours['errors'] + django['errors']:>7}"
            )
        print(f"load average {os.getloadavg()[0]:.1f}")
    finally:
        for process, _ in servers.values():
            process.terminate()
            process.wait()


if __name__ == "__main__":
    main()

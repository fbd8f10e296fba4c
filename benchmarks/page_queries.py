"""Query count and median server time of the main pages, on the demo data set and
on the large one, against the Django admin's changelist of the same proposals.

    .venv/bin/python benchmarks/page_queries.py [--runs 15] [--profile [PAGE ...]]

Builds its own SQLite database in a temporary folder (or uses DATABASE_URL when
set, e.g. an empty PostgreSQL database made for the purpose: it is migrated and
seeded). Every page is requested by the superuser ``admin`` through Django's test
client (the whole middleware stack, no network), with DEBUG off as in production.

Prints, per page: the queries on the demo data and on the large data side by
side (target: the same count, i.e. independent of the amount of data), the median
server time (and, on the large data, the part spent in the database's execute
calls: SQLite fetches rows after execute, so it counts less there), and the ratio
of the large median to the admin changelist's (target: at most 1). The runs are
interleaved (page 1, page 2, …, then again) so that a busy machine weighs on every
page alike.

``--profile`` profiles (cProfile, on the large data) every page slower than the
admin changelist; ``--profile dashboard "proposal list"`` profiles those pages.
"""

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

YARDSTICK = "admin changelist"
# The pages of the target (each at or under the admin changelist's time).
TARGET_PAGES = ("dashboard", "proposal list", "atelier 1", "axis 1", "proposal")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument(
        "--profile",
        nargs="*",
        metavar="PAGE",
        help="profile the pages slower than the admin changelist, or those named",
    )
    parser.add_argument("--profile-lines", type=int, default=25)
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="cucs-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cucs_portal.settings.development")
    # Production-like: no debug templates or query log, except where we count.
    os.environ["DEBUG"] = "false"
    os.environ["MEDIA_ROOT"] = f"{tmp}/media"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    # Whitenoise warns that STATIC_ROOT is missing: no static file is served here.
    warnings.filterwarnings("ignore", message="No directory at")

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    from django.db.models import Count

    from ateliers.models import Atelier, Proposal
    from commission.models import CommissionSession, ValidationRound
    from people.models import User

    call_command("migrate", verbosity=0)
    # Django empties the query log when each request starts; keep it, to count.
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(reset_queries)
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)

    def pages():
        atelier = Atelier.objects.get(axis__number=1)
        proposal = Proposal.objects.filter(atelier=atelier).order_by("number").first()
        return {
            "dashboard": reverse("dashboard"),
            "proposal list": reverse("ateliers:proposal_list"),
            "atelier 1": atelier.get_absolute_url(),
            "axis 1": reverse("axes:detail", kwargs={"number": 1}),
            "proposal": proposal.get_absolute_url(),
            "history": reverse("ateliers:proposal_history", kwargs={"pk": proposal.pk}),
            "review queue": reverse("commission:review_queue"),
            "round": ValidationRound.objects.first().get_absolute_url(),
            # The session that decided the most items (120 in the large data).
            "session": CommissionSession.objects.annotate(n=Count("items"))
            .order_by("-n")
            .first()
            .get_absolute_url(),
            "journal": reverse("audit:log"),
            YARDSTICK: reverse("admin:ateliers_proposal_changelist"),
        }

    class SQLTimer:
        """Time spent in the database, summed over one request."""

        def __init__(self):
            self.seconds = 0.0

        def __call__(self, execute, sql, params, many, context):
            start = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                self.seconds += time.perf_counter() - start

    def measure(label):
        client = Client()
        client.force_login(
            User.objects.get(username="admin"),
            backend="django.contrib.auth.backends.ModelBackend",
        )
        urls = pages()
        result = {
            "proposals": Proposal.objects.count(),
            "queries": {},
            "ms": {name: [] for name in urls},
            "sql_ms": {name: [] for name in urls},
        }
        for name, url in urls.items():
            # The log holds at most 9000 queries: empty it, or a full log
            # would count nothing. This first request also warms the caches.
            reset_queries()
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200, name
            result["queries"][name] = len(queries)
        for _ in range(args.runs):
            for name, url in urls.items():
                timer = SQLTimer()
                with connection.execute_wrapper(timer):
                    start = time.perf_counter()
                    client.get(url)
                    elapsed = time.perf_counter() - start
                result["ms"][name].append(elapsed * 1000)
                result["sql_ms"][name].append(timer.seconds * 1000)
        print(f"{label}: {result['proposals']} proposals, measured", flush=True)
        return result, client, urls

    started = time.perf_counter()
    call_command("seed_demo", verbosity=0, stdout=io.StringIO(), allow_production=True)
    demo, _, _ = measure("demo")
    call_command(
        "seed_demo",
        size="large",
        verbosity=0,
        stdout=io.StringIO(),
        allow_production=True,
    )
    large, client, urls = measure("large")

    def median(result, key, name):
        return statistics.median(result[key][name])

    admin_ms = median(large, "ms", YARDSTICK)
    print()
    print(
        f"{connection.vendor}, DEBUG off, user admin (superuser), medians of "
        f"{args.runs} interleaved runs; demo: {demo['proposals']} proposals, "
        f"large: {large['proposals']} proposals "
        f"({time.perf_counter() - started:.0f} s in all)"
    )
    print(
        f"{'page':<18}{'queries':>8}{'queries':>8}{'ms':>8}{'ms':>8}"
        f"{'SQL ms':>8}{'× admin':>9}"
    )
    print(
        f"{'':<18}{'demo':>8}{'large':>8}{'demo':>8}{'large':>8}{'large':>8}{'large':>9}"
    )
    growing, slower = [], []
    for name in urls:
        ratio = median(large, "ms", name) / admin_ms
        if large["queries"][name] != demo["queries"][name]:
            growing.append(name)
        if name != YARDSTICK and ratio > 1:
            slower.append(name)
        print(
            f"{name:<18}{demo['queries'][name]:>8}{large['queries'][name]:>8}"
            f"{median(demo, 'ms', name):>8.1f}{median(large, 'ms', name):>8.1f}"
            f"{median(large, 'sql_ms', name):>8.1f}{ratio:>9.2f}"
        )
    print()
    print(
        "query counts independent of the data: "
        + ("yes, every page" if not growing else "NO: " + ", ".join(growing))
    )
    target_slower = [name for name in slower if name in TARGET_PAGES]
    print(
        f"target pages ({', '.join(TARGET_PAGES)}) at or under the admin changelist: "
        + ("yes" if not target_slower else "NO: " + ", ".join(target_slower))
    )
    others = [name for name in slower if name not in TARGET_PAGES]
    if others:
        print("other pages slower than the admin changelist: " + ", ".join(others))

    if args.profile is not None:
        for name in args.profile or slower:
            profile(client, name, urls[name], args)


def profile(client, name, url, args) -> None:
    """cProfile over a few requests of one page, the functions that cost most."""
    profiler = cProfile.Profile()
    runs = max(5, args.runs // 3)
    profiler.enable()
    for _ in range(runs):
        client.get(url)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(args.profile_lines)
    print(f"\nprofile of {name} ({url}), {runs} requests, by cumulative time:")
    print(out.getvalue().split("\n", 6)[-1].rstrip())
    out = io.StringIO()
    stats.stream = out
    stats.sort_stats("tottime").print_stats(args.profile_lines)
    print(f"\nprofile of {name}, by own time:")
    print(out.getvalue().split("\n", 6)[-1].rstrip())


if __name__ == "__main__":
    main()

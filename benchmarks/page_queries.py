"""Query count and median server time of the main pages, on the demo data set and
on the large one, so that a page whose queries grow with the data shows up.

    .venv/bin/python benchmarks/page_queries.py [--runs 15]

Builds its own SQLite database in a temporary folder (or uses DATABASE_URL when
set, e.g. a PostgreSQL database made for the purpose: it is migrated and seeded).
"""

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="cucs-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cucs_portal.settings.development")
    os.environ["DEBUG"] = "true"

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    from ateliers.models import Atelier, Proposal
    from commission.models import ValidationRound
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
            "journal": reverse("audit:log"),
            "admin changelist": reverse("admin:ateliers_proposal_changelist"),
        }

    def measure(label):
        client = Client()
        client.force_login(User.objects.get(username="admin"))
        proposals = Proposal.objects.count()
        print(f"\n{label}: {proposals} proposals ({connection.vendor})")
        print(f"{'page':<18}{'queries':>8}{'median ms':>11}")
        for name, url in pages().items():
            # The log holds at most 9000 queries: empty it, or a full log
            # would count nothing.
            reset_queries()
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200, name
            times = []
            for _ in range(args.runs):
                start = time.perf_counter()
                client.get(url)
                times.append((time.perf_counter() - start) * 1000)
            print(f"{name:<18}{len(queries):>8}{statistics.median(times):>11.1f}")

    call_command("seed_demo", verbosity=0, stdout=io.StringIO())
    measure("demo")
    call_command("seed_demo", size="large", verbosity=0, stdout=io.StringIO())
    measure("large")


if __name__ == "__main__":
    main()

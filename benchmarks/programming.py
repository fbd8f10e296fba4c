"""Query count and median server time of the territorial declination's pages
and exports, on the demo data and with five times as many site actions.

    .venv/bin/python benchmarks/programming.py [--runs 5] [--pdf]

Builds its own SQLite database in a temporary folder (or uses DATABASE_URL when
set: an empty database made for the purpose, e.g. PostgreSQL), migrates it and
runs seed_demo. The pages are requested by the superuser ``admin`` through
Django's test client, with DEBUG off. The actions are then multiplied by five
(copies of the demo's, with their partners and funding lines) inside a
transaction that is rolled back at the end, and everything is measured again.
Target: the same query count on both sides. ``--pdf`` also times the PDF of
the Saint-Étienne bassin (a WeasyPrint subprocess per run: slow).
"""

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

GROWTH = 5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pdf", action="store_true")
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="cucs-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cucs_portal.settings.development")
    os.environ["DEBUG"] = "false"
    os.environ["MEDIA_ROOT"] = f"{tmp}/media"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    warnings.filterwarnings("ignore", message="No directory at")

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, reset_queries, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    from declinaison.models import FundingLine, SiteAction
    from people.models import User

    call_command("migrate", verbosity=0)
    call_command("seed_demo", "--allow-production", verbosity=0, stdout=io.StringIO())
    from django.core.signals import request_started
    from django.db import close_old_connections

    request_started.disconnect(reset_queries)
    request_started.disconnect(close_old_connections)

    def slug(name):
        return reverse("declinaison:territory", kwargs={"slug": name})

    urls = {
        "programming": reverse("declinaison:programming"),
        "programming, axis 3": reverse("declinaison:programming") + "?axis=3",
        "programming, page 5": reverse("declinaison:programming") + "?page=5",
        "bassin page": slug("bassin-saint-etienne"),
        "commune page": slug("saint-etienne"),
        "csv, bassin": reverse(
            "declinaison:territory_csv", kwargs={"slug": "bassin-saint-etienne"}
        ),
        "xlsx, bassin": reverse(
            "declinaison:territory_xlsx", kwargs={"slug": "bassin-saint-etienne"}
        ),
    }
    if args.pdf:
        urls["pdf, bassin"] = reverse(
            "declinaison:territory_pdf", kwargs={"slug": "bassin-saint-etienne"}
        )
    client = Client()
    client.force_login(
        User.objects.get(username="admin"),
        backend="django.contrib.auth.backends.ModelBackend",
    )

    def fetch(url):
        response = client.get(url)
        assert response.status_code == 200, url
        if response.streaming:
            b"".join(response.streaming_content)

    def measure() -> dict:
        result = {"actions": SiteAction.objects.count(), "queries": {}, "ms": {}}
        for name, url in urls.items():
            reset_queries()
            with CaptureQueriesContext(connection) as queries:
                fetch(url)
            result["queries"][name] = len(queries)
            times = []
            for _ in range(args.runs):
                start = time.perf_counter()
                fetch(url)
                times.append((time.perf_counter() - start) * 1000)
            result["ms"][name] = statistics.median(times)
        return result

    def grow():
        """Copies of every action (GROWTH - 1 times), with their partners and
        funding lines."""
        originals = list(
            SiteAction.objects.prefetch_related(
                "partner_organisations", "funding_lines"
            )
        )
        through = SiteAction.partner_organisations.through
        for copy in range(1, GROWTH):
            clones = []
            for action in originals:
                clone = SiteAction(
                    **{
                        field.attname: getattr(action, field.attname)
                        for field in SiteAction._meta.concrete_fields
                        if not field.primary_key
                    }
                )
                clone.title = f"{action.title} ({copy + 1})"
                clones.append(clone)
            SiteAction.objects.bulk_create(clones, batch_size=500)
            through.objects.bulk_create(
                [
                    through(siteaction_id=clone.pk, organisation_id=partner.pk)
                    for action, clone in zip(originals, clones, strict=True)
                    for partner in action.partner_organisations.all()
                ],
                batch_size=1000,
            )
            FundingLine.objects.bulk_create(
                [
                    FundingLine(action=clone, source=line.source, amount=line.amount)
                    for action, clone in zip(originals, clones, strict=True)
                    for line in action.funding_lines.all()
                ],
                batch_size=1000,
            )

    demo = measure()
    with transaction.atomic():
        grow()
        grown = measure()
        transaction.set_rollback(True)

    width = max(len(name) for name in urls)
    print(
        f"{'page':<{width}}  queries ({demo['actions']} → {grown['actions']} actions)"
        f"   median ms ({demo['actions']} → {grown['actions']})"
    )
    for name in urls:
        flat = "" if demo["queries"][name] == grown["queries"][name] else "  GROWS"
        print(
            f"{name:<{width}}  {demo['queries'][name]:>5} → "
            f"{grown['queries'][name]:<5}{flat:8}"
            f"   {demo['ms'][name]:>8.1f} → {grown['ms'][name]:.1f}"
        )


if __name__ == "__main__":
    main()

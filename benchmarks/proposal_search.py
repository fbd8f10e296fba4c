"""Time of the proposals list's search without accents (cucs_portal.search
``matching`` on ateliers.selectors.SEARCHED_FIELDS), and the plan that answers
it, on the large demo data and on twenty times as many proposals.

    .venv/bin/python benchmarks/proposal_search.py [--runs 15] [--growth 20]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cucs_bench \\
        .venv/bin/python benchmarks/proposal_search.py

Builds its own SQLite database in a temporary folder (or uses DATABASE_URL when
set: an empty database made for the purpose, e.g. PostgreSQL, or one already
seeded), migrates it and runs ``seed_demo --size large``. Then, for each
search (« jardins partages », « boite a idees »…), it prints the proposals
found and two medians: the filter alone (the matching ids, read from the
database) and the whole list page (``/propositions/?q=…``, requested by the
superuser ``admin`` through Django's test client, DEBUG off). The proposals
are then copied ``--growth`` times over (with other numbers, so that the
words are found as often, in proportion) inside a transaction rolled back at
the end, and everything is measured again.

On PostgreSQL, the filter is ``cucs_fold(column) LIKE '%word%'`` and the GIN
trigram indexes of ateliers/migrations/0010 are built on that very
expression: the script prints which indexes the plan uses (EXPLAIN ANALYZE,
on the grown data), then times the same filter with bitmap scans disabled,
i.e. read row by row as without the indexes. SQLite has no such index: it
folds every row with the Python function ``cucs_fold`` (the comparison).
"""

import argparse
import io
import os
import re
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SEARCHES = (
    "jardins partages",
    "boite a idees",
    "rehabilitation",
    "tranquillite residentielle",
    "gardien",
    "xylophone",
)
INDEXES = re.compile(r"proposal_\w+_fold_trgm")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--growth", type=int, default=20)
    parser.add_argument("--plans", action="store_true", help="print whole plans")
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
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    from ateliers.models import Proposal
    from ateliers.selectors import SEARCHED_FIELDS
    from cucs_portal.search import matching
    from people.models import User

    postgresql = connection.vendor == "postgresql"
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command(
        "seed_demo",
        size="large",
        verbosity=0,
        stdout=io.StringIO(),
        allow_production=True,
    )
    seeded_in = time.perf_counter() - started

    client = Client()
    client.force_login(
        User.objects.get(username="admin"),
        backend="django.contrib.auth.backends.ModelBackend",
    )
    list_url = reverse("ateliers:proposal_list")

    def found(q):
        # Without the list's order (axis, enjeu, number): the search alone.
        return Proposal.objects.filter(matching(q, *SEARCHED_FIELDS)).order_by()

    def filter_ids(q):
        return list(found(q).values_list("pk", flat=True))

    def page(q):
        response = client.get(f"{list_url}?{urlencode({'q': q})}" if q else list_url)
        assert response.status_code == 200, q

    def median_ms(function, q) -> float:
        function(q)  # warms the caches, and the plan
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            function(q)
            times.append((time.perf_counter() - start) * 1000)
        return statistics.median(times)

    def plan(q) -> str:
        if postgresql:
            return found(q).values("pk").explain(analyze=True)
        return found(q).values("pk").explain()

    def page_queries(q) -> list[tuple[float, str]]:
        """The page's queries, slowest first: (ms, SQL)."""
        with CaptureQueriesContext(connection) as queries:
            page(q)
        return sorted(
            ((float(query["time"]) * 1000, query["sql"]) for query in queries),
            reverse=True,
        )

    def measure() -> dict:
        # The page without a search: what the search adds to it.
        result = {
            "proposals": Proposal.objects.count(),
            "rows": {},
            "no search": median_ms(page, ""),
        }
        for q in SEARCHES:
            result["rows"][q] = {
                "hits": len(filter_ids(q)),
                "filter": median_ms(filter_ids, q),
                "page": median_ms(page, q),
                "plan": plan(q),
                "queries": page_queries(q),
            }
        if postgresql:
            # The same filter read row by row: what the indexes save.
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL enable_bitmapscan = off")
                for q in SEARCHES:
                    row = result["rows"][q]
                    row["no index"] = median_ms(filter_ids, q)
                    row["no index plan"] = plan(q)
                # Rolled back to its savepoint: the setting goes with it.
                transaction.set_rollback(True)
        return result

    def grow():
        """``--growth - 1`` copies of every proposal, numbered after the
        originals of its atelier (the number is unique in an atelier)."""
        originals = list(Proposal.objects.order_by("pk"))
        step = max(p.number for p in originals) + 1
        fields = [f for f in Proposal._meta.concrete_fields if not f.primary_key]
        for copy in range(1, args.growth):
            Proposal.objects.bulk_create(
                [
                    Proposal(
                        **{
                            **{f.attname: getattr(p, f.attname) for f in fields},
                            "number": p.number + copy * step,
                        }
                    )
                    for p in originals
                ],
                batch_size=1000,
            )
        if postgresql:
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE ateliers_proposal")

    large = measure()
    with transaction.atomic():
        grow()
        grown = measure()
        transaction.set_rollback(True)

    print(
        f"{connection.vendor} {connection.Database.__name__}, DEBUG off, user admin "
        f"(superuser), medians of {args.runs} runs; seed_demo --size large "
        f"{seeded_in:.1f} s"
    )
    header = f"{'search':<28}{'proposals':>10}{'found':>7}{'filter ms':>11}"
    if postgresql:
        header += f"{'no index ms':>13}"
    header += f"{'page ms':>9}   indexes in the plan"
    print(header)
    for result in (large, grown):
        line = f"{'(no search)':<28}{result['proposals']:>10}{'':>7}{'':>11}"
        if postgresql:
            line += f"{'':>13}"
        print(f"{line}{result['no search']:>9.1f}")
        for q in SEARCHES:
            row = result["rows"][q]
            line = (
                f"{'« ' + q + ' »':<28}{result['proposals']:>10}{row['hits']:>7}"
                f"{row['filter']:>11.2f}"
            )
            if postgresql:
                line += f"{row['no index']:>13.2f}"
            used = sorted(set(INDEXES.findall(row["plan"])))
            scan = ", ".join(name.removeprefix("proposal_") for name in used)
            if not used:
                scan = first_scan(row["plan"])
            line += f"{row['page']:>9.1f}   {scan}"
            print(line)
        print()
    for q in SEARCHES[:1] + SEARCHES[2:3]:
        queries = grown["rows"][q]["queries"]
        total = sum(ms for ms, _sql in queries)
        print(
            f"the list page of « {q} », {grown['proposals']} proposals: "
            f"{len(queries)} queries, {total:.1f} ms in the database; the slowest:"
        )
        for ms, sql in queries[:3]:
            print(f"    {ms:8.1f} ms  {shorten(sql)}")
        print()
    q = SEARCHES[0]
    print(
        f"EXPLAIN{' ANALYZE' if postgresql else ''} of « {q} », "
        f"{grown['proposals']} proposals:"
    )
    print(indent(grown["rows"][q]["plan"], args.plans))
    if postgresql:
        print(f"\nthe same with bitmap scans off ({grown['proposals']} proposals):")
        print(indent(grown["rows"][q]["no index plan"], args.plans))


def first_scan(plan: str) -> str:
    """How the plan reads the proposals, e.g. « Seq Scan on ateliers_proposal »
    (SQLite: « SCAN ateliers_proposal »)."""
    for line in plan.splitlines():
        if "ateliers_proposal" in line and ("Scan" in line or "SCAN" in line):
            # PostgreSQL's costs, SQLite's node ids: the node only.
            return re.sub(r"\s+\(.*|^\d+ \d+ \d+ ", "", line.strip(" ->"))
    return plan.splitlines()[0].strip()


def shorten(sql: str) -> str:
    """The query's head and what it filters on, on one line."""
    sql = re.sub(r"\s+", " ", sql)
    where = sql.find(" WHERE ")
    if where < 0:
        return sql[:120]
    return f"{sql[: min(where, 70)]} … WHERE {sql[where + 7 : where + 60]}…"


def indent(plan: str, whole: bool) -> str:
    """The plan's lines, its filters cut short unless ``whole``."""
    lines = []
    for line in plan.splitlines():
        if not whole and len(line) > 110:
            line = line[:107] + "..."
        lines.append("    " + line)
    return "\n".join(lines)


if __name__ == "__main__":
    main()

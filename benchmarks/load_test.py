"""A bounded load test, end to end: gunicorn with the production settings on
PostgreSQL, readers and writers driven by locust over the loopback, then a check
that every write that got a success answer is in the database.

    .venv/bin/pip install -e ".[bench]"      # locust
    .venv/bin/python benchmarks/load_test.py [--duration 60] [--users 24]

Steps: create the database (dropped first if it exists: it is this script's
own), migrate, ``seed_demo --size large``, ``collectstatic`` into a temporary
folder, start gunicorn on a free port with ``--workers`` sync workers, wait until
it answers, run locust headless for ``--duration`` seconds (``--writers`` of the
``--users`` are writers, the rest readers; each user logs in once, then waits
``--wait`` seconds between tasks), stop gunicorn, check the writes in PostgreSQL
and print the figures: requests per second, median, p95 and p99 latency, error
rate (target 0 %), per request kind, and the writes verified. Then drops the
database, unless ``--keep``.

The settings are ``cucs_portal.settings.production`` unchanged (HTTPS redirect,
secure cookies, HSTS, CSRF): the load generator speaks as the reverse proxy
would (``X-Forwarded-Proto: https``, see benchmarks/locustfile.py).
"""

import argparse
import json
import math
import os
import resource
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PASSWORD = "demo-cucs-2007"  # the demo data set's (development only)
# Members of atelier 1 in the demo data: they write there.
WRITER_LOGINS = [
    "membre",
    "referent",
    "animateur",
    "eric.hetre",
    "fatima.orme",
    "laurent.alisier",
]
READER_LOGINS = ["partenaire", "commission", "secretariat", "membre", "referent"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def cpu_busy() -> tuple[int, int]:
    """(busy, total) jiffies of the whole machine, from /proc/stat."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split()[1:11]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def percentile(values, p) -> float:
    """The p-th percentile (nearest rank) of a sorted list."""
    if not values:
        return float("nan")
    rank = max(1, math.ceil(p / 100 * len(values)))
    return values[rank - 1]


def step(label, command, env, log):
    started = time.perf_counter()
    with open(log, "a", encoding="utf-8") as out:
        subprocess.run(command, env=env, check=True, cwd=ROOT, stdout=out, stderr=out)
    print(f"  {label}: {time.perf_counter() - started:.1f} s", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=60, help="seconds of load")
    parser.add_argument("--users", type=int, default=24, help="simultaneous users")
    parser.add_argument("--writers", type=int, default=6, help="of the users")
    parser.add_argument("--spawn-rate", type=float, default=4, help="users/second")
    parser.add_argument(
        "--wait", type=float, nargs=2, default=(0.5, 2.0), metavar=("MIN", "MAX")
    )
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument(
        "--server",
        default="postgres://postgres@127.0.0.1:5432",
        help="PostgreSQL server (a role that may create databases)",
    )
    parser.add_argument("--database", default="cucs_load")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args()
    if not 0 <= args.writers <= args.users:
        parser.error("--writers must be between 0 and --users")
    if shutil.which("locust", path=str(BIN)) is None:
        sys.exit('locust is missing: .venv/bin/pip install -e ".[bench]"')

    import psycopg2

    tmp = Path(tempfile.mkdtemp(prefix="cucs-load-"))
    log = tmp / "setup.log"
    database_url = f"{args.server.rstrip('/')}/{args.database}"
    admin = psycopg2.connect(f"{args.server.rstrip('/')}/postgres")
    admin.autocommit = True

    def recreate(drop_only=False):
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
            if not drop_only:
                cursor.execute(f'CREATE DATABASE "{args.database}"')

    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cucs_portal.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url,
        "DATABASE_CONN_MAX_AGE": "60",
        "STATIC_ROOT": str(tmp / "static"),
        "MEDIA_ROOT": str(tmp / "media"),
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }
    os.environ.update(env)
    manage = [sys.executable, "manage.py"]

    print(f"setting up in {tmp} (log: {log})", flush=True)
    recreate()
    step("migrate", [*manage, "migrate", "--noinput"], env, log)
    step(
        "seed_demo --size large",
        [*manage, "seed_demo", "--size", "large", "--allow-production"],
        env,
        log,
    )
    step("collectstatic", [*manage, "collectstatic", "--noinput"], env, log)

    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.db import connections

    from ateliers.models import Atelier, Proposal, ProposalComment, ProposalRevision

    atelier1 = Atelier.objects.get(axis__number=1)
    data = {
        "origin": f"https://127.0.0.1:{port}",
        "password": PASSWORD,
        "readers": args.users - args.writers,
        "writers": args.writers,
        "reader_logins": READER_LOGINS,
        "writer_logins": WRITER_LOGINS,
        "wait_min": args.wait[0],
        "wait_max": args.wait[1],
        "validated": list(
            Proposal.objects.validated().values_list("pk", flat=True).order_by("pk")
        ),
        "atelier1": list(
            Proposal.objects.filter(atelier=atelier1)
            .exclude(status=Proposal.Status.WITHDRAWN)
            .values_list("pk", flat=True)
        ),
        "atelier1_id": atelier1.pk,
        "atelier_ids": list(Atelier.objects.values_list("pk", flat=True)),
        "axis_ids": list(Atelier.objects.values_list("axis_id", flat=True)),
        "stylesheets": [
            staticfiles_storage.url("bootstrap/css/bootstrap.min.css"),
            staticfiles_storage.url("css/portal.css"),
        ],
    }
    before = {
        "comments": ProposalComment.objects.count(),
        "proposals": Proposal.objects.count(),
    }
    connections.close_all()
    (tmp / "data.json").write_text(json.dumps(data), encoding="utf-8")

    server_log = tmp / "gunicorn.log"
    access_log = tmp / "access.log"
    cpu_before_server = children_cpu()
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "cucs_portal.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--access-logfile",
            str(access_log),
            "--access-logformat",
            "%(s)s %(m)s %(M)s %(U)s",
            "--error-logfile",
            str(server_log),
        ],
        env=env,
        cwd=ROOT,
        stdout=open(server_log, "a", encoding="utf-8"),  # noqa: SIM115
        stderr=subprocess.STDOUT,
    )
    results_path = tmp / "results.json"
    try:
        deadline = time.monotonic() + 30
        while True:
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/compte/login/",
                headers={"X-Forwarded-Proto": "https"},
            )
            try:
                with urllib.request.urlopen(request, timeout=2) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError):
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                sys.exit(f"gunicorn did not start: see {server_log}")
            time.sleep(0.3)
        print(
            f"gunicorn: {args.workers} sync workers on 127.0.0.1:{port}; locust: "
            f"{args.users} users ({args.writers} writers), {args.duration} s",
            flush=True,
        )

        cpu_before_load = children_cpu()
        busy0, total0 = cpu_busy()
        load_started = time.perf_counter()
        locust = subprocess.run(
            [
                str(BIN / "locust"),
                "-f",
                str(ROOT / "benchmarks" / "locustfile.py"),
                "--headless",
                "--users",
                str(args.users),
                "--spawn-rate",
                str(args.spawn_rate),
                "--run-time",
                f"{args.duration}s",
                "--stop-timeout",
                "10",
                "--host",
                f"http://127.0.0.1:{port}",
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            env={
                **env,
                "LOAD_DATA": str(tmp / "data.json"),
                "LOAD_RESULTS": str(results_path),
            },
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        load_seconds = time.perf_counter() - load_started
        busy1, total1 = cpu_busy()
        locust_cpu = children_cpu() - cpu_before_load
        (tmp / "locust.log").write_text(locust.stdout + locust.stderr)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    server_cpu = children_cpu() - cpu_before_server - locust_cpu
    if not results_path.exists():
        sys.exit(f"locust failed (exit {locust.returncode}): see {tmp}/locust.log")

    results = json.loads(results_path.read_text())
    report(args, results, load_seconds)

    # --- The writes ------------------------------------------------------------
    writes = results["writes"]
    comments = writes["comments"]
    stored_comments = set(
        ProposalComment.objects.filter(body__in=comments).values_list("body", flat=True)
    )
    drafts = {d["pk"]: d["title"] for d in writes["drafts"]}
    stored_drafts = dict(
        Proposal.objects.filter(
            pk__in=drafts, status=Proposal.Status.DRAFT
        ).values_list("pk", "title")
    )
    last_edit, edits_per_draft = {}, defaultdict(int)
    for edit in writes["edits"]:
        last_edit[edit["pk"]] = edit["summary"]
        edits_per_draft[edit["pk"]] += 1
    current = {
        p.pk: p
        for p in Proposal.objects.filter(pk__in=drafts).only("summary", "version")
    }
    edits_ok = sum(
        1
        for pk, summary in last_edit.items()
        if pk in current
        and current[pk].summary == summary
        and current[pk].version == 1 + edits_per_draft[pk]
    )
    revisions = ProposalRevision.objects.filter(
        proposal_id__in=drafts, version__gt=1
    ).count()
    missing_comments = len(set(comments) - stored_comments)
    missing_drafts = sum(1 for pk, t in drafts.items() if stored_drafts.get(pk) != t)
    extra_comments = (
        ProposalComment.objects.count() - before["comments"] - len(stored_comments)
    )
    extra_drafts = Proposal.objects.count() - before["proposals"] - len(stored_drafts)
    print()
    print("writes answered with success, then found in PostgreSQL:")
    print(
        f"  comments       {len(stored_comments):>6} / {len(comments):<6}"
        f" missing {missing_comments}, stored without a success answer "
        f"{extra_comments}"
    )
    print(
        f"  new drafts     {len(drafts) - missing_drafts:>6} / {len(drafts):<6}"
        f" missing {missing_drafts}, stored without a success answer {extra_drafts}"
    )
    print(
        f"  draft edits    {sum(edits_per_draft.values()):>6} edits on "
        f"{len(last_edit)} drafts: {edits_ok}/{len(last_edit)} drafts hold their "
        f"last saved summary and version 1 + edits; {revisions} revisions recorded"
    )
    all_ok = (
        missing_comments == 0 and missing_drafts == 0 and edits_ok == len(last_edit)
    )
    print("  every acknowledged write is stored: " + ("yes" if all_ok else "NO"))

    # --- The server's side -----------------------------------------------------
    statuses = defaultdict(int)
    server_ms = []
    for line in access_log.read_text().splitlines():
        status, _method, ms, _path = line.split(" ", 3)
        statuses[status[0] + "xx"] += 1
        server_ms.append(int(ms))
    server_ms.sort()
    errors_logged = server_log.read_text().count("Traceback")
    busy = 100 * (busy1 - busy0) / max(1, total1 - total0)
    print()
    print(
        f"gunicorn access log: {sum(statuses.values())} requests "
        + ", ".join(f"{k} {v}" for k, v in sorted(statuses.items()))
        + f"; server time p50 {percentile(server_ms, 50):.0f} ms, "
        f"p95 {percentile(server_ms, 95):.0f} ms, p99 {percentile(server_ms, 99):.0f}"
        f" ms; tracebacks in its log: {errors_logged}"
    )
    print(
        f"conditions: {os.cpu_count()} cores shared by gunicorn, PostgreSQL and "
        f"locust on one machine; machine busy {busy:.0f} % during the load "
        f"(other work included); CPU seconds: gunicorn {server_cpu:.0f}, "
        f"locust {locust_cpu:.0f}"
    )
    if locust.returncode not in (0, 1):  # 1: some requests failed
        print(f"locust exited with {locust.returncode}: see {tmp}/locust.log")

    connections.close_all()
    if args.keep:
        print(f"kept: database {args.database}, files in {tmp}")
    else:
        recreate(drop_only=True)
        shutil.rmtree(tmp, ignore_errors=True)
    admin.close()
    if not all_ok or errors_logged:
        sys.exit(1)


def report(args, results, load_seconds) -> None:
    requests = results["requests"]
    by_name = defaultdict(list)
    for name, _method, ms, ok, _start in requests:
        by_name[name].append((ms, ok))
    starts = [r[4] for r in requests]
    window = max(starts) - min(starts) if starts else 0

    def line(label, rows):
        times = sorted(ms for ms, _ in rows)
        failed = sum(1 for _, ok in rows if not ok)
        print(
            f"{label:<22}{len(rows):>7}{len(rows) / window:>8.1f}"
            f"{percentile(times, 50):>8.0f}{percentile(times, 95):>8.0f}"
            f"{percentile(times, 99):>8.0f}{max(times):>8.0f}"
            f"{failed:>7}{100 * failed / len(rows):>8.2f}"
        )

    print()
    print(
        f"load: {args.users} users ({args.users - args.writers} readers, "
        f"{args.writers} writers), think time {args.wait[0]}–{args.wait[1]} s, "
        f"{window:.1f} s of requests ({load_seconds:.0f} s with start and stop); "
        "times in ms, client side"
    )
    print(
        f"{'request':<22}{'count':>7}{'req/s':>8}{'p50':>8}{'p95':>8}{'p99':>8}"
        f"{'max':>8}{'errors':>7}{'error %':>8}"
    )
    for name in sorted(by_name):
        line(name, by_name[name])
    every = [row for rows in by_name.values() for row in rows]
    line("ALL", every)
    line(
        "ALL but logins",
        [row for name, rows in by_name.items() if "login" not in name for row in rows],
    )


if __name__ == "__main__":
    main()

"""Worst server time of the pages that render or compare what people type, with
every text at its maximum and filled with the inputs known to be slow.

    .venv/bin/python benchmarks/adversarial.py [--runs 3] [--pattern NAME ...]

Builds its own SQLite database in a temporary folder (or uses DATABASE_URL when
set: an empty database made for the purpose), seeds the demo, then, for each
hostile pattern, fills every text field of a draft proposal to its maximum
(cucs_portal/texts.py) with that pattern, saves it through the service (a new
version), adds three comments at their maximum, and requests through Django's
test client (the whole middleware stack, DEBUG off):

- the proposal's page, cold (the Markdown cache emptied first: what the first
  reader after a save pays) and warm;
- its history, comparing that version with the previous one (another pattern
  at its maximum: nothing in common), and with an invalid ``?old=``;
- the edit-conflict page (a save made on an old version: 409, the same
  comparison).

Prints one line a pattern and page, then the worst of each page. Target: under
1 s each on the development machine (2 cores).
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def patterns(size: int) -> dict[str, str]:
    """Text of exactly ``size`` characters for each known hostile shape."""

    def fill(unit: str) -> str:
        return (unit * (size // len(unit) + 1))[:size]

    nested_quotes = "\n".join(">" * depth + " citation" for depth in range(1, 400))
    nested_lists = "\n".join("  " * depth + "- point" for depth in range(400))
    return {
        "open brackets": fill("["),
        "image brackets": fill("!["),
        "bracket words": fill("[a"),
        "link starts": fill("[x]("),
        "emphasis runs": fill("*a **b _c __d "),
        "backtick runs": fill("`a ``b ```c "),
        "nested quotes": fill(nested_quotes + "\n"),
        "nested lists": fill(nested_lists + "\n"),
        "html and entities": fill("<a &amp; <!-- <?x "),
        "one word per line": fill("mot\n"),
        "words": fill("la gestion urbaine de proximité "),
    }


def timed(client, method: str, url: str, data=None) -> tuple[float, int]:
    start = time.perf_counter()
    response = getattr(client, method)(url, data) if data else client.get(url)
    return time.perf_counter() - start, response.status_code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="warm runs a page")
    parser.add_argument("--pattern", nargs="*", help="only these patterns")
    parser.add_argument(
        "--profile", action="store_true", help="profile each cold proposal page"
    )
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="cucs-adversarial-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cucs_portal.settings.development")
    os.environ["DEBUG"] = "false"
    os.environ["MEDIA_ROOT"] = f"{tmp}/media"
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    warnings.filterwarnings("ignore", message="No directory at")

    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import caches
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    from ateliers import services
    from ateliers.forms import ProposalForm
    from ateliers.models import Proposal, ProposalComment
    from cucs_portal import texts
    from people.models import User

    call_command("migrate", verbosity=0)
    call_command("seed_demo", verbosity=0, allow_production=True)
    member = User.objects.get(username="membre")
    proposal = Proposal.objects.filter(
        atelier__memberships__user=member, status=Proposal.Status.DRAFT
    ).first()
    text_fields = [
        f.name
        for f in Proposal._meta.fields
        if f.name in services.EDITABLE_FIELDS and f.get_internal_type() == "TextField"
    ]
    maxima = {name: Proposal._meta.get_field(name).max_length for name in text_fields}
    client = Client()
    client.force_login(member)

    def data_for(pattern_name: str) -> dict:
        form = ProposalForm(instance=proposal, atelier=proposal.atelier)
        data = {name: form.initial.get(name) for name in services.EDITABLE_FIELDS}
        for name, maximum in maxima.items():
            data[name] = patterns(maximum)[pattern_name]
        data["title"] = pattern_name[:200]
        return data

    def save(pattern_name: str) -> None:
        nonlocal proposal
        proposal = Proposal.objects.get(pk=proposal.pk)
        cleaned = data_for(pattern_name)
        cleaned["enjeu"] = proposal.enjeu
        cleaned["lead_organisation"] = proposal.lead_organisation
        cleaned["partner_organisations"] = list(proposal.partner_organisations.all())
        cleaned["territories"] = list(proposal.territories.all())
        proposal = services.proposal_update(
            proposal=proposal,
            editor=member,
            data=cleaned,
            base_version=proposal.version,
        )

    names = args.pattern or list(patterns(10))
    worst: dict[str, tuple[float, str]] = {}
    print(
        f"Texts at their maximum: {', '.join(f'{k} {v:,}' for k, v in maxima.items())}"
        f"; comments {ProposalComment._meta.get_field('body').max_length:,}"
    )
    print(f"{'pattern':20} {'page':22} {'status':>6} {'seconds':>8}")
    # Compile the templates and fill the process's other caches first: what
    # is measured is the cost of the texts, not of the first request.
    for url in (
        reverse("ateliers:proposal_detail", args=[proposal.pk]),
        reverse("ateliers:proposal_history", args=[proposal.pk]),
        reverse("ateliers:proposal_update", args=[proposal.pk]),
    ):
        client.get(url)
    previous = "words"
    for name in names:
        save(previous)
        save(name)
        comment_text = patterns(texts.COMMENT)[name]
        for _ in range(3):
            services.proposal_comment(
                proposal=proposal, author=member, body=comment_text
            )
        detail = reverse("ateliers:proposal_detail", args=[proposal.pk])
        history = reverse("ateliers:proposal_history", args=[proposal.pk])
        edit = reverse("ateliers:proposal_update", args=[proposal.pk])
        conflict_data = {
            k: ("" if v is None else v.pk if hasattr(v, "pk") else v)
            for k, v in data_for(previous).items()
            if not isinstance(v, list)
        }
        conflict_data["base_version"] = proposal.version - 1
        conflict_data["priority"] = proposal.priority

        caches["markdown"].clear()
        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
        pages = {"proposal page (cold)": timed(client, "get", detail)}
        if args.profile:
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
        runs = {
            "proposal page (warm)": ("get", detail, None),
            "history": ("get", history, None),
            "history, invalid ?old=": ("get", history + "?old=x&new=%00", None),
            "edit conflict (409)": ("post", edit, conflict_data),
        }
        for page, (method, url, data) in runs.items():
            seconds = []
            for _ in range(args.runs):
                elapsed, status = timed(client, method, url, data)
                seconds.append(elapsed)
            pages[page] = (statistics.median(seconds), status)
        for page, (elapsed, status) in pages.items():
            print(f"{name:20} {page:22} {status:>6} {elapsed:8.3f}")
            if elapsed > worst.get(page, (0, ""))[0]:
                worst[page] = (elapsed, name)
        previous = name

    print("\nWorst server time a page (target: under 1 s):")
    for page, (elapsed, name) in worst.items():
        print(f"  {page:22} {elapsed:6.3f} s  ({name})")


if __name__ == "__main__":
    main()

"""Break ten named things, one at a time, and show which test catches each.

    .venv/bin/python scripts/mutations.py [--tree DIR] [--only NAME ...]

Each mutation is a small edit of the code (a permission predicate loosened, a
status guard dropped, a CSRF exemption added…). The script applies it in
``--tree`` (a checkout; the current one by default), runs the part of the
suite that should catch it, stops at the first failing test, prints it, and
puts the file back, whatever happens. A mutation that no test catches is
printed as NOT CAUGHT and the script exits with 1.

It was written for issue 13, to show that the faster suite catches what the
old one caught: run it on a checkout of each (``git worktree add``). A
mutation lists its edit for each layout of the code (files moved in issue 13):
the first whose file holds the text is applied.
"""

import argparse
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Edit:
    path: str
    replacements: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Mutation:
    name: str
    what: str
    edits: tuple[Edit, ...]  # alternatives: the first that applies
    tests: tuple[str, ...]  # test paths, run in this order (missing ones skipped)


MUTATIONS = (
    Mutation(
        "predicate",
        "a volunteer may submit a proposal (ateliers.submit_proposal loosened "
        "from the co-animators to every atelier member)",
        (
            Edit(
                "ateliers/rules.py",
                (
                    (
                        '"ateliers.submit_proposal", coanimates_proposal_atelier',
                        '"ateliers.submit_proposal", in_proposal_atelier',
                    ),
                ),
            ),
        ),
        ("tests/ateliers/test_permissions.py", "tests/test_urls.py"),
    ),
    Mutation(
        "status-guard",
        "a proposal may be withdrawn in any status, not only as a draft "
        "(the service's allowed states)",
        (
            Edit(
                "ateliers/services.py",
                (
                    (
                        "allowed_from={Proposal.Status.DRAFT},",
                        "allowed_from=set(Proposal.Status.values),",
                    ),
                ),
            ),
            Edit(
                "ateliers/services.py",
                (("allowed_from={Status.DRAFT},", "allowed_from=set(Status.values),"),),
            ),
        ),
        ("tests/ateliers/test_services.py", "tests/ateliers"),
    ),
    Mutation(
        "csrf",
        "the proposal submission view exempted from CSRF",
        (
            Edit(
                "ateliers/urls.py",
                (
                    (
                        "from . import views\n",
                        "from django.views.decorators.csrf import csrf_exempt\n\n"
                        "from . import views\n",
                    ),
                    (
                        "views.ProposalSubmitView.as_view(),",
                        "csrf_exempt(views.ProposalSubmitView.as_view()),",
                    ),
                ),
            ),
        ),
        ("tests/test_urls.py",),
    ),
    Mutation(
        "version-check",
        "an edit made on an old version overwrites the newer one (the optimistic "
        "lock's version comparison never fires)",
        (
            Edit(
                "ateliers/services.py",
                (("    check_version(current, base_version)\n", ""),),
            ),
            Edit(
                "ateliers/services.py",
                (("if current.version != base_version:", "if False:"),),
            ),
        ),
        (
            "tests/ateliers/test_concurrency.py",
            "tests/ateliers/test_proposal_editing.py",
            "tests/ateliers",
        ),
    ),
    Mutation(
        "partner-drafts",
        "partners read drafts (the partners' readable statuses)",
        (
            Edit(
                "ateliers/models.py",
                (
                    (
                        "PARTNER_STATUSES = frozenset({ProposalStatus.VALIDATED})",
                        "PARTNER_STATUSES = frozenset("
                        "{ProposalStatus.VALIDATED, ProposalStatus.DRAFT})",
                    ),
                ),
            ),
            Edit(
                "ateliers/rules.py",
                (
                    (
                        "PARTNER_STATUSES = frozenset({Proposal.Status.VALIDATED})",
                        "PARTNER_STATUSES = frozenset("
                        "{Proposal.Status.VALIDATED, Proposal.Status.DRAFT})",
                    ),
                ),
            ),
        ),
        ("tests/ateliers/test_permissions.py", "tests/test_urls.py"),
    ),
    Mutation(
        "fetcher-file",
        "the PDF fetcher reads a file:// URL outside the static files",
        (
            Edit(
                "cucs_portal/documents/fetcher.py",
                (('return self.refuse(url, "outside the static files")', "pass"),),
            ),
            Edit(
                "referentiel/fetcher.py",
                (('return self.refuse(url, "outside the static files")', "pass"),),
            ),
        ),
        (
            "tests/cucs_portal/test_fetcher.py",
            "tests/referentiel/test_fetcher.py",
            "tests/test_referentiel_fetcher.py",
        ),
    ),
    Mutation(
        "formula",
        "spreadsheet cells starting with = + - @ are no longer escaped",
        (
            Edit(
                "cucs_portal/exports.py",
                (
                    (
                        'return f"\'{text}" if text.startswith(FORMULA_STARTS)'
                        " else text",
                        "return text",
                    ),
                ),
            ),
        ),
        (
            "tests/cucs_portal/test_exports.py",
            "tests/audit",
            "tests/seminaire",
            "tests/declinaison",
        ),
    ),
    Mutation(
        "share-revocation",
        "a revoked share link still opens the référentiel",
        (
            Edit(
                "referentiel/models.py",
                (
                    (
                        "return not self.is_revoked and not self.is_expired",
                        "return not self.is_expired",
                    ),
                ),
            ),
        ),
        (
            "tests/referentiel/test_editions.py",
            "tests/test_referentiel_editions.py",
            "tests/test_urls.py",
        ),
    ),
    Mutation(
        "quorum",
        "a single answer is a quorum, whatever the commission's size",
        (
            Edit(
                "commission/decision.py",
                (("return max(1, math.ceil(members * quorum_ratio()))", "return 1"),),
            ),
        ),
        ("tests/commission",),
    ),
    Mutation(
        "lockout-count",
        "the login lockout comes one failed attempt late",
        (
            Edit(
                "cucs_portal/lockout.py",
                (
                    (
                        "if failures < settings.LOGIN_LOCKOUT_FAILURES:",
                        "if failures <= settings.LOGIN_LOCKOUT_FAILURES:",
                    ),
                ),
            ),
        ),
        ("tests/cucs_portal",),
    ),
)

FAILED = re.compile(r"^(?:FAILED|ERROR) (.+?)(?: - .*)?$", re.MULTILINE)


def apply(tree: Path, mutation: Mutation) -> tuple[Path, str] | None:
    """Applies the first edit that fits; returns the file and its text before."""
    for edit in mutation.edits:
        path = tree / edit.path
        if not path.is_file():
            continue
        original = path.read_text()
        text = original
        if not all(old in text for old, _new in edit.replacements):
            continue
        for old, new in edit.replacements:
            text = text.replace(old, new, 1)
        path.write_text(text)
        return path, original
    return None


def run(tree: Path, mutation: Mutation, python: str, extra: list[str]) -> int:
    applied = apply(tree, mutation)
    if applied is None:
        print(f"{mutation.name:18} CANNOT APPLY: no edit fits this checkout")
        return 1
    path, original = applied
    tests = [t for t in mutation.tests if (tree / t).exists()]
    try:
        start = time.monotonic()
        command = [python, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider"]
        result = subprocess.run(
            [*command, *extra, *tests],
            cwd=tree,
            capture_output=True,
            text=True,
        )
        seconds = time.monotonic() - start
    finally:
        path.write_text(original)
    where = path.relative_to(tree)
    failed = FAILED.findall(result.stdout)
    if result.returncode == 0 or not failed:
        print(f"{mutation.name:18} NOT CAUGHT ({where}; ran {' '.join(tests)})")
        if result.returncode not in (0, 1):
            print(result.stdout[-2000:], result.stderr[-2000:])
        return 1
    print(f"{mutation.name:18} caught by {failed[0]}  ({where}, {seconds:.0f} s)")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tree", type=Path, default=Path.cwd())
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--only", nargs="*", default=None)
    parser.add_argument("pytest_args", nargs="*", help="after --, for pytest")
    args = parser.parse_args()
    chosen = [m for m in MUTATIONS if args.only is None or m.name in args.only]
    print(f"Mutations of {args.tree.resolve()}:")
    for mutation in chosen:
        print(f"  {mutation.name}: {mutation.what}")
    failures = sum(
        run(args.tree.resolve(), m, args.python, args.pytest_args) for m in chosen
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

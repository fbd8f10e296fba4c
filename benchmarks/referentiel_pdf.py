"""The référentiel's PDF export, end to end, against WeasyPrint alone.

    .venv/bin/python benchmarks/referentiel_pdf.py [--size large|demo] [--runs N]
        [--floor] [--against REV [--rounds N] [--against-python PYTHON]]

Builds the large demo data set (about 300 validated proposals over the six axes)
in a temporary SQLite database (or DATABASE_URL when set), creates a draft
edition with every validated proposal and exports it the way the portal does:
the request side (assemble the content, hash it, queue the render), then the
background task (template, WeasyPrint in its own process, SHA-256, storage).
Then it renders the identical HTML with WeasyPrint on its own, in a fresh
process, and prints both, the portal's overhead and its ratio to WeasyPrint's
time (target: under 10 %), and the time of a second export of the unchanged
content (target: under 0.1 s: the cached PDF is returned).

``--floor`` renders a plain-text document of the same page count (one font,
paragraphs only, ``pdf/ua-1``) and prints the ratio of the référentiel's time
per page to it: what the document's own boxes and styles cost.

``--against REV`` compares with another version of the portal on the same
content: REV is checked out in a temporary git worktree, its template makes
the HTML of this very content, and its render process and ours render in
turn, ``--rounds`` times each, interleaved, so that a busy machine weighs on
both alike. It prints both medians and their ratio (issue 14's target: at
most 0.70 against c4a369d at the large size).
"""

import argparse
import io
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

STANDALONE = textwrap.dedent(
    """
    import json, resource, sys, time
    started = time.perf_counter()
    from weasyprint import CSS, HTML
    from cucs_portal.documents.child import peak_rss_kb
    from cucs_portal.documents.fetcher import StaticOnlyURLFetcher
    imported = time.perf_counter()
    html, out, base, css = sys.argv[1:5]
    fetcher = StaticOnlyURLFetcher([base])
    base_url = "file://" + base + "/"
    # The same calls as cucs_portal/documents/child.py.
    document = HTML(filename=html, base_url=base_url, url_fetcher=fetcher).render(
        stylesheets=[CSS(filename=css, url_fetcher=fetcher, base_url=base_url)],
        pdf_variant="pdf/ua-1",
    )
    document.write_pdf(out, pdf_variant="pdf/ua-1")
    done = time.perf_counter()
    print(json.dumps({
        "import_s": imported - started,
        "render_s": done - imported,
        "peak_rss_kb": peak_rss_kb(),
    }))
    """
)


AGAINST_HTML = textwrap.dedent(
    """
    import json, sys
    import django
    django.setup()
    from referentiel.pdf import render_document_html
    with open(sys.argv[1], encoding="utf-8") as handle:
        content = json.load(handle)
    html = render_document_html(content, for_print=True)
    with open(sys.argv[2], "w", encoding="utf-8") as handle:
        handle.write(html)
    """
)

# The plain-text floor: one font, paragraphs of French prose, nothing else.
FLOOR_PARAGRAPH = (
    "<p>Les bailleurs et la ville se répartissent l’entretien des espaces "
    "extérieurs, quartier par quartier, et en rendent compte aux locataires "
    "chaque trimestre, avec un calendrier et des moyens chiffrés.</p>"
)
FLOOR_CSS = (
    "@page { size: A4; margin: 22mm 18mm 20mm 20mm } "
    "body { font-family: 'DejaVu Serif'; font-size: 10.5pt; line-height: 1.45 }"
)


def child_render(
    cwd: Path, module: str, html: Path, out: Path, base: Path, css, python=None
):
    """One render by a version's own render process; (wall s, its report)."""
    command = [python or sys.executable, "-m", module, str(html), str(out), str(base)]
    command += [str(css)] if css else []
    t0 = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=True, cwd=cwd)
    wall = time.perf_counter() - t0
    return wall, json.loads(done.stdout.strip().splitlines()[-1])


def floor(tmp: str, pages: int, base: Path) -> dict:
    """The plain-text document of ``pages`` pages, rendered by our process."""
    html = Path(tmp) / "floor.html"
    out = Path(tmp) / "floor.pdf"
    count = pages * 12  # a guess, corrected once from the pages it gave
    for _ in range(2):
        html.write_text(
            f'<html lang="fr"><head><meta charset="utf-8"><title>Plancher</title>'
            f"<style>{FLOOR_CSS}</style></head><body>"
            + FLOOR_PARAGRAPH * count
            + "</body></html>",
            encoding="utf-8",
        )
        wall, report = child_render(
            ROOT, "cucs_portal.documents.child", html, out, base, None
        )
        if report["pages"] == pages:
            break
        count = max(1, round(count * pages / report["pages"]))
    return {"wall_s": wall, **report}


def against(
    tmp: str, revision: str, content: dict, html: str, rounds: int, python: str
):
    """Ours and ``revision``'s render processes on the same content, in turn.
    ``python`` runs the revision: a virtualenv with its own requirements
    (c4a369d still used Python-Markdown)."""
    worktree = Path(tmp) / "against"
    subprocess.run(
        ["git", "worktree", "add", "--detach", "--quiet", str(worktree), revision],
        check=True,
        cwd=ROOT,
    )
    try:
        content_path = Path(tmp) / "content.json"
        content_path.write_text(json.dumps(content), encoding="utf-8")
        theirs_html = Path(tmp) / "against.html"
        subprocess.run(
            [python, "-c", AGAINST_HTML, str(content_path), str(theirs_html)],
            check=True,
            cwd=worktree,
            env={
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "cucs_portal.settings.development",
            },
        )
        ours_html = Path(tmp) / "ours.html"
        ours_html.write_text(html, encoding="utf-8")
        theirs_module = (
            "cucs_portal.documents.child"
            if (worktree / "cucs_portal" / "documents" / "child.py").exists()
            else "referentiel.pdf_worker"
        )
        sides = {
            "ours": (ROOT, "cucs_portal.documents.child", ours_html, sys.executable),
            revision: (worktree, theirs_module, theirs_html, python),
        }
        times = {name: [] for name in sides}
        reports = {}
        for round_ in range(rounds):
            order = list(sides) if round_ % 2 == 0 else list(sides)[::-1]
            for name in order:
                cwd, module, source, python_of = sides[name]
                base = cwd / "static"
                wall, report = child_render(
                    cwd,
                    module,
                    source,
                    Path(tmp) / f"{name}.pdf",
                    base,
                    base / "css" / "referentiel-print.css",
                    python=python_of,
                )
                times[name].append(wall)
                reports[name] = report
                print(
                    f"  round {round_ + 1}, {name}: {wall:.2f} s, "
                    f"{report['pages']} pages",
                    flush=True,
                )
        return times, reports
    finally:
        subprocess.run(
            ["git", "worktree", "remove", "--force", str(worktree)],
            check=False,
            cwd=ROOT,
        )


def quality(rendition) -> None:
    """What a typographer would check on the rendered PDF's text layer (the
    tests check the same on a smaller document: tests/referentiel/)."""
    from tests.referentiel.support import (
        header,
        outline,
        page_texts,
        read_pdf,
        typography_faults,
    )

    with rendition.file.open("rb") as handle:
        reader = read_pdf(handle.read())
    texts = page_texts(reader)
    faults = typography_faults(texts)
    print("text layer:")
    for name in (
        "plain space before : ; ! ?",
        "line opening on » : ; ! ?",
        "line ending on «",
        "straight apostrophe",
    ):
        print(f"  {name:<30} {len(faults.get(name, [])):6d}")
    continued = sum("(suite)" in header(text) for text in texts)
    print(f"  pages continuing a proposal    {continued:6d} (each says which)")
    openings = [page for level, _, page in outline(reader) if level == 1][2:]
    fewest = min(
        len([line for line in texts[page - 1].split("\n") if line]) - 2
        for page in openings
    )
    print(f"  fewest lines before a part     {fewest:6d} (minimum wanted: 4)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=["large", "demo"], default="large")
    parser.add_argument("--runs", type=int, default=3, help="medians of this many")
    parser.add_argument("--floor", action="store_true", help="and a plain-text floor")
    parser.add_argument("--against", metavar="REV", help="compare with a revision")
    parser.add_argument("--rounds", type=int, default=3, help="with --against")
    parser.add_argument(
        "--against-python",
        default=sys.executable,
        help="the Python of a virtualenv with REV's requirements installed",
    )
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="cucs-bench-pdf-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cucs_portal.settings.development")
    os.environ["MEDIA_ROOT"] = f"{tmp}/media"
    os.environ["LOG_LEVEL"] = "WARNING"

    import django

    django.setup()
    from django.core.management import call_command

    from ateliers.models import Proposal
    from cucs_portal.documents.pdf import static_base
    from people.models import User
    from referentiel import content as edition_content
    from referentiel import services
    from referentiel.models import Edition, Rendition
    from referentiel.pdf import render_document_html
    from referentiel.tasks import render_rendition

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("seed_demo", size=args.size, verbosity=0, stdout=io.StringIO())
    print(f"data set: {args.size}, built in {time.perf_counter() - started:.1f} s")
    validated = Proposal.objects.validated().count()
    print(f"validated proposals: {validated}")

    secretariat = User.objects.get(username="secretariat")
    edition = services.edition_create(
        user=secretariat,
        data={"title": "Référentiel CUCS : banc d’essai", "place": "Saint-Étienne"},
    )

    html_path = Path(tmp) / "referentiel.html"
    base = static_base()
    runs = []
    for run in range(args.runs):
        # Interleaved, so that a busy machine weighs on both alike.
        edition.refresh_from_db()
        previous = edition.rendition_id
        Edition.objects.filter(pk=edition.pk).update(rendition=None)
        Rendition.objects.filter(pk=previous).delete()
        edition.refresh_from_db()

        # 1. The request side: what a click on "Make the PDF" costs the web process.
        t0 = time.perf_counter()
        rendition = services.edition_export(user=secretariat, edition=edition)
        request_s = time.perf_counter() - t0

        # 2. The background task, as the worker runs it.
        t0 = time.perf_counter()
        state = render_rendition.call(rendition.pk)
        task_s = time.perf_counter() - t0
        rendition.refresh_from_db()
        assert state == Rendition.Status.DONE, rendition.error

        # 3. WeasyPrint alone on the identical HTML, in a fresh process.
        html = render_document_html(rendition.content, for_print=True)
        html_path.write_text(html, encoding="utf-8")
        t0 = time.perf_counter()
        out = subprocess.run(
            [
                sys.executable,
                "-c",
                STANDALONE,
                str(html_path),
                str(Path(tmp) / "alone.pdf"),
                str(base),
                str(base / "css" / "referentiel-print.css"),
            ],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
        alone_process_s = time.perf_counter() - t0
        alone = json.loads(out.stdout.strip().splitlines()[-1])
        runs.append(
            {
                "request_s": request_s,
                "task_s": task_s,
                "end_to_end_s": request_s + task_s,
                "worker_s": rendition.render_seconds,
                "worker_mb": rendition.peak_memory_mb,
                "alone_import_s": alone["import_s"],
                "alone_s": alone["render_s"],
                "alone_process_s": alone_process_s,
                "alone_mb": alone["peak_rss_kb"] / 1024,
            }
        )
        print(
            f"run {run + 1}: portal {request_s + task_s:.2f} s, "
            f"WeasyPrint alone {alone['render_s']:.2f} s",
            flush=True,
        )

    # 4. A second export of the unchanged content: the stored PDF comes back.
    seconds = []
    for _ in range(7):
        t0 = time.perf_counter()
        again = services.edition_export(user=secretariat, edition=edition)
        seconds.append(time.perf_counter() - t0)
        assert again.pk == rendition.pk and again.is_done
    second_s = statistics.median(seconds)

    # The portal's own work, piece by piece.
    t0 = time.perf_counter()
    content = edition_content.assemble(edition)
    assemble_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    edition_content.content_hash(content)
    hash_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    render_document_html(rendition.content, for_print=True)
    template_s = time.perf_counter() - t0

    def median(key):
        return statistics.median(r[key] for r in runs)

    request_s, task_s = median("request_s"), median("task_s")
    end_to_end_s = median("end_to_end_s")
    alone = {
        "import_s": median("alone_import_s"),
        "render_s": median("alone_s"),
        "peak_rss_kb": median("alone_mb") * 1024,
    }
    alone_process_s = median("alone_process_s")
    rendition.render_seconds = median("worker_s")
    weasy_s = alone["render_s"]
    overhead_s = end_to_end_s - weasy_s
    portal_peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print()
    print(
        f"pages: {rendition.page_count}, PDF {rendition.size_bytes / 1024:.0f} kB; "
        f"medians of {args.runs} runs"
    )
    print("portal, end to end:")
    print(f"  request side (assemble, hash, queue)  {request_s:8.3f} s")
    print(f"  background task                       {task_s:8.3f} s")
    print(f"  total                                 {end_to_end_s:8.3f} s")
    print(f"  WeasyPrint process, as it reported    {rendition.render_seconds:8.3f} s")
    print(f"  peak memory, render process         {rendition.peak_memory_mb:8.0f} MB")
    print(f"  peak memory, portal process         {portal_peak_mb:8.0f} MB")
    print("WeasyPrint alone, identical HTML (fresh process):")
    print(f"  import                                {alone['import_s']:8.3f} s")
    print(f"  render + write_pdf                    {weasy_s:8.3f} s")
    print(f"  whole process                         {alone_process_s:8.3f} s")
    print(
        f"  peak memory                         {alone['peak_rss_kb'] / 1024:8.0f} MB"
    )
    print("breakdown of the portal's own work:")
    print(f"  assemble content                      {assemble_s:8.3f} s")
    print(f"  hash content                          {hash_s:8.3f} s")
    print(f"  template HTML                         {template_s:8.3f} s")
    own_s = end_to_end_s - rendition.render_seconds
    print(
        f"overhead, same run: {own_s:.3f} s = "
        f"{100 * own_s / rendition.render_seconds:.1f} % of the render process's "
        "time (total minus what the WeasyPrint process reported; target < 10 %)"
    )
    print(
        f"overhead against WeasyPrint alone: {overhead_s:.3f} s = "
        f"{100 * overhead_s / weasy_s:.1f} % (two processes: noisier)"
    )
    print(
        f"second export of unchanged content: {second_s:.3f} s, median of 7 "
        "(target < 0.1 s)"
    )

    quality(rendition)

    if args.floor:
        plain = floor(tmp, rendition.page_count, base)
        ratio = rendition.render_seconds / plain["seconds"]
        print(
            f"plain-text floor, {plain['pages']} pages: {plain['seconds']:.2f} s, "
            f"peak {plain['peak_rss_kb'] / 1024:.0f} MB; the référentiel takes "
            f"{ratio:.2f}x its time per page"
        )

    if args.against:
        print(f"against {args.against}, same content, interleaved:")
        html = render_document_html(rendition.content, for_print=True)
        times, reports = against(
            tmp, args.against, rendition.content, html, args.rounds, args.against_python
        )
        medians = {name: statistics.median(values) for name, values in times.items()}
        for name, seconds in medians.items():
            report = reports[name]
            print(
                f"  {name:>12}: {seconds:7.2f} s (median of {args.rounds}), "
                f"{report['pages']} pages, peak {report['peak_rss_kb'] / 1024:.0f} MB"
            )
        ratio = medians["ours"] / medians[args.against]
        print(f"  ratio ours / {args.against}: {ratio:.2f}")


if __name__ == "__main__":
    main()

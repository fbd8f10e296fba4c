"""The référentiel's PDF export, end to end, against WeasyPrint alone.

    .venv/bin/python benchmarks/referentiel_pdf.py [--size large|demo]

Builds the large demo data set (about 300 validated proposals over the six axes)
in a temporary SQLite database (or DATABASE_URL when set), creates a draft
edition with every validated proposal and exports it the way the portal does:
the request side (assemble the content, hash it, queue the render), then the
background task (template, WeasyPrint in its own process, SHA-256, storage).
Then it renders the identical HTML with WeasyPrint on its own, in a fresh
process, and prints both, the portal's overhead and its ratio to WeasyPrint's
time (target: under 10 %), and the time of a second export of the unchanged
content (target: under 0.1 s: the cached PDF is returned).
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=["large", "demo"], default="large")
    parser.add_argument("--runs", type=int, default=3, help="medians of this many")
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


if __name__ == "__main__":
    main()

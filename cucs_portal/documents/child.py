"""Render one HTML file to PDF with WeasyPrint, in a process of its own.

Run by ``cucs_portal.documents.pdf.render_pdf`` as
``python -m cucs_portal.documents.child``; imports no Django. The parent sets
the time and memory caps and reads the JSON lines printed here to follow the
stages. A process per render also gives back the ~0.5 GB WeasyPrint keeps
after a large document (see PDF-NOTES).

    python -m cucs_portal.documents.child [--memory-mb N] IN.html OUT.pdf BASE [CSS]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import signal
import sys
import time
from pathlib import Path

EXIT_MEMORY = 3
EXIT_INTERRUPTED = 4


def peak_rss_kb() -> int:
    """This process's own peak resident memory. Not ``ru_maxrss``: on Linux it
    keeps the peak of the process that forked this one (a 300 MB worker made a
    tiny render report 321 MB)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def report(**fields):
    print(json.dumps(fields), flush=True)


def leave(code: int) -> None:
    """Leave at once, without unwinding. Exiting through ``sys.exit`` from the
    middle of a layout finalizes half-built Pango and cffi objects, and that
    sometimes crashed (signal 11), which the parent then reported as a crash
    instead of an interruption."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def stop_on_signal(signum, frame):
    leave(EXIT_INTERRUPTED)


def main(argv):
    # Ctrl-C in the terminal of `make run`, or the worker being stopped,
    # reaches this process too: stop where we are and say so.
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, stop_on_signal)
    parser = argparse.ArgumentParser()
    parser.add_argument("--memory-mb", type=int, default=0)
    parser.add_argument("html_path")
    parser.add_argument("pdf_path")
    parser.add_argument("base_dir", help="the static files: the only ones fetched")
    parser.add_argument("stylesheet", nargs="?", help="the document's print CSS")
    args = parser.parse_args(argv)
    if args.memory_mb:
        limit = args.memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    html_path, pdf_path, base_dir = args.html_path, args.pdf_path, args.base_dir

    started = time.perf_counter()
    from weasyprint import CSS, HTML

    from cucs_portal.documents import patches
    from cucs_portal.documents.fetcher import StaticOnlyURLFetcher

    patches.apply()

    fetcher = StaticOnlyURLFetcher([base_dir])
    base_url = Path(base_dir).resolve().as_uri() + "/"
    report(stage="layout")
    stylesheets = [
        CSS(filename=css, url_fetcher=fetcher, base_url=base_url)
        for css in [args.stylesheet]
        if css
    ]
    document = HTML(
        filename=html_path, base_url=base_url, url_fetcher=fetcher, encoding="utf-8"
    ).render(
        stylesheets=stylesheets,
        pdf_variant="pdf/ua-1",
    )
    pages = len(document.pages)
    report(stage="write", pages=pages)
    document.write_pdf(pdf_path, pdf_variant="pdf/ua-1")
    report(
        stage="done",
        pages=pages,
        seconds=round(time.perf_counter() - started, 3),
        peak_rss_kb=peak_rss_kb(),
        refused=fetcher.refused,
    )


if __name__ == "__main__":
    try:
        main(sys.argv[1:])
    except MemoryError:
        print("out of memory", file=sys.stderr)
        leave(EXIT_MEMORY)
    # The PDF is written and reported: leave without tearing down the ~0.5 GB
    # of layout objects one by one, which took 2 s after a 300-proposal render.
    leave(0)

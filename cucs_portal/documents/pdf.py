"""HTML to PDF: WeasyPrint in a process of its own (``child``), capped in time
and memory, its stages followed line by line, its failures told in words the
secretariat can act on.
"""

from __future__ import annotations

import json
import logging
import os
import selectors
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cucs_portal.leases import LeaseLost

PROJECT_ROOT = Path(settings.BASE_DIR)
logger = logging.getLogger(__name__)

INTERRUPTED_RETURN_CODES = {4, -signal.SIGINT, -signal.SIGTERM, -signal.SIGHUP}
# What a render stopped with its worker says, here and on the task's row.
INTERRUPTED = gettext_lazy(
    "The rendering was interrupted (the worker stopped): try again."
)


# How running out of the address space (PDF_RENDER_MEMORY_MB) shows when it is not
# Python's MemoryError: GLib, Fontconfig and the loader of shared libraries fail
# with their own message, and GLib aborts the process.
MEMORY_ERRORS = (
    "MemoryError",
    "failed to allocate",
    "Error creating thread",
    "Cannot allocate memory",
    "cannot get parse buffer",
    "failed to map segment",
)


class RenderError(Exception):
    """A render that failed or was stopped; the message is for the secretariat."""


@dataclass
class RenderResult:
    pages: int
    seconds: float
    peak_rss_kb: int
    refused: list[str] = field(default_factory=list)


def static_base() -> Path:
    """The directory of our own static files (``static/``, the first folder of
    ``STATICFILES_DIRS``; not Bootstrap's): the only files the PDF may use."""
    own = next(d for d in settings.STATICFILES_DIRS if not isinstance(d, tuple))
    return Path(own).resolve()


# What the WeasyPrint process gets of the environment: enough to find Python,
# its packages, the fonts and a temporary folder; no secret of the portal.
CHILD_ENVIRONMENT = ("PATH", "HOME", "LANG", "LC_ALL", "LC_CTYPE", "TMPDIR", "TZ")
CHILD_ENVIRONMENT_PREFIXES = ("FONTCONFIG_", "XDG_", "PANGO", "VIRTUAL_ENV")


def _child_environment() -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if key in CHILD_ENVIRONMENT or key.startswith(CHILD_ENVIRONMENT_PREFIXES)
    }
    env["PYTHONPATH"] = str(PROJECT_ROOT)
    return env


def _lines(process, started: float, timeout: float, on_tick=None):
    """The lines the child writes, as ("out" | "err", text), read without ever
    blocking past the time limit (a partial line waits in a buffer).
    ``on_tick`` is called at least every quarter of a second meanwhile."""
    buffers = {process.stdout.fileno(): b"", process.stderr.fileno(): b""}
    names = {process.stdout.fileno(): "out", process.stderr.fileno(): "err"}
    for fd in buffers:
        os.set_blocking(fd, False)
    with selectors.DefaultSelector() as selector:
        for fd in buffers:
            selector.register(fd, selectors.EVENT_READ)
        while selector.get_map():
            remaining = timeout - (time.monotonic() - started)
            if remaining <= 0:
                raise RenderError(
                    _(
                        "The rendering was stopped after %(seconds)s s, the "
                        "limit set for a PDF (PDF_RENDER_TIMEOUT)."
                    )
                    % {"seconds": timeout}
                )
            events = selector.select(timeout=min(remaining, 0.25))
            if on_tick:
                on_tick()
            for key, _mask in events:
                fd = key.fd
                try:
                    chunk = os.read(fd, 65536)
                except BlockingIOError:
                    continue
                if not chunk:
                    selector.unregister(fd)
                    if buffers[fd]:
                        yield names[fd], buffers[fd].decode(errors="replace")
                    continue
                *complete, buffers[fd] = (buffers[fd] + chunk).split(b"\n")
                for line in complete:
                    yield names[fd], line.decode(errors="replace").rstrip()


def render_pdf(
    html: str,
    output: Path,
    *,
    on_stage=None,
    on_tick=None,
    stylesheet: str | None = None,
    timeout: float | None = None,
    memory_mb: int | None = None,
) -> RenderResult:
    """Render ``html`` into ``output`` in a subprocess; raise ``RenderError``
    when it fails, runs past ``timeout`` (``PDF_RENDER_TIMEOUT``) or needs more
    than ``memory_mb`` (``PDF_RENDER_MEMORY_MB``). ``stylesheet`` is the path
    of the document's print stylesheet under ``static_base()`` (the
    référentiel's, an attendance list's, a territory's programming); without
    one, only the stylesheets the HTML links to apply.
    ``on_tick`` is called every fraction of a second while the child works (the
    worker refreshes its lease on the rendition with it); whatever it raises
    stops the render: the child is killed and the exception goes through."""
    timeout = timeout or settings.PDF_RENDER_TIMEOUT
    memory_mb = memory_mb or settings.PDF_RENDER_MEMORY_MB
    base = static_base()
    with tempfile.TemporaryDirectory(prefix="cucs-pdf-") as workdir:
        html_path = Path(workdir) / "document.html"
        html_path.write_text(html, encoding="utf-8")
        command = [
            sys.executable,
            "-m",
            "cucs_portal.documents.child",
            "--memory-mb",
            str(memory_mb),
            str(html_path),
            str(output),
            str(base),
            *([str(base / stylesheet)] if stylesheet else []),
        ]
        started = time.monotonic()
        process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            cwd=workdir,
            env=_child_environment(),
        )
        last: dict = {}
        errors: list[str] = []
        try:
            for stream, line in _lines(process, started, timeout, on_tick):
                if stream == "err":
                    # WeasyPrint's warnings: keep the last ones only.
                    errors = [*errors[-50:], line]
                    continue
                try:
                    report = json.loads(line)
                except ValueError:
                    report = None
                if not isinstance(report, dict) or "stage" not in report:
                    errors = [*errors[-50:], line]  # not ours: a library's print
                    continue
                last = report
                if on_stage:
                    try:
                        on_stage(last["stage"])
                    except LeaseLost:
                        raise
                    except Exception:  # progress only: never fail the render
                        logger.exception("Could not record the PDF's stage")
            process.wait(timeout=max(1.0, timeout - (time.monotonic() - started)))
        except subprocess.TimeoutExpired as exc:
            raise RenderError(
                _("The rendering was stopped after %(seconds)s s.")
                % {"seconds": timeout}
            ) from exc
        finally:
            # Whatever happened (limit, error, the worker being stopped), the
            # child never outlives its supervision.
            if process.poll() is None:
                process.kill()
                process.wait()
            process.stdout.close()
            process.stderr.close()
        stderr = "\n".join(errors)
        if process.returncode != 0 or last.get("stage") != "done":
            if process.returncode == 3 or any(m in stderr for m in MEMORY_ERRORS):
                raise RenderError(
                    _(
                        "The rendering needed more than %(mb)s MB of memory, the "
                        "limit set for a PDF (PDF_RENDER_MEMORY_MB), and was stopped."
                    )
                    % {"mb": memory_mb}
                )
            # The child stopped on its own (child.EXIT_INTERRUPTED) or by
            # the signal that stops the worker too (Ctrl-C reaches the whole
            # process group; a service stop sends TERM): not for lack of memory.
            if process.returncode in INTERRUPTED_RETURN_CODES:
                raise RenderError(str(INTERRUPTED))
            if process.returncode < 0:
                raise RenderError(
                    _(
                        "The rendering process stopped abruptly (signal %(signal)s), "
                        "most often for lack of memory: the limit set for a PDF is "
                        "%(mb)s MB (PDF_RENDER_MEMORY_MB)."
                    )
                    % {"signal": -process.returncode, "mb": memory_mb}
                )
            detail = stderr.strip().splitlines()[-1:] or [str(process.returncode)]
            raise RenderError(
                _("WeasyPrint could not render the PDF: %(detail)s")
                % {"detail": detail[0][:500]}
            )
    return RenderResult(
        pages=last["pages"],
        seconds=last["seconds"],
        peak_rss_kb=last["peak_rss_kb"],
        refused=last.get("refused", []),
    )

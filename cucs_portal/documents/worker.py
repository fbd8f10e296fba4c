"""What a background task rendering a PDF does whatever its document: it holds
a lease on the row it renders (the stage and a heartbeat, refreshed while the
child process works), renders into a temporary file and fingerprints it. The
app's task claims its own row, stores the file and records the outcome on its
own model (the référentiel's ``Rendition``: ``referentiel/tasks.py``).
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.db.models import QuerySet
from django.utils import timezone

from cucs_portal import leases

from .pdf import INTERRUPTED, RenderResult, render_pdf

__all__ = ["INTERRUPTED", "RenderLease", "RenderedPDF", "rendered_pdf"]


class RenderLease:
    """This attempt's hold on the row it renders. ``held`` matches that row
    only while this attempt holds it (say, running and at this attempt's
    number); the row has ``stage`` and ``heartbeat_at`` fields. When ``held``
    matches nothing, the lease expired and the row was given to another
    attempt: ``LeaseLost`` stops the work (``render_pdf`` kills its child)."""

    def __init__(self, held: QuerySet):
        self.held = held
        self.heartbeat = leases.Heartbeat(self._beat)

    def _beat(self) -> None:
        if not self.held.update(heartbeat_at=timezone.now()):
            raise leases.LeaseLost

    def set_stage(self, stage: str) -> None:
        if not self.held.update(stage=stage, heartbeat_at=timezone.now()):
            raise leases.LeaseLost


@dataclass
class RenderedPDF:
    path: Path
    result: RenderResult
    sha256: str
    size_bytes: int


@contextmanager
def rendered_pdf(
    html: str,
    *,
    lease: RenderLease,
    filename: str,
    store_stage: str,
    stylesheet: str | None = None,
) -> Iterator[RenderedPDF]:
    """Render ``html`` into a temporary ``filename`` under ``lease``: the
    child's stages become the row's, each tick a heartbeat. Then the row's
    stage is ``store_stage`` and the file, with its SHA-256 and size, is the
    caller's to store until the block ends (the folder is removed then)."""
    with tempfile.TemporaryDirectory(prefix="cucs-pdf-out-") as workdir:
        output = Path(workdir) / filename
        result = render_pdf(
            html,
            output,
            on_stage=lease.set_stage,
            on_tick=lease.heartbeat,
            stylesheet=stylesheet,
        )
        lease.set_stage(store_stage)
        data = output.read_bytes()
        yield RenderedPDF(
            path=output,
            result=result,
            sha256=hashlib.sha256(data).hexdigest(),
            size_bytes=len(data),
        )

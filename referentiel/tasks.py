"""The background work of the référentiel, run by ``manage.py db_worker``.

The task stays here, under the path django-tasks stores in its queue
(``referentiel.tasks.render_rendition``): rows queued before an upgrade still
run. What any PDF task does (the lease, the render, the fingerprint) is the
document engine's (``cucs_portal.documents.worker``); what is the référentiel's
(the ``Rendition`` row, its states, the content hash) is here.
"""

from __future__ import annotations

import logging

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from cucs_portal import leases
from cucs_portal.documents.pdf import RenderError
from cucs_portal.documents.worker import INTERRUPTED, RenderLease, rendered_pdf

from .content import PRINT_STYLESHEET, content_hash
from .models import Rendition
from .pdf import render_document_html

logger = logging.getLogger(__name__)

__all__ = ["INTERRUPTED", "render_rendition"]


@task()
def render_rendition(rendition_id: int) -> str:
    """Render one rendition's content into its PDF. Returns its state.

    The worker holds a lease on the rendition while it renders (``worker``,
    ``heartbeat_at`` refreshed every few seconds while the child process
    works): when the worker dies, the lease expires, the edition's page says
    the rendering was interrupted and the next worker to start queues it again
    (``services.recover_interrupted_work``). A worker whose lease was given to
    another attempt meanwhile keeps nothing of its own."""
    with transaction.atomic():
        rendition = Rendition.objects.select_for_update().get(pk=rendition_id)
        if rendition.status != Rendition.Status.QUEUED:
            return rendition.status  # done meanwhile, or another worker has it
        rendition.status = Rendition.Status.RUNNING
        rendition.stage = Rendition.Stage.STARTING
        rendition.started_at = rendition.heartbeat_at = timezone.now()
        rendition.worker = leases.worker_name()
        rendition.attempts += 1
        rendition.save()
    # No row: the lease expired and the rendition was queued again. The
    # render stops (render_pdf kills its child when a beat raises).
    lease = RenderLease(
        Rendition.objects.filter(
            pk=rendition.pk,
            status=Rendition.Status.RUNNING,
            attempts=rendition.attempts,
        )
    )
    stored = False
    try:
        published = rendition.content.get("published", False)
        if not published and content_hash(rendition.content) != rendition.content_hash:
            # This worker was started before the last change of the document's
            # layout: what it would render is not what the hash promises.
            return _fail(
                rendition,
                _(
                    "The background worker runs an older version of the portal: "
                    "restart it, then make the PDF again."
                ),
            )
        # Building the HTML (hundreds of proposals) and storing the file cannot
        # beat: a beat before and after each gives it the whole grace.
        lease.heartbeat(now=True)
        html = render_document_html(rendition.content, for_print=True)
        lease.heartbeat(now=True)
        with rendered_pdf(
            html,
            lease=lease,
            filename="referentiel.pdf",
            store_stage=Rendition.Stage.STORE,
            stylesheet=PRINT_STYLESHEET,
        ) as pdf:
            result = pdf.result
            rendition.sha256 = pdf.sha256
            rendition.size_bytes = pdf.size_bytes
            rendition.page_count = result.pages
            rendition.render_seconds = result.seconds
            rendition.peak_memory_mb = round(result.peak_rss_kb / 1024)
            with pdf.path.open("rb") as handle:
                rendition.file.save("referentiel.pdf", File(handle), save=False)
            stored = True
            lease.heartbeat(now=True)
        if result.refused:
            logger.warning("PDF %s: refused URLs %s", rendition.pk, result.refused)
    except leases.LeaseLost:
        # Another attempt has the rendition: leave it and its file alone.
        logger.warning("PDF %s: lease lost, render stopped", rendition.pk)
        if stored:
            rendition.file.delete(save=False)
        return Rendition.objects.get(pk=rendition.pk).status
    except RenderError as exc:
        return _fail(rendition, str(exc))
    except Exception:
        logger.exception("PDF %s failed", rendition.pk)
        _fail(
            rendition,
            _("The PDF could not be made (an error of the portal, logged)."),
        )
        raise
    except BaseException:
        # The worker is being stopped (Ctrl-C, a service restart): say so
        # rather than leave the PDF "being rendered" for ever.
        _fail(rendition, INTERRUPTED)
        raise
    rendition.status = Rendition.Status.DONE
    rendition.stage = Rendition.Stage.DONE
    rendition.error = ""
    return _finish(rendition)


def _fail(rendition, message) -> str:
    rendition.status = Rendition.Status.FAILED
    rendition.error = message
    return _finish(rendition)


@transaction.atomic
def _finish(rendition) -> str:
    """Record the outcome, if this attempt still holds the rendition: when its
    lease expired and the rendition was queued again, the other attempt's
    result stands and this one's file is removed."""
    current = Rendition.objects.select_for_update().get(pk=rendition.pk)
    if (
        current.status != Rendition.Status.RUNNING
        or current.attempts != rendition.attempts
    ):
        logger.warning("PDF %s: lease lost, result dropped", rendition.pk)
        if rendition.file and rendition.file.name != current.file.name:
            rendition.file.delete(save=False)
        return current.status
    if rendition.status != Rendition.Status.DONE:
        # The stage it failed at, as the render recorded it.
        rendition.stage = current.stage
    rendition.finished_at = timezone.now()
    rendition.save()
    return rendition.status

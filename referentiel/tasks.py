"""The background work of the référentiel, run by ``manage.py db_worker``."""

from __future__ import annotations

import hashlib
import logging
import tempfile
from pathlib import Path

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from .content import content_hash
from .models import Rendition
from .pdf import RenderError, render_document_html, render_pdf

logger = logging.getLogger(__name__)


def _set_stage(pk, stage):
    Rendition.objects.filter(pk=pk).update(stage=stage)


@task()
def render_rendition(rendition_id: int) -> str:
    """Render one rendition's content into its PDF. Returns its state."""
    with transaction.atomic():
        rendition = Rendition.objects.select_for_update().get(pk=rendition_id)
        if rendition.status != Rendition.Status.QUEUED:
            return rendition.status  # done meanwhile, or another worker has it
        rendition.status = Rendition.Status.RUNNING
        rendition.stage = Rendition.Stage.STARTING
        rendition.started_at = timezone.now()
        rendition.attempts += 1
        rendition.save()

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
        html = render_document_html(rendition.content, for_print=True)
        with tempfile.TemporaryDirectory(prefix="cucs-pdf-out-") as workdir:
            output = Path(workdir) / "referentiel.pdf"
            result = render_pdf(
                html, output, on_stage=lambda s: _set_stage(rendition.pk, s)
            )
            _set_stage(rendition.pk, Rendition.Stage.STORE)
            data = output.read_bytes()
            rendition.sha256 = hashlib.sha256(data).hexdigest()
            rendition.size_bytes = len(data)
            rendition.page_count = result.pages
            rendition.render_seconds = result.seconds
            rendition.peak_memory_mb = round(result.peak_rss_kb / 1024)
            with output.open("rb") as handle:
                rendition.file.save("referentiel.pdf", File(handle), save=False)
        if result.refused:
            logger.warning("PDF %s: refused URLs %s", rendition.pk, result.refused)
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
        _fail(
            rendition,
            _("The rendering was interrupted (the worker stopped): try again."),
        )
        raise
    rendition.status = Rendition.Status.DONE
    rendition.stage = Rendition.Stage.DONE
    rendition.finished_at = timezone.now()
    rendition.error = ""
    rendition.save()
    return rendition.status


def _fail(rendition, message) -> str:
    rendition.status = Rendition.Status.FAILED
    rendition.error = message
    rendition.finished_at = timezone.now()
    rendition.save()
    return rendition.status

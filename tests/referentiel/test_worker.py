"""The PDF goes through the real queue: committed transactions (so the
``on_commit`` enqueuing happens as in production), the django-tasks database
backend, and ``manage.py db_worker`` running the task, which renders with
WeasyPrint in its subprocess. On SQLite and PostgreSQL alike."""

import datetime
import hashlib

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from axes.models import Axis
from referentiel.models import Edition, Rendition
from tests import factories as f
from tests.matrix import CONFIRMED
from tests.referentiel.support import downloaded, read_pdf, run_worker
from tests.world import load_reference_fixtures

TASK = "referentiel.tasks.render_rendition"
LONG = "\n\n".join(
    f"Paragraphe {n} : les bailleurs et la ville se répartissent l’entretien des "
    "espaces extérieurs, quartier par quartier, et en rendent compte aux "
    "locataires chaque trimestre, avec un calendrier et des moyens chiffrés."
    for n in range(1, 61)
)


@pytest.fixture
def secretariat_client(client, transactional_db):
    load_reference_fixtures()
    atelier = f.AtelierFactory(axis=Axis.objects.get(number=1))
    enjeu = f.EnjeuFactory(axis=atelier.axis, position=1)
    f.ProposalFactory(
        atelier=atelier,
        enjeu=enjeu,
        status="validated",
        title="Un entretien partagé des espaces extérieurs",
        description=LONG,
    )
    client.force_login(f.UserFactory(secretariat=True))
    return client


def create_edition(client) -> Edition:
    response = client.post(
        reverse("referentiel:create"),
        {"title": "Référentiel du séminaire", "event_date": "2007-05-10"},
    )
    assert response.status_code == 302
    return Edition.objects.get()


def status(client, edition) -> dict:
    return client.get(
        reverse("referentiel:pdf_status", kwargs={"pk": edition.pk})
    ).json()


def test_publishing_queues_the_pdf_and_the_worker_renders_it(secretariat_client):
    client = secretariat_client
    edition = create_edition(client)

    client.post(reverse("referentiel:publish", kwargs={"pk": edition.pk}), CONFIRMED)

    edition.refresh_from_db()
    task = DBTaskResult.objects.get()
    assert (task.task_path, task.status) == (TASK, "READY")
    assert task.args_kwargs == {"args": [edition.rendition_id], "kwargs": {}}
    assert status(client, edition)["status"] == "queued"

    run_worker()

    task.refresh_from_db()
    assert (task.status, task.return_value) == ("SUCCESSFUL", "done")
    rendition = Rendition.objects.get(pk=edition.rendition_id)
    assert (rendition.status, rendition.attempts) == ("done", 1)
    state = status(client, edition)
    assert state["status"] == "done"
    response = client.get(state["download_url"])
    data = downloaded(response)
    assert hashlib.sha256(data).hexdigest() == rendition.sha256 == state["sha256"]
    assert len(read_pdf(data).pages) == rendition.page_count == state["pages"] > 5
    assert edition.published_at.date() >= datetime.date(2007, 5, 10)


def test_a_failed_render_is_reported_and_can_be_retried(secretariat_client, settings):
    """Past the time limit the worker marks the PDF failed with the reason (the
    task itself succeeds: the failure is the PDF's); the page and the status
    say why and offer to try again; trying again queues the same rendition,
    which the worker then renders."""
    client = secretariat_client
    edition = create_edition(client)
    export = reverse("referentiel:export", kwargs={"pk": edition.pk})
    # Far below the time Python alone takes to start: fails whatever the machine.
    settings.PDF_RENDER_TIMEOUT = 0.05

    client.post(export)
    run_worker()

    rendition = Edition.objects.get(pk=edition.pk).rendition
    assert rendition.status == "failed"
    assert "PDF_RENDER_TIMEOUT" in rendition.error
    assert not rendition.file
    task = DBTaskResult.objects.get()
    assert (task.status, task.return_value) == ("SUCCESSFUL", "failed")
    state = status(client, edition)
    assert state["status"] == "failed"
    assert rendition.error in state["message"]
    assert "download_url" not in state
    page = client.get(edition.get_absolute_url()).content.decode()
    assert rendition.error in page
    assert f'action="{export}"' in page

    settings.PDF_RENDER_TIMEOUT = 120
    client.post(export)

    queued = Rendition.objects.get(pk=rendition.pk)
    assert (queued.status, queued.error) == ("queued", "")
    assert DBTaskResult.objects.filter(status="READY").count() == 1

    run_worker()

    done = Rendition.objects.get(pk=rendition.pk)
    assert (done.status, done.attempts, done.error) == ("done", 2, "")
    assert Rendition.objects.count() == 1
    assert status(client, edition)["status"] == "done"

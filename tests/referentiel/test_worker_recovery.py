"""A worker killed outright (SIGKILL: out of memory, a machine restarted) runs no
cleanup code. Its PDF must not stay "being rendered" for twenty minutes: the
lease it held expires within seconds, the edition's page says the rendering was
interrupted and offers to make it again at once, and the next worker to start
queues it again. Real processes: ``manage.py worker`` killed with its WeasyPrint
child mid-render, then a new one; on SQLite and PostgreSQL alike."""

import hashlib
import os
import signal
import time
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation
from django_tasks_db.models import DBTaskResult

from axes.models import Axis
from cucs_portal.leases import GRACE_BEATS
from cucs_portal.tasks import DIGEST_TASK
from referentiel.models import Edition, Rendition
from referentiel.tasks import INTERRUPTED
from seminaire.purge_tasks import PURGE_TASK
from tests import factories as f
from tests.matrix import CONFIRMED
from tests.referentiel.support import downloaded
from tests.worker_support import (
    SharedDatabase,
    kill_worker,
    run_worker_batch,
    start_worker,
    wait_for,
)
from tests.world import load_reference_fixtures

BEAT = 0.5
LONG = "\n\n".join(
    f"Paragraphe {n} : les bailleurs et la ville se répartissent l’entretien des "
    "espaces extérieurs, quartier par quartier, et en rendent compte aux "
    "locataires chaque trimestre, avec un calendrier et des moyens chiffrés."
    for n in range(1, 61)
)


@pytest.fixture
def database(transactional_db, tmp_path, settings):
    settings.WORKER_HEARTBEAT_SECONDS = BEAT
    return SharedDatabase(tmp_path)


@pytest.fixture
def secretariat_client(client, database):
    """An edition of a few dozen pages: a render of a few seconds."""
    load_reference_fixtures()
    atelier = f.AtelierFactory(axis=Axis.objects.get(number=1))
    enjeu = f.EnjeuFactory(axis=atelier.axis, position=1)
    for n in range(1):
        f.ProposalFactory(
            atelier=atelier,
            enjeu=enjeu,
            status="validated",
            title=f"Un entretien partagé des espaces extérieurs, volet {n + 1}",
            description=LONG,
        )
    client.force_login(f.UserFactory(secretariat=True))
    return client


def publish_edition(client) -> Edition:
    client.post(
        reverse("referentiel:create"),
        {"title": "Référentiel du séminaire", "event_date": "2007-05-10"},
    )
    edition = Edition.objects.get()
    client.post(reverse("referentiel:publish", kwargs={"pk": edition.pk}), CONFIRMED)
    edition.refresh_from_db()
    assert edition.is_published and edition.rendition.status == "queued"
    return edition


def kill_worker_mid_render(database, edition) -> Rendition:
    """Start a worker, wait until WeasyPrint lays out the pages, SIGKILL the
    worker's process group; returns the rendition as the dead worker left it."""
    database.push()
    worker = start_worker(database)
    try:
        rendition = render_under_way(database, edition, worker)
    finally:
        if worker.poll() is None:
            kill_worker(worker)
    assert rendition.worker.endswith(f":{worker.pid}")
    database.pull()
    return Rendition.objects.get(pk=edition.rendition_id)


def status(client, edition) -> dict:
    return client.get(
        reverse("referentiel:pdf_status", kwargs={"pk": edition.pk})
    ).json()


def wait_for_the_lease_to_expire():
    time.sleep(GRACE_BEATS * BEAT + 0.3)


def test_the_next_worker_requeues_the_render_a_killed_worker_left(
    secretariat_client, database
):
    """The dead worker leaves its rendition and its task row running; once its
    lease expires the page says the rendering was interrupted; the next
    worker marks the dead task row failed, queues the rendition again and
    renders it: one PDF, two attempts, no task left running."""
    client = secretariat_client
    edition = publish_edition(client)

    left = kill_worker_mid_render(database, edition)

    assert left.status == "running"
    dead_task = renders().get()
    assert dead_task.status == "RUNNING"
    wait_for_the_lease_to_expire()
    state = status(client, edition)
    assert state["status"] == "failed"
    assert state["interrupted"] and state["stale"]
    assert "interrompue" in state["message"]
    assert "processus d’arrière-plan" in state["message"]
    page = client.get(edition.get_absolute_url()).content.decode()
    assert "interrompue" in page
    assert f'action="{reverse("referentiel:export", kwargs={"pk": edition.pk})}"' in (
        page
    )

    output = run_worker_batch(database)

    database.pull()
    assert "requeued 1" in output
    rendition = Rendition.objects.get(pk=edition.rendition_id)
    assert (rendition.status, rendition.attempts, rendition.error) == ("done", 2, "")
    dead_task.refresh_from_db()
    assert dead_task.status == "FAILED"
    assert dead_task.exception_class_path == "cucs_portal.leases.WorkerDied"
    retried = renders().exclude(pk=dead_task.pk).get()
    assert (retried.status, retried.return_value) == ("SUCCESSFUL", "done")
    state = status(client, edition)
    assert state["status"] == "done"
    data = downloaded(client.get(state["download_url"]))
    assert hashlib.sha256(data).hexdigest() == rendition.sha256


def renders():
    """The task rows but the daily digest's and the nightly purge of past
    seminar guests, which the worker schedules when it starts
    (cucs_portal/tasks.py, seminaire/purge_tasks.py)."""
    return DBTaskResult.objects.exclude(task_path__in=[DIGEST_TASK, PURGE_TASK])


def test_make_the_pdf_again_works_as_soon_as_the_lease_expires(
    secretariat_client, database
):
    """No twenty-minute wait: seconds after the worker died, *Try again* on a
    published edition queues the same rendition again; the next worker closes
    the dead task row without queuing a second render, and renders it once."""
    client = secretariat_client
    edition = publish_edition(client)
    export = reverse("referentiel:export", kwargs={"pk": edition.pk})
    kill_worker_mid_render(database, edition)

    client.post(export)  # within the lease: the render is taken as alive
    assert Rendition.objects.get(pk=edition.rendition_id).status == "running"
    wait_for_the_lease_to_expire()
    client.post(export)

    queued = Rendition.objects.get(pk=edition.rendition_id)
    assert (queued.status, queued.error) == ("queued", "")
    assert renders().filter(status="READY").count() == 1
    database.push()

    run_worker_batch(database)

    database.pull()
    rendition = Rendition.objects.get(pk=edition.rendition_id)
    assert (rendition.status, rendition.attempts) == ("done", 2)
    assert Rendition.objects.count() == 1
    tasks = renders().order_by("enqueued_at")
    assert [task.status for task in tasks] == ["FAILED", "SUCCESSFUL"]


def render_under_way(database, edition, worker) -> Rendition:
    """The rendition once its WeasyPrint process is at work (laying out, or
    already writing on a fast machine: the render is under way either way).
    When it never gets there, the message says where it was and what the
    worker printed, rather than only that time ran out."""

    def laying_out():
        """the PDF being laid out"""
        rendition = Rendition.objects.get(pk=edition.rendition_id)
        if rendition.status == "running" and rendition.stage in ("layout", "write"):
            return rendition
        if rendition.status in ("done", "failed") or worker.poll() is not None:
            raise AssertionError(f"no render under way: {rendition_state(rendition)}")
        return None

    try:
        return wait_for(laying_out, database=database, timeout=60)
    except AssertionError as exc:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
        output = worker.stdout.read().decode(errors="replace")
        kill_worker(worker)
        rendition = Rendition.objects.get(pk=edition.rendition_id)
        raise AssertionError(
            f"{exc}; rendition {rendition_state(rendition)}; worker said: {output}"
        ) from exc


def rendition_state(rendition) -> str:
    return f"{rendition.status}/{rendition.stage} {rendition.error!r}"


def pdf_children(worker) -> list[int]:
    """The WeasyPrint processes still running in the worker's process group."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if not entry.name.isdigit() or os.getpgid(int(entry.name)) != worker.pid:
                continue
            if b"cucs_portal.documents.child" in (entry / "cmdline").read_bytes():
                found.append(int(entry.name))
        except (OSError, ProcessLookupError):
            continue
    return found


def test_a_worker_whose_lease_was_taken_over_stops_rendering_at_once(
    secretariat_client, database
):
    """While a worker renders, its lease is given to another attempt (it was
    taken for dead and the PDF queued again): at its next beat the worker
    kills WeasyPrint and ends the task, leaving the rendition as the other
    attempt has it, rather than render for minutes for nothing."""
    client = secretariat_client
    atelier = f.AtelierFactory(axis=Axis.objects.get(number=1))
    enjeu = f.EnjeuFactory(axis=atelier.axis, position=2)
    for n in range(30):  # a render far longer than a few beats
        f.ProposalFactory(
            atelier=atelier,
            enjeu=enjeu,
            status="validated",
            title=f"Un entretien partagé, volet {n + 2}",
            description=LONG,
        )
    edition = publish_edition(client)
    database.push()
    worker = start_worker(database)
    try:
        render_under_way(database, edition, worker)
        assert pdf_children(worker)
        # What `services._retry` does once the lease looked expired.
        Rendition.objects.filter(pk=edition.rendition_id).update(
            status="queued", stage="waiting"
        )
        database.push()

        def task_ended():
            """the render task ended"""
            task = renders().get()
            return task if task.status != "RUNNING" else None

        task = wait_for(task_ended, database=database, timeout=GRACE_BEATS * BEAT)
        assert not pdf_children(worker)
    finally:
        kill_worker(worker)
    assert (task.status, task.return_value) == ("SUCCESSFUL", "queued")
    rendition = Rendition.objects.get(pk=edition.rendition_id)
    assert (rendition.status, rendition.stage, rendition.file.name) == (
        "queued",
        "waiting",
        "",
    )


def test_a_render_stopped_midway_keeps_the_stage_it_reached(
    secretariat_client, database
):
    """The worker stopped cleanly (Ctrl-C, a service restart) while WeasyPrint
    lays out (or writes) the pages: the PDF is failed as interrupted, at the
    stage it had reached, not back at "starting"."""
    edition = publish_edition(secretariat_client)
    database.push()
    worker = start_worker(database)
    try:
        render_under_way(database, edition, worker)
        os.killpg(worker.pid, signal.SIGINT)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            kill_worker(worker)
        worker.stdout.close()
    database.pull()
    rendition = Rendition.objects.get(pk=edition.rendition_id)
    assert rendition.status == "failed"
    assert rendition.stage in ("layout", "write")
    assert "interrompue" in rendition.error


def test_the_lease_is_worded_as_the_secretariat_says_it():
    """The worker is « le processus d’arrière-plan », who holds a render
    « fabriqué par » (the portal says « fabriquer » a PDF, never « rendre »)."""
    with translation.override("fr"):
        assert str(Rendition._meta.get_field("worker").verbose_name) == ("fabriqué par")
        assert "processus d’arrière-plan" in str(INTERRUPTED)

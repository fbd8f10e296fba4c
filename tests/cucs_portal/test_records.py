"""The kernel's versioned records (cucs_portal/records.py): one transition
helper, one version check and one EditConflict for every app."""

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction
from django.utils import translation

from ateliers import services as atelier_services
from ateliers.models import Proposal
from ateliers.verbs import AteliersVerb
from audit.models import AuditEvent
from cucs_portal import records
from cucs_portal.records import (
    EditConflict,
    TransitionNotAllowed,
    VersionedModel,
    apply_fields,
    apply_m2m,
    changed_fields,
    check_version,
)
from tests import factories as f

pytestmark = pytest.mark.django_db

S = Proposal.Status


@pytest.fixture
def proposal():
    return f.ProposalFactory()


@pytest.fixture
def actor():
    return f.UserFactory(secretariat=True)


def submit(proposal, actor, **hooks):
    hooks.setdefault("record", AuditEvent.record)
    return records.transition(
        proposal,
        to=S.SUBMITTED,
        allowed_from={S.DRAFT, S.CHANGES_REQUESTED},
        action=AteliersVerb.SUBMIT,
        actor=actor,
        **hooks,
    )


def test_a_transition_bumps_the_version_once_and_records_one_audit_event(
    proposal, actor
):
    """The status and the version change together, once, with exactly one
    audit event saying from which status to which."""
    saved = submit(proposal, actor, comment="Prête.")

    proposal.refresh_from_db()
    assert (proposal.status, proposal.version) == (S.SUBMITTED, 2)
    assert saved.version == 2
    (event,) = AuditEvent.for_object(proposal)
    assert (event.action, event.from_status, event.to_status, event.comment) == (
        AteliersVerb.SUBMIT,
        S.DRAFT,
        S.SUBMITTED,
        "Prête.",
    )
    assert event.actor == actor


def test_the_apps_fields_and_history_are_saved_with_the_status(proposal, actor):
    """``apply`` sets the app's own fields in the same save; ``after`` sees the
    row as saved and as it was before."""
    seen = []
    when = proposal.created_at
    submit(
        proposal,
        actor,
        apply=lambda current: {"status_changed_at": when},
        after=lambda current, previous: seen.append((current.status, previous.status)),
    )

    proposal.refresh_from_db()
    assert proposal.status_changed_at == when
    assert seen == [(S.SUBMITTED, S.DRAFT)]


def test_a_transition_from_another_status_is_refused_and_changes_nothing(
    proposal, actor
):
    """From a status not allowed, the transition raises TransitionNotAllowed,
    with the status as people read it, and saves, records and sends nothing."""
    Proposal.objects.filter(pk=proposal.pk).update(status=S.VALIDATED)
    recorded, notified = [], []

    with pytest.raises(TransitionNotAllowed) as refused:
        submit(
            proposal,
            actor,
            record=lambda **kwargs: recorded.append(kwargs),
            notify=notified.append,
        )

    assert (refused.value.status, refused.value.action) == (S.VALIDATED, "submit")
    with translation.override("fr"):
        assert refused.value.message == (
            "Cette action n’est pas possible au statut «\u00a0Validée\u00a0»."
        )
    proposal.refresh_from_db()
    assert (proposal.status, proposal.version) == (S.VALIDATED, 1)
    assert recorded == notified == []


def test_a_check_refuses_before_anything_is_saved(proposal, actor):
    """An app's extra guard (``check``) refuses on the locked row, before the
    status or the version change."""

    def closed(current):
        raise atelier_services.AxisNotValidated(current.status, "validate")

    with pytest.raises(atelier_services.AxisNotValidated):
        submit(proposal, actor, check=closed)

    proposal.refresh_from_db()
    assert (proposal.status, proposal.version) == (S.DRAFT, 1)
    assert not AuditEvent.for_object(proposal).exists()


def test_an_app_keeps_its_own_wording_for_a_refusal(proposal, actor):
    """The app passes its subclass: the refusal is worded as the app says."""
    Proposal.objects.filter(pk=proposal.pk).update(status=S.WITHDRAWN)
    with pytest.raises(atelier_services.TransitionNotAllowed) as refused:
        submit(proposal, actor, refused=atelier_services.TransitionNotAllowed)
    with translation.override("en"):
        assert refused.value.message == (
            "This action is not possible on a proposal that is “Withdrawn”."
        )


def test_people_are_notified_only_once_the_transaction_has_committed(
    proposal, actor, django_capture_on_commit_callbacks
):
    """Nobody hears of a transition before it is committed."""
    notified = []
    with django_capture_on_commit_callbacks() as callbacks:
        submit(proposal, actor, notify=notified.append)
        assert notified == []
    assert len(callbacks) == 1
    callbacks[0]()
    assert [p.pk for p in notified] == [proposal.pk]
    assert notified[0].status == S.SUBMITTED


def test_a_rolled_back_transition_notifies_nobody(
    proposal, actor, django_capture_on_commit_callbacks
):
    notified = []
    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        submit(proposal, actor, notify=notified.append)
        raise RuntimeError("the rest of the service failed")
    assert callbacks == []
    assert notified == []
    proposal.refresh_from_db()
    assert (proposal.status, proposal.version) == (S.DRAFT, 1)


def test_an_edit_on_an_older_version_is_a_conflict(proposal):
    """The version check lets an edit of the saved version through, and
    refuses one made on an older version, saying which is saved now."""
    check_version(proposal, 1)
    proposal.version = 3
    with pytest.raises(EditConflict) as conflict:
        check_version(proposal, 2)
    assert conflict.value.current is proposal
    assert conflict.value.base_version == 2


def test_fields_are_applied_and_compared_many_to_many_by_primary_key(proposal):
    partner = f.OrganisationFactory()
    fields = ("title", "summary", "partner_organisations")
    data = {"title": "Nouveau titre", "partner_organisations": [partner]}

    assert changed_fields(proposal, data, fields) == [
        "title",
        "partner_organisations",
    ]
    apply_fields(proposal, data, fields)
    assert proposal.title == "Nouveau titre"
    assert not proposal.partner_organisations.exists()  # only once saved
    proposal.save()
    apply_m2m(proposal, data, fields)
    assert list(proposal.partner_organisations.all()) == [partner]
    assert changed_fields(proposal, data, fields) == []
    # A field the form did not send is left alone.
    assert changed_fields(proposal, {"summary": proposal.summary}, fields) == []


def test_every_versioned_model_refuses_a_version_below_one():
    """The abstract model's constraint, named after each app and model."""
    versioned = [m for m in apps.get_models() if issubclass(m, VersionedModel)]
    assert {m._meta.label for m in versioned} >= {
        "ateliers.Proposal",
        "capitalisation.ExperienceSheet",
        "declinaison.SiteAction",
        "referentiel.Edition",
        "seminaire.Event",
        "seminaire.Invitation",
    }
    for model in versioned:
        names = {c.name for c in model._meta.constraints}
        assert f"{model._meta.app_label}_{model._meta.model_name}_version_positive" in (
            names
        )
    proposal = f.ProposalFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Proposal.objects.filter(pk=proposal.pk).update(version=0)


@pytest.mark.parametrize("module", ["records.py", "mixins.py"])
def test_the_kernel_imports_no_app_of_the_portal(module):
    """cucs_portal's kernel sits below every app: Django and itself only."""
    source = Path(records.__file__).with_name(module).read_text()
    imported = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            imported.add(node.module.split(".")[0])
    project_apps = {config.name.split(".")[0] for config in apps.get_app_configs()}
    assert imported & project_apps <= {"django", "cucs_portal"}


@pytest.mark.django_db(transaction=True)
def test_a_transition_outside_a_transaction_is_refused_on_every_database(actor):
    """SQLite ignores select_for_update outside a transaction where PostgreSQL
    refuses it: the kernel refuses it everywhere, before anything is saved, so
    that a service that forgot its transaction.atomic fails in development
    too."""
    proposal = f.ProposalFactory()
    with pytest.raises(transaction.TransactionManagementError):
        submit(proposal, actor)
    proposal.refresh_from_db()
    assert (proposal.status, proposal.version) == (S.DRAFT, 1)
    assert not AuditEvent.for_object(proposal).exists()

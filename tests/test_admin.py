"""The Django admin renders every registered model, with data in it, for a
superuser: changelists (columns, filters, search), add and change pages.

Some admins are read-only (proposals, their revisions, the audit log, the
commission's rounds, positions and decisions): the portal's services write them,
with their history and audit entries. For those the add page is refused (403)
and the change page shows the row without a save button. Which admin is which
is asked of the admin itself (``has_add_permission``/``has_change_permission``),
and pinned by ``test_the_read_only_admins_are_those_the_services_write``.
"""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import RequestFactory
from django.urls import reverse

from ateliers import services
from cucs_portal import two_factor
from imports.models import ImportBatch
from referentiel import services as referentiel_services
from referentiel.tasks import render_rendition
from tests import factories as f
from tests.two_factor_support import give_device
from tests.world import add_after_seminar_rows

pytestmark = pytest.mark.django_db

MODEL_ADMINS = [
    pytest.param(model, model_admin, id=model._meta.label)
    for model, model_admin in sorted(
        admin.site._registry.items(), key=lambda item: item[0]._meta.label
    )
]


def superuser_request(world):
    request = RequestFactory().get("/admin/")
    request.user = world.people["superuser"]
    return request


def admin_url(model, view, *args):
    meta = model._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=args)


@pytest.fixture(scope="module")
def admin_world(world, django_db_blocker):
    """The shared world plus a row of the models it does not fill: a comment
    and a revision (the world's proposals come from factories, not services);
    a published edition with a proposal left out, its PDF asked for (a
    rendition, and its task waiting in the queue: the worker does not run
    here) and a share link; and a row of each model of the seminar, the
    territorial declination and capitalisation. Rounds, positions, decisions
    and audit events are in the world; the secretariat's second factor too."""
    with django_db_blocker.unblock():
        f.DiagnosisElementFactory(axis=world.ours.axis, bassin=None)
        f.DiagnosisElementFactory(axis=world.ours.axis)
        f.EditionFactory(created_by=world.people["secretariat"])
        secretariat = world.people["secretariat"]
        edition = referentiel_services.edition_create(
            user=secretariat, data={"title": "Référentiel du séminaire"}
        )
        referentiel_services.entry_set_included(
            user=secretariat,
            edition=edition,
            proposal=world.their_proposals["validated"],
            included=False,
        )
        edition = referentiel_services.edition_publish(
            user=secretariat, edition=edition
        )
        render_rendition.enqueue(edition.rendition_id)
        referentiel_services.share_link_create(
            user=secretariat, edition=edition, label="Préfecture de la Loire"
        )
        Group.objects.create(name="Secrétariat")
        draft = world.proposals["draft"]
        services.proposal_comment(
            proposal=draft, author=world.people["member"], body="Une remarque."
        )
        services.proposal_update(
            proposal=draft,
            editor=world.people["member"],
            data={"title": "Brouillon retravaillé"},
            base_version=draft.version,
        )
        add_after_seminar_rows(world)
        # A second factor and its recovery codes (cucs_portal/admin.py).
        give_device(world.people["secretariat"])
        two_factor.recovery_codes_regenerate(user=world.people["secretariat"])
        ImportBatch.objects.create(
            kind=ImportBatch.Kind.PEOPLE,
            filename="personnes.csv",
            created_by=secretariat,
        )
    return world


@pytest.fixture
def superuser_client(client, admin_world):
    client.force_login(admin_world.people["superuser"])
    return client


@pytest.mark.parametrize(("model", "model_admin"), MODEL_ADMINS)
def test_every_changelist_renders_its_rows(superuser_client, model, model_admin):
    """Each changelist shows its rows, so its columns and filters are rendered."""
    response = superuser_client.get(admin_url(model, "changelist"))

    assert response.status_code == 200
    assert response.context["cl"].result_count > 0, (
        f"no {model._meta.label} in admin_world: add one so its columns render"
    )


@pytest.mark.parametrize(
    ("model", "model_admin"),
    [param for param in MODEL_ADMINS if param.values[1].search_fields],
)
def test_every_search_works(superuser_client, model, model_admin):
    """Searching a changelist never errors, whatever the search fields span."""
    response = superuser_client.get(admin_url(model, "changelist"), {"q": "x"})

    assert response.status_code == 200


@pytest.mark.parametrize(("model", "model_admin"), MODEL_ADMINS)
def test_every_add_page_renders_or_is_refused_when_read_only(
    superuser_client, admin_world, model, model_admin
):
    """Each add form renders, inlines and widgets included; a read-only admin
    refuses it, even to a superuser."""
    may_add = model_admin.has_add_permission(superuser_request(admin_world))

    response = superuser_client.get(admin_url(model, "add"))

    assert response.status_code == (200 if may_add else 403)


@pytest.mark.parametrize(("model", "model_admin"), MODEL_ADMINS)
def test_every_change_page_renders(superuser_client, admin_world, model, model_admin):
    """Each change form renders for an existing row; a read-only admin shows
    the row with no save button."""
    obj = model._default_manager.order_by("pk").first()
    may_change = model_admin.has_change_permission(superuser_request(admin_world), obj)

    response = superuser_client.get(admin_url(model, "change", obj.pk))

    assert response.status_code == 200
    assert ('name="_save"' in response.content.decode()) is may_change


def test_the_read_only_admins_are_those_the_services_write(admin_world):
    """What the services write with a history or an audit entry, and the
    atelier's discussion, cannot be added or changed in the admin, even by a
    superuser; nor can the référentiel (editions, their PDFs, share links) or
    the task queue (django-tasks' own admin: its results are the worker's)."""
    request = superuser_request(admin_world)

    read_only = {
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if not model_admin.has_add_permission(request)
        and not model_admin.has_change_permission(request)
        and not model_admin.has_delete_permission(request)
    }

    assert read_only == {
        "ateliers.Proposal",
        "ateliers.ProposalRevision",
        "ateliers.ProposalComment",
        "audit.AuditEvent",
        "commission.ValidationRound",
        "commission.AxisPosition",
        "commission.AxisDecision",
        "referentiel.Edition",
        "referentiel.Rendition",
        "referentiel.ShareLink",
        "seminaire.Event",
        "seminaire.Invitation",
        "declinaison.SiteAction",
        "declinaison.ProgressNote",
        "capitalisation.ExperienceSheet",
        "imports.ImportBatch",
        "django_tasks_database.DBTaskResult",
    }


def test_the_secretariat_cannot_grant_itself_privileges(admin_world):
    """In the admin, a staff member who is not a superuser cannot make anyone
    (themselves included) a superuser, nor hand out groups or permissions; nor
    can they validate an axis by hand (that is a commission round's work)."""
    from axes.models import Axis
    from people.models import User

    staff = User.objects.create_user("staff-only", is_staff=True)
    request = superuser_request(admin_world)
    request.user = staff

    user_admin = admin.site._registry[User]
    axis_admin = admin.site._registry[Axis]

    assert {"is_superuser", "groups", "user_permissions"} <= set(
        user_admin.get_readonly_fields(request, staff)
    )
    assert {"status", "validated_on"} <= set(axis_admin.get_readonly_fields(request))


def test_the_admin_lists_every_model_of_the_portal(superuser_client):
    """The secretariat can reach the data of every app from the admin."""
    registered = {model._meta.label for model in admin.site._registry}

    assert {
        "people.User",
        "people.Organisation",
        "people.Territory",
        "axes.Axis",
        "axes.Enjeu",
        "axes.DiagnosisElement",
        "ateliers.Atelier",
        "ateliers.AtelierMembership",
        "ateliers.Session",
        "ateliers.Proposal",
        "referentiel.Edition",
        "referentiel.Rendition",
        "referentiel.ShareLink",
        "audit.AuditEvent",
        "commission.ValidationRound",
        "commission.AxisPosition",
        "commission.AxisDecision",
    } <= registered

"""The Django admin renders every registered model, with data in it, for a
superuser: changelists (columns, filters, search), add and change pages."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db

MODEL_ADMINS = [
    pytest.param(model, model_admin, id=model._meta.label)
    for model, model_admin in sorted(
        admin.site._registry.items(), key=lambda item: item[0]._meta.label
    )
]


def admin_url(model, view, *args):
    meta = model._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=args)


@pytest.fixture(scope="module")
def admin_world(world, django_db_blocker):
    """The shared world plus a row of the models it does not fill."""
    with django_db_blocker.unblock():
        f.DiagnosisElementFactory(axis=world.ours.axis, bassin=None)
        f.DiagnosisElementFactory(axis=world.ours.axis)
        f.EditionFactory(created_by=world.people["secretariat"])
        Group.objects.create(name="Secrétariat")
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
def test_every_add_page_renders(superuser_client, model, model_admin):
    """Each add form renders, inlines and widgets included."""
    response = superuser_client.get(admin_url(model, "add"))

    assert response.status_code == 200


@pytest.mark.parametrize(("model", "model_admin"), MODEL_ADMINS)
def test_every_change_page_renders(superuser_client, model, model_admin):
    """Each change form renders for an existing row."""
    obj = model._default_manager.order_by("pk").first()

    response = superuser_client.get(admin_url(model, "change", obj.pk))

    assert response.status_code == 200


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
    } <= registered

"""A référentiel share link is a credential in a URL, like a seminar guest's
reply key: its page and its PDF are sent ``Cache-Control: private,
no-store`` and ``X-Robots-Tag: noindex, nofollow``, as the reply pages are, so
that no shared proxy, browser cache or search engine keeps them."""

import pytest
from django.urls import reverse

from referentiel import services
from referentiel.models import ShareLink
from referentiel.tasks import render_rendition

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def link(world, django_db_blocker):
    """A link to a published edition whose PDF is rendered (once for the
    module, in the world's transaction)."""
    secretariat = world.people["secretariat"]
    with django_db_blocker.unblock():
        edition = services.edition_publish(
            user=secretariat,
            edition=services.edition_create(
                user=secretariat, data={"title": "Référentiel, édition partagée"}
            ),
        )
        assert render_rendition.call(edition.rendition_id) == "done"
        return services.share_link_create(
            user=secretariat, edition=edition, label="Préfecture de la Loire"
        )


@pytest.mark.parametrize("name", ["share:page", "share:pdf"])
def test_the_shared_page_and_pdf_are_never_cached(client, link, name):
    response = client.get(reverse(name, kwargs={"token": link.token}))

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_a_revoked_link_s_page_is_not_cached_either(client, world, link):
    link = ShareLink.objects.get(pk=link.pk)  # the module's object stays as it is
    services.share_link_revoke(user=world.people["secretariat"], link=link)

    response = client.get(link.get_absolute_url())

    assert response.status_code == 410
    assert response["Cache-Control"] == "private, no-store"

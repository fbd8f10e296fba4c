"""The URL × role matrix of the référentiel's editable files (ODT, DOCX): see
tests/matrix.py.

A draft edition and a published one (its files made on the first request and
kept), and three share links to the published one (active, revoked, expired).
Who gets them is who gets the PDF (referentiel/rules.py,
``download_edition``): the working group, a draft's too; every signed-in
person, a published edition's; anyone holding an active share link.
"""

import datetime
import hashlib

import pytest
from django.utils import timezone

from referentiel import formats, services
from referentiel.models import Edition, EditionFile, ShareLink
from tests.matrix import (
    NO_SUCH_ID,
    D,
    L,
    M,
    Missing,
    Page,
    Y,
    access_cases,
    assert_no_inline_code,
    assert_outcome,
    request,
)

G = 410
F = "file"  # the file (200, its content type), the download counted


def edition(state):
    return lambda world: {"pk": world.format_editions[state].pk}


def share_token(name, altered=False):
    def kwargs(world):
        token = world.format_links[name].token
        if altered:
            token = token[:-1] + ("A" if token[-1] != "A" else "B")
        return {"token": token}

    return kwargs


PAGES = {}
EXPECTED = {}
# fmt: off
# anonymous, member, other_member, landlord_referent, public_coanimator,
# other_coanimator, commission, secretariat, partner, plain, superuser
for fmt in formats.FORMATS:
    PAGES.update({
        f"draft edition, {fmt}": Page(f"referentiel:{fmt}", edition("draft")),
        f"published edition, {fmt}": Page(f"referentiel:{fmt}", edition("published")),
        f"edition {fmt}, missing": Page(
            f"referentiel:{fmt}", lambda w: {"pk": NO_SUCH_ID}
        ),
        f"shared {fmt}": Page(f"share:{fmt}", share_token("active")),
        f"shared {fmt}, altered token": Page(
            f"share:{fmt}", share_token("active", True)
        ),
        f"shared {fmt}, revoked link": Page(f"share:{fmt}", share_token("revoked")),
        f"shared {fmt}, expired link": Page(f"share:{fmt}", share_token("expired")),
    })
    EXPECTED.update({
        # A draft's is made now from its content, for the working group only.
        f"draft edition, {fmt}":        (L,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  D,  Y,  Y),
        f"published edition, {fmt}":    (L,  F,  F,  F,  F,  F,  F,  F,  F,  F,  F),
        f"edition {fmt}, missing":      Missing(),
        f"shared {fmt}":                (F,  F,  F,  F,  F,  F,  F,  F,  F,  F,  F),
        f"shared {fmt}, altered token": (M,  M,  M,  M,  M,  M,  M,  M,  M,  M,  M),
        f"shared {fmt}, revoked link":  (G,  G,  G,  G,  G,  G,  G,  G,  G,  G,  G),
        f"shared {fmt}, expired link":  (G,  G,  G,  G,  G,  G,  G,  G,  G,  G,  G),
    })
# fmt: on


pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world(world, django_db_blocker):
    secretariat = world.people["secretariat"]
    with django_db_blocker.unblock():
        draft = services.edition_create(
            user=secretariat, data={"title": "Référentiel, édition en préparation"}
        )
        published = services.edition_publish(
            user=secretariat,
            edition=services.edition_create(
                user=secretariat,
                data={
                    "title": "Référentiel, édition du séminaire",
                    "event_date": datetime.date(2007, 5, 10),
                },
            ),
        )

        def link(label, **kwargs):
            return services.share_link_create(
                user=secretariat, edition=published, label=label, **kwargs
            )

        world.format_editions = {"draft": draft, "published": published}
        world.format_links = {
            "active": link("Préfecture de la Loire"),
            "revoked": services.share_link_revoke(
                user=secretariat, link=link("Ancien partenaire")
            ),
            "expired": link(
                "Séminaire", expires_at=timezone.now() - datetime.timedelta(days=1)
            ),
        }
    return world


def database_state():
    return (
        list(Edition.objects.order_by("pk").values_list("pk", "status", "version")),
        list(ShareLink.objects.order_by("pk").values_list("pk", "label", "revoked_at")),
    )


def counts():
    return (
        sum(Edition.objects.values_list("download_count", flat=True)),
        list(
            ShareLink.objects.order_by("pk").values_list(
                "download_count", "odt_download_count", "docx_download_count"
            )
        ),
    )


@pytest.mark.parametrize(("page", "role", "expected"), access_cases(EXPECTED))
def test_page_access(client, world, page, role, expected):
    """Signed-out visitors of the edition's URLs go to the login page; the
    working group gets a draft's file, made now; every signed-in person gets
    a published edition's, the kept file with its SHA-256, and the download
    is counted; a share link gives the file to anyone while it is active,
    counted on the link for its format, and a page saying it is gone after."""
    before, counted = database_state(), counts()
    fmt = PAGES[page].url_name.rsplit(":", 1)[1]

    url, response = request(client, world, role, PAGES[page])

    if expected == F:
        assert response.status_code == 200
        assert response["Content-Type"] == formats.CONTENT_TYPES[fmt]
        assert response["Content-Disposition"].startswith("attachment;")
        data = b"".join(response.streaming_content)
        kept = EditionFile.objects.get(
            edition=world.format_editions["published"], format=fmt
        )
        assert hashlib.sha256(data).hexdigest() == kept.sha256
        assert response["X-Content-SHA256"] == kept.sha256
        assert database_state() == before
        signed_in, links = counts()
        if PAGES[page].url_name.startswith("share:"):
            assert signed_in == counted[0]
            index = list(world.format_links).index("active")
            total, odt, docx = counted[1][index]
            expected_row = (
                total + 1,
                odt + (fmt == "odt"),
                docx + (fmt == "docx"),
            )
            assert links[index] == expected_row
        else:
            assert (signed_in, links) == (counted[0] + 1, counted[1])
        return
    if expected == Y:
        assert response.status_code == 200
        assert response["Content-Type"] == formats.CONTENT_TYPES[fmt]
        assert "brouillon" in response["Content-Disposition"]
        assert_no_inline_code(response)
        assert counts() == counted
        assert database_state() == before
        return
    assert counts() == counted
    assert_outcome(response, url, world, PAGES[page], expected, database_state, before)


def test_a_published_edition_s_files_are_made_once(client, world):
    """Asked twice, a published edition's ODT is the same file, byte for
    byte: made on the first request, kept with its SHA-256."""
    client.force_login(world.people["member"])
    published = world.format_editions["published"]
    url = f"{published.get_absolute_url()}odt/"

    first = b"".join(client.get(url).streaming_content)
    second = b"".join(client.get(url).streaming_content)

    assert first == second
    assert EditionFile.objects.filter(edition=published, format="odt").count() == 1


def test_the_share_page_offers_the_three_formats(client, world):
    link = world.format_links["active"]

    html = client.get(link.get_absolute_url()).content.decode()

    for fmt in formats.FORMATS:
        assert f"{link.get_absolute_url()}{fmt}/" in html


def test_the_edition_page_offers_both_files(client, world):
    client.force_login(world.people["partner"])
    published = world.format_editions["published"]

    html = client.get(published.get_absolute_url()).content.decode()

    assert f"{published.get_absolute_url()}odt/" in html
    assert f"{published.get_absolute_url()}docx/" in html

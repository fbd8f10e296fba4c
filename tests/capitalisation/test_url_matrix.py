"""The URL × role matrix of the capitalisation app: see tests/matrix.py.

The sheets are ``member``'s, one in each status, for their landlord (the OPAC
of the world, whose staff are also ``other_member``, ``landlord_referent`` and
``other_coanimator``), plus a draft of the commission delegate's landlord
(``theirs``). Who does what (capitalisation/rules.py):

- every signed-in person reads the library and the published sheets;
- a sheet not yet published is read by its author, the staff of its
  organisation and the secretariat;
- landlord staff (not partners, not the Saint-Étienne Métropole co-animator,
  not people without an organisation) and the secretariat write sheets;
- the author edits and sends for review a draft or a returned sheet; the
  secretariat edits a sheet awaiting review or published, publishes it or
  returns it with a comment.

A superuser holds every permission (Django's ModelBackend): the services still
refuse what the state forbids (publishing a draft: back with an error).
"""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from capitalisation.models import ExperienceSheet
from people.models import Territory
from tests.matrix import (
    CONFIRMED,
    NO_SUCH_ID,
    C,
    D,
    E,
    L,
    Missing,
    N,
    Page,
    R,
    W,
    Y,
    access_cases,
    assert_csrf_refused,
    assert_no_inline_code,
    assert_outcome,
    csrf_cases,
    request,
)

from .factories import ExperienceSheetFactory

S = ExperienceSheet.Status


def on(name):
    return lambda world: {"pk": world.sheets[name].pk}


def sheet_page(name):
    return lambda world: world.sheets[name].get_absolute_url()


def review_queue(world):
    return reverse("capitalisation:review_queue")


def newest_sheet(world):
    return ExperienceSheet.objects.latest("pk").get_absolute_url()


def form(name=None, **changes):
    """The sheet form: a new sheet, or sheet ``name`` as it is, with changes."""

    def data(world):
        sheet = world.sheets.get(name)
        values = {
            "title": "Médiation de nuit à Rive-de-Gier",
            "summary": "Des médiateurs le soir dans les halls.",
            "axis": world.ours.axis.pk,
            "what_was_done": "- Tournées de 18 h à minuit.",
            "organisation": world.people["member"].organisation_id,
            "territories": [world.site.pk],
        }
        if sheet is not None:
            values = {
                "title": sheet.title,
                "summary": sheet.summary,
                "axis": sheet.axis_id,
                "what_was_done": sheet.what_was_done,
                "results": sheet.results,
                "lessons": sheet.lessons,
                "period": sheet.period,
                "organisation": sheet.organisation_id,
                "contact_name": sheet.contact_name,
                "contact_email": sheet.contact_email,
                "base_version": sheet.version,
            }
        values.update(changes)
        if callable(values.get("base_version")):
            values["base_version"] = values["base_version"](sheet)
        return values

    return data


PAGES = {
    "library": Page("capitalisation:library"),
    "library, search": Page(
        "capitalisation:library", data={"q": "médiation", "page": "2"}
    ),
    "library, filtered": Page(
        "capitalisation:library",
        data=lambda w: {"territory": w.site.parent_id, "axis": w.ours.axis.pk},
    ),
    # A wrong value: the error next to its filter, the other filters applied.
    "library, wrong filter": Page(
        "capitalisation:library", data={"axis": NO_SUCH_ID, "organisation": "x"}
    ),
    "my sheets": Page("capitalisation:mine"),
    "review queue": Page("capitalisation:review_queue"),
    "create": Page("capitalisation:create"),
    "create, save": Page(
        "capitalisation:create", method="post", data=form(), done=newest_sheet
    ),
    # Nothing saved, the form again with the errors next to the fields.
    "create, invalid": Page(
        "capitalisation:create",
        method="post",
        data=form(title="", contact_email="pas une adresse"),
    ),
    **{
        f"{status} sheet": Page("capitalisation:detail", on(status))
        for status in S.values
    },
    "their draft": Page("capitalisation:detail", on("theirs")),
    "sheet, missing": Page("capitalisation:detail", lambda w: {"pk": NO_SUCH_ID}),
    **{
        f"{status} sheet, edit": Page("capitalisation:update", on(status))
        for status in S.values
    },
    "draft sheet, save": Page(
        "capitalisation:update",
        on(S.DRAFT),
        method="post",
        data=form(S.DRAFT, title="Titre retravaillé"),
        done=sheet_page(S.DRAFT),
    ),
    # Saved by someone else since this form was opened: 409, the text kept.
    "draft sheet, save an old version": Page(
        "capitalisation:update",
        on(S.DRAFT),
        method="post",
        data=form(
            S.DRAFT, title="Titre retravaillé", base_version=lambda s: s.version - 1
        ),
    ),
    "draft sheet, save invalid": Page(
        "capitalisation:update",
        on(S.DRAFT),
        method="post",
        data=form(S.DRAFT, summary=""),
    ),
    "submitted sheet, save": Page(
        "capitalisation:update",
        on(S.SUBMITTED),
        method="post",
        data=form(S.SUBMITTED, title="Titre corrigé par le secrétariat"),
        done=sheet_page(S.SUBMITTED),
    ),
    "published sheet, save": Page(
        "capitalisation:update",
        on(S.PUBLISHED),
        method="post",
        data=form(S.PUBLISHED, title="Titre corrigé après publication"),
        done=sheet_page(S.PUBLISHED),
    ),
    "sheet edit, missing": Page("capitalisation:update", lambda w: {"pk": NO_SUCH_ID}),
    "draft sheet, submit": Page(
        "capitalisation:submit", on(S.DRAFT), method="post", done=sheet_page(S.DRAFT)
    ),
    "returned sheet, submit": Page(
        "capitalisation:submit",
        on(S.RETURNED),
        method="post",
        done=sheet_page(S.RETURNED),
    ),
    "submitted sheet, submit": Page(
        "capitalisation:submit",
        on(S.SUBMITTED),
        method="post",
        done=sheet_page(S.SUBMITTED),
    ),
    "sheet submit, read": Page("capitalisation:submit", on(S.DRAFT)),
    "sheet submit, missing": Page(
        "capitalisation:submit", lambda w: {"pk": NO_SUCH_ID}, method="post"
    ),
    "submitted sheet, publish": Page(
        "capitalisation:publish",
        on(S.SUBMITTED),
        method="post",
        data=CONFIRMED,
        done=sheet_page(S.SUBMITTED),
    ),
    "submitted sheet, publish unconfirmed": Page(
        "capitalisation:publish", on(S.SUBMITTED), method="post"
    ),
    "draft sheet, publish": Page(
        "capitalisation:publish",
        on(S.DRAFT),
        method="post",
        data=CONFIRMED,
        done=sheet_page(S.DRAFT),
    ),
    "sheet publish, read": Page("capitalisation:publish", on(S.SUBMITTED)),
    "sheet publish, missing": Page(
        "capitalisation:publish", lambda w: {"pk": NO_SUCH_ID}, method="post"
    ),
    "submitted sheet, return": Page(
        "capitalisation:return",
        on(S.SUBMITTED),
        method="post",
        data={"comment": "Ajouter les résultats chiffrés."},
        done=review_queue,
    ),
    # No comment: the sheet again with the error next to the comment (400).
    "submitted sheet, return without comment": Page(
        "capitalisation:return",
        on(S.SUBMITTED),
        method="post",
        data={"comment": "   "},
    ),
    "published sheet, return": Page(
        "capitalisation:return",
        on(S.PUBLISHED),
        method="post",
        data={"comment": "Trop tard."},
        done=sheet_page(S.PUBLISHED),
    ),
    "sheet return, read": Page("capitalisation:return", on(S.SUBMITTED)),
    "sheet return, missing": Page(
        "capitalisation:return",
        lambda w: {"pk": NO_SUCH_ID},
        method="post",
        data={"comment": "Préciser."},
    ),
}

# fmt: off
# anonymous, member, other_member, landlord_referent, public_coanimator,
# other_coanimator, commission, secretariat, partner, plain, superuser
EVERYONE = (L,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y)
WRITERS = (L,  Y,  Y,  Y,  D,  Y,  Y,  Y,  D,  D,  Y)
WRITERS_SAVE = (L,  R,  R,  R,  D,  R,  R,  R,  D,  D,  R)
# The author, their colleagues of the same landlord, the secretariat.
READ_UNPUBLISHED = (L,  Y,  Y,  Y,  D,  Y,  D,  Y,  D,  D,  Y)
SECRETARIAT = (L,  D,  D,  D,  D,  D,  D,  Y,  D,  D,  Y)
AUTHOR = (L,  Y,  D,  D,  D,  D,  D,  D,  D,  D,  Y)
AUTHOR_SAVES = (L,  R,  D,  D,  D,  D,  D,  D,  D,  D,  R)
SECRETARIAT_SAVES = (L,  C,  D,  D,  D,  D,  D,  R,  D,  D,  R)
# An id that does not exist: asked once, as the superuser (see tests/matrix.py).
MISSING = Missing()
EXPECTED = {
    #                                an  me  ot  re  pu  oc  co  se  pa  pl  su
    "library":                      EVERYONE,
    "library, search":              EVERYONE,
    "library, filtered":            EVERYONE,
    "library, wrong filter":        EVERYONE,
    "my sheets":                    WRITERS,
    "review queue":                 SECRETARIAT,
    "create":                       WRITERS,
    "create, save":                 WRITERS_SAVE,
    "create, invalid":              WRITERS,
    "draft sheet":                  READ_UNPUBLISHED,
    "submitted sheet":              READ_UNPUBLISHED,
    "published sheet":              EVERYONE,
    "returned sheet":               READ_UNPUBLISHED,
    "their draft":                  (L,  D,  D,  D,  D,  D,  Y,  Y,  D,  D,  Y),
    "sheet, missing":               MISSING,
    "draft sheet, edit":            AUTHOR,
    "submitted sheet, edit":        SECRETARIAT,
    "published sheet, edit":        SECRETARIAT,
    "returned sheet, edit":         AUTHOR,
    "draft sheet, save":            AUTHOR_SAVES,
    "draft sheet, save an old version": (L,  C,  D,  D,  D,  D,  D,  D,  D,  D,  C),
    "draft sheet, save invalid":    AUTHOR,
    # The author is told, with their text kept, that it is no longer theirs
    # to edit; the secretariat saves.
    "submitted sheet, save":        SECRETARIAT_SAVES,
    "published sheet, save":        SECRETARIAT_SAVES,
    "sheet edit, missing":          MISSING,
    "draft sheet, submit":          AUTHOR_SAVES,
    "returned sheet, submit":       AUTHOR_SAVES,
    "submitted sheet, submit":      (L,  D,  D,  D,  D,  D,  D,  D,  D,  D,  E),
    "sheet submit, read":           (L,  N,  D,  D,  D,  D,  D,  D,  D,  D,  N),
    "sheet submit, missing":        MISSING,
    "submitted sheet, publish":     (L,  D,  D,  D,  D,  D,  D,  R,  D,  D,  R),
    "submitted sheet, publish unconfirmed": SECRETARIAT,
    # Not waiting for review (returned meanwhile, say): whoever reads the
    # sheet is sent to it with the reason.
    "draft sheet, publish":         (L,  W,  W,  W,  D,  W,  D,  W,  D,  D,  W),
    "sheet publish, read":          SECRETARIAT,
    "sheet publish, missing":       MISSING,
    "submitted sheet, return":      (L,  D,  D,  D,  D,  D,  D,  R,  D,  D,  R),
    "submitted sheet, return without comment":
                                    (L,  D,  D,  D,  D,  D,  D,  400, D,  D,  400),
    "published sheet, return":      (L,  D,  D,  D,  D,  D,  D,  D,  D,  D,  E),
    "sheet return, read":           (L,  D,  D,  D,  D,  D,  D,  N,  D,  D,  N),
    "sheet return, missing":        MISSING,
}
# fmt: on

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world(world, django_db_blocker):
    """The shared world plus ``member``'s sheets, one per status, and a draft
    of the commission delegate's landlord; ``site`` is a neighbourhood of the
    world's commune."""
    member, delegate = world.people["member"], world.people["commission"]
    with django_db_blocker.unblock():
        world.site = Territory.objects.get(slug="grand-pont")
        world.sheets = {
            status: ExperienceSheetFactory(
                title=f"Fiche {status} du bailleur",
                author=member,
                axis=world.ours.axis,
                status=status,
                territories=[world.site],
                proposals=[world.proposals["validated"]],
            )
            for status in S.values
        }
        world.sheets["theirs"] = ExperienceSheetFactory(
            title="Brouillon d’un autre bailleur", author=delegate
        )
    return world


def database_state():
    """What the pages of this matrix can change, in a comparable form."""
    return (
        list(
            ExperienceSheet.objects.order_by("pk").values_list(
                "pk",
                "status",
                "version",
                "title",
                "summary",
                "review_comment",
                "reviewed_by_id",
                "published_at",
            )
        ),
        ExperienceSheet.territories.through.objects.count(),
        ExperienceSheet.proposals.through.objects.count(),
        AuditEvent.objects.count(),
    )


@pytest.mark.parametrize(("page", "role", "expected"), access_cases(EXPECTED))
def test_page_access(client, world, page, role, expected):
    """Signed-out visitors are sent to the login page; signed-in people get the
    page, or 403 for what they may not read or do, 404 for a sheet that does
    not exist, 405 for a GET on an action. An allowed POST saves and redirects;
    a POST the service refuses redirects with an error and saves nothing; an
    edit of a sheet saved meanwhile, or no longer in the author's hands, gets
    409 with the text kept; a form with errors saves nothing."""
    before = database_state()

    url, response = request(client, world, role, PAGES[page])

    assert_outcome(response, url, world, PAGES[page], expected, database_state, before)


@pytest.mark.parametrize(("page", "role"), csrf_cases(PAGES, EXPECTED))
def test_every_post_that_saves_needs_its_csrf_token(world, page, role):
    """Each URL of this matrix whose POST saves, sent by a role it saves for
    without the form's CSRF token, is refused with 403 and saves nothing."""
    assert_csrf_refused(world, PAGES[page], role, database_state)


GET_PAGES = [name for name, page in PAGES.items() if page.method == "get"]


@pytest.mark.parametrize("role", ["member", "secretariat"])
@pytest.mark.parametrize("page", GET_PAGES)
def test_no_page_has_inline_code(client, world, page, role):
    """Every GET page of this matrix (or its 403 or 404), as the author and as
    the secretariat see it, keeps to the Content-Security-Policy: no inline
    script, event handler or style."""
    _url, response = request(client, world, role, PAGES[page])

    assert response.status_code in {200, 403, 404, 405}
    assert_no_inline_code(response)


@pytest.mark.parametrize("role", ["public_coanimator", "commission", "partner"])
def test_a_refused_sheet_page_reveals_nothing_of_it(client, world, role):
    """The 403 page of a draft does not show its title."""
    draft = world.sheets[S.DRAFT]
    client.force_login(world.people[role])

    response = client.get(draft.get_absolute_url())

    assert response.status_code == 403
    assert draft.title not in response.content.decode()

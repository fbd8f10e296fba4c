"""The URL × role matrix of the seminaire app: see tests/matrix.py.

Every signed-in person reads the event pages; the guest list, the replies, the
attendance list and the exports (personal data) and every write are the
secretariat's (and a superuser's). A guest's reply page needs no account: its
key is the credential, so every role gets it, and an unknown key is a 404.

The world adds a seminar to come (``event``: a guest from the portal not yet
sent the invitation, one sent and still to reply, one invited by post) and a
past one whose replies are closed (``past``: every guest sent the invitation).
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from referentiel import services as referentiel_services
from seminaire import services
from seminaire import views as seminaire_views
from seminaire.models import Event, Invitation
from tests.cucs_portal.test_security_headers import (
    assert_security_headers,
)
from tests.matrix import (
    NO_SUCH_ID,
    C,
    D,
    Downloaded,
    E,
    L,
    M,
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
    one_render_per_document,
    request,
)

pytestmark = pytest.mark.django_db

F = Downloaded()  # the file (PDF or CSV), nothing changed


def event(world):
    return {"pk": world.event.pk}


def event_page(world):
    return world.event.get_absolute_url()


def guests_part(world):
    return world.event.get_absolute_url() + "#guests"


def on_invitation(name, event_name="event"):
    def kwargs(world):
        return {
            "pk": getattr(world, event_name).pk,
            "invitation_pk": world.invitations[name].pk,
        }

    return kwargs


def reply_kwargs(name):
    return lambda world: {"key": world.invitations[name].key}


def reply_page(name):
    return lambda world: reverse("seminaire:reply", kwargs=reply_kwargs(name)(world))


def latest_event(world):
    return Event.objects.latest("pk").get_absolute_url()


def event_data(world, **changes):
    return {
        "title": "Séminaire de restitution de la déclinaison territoriale",
        "starts_at": "2030-10-25T14:00",
        "ends_at": "2030-10-25T17:00",
        "place": "Salle des fêtes de Firminy",
        "address": "",
        "edition": "",
        "reply_by": "2030-10-18",
        "description": "**14 h** : accueil.",
        **changes,
    }


def invitation_data(world, name="pending", **changes):
    invitation = world.invitations[name]
    return {
        "full_name": invitation.full_name,
        "category": invitation.category,
        "job_title": "Maire adjoint chargé du logement",
        "organisation": invitation.organisation_id or "",
        "email": invitation.email,
        "reply": Invitation.Reply.ATTENDING,
        "reply_comment": "Réponse reçue par téléphone.",
        "version": invitation.version,
        **changes,
    }


PAGES = {
    "event list": Page("seminaire:list"),
    "event create": Page("seminaire:create"),
    "event create, save": Page(
        "seminaire:create", method="post", data=event_data, done=latest_event
    ),
    "event create, invalid": Page(
        "seminaire:create",
        method="post",
        data=lambda w: event_data(w, title=" ", ends_at="2030-10-25T09:00"),
    ),
    "event": Page("seminaire:detail", event),
    "event, filtered": Page(
        "seminaire:detail", event, data={"category": "landlord", "reply": "pending"}
    ),
    "event, bad filter": Page(
        "seminaire:detail", event, data={"category": "ministers"}
    ),
    "event, missing": Page("seminaire:detail", lambda w: {"pk": NO_SUCH_ID}),
    "event update": Page("seminaire:update", event),
    "event update, save": Page(
        "seminaire:update",
        event,
        method="post",
        data=lambda w: event_data(w, version=w.event.version),
        done=event_page,
    ),
    "event update, saved by someone else": Page(
        "seminaire:update",
        event,
        method="post",
        data=lambda w: event_data(w, version=w.event.version - 1),
    ),
    "event update, missing": Page("seminaire:update", lambda w: {"pk": NO_SUCH_ID}),
    "import": Page("seminaire:import", event),
    "import, save": Page(
        "seminaire:import",
        event,
        method="post",
        data={"kinds": ["landlord"]},
        done=guests_part,
    ),
    "import, nobody chosen": Page("seminaire:import", event, method="post"),
    "import, everyone already invited": Page(
        "seminaire:import",
        event,
        method="post",
        data=lambda w: {"people": [w.people["member"].pk]},
        done=guests_part,
    ),
    "import, missing event": Page("seminaire:import", lambda w: {"pk": NO_SUCH_ID}),
    "invitation add": Page("seminaire:invitation_add", event),
    "invitation add, save": Page(
        "seminaire:invitation_add",
        event,
        method="post",
        data={
            "full_name": "Gérard Noisetier",
            "category": "elected",
            "job_title": "Vice-président de Saint-Étienne Métropole",
            "organisation": "",
            "email": "g.noisetier@example.org",
        },
        done=guests_part,
    ),
    "invitation add, address already invited": Page(
        "seminaire:invitation_add",
        event,
        method="post",
        data=lambda w: {
            "full_name": "Homonyme",
            "category": "elected",
            "email": w.invitations["pending"].email.upper(),
        },
    ),
    "invitation update": Page("seminaire:invitation_update", on_invitation("by_post")),
    "invitation update, save": Page(
        "seminaire:invitation_update",
        on_invitation("by_post"),
        method="post",
        data=lambda w: invitation_data(w, "by_post"),
        done=guests_part,
    ),
    "invitation update, saved by someone else": Page(
        "seminaire:invitation_update",
        on_invitation("by_post"),
        method="post",
        data=lambda w: invitation_data(w, "by_post", version=0),
    ),
    "invitation update, of another seminar": Page(
        "seminaire:invitation_update",
        lambda w: {"pk": w.event.pk, "invitation_pk": w.invitations["past"].pk},
    ),
    "invitation update, missing": Page(
        "seminaire:invitation_update",
        lambda w: {"pk": w.event.pk, "invitation_pk": NO_SUCH_ID},
    ),
    "invitation remove": Page(
        "seminaire:invitation_remove",
        on_invitation("pending"),
        method="post",
        done=guests_part,
    ),
    "invitation remove, read": Page(
        "seminaire:invitation_remove", on_invitation("pending")
    ),
    "invitation remove, missing": Page(
        "seminaire:invitation_remove",
        lambda w: {"pk": w.event.pk, "invitation_pk": NO_SUCH_ID},
        method="post",
    ),
    "send": Page("seminaire:send", event, method="post", done=guests_part),
    "send, read": Page("seminaire:send", event),
    "send, replies closed": Page(
        "seminaire:send",
        lambda w: {"pk": w.past.pk},
        method="post",
        done=lambda w: w.past.get_absolute_url() + "#guests",
    ),
    "remind": Page("seminaire:remind", event, method="post", done=guests_part),
    "remind, read": Page("seminaire:remind", event),
    "remind, replies closed": Page(
        "seminaire:remind",
        lambda w: {"pk": w.past.pk},
        method="post",
        done=lambda w: w.past.get_absolute_url() + "#guests",
    ),
    "remind, missing event": Page(
        "seminaire:remind", lambda w: {"pk": NO_SUCH_ID}, method="post"
    ),
    "attendance pdf": Page("seminaire:attendance_pdf", event),
    "attendance pdf, missing event": Page(
        "seminaire:attendance_pdf", lambda w: {"pk": NO_SUCH_ID}
    ),
    "export": Page("seminaire:export", event),
    "export, attendance list": Page(
        "seminaire:export", event, data={"list": "attendance"}
    ),
    "export, missing event": Page("seminaire:export", lambda w: {"pk": NO_SUCH_ID}),
    "export xlsx": Page("seminaire:export_xlsx", event),
    "export ods, attendance list": Page(
        "seminaire:export_ods", event, data={"list": "attendance"}
    ),
    "export xlsx, missing event": Page(
        "seminaire:export_xlsx", lambda w: {"pk": NO_SUCH_ID}
    ),
    "export ods": Page("seminaire:export_ods", event),
    "export ods, missing event": Page(
        "seminaire:export_ods", lambda w: {"pk": NO_SUCH_ID}
    ),
    "reply": Page("seminaire:reply", reply_kwargs("pending")),
    "reply, save": Page(
        "seminaire:reply",
        reply_kwargs("pending"),
        method="post",
        data={"reply": "declined", "comment": "Représentée par mon adjoint."},
        done=reply_page("pending"),
    ),
    "reply, none chosen": Page(
        "seminaire:reply", reply_kwargs("pending"), method="post", data={"comment": "?"}
    ),
    "reply, closed": Page("seminaire:reply", reply_kwargs("past")),
    "reply, closed, save": Page(
        "seminaire:reply",
        reply_kwargs("past"),
        method="post",
        data={"reply": "attending"},
        done=reply_page("past"),
    ),
    "reply, unknown key": Page("seminaire:reply", lambda w: {"key": "inconnue"}),
}

# fmt: off
#                  an  me  ot  re  pu  oc  co  se  pa  pl  su
SIGNED_IN =       (L,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y)
# An id that does not exist: asked once, as the superuser (see tests/matrix.py).
MISSING =         Missing()
# An invitation of another seminar through ours: a 404 too, asked of every role.
ELSEWHERE =       (L,  M,  M,  M,  M,  M,  M,  M,  M,  M,  M)
# The secretariat's pages and actions: everyone else signed in is refused.
SEC =             (L,  D,  D,  D,  D,  D,  D,  Y,  D,  D,  Y)
SEC_SAVES =       (L,  D,  D,  D,  D,  D,  D,  R,  D,  D,  R)
SEC_CONFLICT =    (L,  D,  D,  D,  D,  D,  D,  C,  D,  D,  C)
SEC_NOTHING =     (L,  D,  D,  D,  D,  D,  D,  W,  D,  D,  W)
SEC_REFUSED =     (L,  D,  D,  D,  D,  D,  D,  E,  D,  D,  E)
SEC_POST_ONLY =   (L,  D,  D,  D,  D,  D,  D,  N,  D,  D,  N)
SEC_FILE =        (L,  D,  D,  D,  D,  D,  D,  F,  D,  D,  F)
# The key is the credential: no account needed, whoever is signed in.
KEY =             (Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y)
KEY_SAVES =       (R,  R,  R,  R,  R,  R,  R,  R,  R,  R,  R)
KEY_REFUSED =     (E,  E,  E,  E,  E,  E,  E,  E,  E,  E,  E)
KEY_MISSING =     (M,  M,  M,  M,  M,  M,  M,  M,  M,  M,  M)
# fmt: on
EXPECTED = {
    "event list": SIGNED_IN,
    "event create": SEC,
    "event create, save": SEC_SAVES,
    "event create, invalid": SEC,
    "event": SIGNED_IN,
    "event, filtered": SIGNED_IN,
    "event, bad filter": SIGNED_IN,
    "event, missing": MISSING,
    "event update": SEC,
    "event update, save": SEC_SAVES,
    "event update, saved by someone else": SEC_CONFLICT,
    "event update, missing": MISSING,
    "import": SEC,
    "import, save": SEC_SAVES,
    "import, nobody chosen": SEC,
    "import, everyone already invited": SEC_NOTHING,
    "import, missing event": MISSING,
    "invitation add": SEC,
    "invitation add, save": SEC_SAVES,
    "invitation add, address already invited": SEC,
    "invitation update": SEC,
    "invitation update, save": SEC_SAVES,
    "invitation update, saved by someone else": SEC_CONFLICT,
    "invitation update, of another seminar": ELSEWHERE,
    "invitation update, missing": MISSING,
    "invitation remove": SEC_SAVES,
    "invitation remove, read": SEC_POST_ONLY,
    "invitation remove, missing": MISSING,
    "send": SEC_SAVES,
    "send, read": SEC_POST_ONLY,
    "send, replies closed": SEC_REFUSED,
    "remind": SEC_SAVES,
    "remind, read": SEC_POST_ONLY,
    "remind, replies closed": SEC_REFUSED,
    "remind, missing event": MISSING,
    "attendance pdf": SEC_FILE,
    "attendance pdf, missing event": MISSING,
    "export": SEC_FILE,
    "export, attendance list": SEC_FILE,
    "export, missing event": MISSING,
    "export xlsx": SEC_FILE,
    "export ods, attendance list": SEC_FILE,
    "export xlsx, missing event": MISSING,
    "export ods": SEC_FILE,
    "export ods, missing event": MISSING,
    "reply": KEY,
    "reply, save": KEY_SAVES,
    "reply, none chosen": KEY,
    "reply, closed": KEY,
    "reply, closed, save": KEY_REFUSED,
    "reply, unknown key": KEY_MISSING,
}

# The form again with the error next to the field, nothing saved: a 200.
FORM_PAGES = {
    "event create, invalid",
    "import, nobody chosen",
    "invitation add, address already invited",
    "reply, none chosen",
}


@pytest.fixture(scope="module")
def world(world, django_db_blocker):
    """The shared world, plus a seminar to come presenting a draft edition,
    with three guests, and a past seminar whose replies are closed."""
    secretariat = world.people["secretariat"]
    with django_db_blocker.unblock():
        edition = referentiel_services.edition_create(
            user=secretariat, data={"title": "Référentiel, édition du séminaire"}
        )
        world.event = services.event_create(
            user=secretariat,
            data={
                "title": "Séminaire de présentation du référentiel CUCS",
                "starts_at": timezone.now() + datetime.timedelta(days=30),
                "place": "Musée d’art moderne de Saint-Étienne",
                "edition": edition,
                "description": "**9 h** : accueil des participants.",
            },
        )
        world.past = services.event_create(
            user=secretariat,
            data={
                "title": "Séminaire de lancement des ateliers",
                "starts_at": timezone.now() - datetime.timedelta(days=30),
                "place": "Hôtel de ville de Saint-Étienne",
                "reply_by": timezone.localdate() - datetime.timedelta(days=35),
            },
        )
        services.invitations_import(
            user=secretariat, event=world.event, people=[world.people["member"]]
        )
        sent = services.invitation_add(
            user=secretariat,
            event=world.event,
            data={
                "full_name": "Monique Aubépine",
                "category": "elected",
                "email": "monique.aubepine@example.org",
            },
        )
        Invitation.objects.filter(pk=sent.pk).update(sent_at=timezone.now())
        by_post = services.invitation_add(
            user=secretariat,
            event=world.event,
            data={"full_name": "Robert Genévrier", "category": "elected"},
        )
        past = services.invitation_add(
            user=secretariat,
            event=world.past,
            data={
                "full_name": "Alain Sureau",
                "category": "elected",
                "email": "alain.sureau@example.org",
            },
        )
        Invitation.objects.filter(pk=past.pk).update(sent_at=timezone.now())
        world.invitations = {
            "pending": Invitation.objects.get(event=world.event, user__isnull=False),
            "sent": sent,
            "by_post": by_post,
            "past": past,
        }
    # The same document for another role: rendered once (see tests/matrix.py).
    with one_render_per_document(seminaire_views):
        yield world


def database_state():
    """What the seminar's pages can change, in a comparable form."""
    return (
        list(
            Event.objects.order_by("pk").values_list(
                "pk",
                "title",
                "version",
                "starts_at",
                "ends_at",
                "place",
                "description",
                "edition_id",
                "reply_by",
            )
        ),
        list(
            Invitation.objects.order_by("pk").values_list(
                "pk",
                "event_id",
                "category",
                "full_name",
                "email",
                "job_title",
                "reply",
                "replied_at",
                "reply_comment",
                "sent_at",
                "queued_at",
                "reminded_at",
                "reminder_count",
                "key",
                "version",
            )
        ),
        AuditEvent.objects.count(),
    )


CONTENT_TYPES = {
    "attendance pdf": "application/pdf",
    "export": "text/csv; charset=utf-8",
    "export, attendance list": "text/csv; charset=utf-8",
    "export xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "export ods": "application/vnd.oasis.opendocument.spreadsheet",
    "export ods, attendance list": "application/vnd.oasis.opendocument.spreadsheet",
}
# How each download starts: a PDF, a CSV's BOM, or a zip (XLSX, ODS).
FILE_STARTS = {"application/pdf": b"%PDF", "text/csv; charset=utf-8": b"\xef\xbb\xbf"}


@pytest.mark.parametrize(("page", "role", "expected"), access_cases(EXPECTED))
def test_page_access(client, world, page, role, expected):
    """Signed-out visitors are sent to the login page (the reply page excepted:
    its key is enough); signed-in people get the page, 403 for what is the
    secretariat's, 404 for an id or key that does not exist (or an invitation
    of another seminar), 405 for a GET on a POST-only action, 409 with their
    text kept when someone saved in between. An allowed POST saves and
    redirects; a reply after the reply date is refused with a message; a
    sending after the reply date is refused with a message; an import of
    people all invited already says so and changes nothing. The
    attendance list and the export download whole and change nothing."""
    before = database_state()

    url, response = request(client, world, role, PAGES[page])

    if isinstance(expected, Downloaded):
        assert response.status_code == 200
        assert response["Content-Type"] == CONTENT_TYPES[page]
        data = (
            b"".join(response.streaming_content)
            if response.streaming
            else response.content
        )
        assert data.startswith(FILE_STARTS.get(CONTENT_TYPES[page], b"PK"))
        assert "attachment" in response["Content-Disposition"]
        assert database_state() == before
        return
    assert_outcome(response, url, world, PAGES[page], expected, database_state, before)
    if page in FORM_PAGES and expected == Y:
        assert response.context["form"].errors


@pytest.mark.parametrize(("page", "role"), csrf_cases(PAGES, EXPECTED))
def test_every_post_that_saves_needs_its_csrf_token(world, page, role):
    """Each URL of the matrix whose POST saves something, sent by a role it
    saves for without the form's CSRF token (as a forged page elsewhere would),
    is refused with 403 and saves nothing; the guest's reply form included."""
    assert_csrf_refused(world, PAGES[page], role, database_state)


GET_PAGES = [
    name
    for name, page in PAGES.items()
    if page.method == "get" and name not in CONTENT_TYPES
]


@pytest.mark.parametrize("page", GET_PAGES)
@pytest.mark.parametrize("role", ["secretariat", "anonymous"])
def test_no_page_of_the_seminar_has_inline_code(client, world, page, role):
    """Every page of the seminar, as the secretariat and as a guest without an
    account sees it (the page, or its 403, 404 or 405), keeps to the
    Content-Security-Policy: no inline script, event handler or style."""
    _url, response = request(client, world, role, PAGES[page])

    assert_no_inline_code(response)
    if response.get("Content-Type", "").startswith("text/html"):
        assert_security_headers(response)

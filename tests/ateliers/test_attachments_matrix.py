"""The URL × role matrix of attached files: see tests/matrix.py.

Besides the world, each proposal of ``ours`` has an annex (a PDF), the other
atelier's validated proposal has one, ``ours``'s session has a signed
attendance sheet, and ``theirs`` has a session with a file too. Who does what
(ateliers/rules.py):

- a proposal's annex is downloaded by whoever reads the proposal: a partner
  reads only validated proposals, so never a draft's annexes;
- the proposal's atelier (volunteers and co-animators) attaches and removes
  files while it may edit the proposal (draft, sent back); a superuser passes
  the permission but the service refuses once it is with the commission;
- a session's files are read like the minutes (not by partners) and added or
  removed by the atelier's co-animators and the secretariat.

A file id of another object is a 404 for everyone who may read the object: no
id leaks from one proposal or session to another.
"""

import pytest
from django.urls import reverse

from ateliers.models import Proposal, Session
from audit.models import AuditEvent
from cucs_portal import attachments
from cucs_portal.models import Attachment
from tests import factories as f
from tests.cucs_portal.attachment_files import pdf, upload
from tests.matrix import (
    NO_SUCH_ID,
    D,
    E,
    L,
    M,
    Missing,
    N,
    Page,
    R,
    Y,
    access_cases,
    assert_csrf_refused,
    assert_no_inline_code,
    assert_outcome,
    csrf_cases,
    request,
)

S = Proposal.Status
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64


def on(status):
    return lambda world: {"pk": world.proposals[status].pk}


def on_file(status, name=None):
    def kwargs(world):
        return {
            "pk": world.proposals[status].pk,
            "attachment_pk": world.files[name or status].pk,
        }

    return kwargs


def attachments_part(status):
    return lambda world: world.proposals[status].get_absolute_url() + "#attachments"


def on_session(name="ours", file=None):
    def kwargs(world):
        session = world.atelier_sessions[name]
        values = {"pk": session.atelier_id, "session_pk": session.pk}
        if file:
            values["attachment_pk"] = world.files[file].pk
        return values

    return kwargs


def session_part(world):
    session = world.atelier_sessions["ours"]
    return f"{session.atelier.get_absolute_url()}#session-{session.pk}"


def a_pdf(world):
    return {"file": pdf("Carte des quartiers.pdf")}


def an_executable(world):
    return {"file": upload("carte.pdf", EXECUTABLE, "application/pdf")}


PAGES = {
    **{
        f"{status} proposal, annex": Page(
            "ateliers:proposal_attachment", on_file(status)
        )
        for status in S.values
    },
    "annex of another proposal": Page(
        "ateliers:proposal_attachment", on_file(S.VALIDATED, "theirs")
    ),
    "annex, missing": Page(
        "ateliers:proposal_attachment",
        lambda w: {"pk": w.proposals[S.VALIDATED].pk, "attachment_pk": NO_SUCH_ID},
    ),
    **{
        f"{status} proposal, attach": Page(
            "ateliers:proposal_attachment_add", on(status)
        )
        for status in S.values
    },
    "attach, missing proposal": Page(
        "ateliers:proposal_attachment_add", lambda w: {"pk": NO_SUCH_ID}
    ),
    **{
        f"{status} proposal, attach, save": Page(
            "ateliers:proposal_attachment_add",
            on(status),
            method="post",
            data=a_pdf,
            done=attachments_part(status),
        )
        for status in (S.DRAFT, S.CHANGES_REQUESTED, S.VALIDATED)
    },
    "attach an executable renamed .pdf": Page(
        "ateliers:proposal_attachment_add",
        on(S.DRAFT),
        method="post",
        data=an_executable,
    ),
    **{
        f"{status} proposal, remove": Page(
            "ateliers:proposal_attachment_remove",
            on_file(status),
            method="post",
            done=attachments_part(status),
        )
        for status in (S.DRAFT, S.VALIDATED)
    },
    "remove, read": Page("ateliers:proposal_attachment_remove", on_file(S.DRAFT)),
    "remove an annex of another proposal": Page(
        "ateliers:proposal_attachment_remove",
        on_file(S.VALIDATED, "theirs"),
        method="post",
    ),
    "session file": Page("ateliers:session_attachment", on_session(file="session")),
    "session file, another session's": Page(
        "ateliers:session_attachment", on_session(file="their session")
    ),
    "session file, session of another atelier": Page(
        "ateliers:session_attachment",
        lambda w: {
            "pk": w.ours.pk,
            "session_pk": w.atelier_sessions["theirs"].pk,
            "attachment_pk": w.files["their session"].pk,
        },
    ),
    "session, attach": Page("ateliers:session_attachment_add", on_session()),
    "session, attach, save": Page(
        "ateliers:session_attachment_add",
        on_session(),
        method="post",
        data=a_pdf,
        done=session_part,
    ),
    "session, attach an executable": Page(
        "ateliers:session_attachment_add",
        on_session(),
        method="post",
        data=an_executable,
    ),
    "session, remove": Page(
        "ateliers:session_attachment_remove",
        on_session(file="session"),
        method="post",
        done=session_part,
    ),
    "session, remove, read": Page(
        "ateliers:session_attachment_remove", on_session(file="session")
    ),
    "session, remove another session's": Page(
        "ateliers:session_attachment_remove",
        on_session(file="their session"),
        method="post",
    ),
    "session, missing": Page(
        "ateliers:session_attachment_add",
        lambda w: {"pk": w.ours.pk, "session_pk": NO_SUCH_ID},
    ),
}

# fmt: off
# anonymous, member, other_member, landlord_referent, public_coanimator,
# other_coanimator, commission, secretariat, partner, plain, superuser
# Whoever reads the proposal (tests/test_urls.py, "… proposal"): partners read
# validated proposals only, so never a draft's annexes.
READ = {
    S.DRAFT:             (L,  Y,  D,  Y,  Y,  D,  D,  Y,  D,  D,  Y),
    S.SUBMITTED:         (L,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  D,  D,  Y),
    S.CHANGES_REQUESTED: (L,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  D,  D,  Y),
    S.VALIDATED:         (L,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  D,  Y),
    S.REJECTED:          (L,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  D,  D,  Y),
    S.WITHDRAWN:         (L,  Y,  D,  Y,  Y,  D,  D,  Y,  D,  D,  Y),
}
ATELIER = (L,  Y,  D,  Y,  Y,  D,  D,  D,  D,  D,  Y)
ATELIER_SAVES = (L,  R,  D,  R,  R,  D,  D,  D,  D,  D,  R)
ATELIER_INVALID = (L,  400, D,  400, 400, D,  D,  D,  D,  D,  400)
ATELIER_ACTION_READ = (L,  N,  D,  N,  N,  D,  D,  D,  D,  D,  N)
NOBODY_BUT_SUPERUSER = (L,  D,  D,  D,  D,  D,  D,  D,  D,  D,  Y)
SUPERUSER_REFUSED = (L,  D,  D,  D,  D,  D,  D,  D,  D,  D,  E)
# Another object's file: 404 for whoever may read the object.
ELSEWHERE_READ = (L,  M,  M,  M,  M,  M,  M,  M,  M,  D,  M)
ELSEWHERE_WRITE = (L,  D,  D,  D,  D,  D,  D,  D,  D,  D,  M)
MINUTES = (L,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  D,  Y,  Y)
MINUTES_ELSEWHERE = (L,  M,  M,  M,  M,  M,  M,  M,  D,  M,  M)
MANAGE = (L,  D,  D,  Y,  Y,  D,  D,  Y,  D,  D,  Y)
MANAGE_SAVES = (L,  D,  D,  R,  R,  D,  D,  R,  D,  D,  R)
MANAGE_INVALID = (L,  D,  D,  400, 400, D,  D,  400, D,  D,  400)
MANAGE_ACTION_READ = (L,  D,  D,  N,  N,  D,  D,  N,  D,  D,  N)
MANAGE_ELSEWHERE = (L,  D,  D,  M,  M,  D,  D,  M,  D,  D,  M)
MISSING = Missing()
EXPECTED = {
    **{f"{status} proposal, annex": READ[status] for status in S.values},
    "annex of another proposal": ELSEWHERE_READ,
    "annex, missing": MISSING,
    **{
        f"{status} proposal, attach": (
            ATELIER if status in Proposal.EDITABLE_STATUSES else NOBODY_BUT_SUPERUSER
        )
        for status in S.values
    },
    "attach, missing proposal": MISSING,
    "draft proposal, attach, save": ATELIER_SAVES,
    "changes_requested proposal, attach, save": ATELIER_SAVES,
    "validated proposal, attach, save": SUPERUSER_REFUSED,
    "attach an executable renamed .pdf": ATELIER_INVALID,
    "draft proposal, remove": ATELIER_SAVES,
    "validated proposal, remove": SUPERUSER_REFUSED,
    "remove, read": ATELIER_ACTION_READ,
    "remove an annex of another proposal": ELSEWHERE_WRITE,
    "session file": MINUTES,
    "session file, another session's": MINUTES_ELSEWHERE,
    "session file, session of another atelier": MISSING,
    "session, attach": MANAGE,
    "session, attach, save": MANAGE_SAVES,
    "session, attach an executable": MANAGE_INVALID,
    "session, remove": MANAGE_SAVES,
    "session, remove, read": MANAGE_ACTION_READ,
    "session, remove another session's": MANAGE_ELSEWHERE,
    "session, missing": MISSING,
}
# fmt: on

pytestmark = pytest.mark.django_db


def _attach(obj, user, name):
    checked = attachments.check_upload(pdf(name))
    return attachments.attach(obj=obj, checked=checked, user=user)


@pytest.fixture(scope="module")
def world(world, django_db_blocker):
    """The shared world plus the files of the docstring."""
    member = world.people["member"]
    with django_db_blocker.unblock():
        world.atelier_sessions = {
            "ours": Session.objects.filter(atelier=world.ours).earliest("starts_at"),
            "theirs": f.SessionFactory(atelier=world.theirs),
        }
        world.files = {
            status: _attach(proposal, member, f"Annexe {status}.pdf")
            for status, proposal in world.proposals.items()
        }
        world.files["theirs"] = _attach(
            world.their_proposals[S.VALIDATED], member, "Leur annexe.pdf"
        )
        world.files["session"] = _attach(
            world.atelier_sessions["ours"], member, "Feuille d’émargement signée.pdf"
        )
        world.files["their session"] = _attach(
            world.atelier_sessions["theirs"], member, "Leur feuille.pdf"
        )
    return world


def database_state():
    """What the pages of this matrix can change, in a comparable form."""
    return (
        list(
            Attachment.objects.order_by("pk").values_list(
                "pk", "content_type", "object_id", "original_name"
            )
        ),
        AuditEvent.objects.count(),
    )


def test_every_page_has_its_row():
    from tests.matrix import assert_rows_complete

    assert_rows_complete(PAGES, EXPECTED)


@pytest.mark.parametrize(("page", "role", "expected"), access_cases(EXPECTED))
def test_page_access(client, world, page, role, expected):
    """Signed-out visitors are sent to the login page; signed-in people get the
    file or the form, or 403 for what they may not read or do, 404 for a file
    of another object, 405 for a GET on an action. An allowed POST saves and
    redirects; one the service refuses redirects with an error; a refused file
    gets the form again (400); nothing saved either way."""
    before = database_state()

    url, response = request(client, world, role, PAGES[page])

    assert_outcome(response, url, world, PAGES[page], expected, database_state, before)


@pytest.mark.parametrize(("page", "role"), csrf_cases(PAGES, EXPECTED))
def test_every_post_that_saves_needs_its_csrf_token(world, page, role):
    assert_csrf_refused(world, PAGES[page], role, database_state)


FORM_PAGES = [
    name
    for name, page in PAGES.items()
    if page.method == "get" and page.url_name.endswith("_add")
]


@pytest.mark.parametrize("role", ["member", "public_coanimator"])
@pytest.mark.parametrize("page", FORM_PAGES)
def test_no_form_page_has_inline_code(client, world, page, role):
    _url, response = request(client, world, role, PAGES[page])

    assert response.status_code in {200, 403, 404}
    assert_no_inline_code(response)


@pytest.mark.parametrize("role", ["member", "partner", "public_coanimator"])
def test_pages_showing_files_keep_to_the_csp(client, world, role):
    client.force_login(world.people[role])
    for url in (
        world.proposals[S.VALIDATED].get_absolute_url(),
        world.proposals[S.DRAFT].get_absolute_url(),
        world.ours.get_absolute_url(),
        reverse("ateliers:session_record", kwargs=on_session()(world)),
    ):
        response = client.get(url)
        assert response.status_code in {200, 403}
        assert_no_inline_code(response)

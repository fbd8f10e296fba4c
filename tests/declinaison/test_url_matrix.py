"""The URL × role matrix of the territorial declination: see tests/matrix.py.

Every signed-in person reads the programming, the actions and the exports;
the secretariat and landlord staff (``member``, ``other_member``,
``landlord_referent``, ``other_coanimator`` and the commission's delegate, all
of a landlord) decline a validated proposal of a published edition into
actions; an action is changed and its progress updated by the secretariat, its
creator and the staff of its lead organisation. Action "ours" is led by the
member's landlord (OPAC) and was created by the member; action "sem" is led by
Saint-Étienne Métropole (the public co-animator's organisation) and was created
by the secretariat.
"""

import pytest
from django.urls import reverse

from ateliers.models import Proposal
from audit.models import AuditEvent
from declinaison import views as declinaison_views
from declinaison.models import FundingLine, ProgressNote, SiteAction
from tests.matrix import (
    NO_SUCH_ID,
    C,
    D,
    E,
    L,
    Missing,
    Page,
    R,
    Y,
    access_cases,
    assert_csrf_refused,
    assert_no_inline_code,
    assert_outcome,
    csrf_cases,
    one_render_per_document,
    outcome,
    request,
)

from .support import extend_world, form_data

S = Proposal.Status
B = 400  # the form again, with the error next to the field; nothing saved


class Exported:
    """A download (200, its content type), nothing changed."""

    def __init__(self, content_type: str):
        self.content_type = content_type

    def __eq__(self, other):
        return isinstance(other, Exported) and other.content_type == self.content_type

    def __hash__(self):
        return hash(self.content_type)


CSV = Exported("text/csv; charset=utf-8")
XLSX = Exported("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
ODS = Exported("application/vnd.oasis.opendocument.spreadsheet")
PDF = Exported("application/pdf")
# An id that does not exist: asked once, as the superuser (see tests/matrix.py).
MISSING = Missing()


def territory(slug):
    return lambda world: {"slug": slug}


def action(name):
    return lambda world: {"pk": world.actions[name].pk}


def action_page(name, anchor=""):
    return lambda world: world.actions[name].get_absolute_url() + anchor


def on_proposal(status):
    return lambda world: {"pk": world.proposals[status].pk}


def proposal_page(status):
    return lambda world: world.proposals[status].get_absolute_url()


def missing(world):
    return {"pk": NO_SUCH_ID}


def newest_action(world):
    return SiteAction.objects.order_by("-pk").first().get_absolute_url()


def edit_data(name, **overrides):
    def data(world):
        current = world.actions[name]
        return form_data(
            world,
            edition="",
            title="Titre modifié",
            territory=current.territory_id,
            lead_organisation=current.lead_organisation_id,
            base_version=current.version,
            **overrides,
        )

    return data


def progress_data(name, **overrides):
    def data(world):
        values = {
            "base_version": world.actions[name].version,
            "status": "in_progress",
            "progress": "40",
            "body": "Lancement avec l’amicale des locataires.",
        }
        values.update(overrides)
        return values

    return data


def stale(data_function):
    def data(world):
        values = data_function(world)
        values["base_version"] = 0
        return values

    return data


PAGES = {
    "programming": Page("declinaison:programming"),
    "programming, filtered": Page(
        "declinaison:programming",
        data={"territory": "gier", "status": "planned", "axis": "1"},
    ),
    "programming, wrong filters": Page(
        "declinaison:programming",
        data={"territory": "nowhere", "starts_after": "not a date", "page": "x"},
    ),
    "territory, bassin": Page("declinaison:territory", territory("gier")),
    "territory, commune": Page("declinaison:territory", territory("rive-de-gier")),
    "territory, neighbourhood": Page("declinaison:territory", territory("grand-pont")),
    "territory, missing": Page("declinaison:territory", territory("nowhere")),
    "territory csv": Page("declinaison:territory_csv", territory("gier")),
    "territory csv, missing": Page("declinaison:territory_csv", territory("nowhere")),
    "territory xlsx": Page("declinaison:territory_xlsx", territory("rive-de-gier")),
    "territory ods": Page("declinaison:territory_ods", territory("gier")),
    "territory pdf": Page("declinaison:territory_pdf", territory("grand-pont")),
    "territory pdf, missing": Page("declinaison:territory_pdf", territory("nowhere")),
    "action": Page("declinaison:action_detail", action("ours")),
    "action, missing": Page("declinaison:action_detail", missing),
    "new action": Page("declinaison:action_create", on_proposal(S.VALIDATED)),
    "new action, submitted proposal": Page(
        "declinaison:action_create",
        on_proposal(S.SUBMITTED),
        done=proposal_page(S.SUBMITTED),
    ),
    "new action, proposal in no edition": Page(
        "declinaison:action_create",
        lambda world: {"pk": world.late.pk},
        done=lambda world: world.late.get_absolute_url(),
    ),
    "new action, missing proposal": Page("declinaison:action_create", missing),
    "new action, save": Page(
        "declinaison:action_create",
        on_proposal(S.VALIDATED),
        method="post",
        data=form_data,
        done=newest_action,
    ),
    # The form filled in, not confirmed yet: the confirmation page.
    "new action, save unconfirmed": Page(
        "declinaison:action_create",
        on_proposal(S.VALIDATED),
        method="post",
        data=lambda world: form_data(world, confirmed=""),
    ),
    "new action, ends before it starts": Page(
        "declinaison:action_create",
        on_proposal(S.VALIDATED),
        method="post",
        data=lambda world: form_data(world, ends_on="2007-06-01"),
    ),
    "new action, on a bassin": Page(
        "declinaison:action_create",
        on_proposal(S.VALIDATED),
        method="post",
        data=lambda world: form_data(world, territory=world.ours_bassin_pk),
    ),
    "new action, save on a submitted proposal": Page(
        "declinaison:action_create",
        on_proposal(S.SUBMITTED),
        method="post",
        data=form_data,
        done=proposal_page(S.SUBMITTED),
    ),
    "edit action": Page("declinaison:action_update", action("ours")),
    "edit action, missing": Page("declinaison:action_update", missing),
    "edit action, save": Page(
        "declinaison:action_update",
        action("ours"),
        method="post",
        data=edit_data("ours"),
        done=action_page("ours"),
    ),
    "edit action, negative budget": Page(
        "declinaison:action_update",
        action("ours"),
        method="post",
        data=edit_data("ours", budget="-5"),
    ),
    "edit action, saved by someone else meanwhile": Page(
        "declinaison:action_update",
        action("ours"),
        method="post",
        data=stale(edit_data("ours")),
    ),
    "edit SEM's action": Page("declinaison:action_update", action("sem")),
    "edit SEM's action, save": Page(
        "declinaison:action_update",
        action("sem"),
        method="post",
        data=edit_data("sem"),
        done=action_page("sem"),
    ),
    "progress": Page("declinaison:action_progress", action("ours")),
    "progress, missing": Page("declinaison:action_progress", missing),
    "progress, save": Page(
        "declinaison:action_progress",
        action("ours"),
        method="post",
        data=progress_data("ours"),
        done=action_page("ours", "#progress"),
    ),
    "progress, over 100 %": Page(
        "declinaison:action_progress",
        action("ours"),
        method="post",
        data=progress_data("ours", progress="150"),
    ),
    "progress, saved by someone else meanwhile": Page(
        "declinaison:action_progress",
        action("ours"),
        method="post",
        data=stale(progress_data("ours")),
    ),
    "progress of SEM's action, save": Page(
        "declinaison:action_progress",
        action("sem"),
        method="post",
        data=progress_data("sem"),
        done=action_page("sem", "#progress"),
    ),
}

# Roles, in order: anonymous, member, other_member, landlord_referent,
# public_coanimator, other_coanimator, commission, secretariat, partner, plain,
# superuser.
# fmt: off
EXPECTED = {
    "programming":                          (L, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y),
    "programming, filtered":                (L, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y),
    "programming, wrong filters":           (L, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y),
    "territory, bassin":                    (L, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y),
    "territory, commune":                   (L, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y),
    "territory, neighbourhood":             (L, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y),
    "territory, missing":                   MISSING,
    "territory csv":                        (L, *[CSV] * 10),
    "territory csv, missing":               MISSING,
    "territory xlsx":                       (L, *[XLSX] * 10),
    "territory ods":                        (L, *[ODS] * 10),
    "territory pdf":                        (L, *[PDF] * 10),
    "territory pdf, missing":               MISSING,
    "action":                               (L, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y),
    "action, missing":                      MISSING,
    "new action":                           (L, Y, Y, Y, D, Y, Y, Y, D, D, Y),
    "new action, submitted proposal":       (L, E, E, E, D, E, E, E, D, D, E),
    "new action, proposal in no edition":   (L, E, E, E, D, E, E, E, D, D, E),
    "new action, missing proposal":         MISSING,
    "new action, save":                     (L, R, R, R, D, R, R, R, D, D, R),
    "new action, save unconfirmed":         (L, Y, Y, Y, D, Y, Y, Y, D, D, Y),
    "new action, ends before it starts":    (L, B, B, B, D, B, B, B, D, D, B),
    "new action, on a bassin":              (L, B, B, B, D, B, B, B, D, D, B),
    "new action, save on a submitted proposal": (L, E, E, E, D, E, E, E, D, D, E),
    "edit action":                          (L, Y, Y, Y, D, Y, D, Y, D, D, Y),
    "edit action, missing":                 MISSING,
    "edit action, save":                    (L, R, R, R, D, R, D, R, D, D, R),
    "edit action, negative budget":         (L, B, B, B, D, B, D, B, D, D, B),
    "edit action, saved by someone else meanwhile": (L, C, C, C, D, C, D, C, D, D, C),
    "edit SEM's action":                    (L, D, D, D, Y, D, D, Y, D, D, Y),
    "edit SEM's action, save":              (L, D, D, D, R, D, D, R, D, D, R),
    "progress":                             (L, Y, Y, Y, D, Y, D, Y, D, D, Y),
    "progress, missing":                    MISSING,
    "progress, save":                       (L, R, R, R, D, R, D, R, D, D, R),
    "progress, over 100 %":                 (L, B, B, B, D, B, D, B, D, D, B),
    "progress, saved by someone else meanwhile": (L, C, C, C, D, C, D, C, D, D, C),
    "progress of SEM's action, save":       (L, D, D, D, R, D, D, R, D, D, R),
}
# fmt: on

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world(world, django_db_blocker):
    """The shared world, plus a published edition, a validated proposal in no
    edition and two actions (see tests/declinaison/support.py)."""
    with django_db_blocker.unblock():
        extend_world(world)
        from people.models import Territory

        world.ours_bassin_pk = Territory.objects.get(slug="gier").pk
    # The same document for another role: rendered once (see tests/matrix.py).
    with one_render_per_document(declinaison_views):
        yield world


def database_state():
    """What the pages of this matrix can change, in a comparable form."""
    return (
        list(
            SiteAction.objects.order_by("pk").values_list(
                "pk",
                "title",
                "description",
                "territory_id",
                "lead_organisation_id",
                "starts_on",
                "ends_on",
                "budget",
                "status",
                "progress",
                "version",
            )
        ),
        list(
            SiteAction.partner_organisations.through.objects.order_by("pk").values_list(
                "siteaction_id", "organisation_id"
            )
        ),
        list(
            FundingLine.objects.order_by("pk").values_list(
                "action_id", "source", "amount", "note"
            )
        ),
        list(ProgressNote.objects.order_by("pk").values_list("pk", "body")),
        AuditEvent.objects.count(),
    )


@pytest.mark.parametrize(("page", "role", "expected"), access_cases(EXPECTED))
def test_page_access(client, world, page, role, expected):
    """Signed-out visitors are sent to the login page; signed-in people read
    the programming, the actions and the exports; creating is for the
    secretariat and landlord staff, on a validated proposal of a published
    edition only (otherwise back to the proposal with the reason); changing
    and updating progress are for the secretariat, the creator and the lead
    organisation's staff. A form with a mistake comes back with it (400), a
    save on a version someone else changed meanwhile gets the conflict page
    (409), and neither saves anything. A download changes nothing."""
    before = database_state()

    url, response = request(client, world, role, PAGES[page])

    if isinstance(expected, Exported):
        assert response.status_code == 200
        assert response["Content-Type"] == expected.content_type
        body = (
            b"".join(response.streaming_content)
            if response.streaming
            else response.content
        )
        assert body
        assert database_state() == before
        return
    assert_outcome(response, url, world, PAGES[page], expected, database_state, before)


@pytest.mark.parametrize(("page", "role"), csrf_cases(PAGES, EXPECTED))
def test_every_post_that_saves_needs_its_csrf_token(world, page, role):
    """Each URL of this matrix whose POST saves something, sent by a role it
    saves for without the form's CSRF token, is refused with 403 and saves
    nothing."""
    assert_csrf_refused(world, PAGES[page], role, database_state)


GET_PAGES = [
    name
    for name, page in PAGES.items()
    if page.method == "get"
    and not isinstance(outcome(EXPECTED[name], "secretariat"), Exported)
]


@pytest.mark.parametrize("page", GET_PAGES)
def test_no_page_has_inline_code(client, world, page):
    """Every page of this matrix, as the secretariat gets it, keeps to the
    Content-Security-Policy: no inline script, event handler or style."""
    _url, response = request(client, world, "secretariat", PAGES[page])

    assert_no_inline_code(response)


@pytest.mark.parametrize(
    "page",
    [
        name
        for name, page in PAGES.items()
        if page.method == "post" and outcome(EXPECTED[name], "secretariat") in (B, C)
    ],
)
def test_forms_with_a_mistake_keep_what_was_typed(client, world, page):
    """A refused form (400 or 409) shows the text the person typed."""
    _url, response = request(client, world, "secretariat", PAGES[page])

    typed = PAGES[page].post_data(world)
    text = typed.get("title") or typed.get("body")
    assert text[:10] in response.content.decode()


def test_the_proposal_page_lists_its_actions_on_every_site(client, world):
    """A validated proposal's page shows its actions, with their site and lead
    organisation, and a landlord's staff gets the button to decline it."""
    client.force_login(world.people["member"])

    response = client.get(world.proposals[S.VALIDATED].get_absolute_url())

    html = response.content.decode()
    assert "Grand Pont" in html and "Rive-de-Gier" in html
    assert world.actions["ours"].get_absolute_url() in html
    assert (
        reverse(
            "declinaison:action_create", kwargs={"pk": world.proposals[S.VALIDATED].pk}
        )
        in html
    )


def test_partners_read_the_actions_but_get_no_button(client, world):
    """A partner sees a proposal's actions but no button to decline it."""
    client.force_login(world.people["partner"])

    html = client.get(world.proposals[S.VALIDATED].get_absolute_url()).content.decode()

    assert world.actions["ours"].get_absolute_url() in html
    assert "nouvelle-action" not in html

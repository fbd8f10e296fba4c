"""Declining a proposal into site actions, changing them, recording their
progress; what the programming counts; what the exports hold."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from openpyxl import load_workbook

from ateliers.models import Proposal
from audit.models import AuditEvent
from cucs_portal.records import EditConflict
from declinaison import selectors, services
from declinaison.models import FundingLine, ProgressNote, SiteAction
from people.models import Organisation, Territory
from referentiel import services as referentiel_services

from .support import extend_world, form_data, service_data

S = Proposal.Status
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world(world, django_db_blocker):
    with django_db_blocker.unblock():
        extend_world(world)
    return world


def create(world, proposal=None, edition=None, funding=None, **data):
    return services.action_create(
        proposal=proposal or world.proposals[S.VALIDATED],
        edition=edition or world.editions["published"],
        data=service_data(**data),
        funding=funding or [],
        acting_user=world.people["member"],
    )


# --- Declining ------------------------------------------------------------------


def test_a_validated_proposal_is_declined_into_an_audited_action(world):
    """The action keeps its proposal and edition, starts planned at 0 %, and
    its creation is in the journal."""
    action = create(
        world, funding=[{"source": "gusp", "amount": Decimal("500"), "note": "x"}]
    )

    assert action.proposal == world.proposals[S.VALIDATED]
    assert action.edition == world.editions["published"]
    assert (action.status, action.progress, action.version) == ("planned", 0, 1)
    assert list(action.funding_lines.values_list("source", "amount")) == [
        ("gusp", Decimal("500.00"))
    ]
    event = AuditEvent.for_object(action).get()
    assert (event.action, event.actor) == ("action_create", world.people["member"])


@pytest.mark.parametrize(
    "status", [S.DRAFT, S.SUBMITTED, S.CHANGES_REQUESTED, S.REJECTED, S.WITHDRAWN]
)
def test_only_a_validated_proposal_is_declined(world, status):
    """Any other status is refused with the reason, and nothing is saved."""
    before = SiteAction.objects.count()

    proposal = world.proposals[status]

    with pytest.raises(services.NotDeclinable) as refused:
        create(world, proposal=proposal)

    # In the portal's language (French), with the proposal's status.
    assert "Seule une proposition validée" in refused.value.message
    assert proposal.get_status_display() in refused.value.message
    assert SiteAction.objects.count() == before


def test_a_draft_edition_is_refused(world):
    """Only a published edition's frozen content counts."""
    draft = referentiel_services.edition_create(
        user=world.people["secretariat"], data={"title": "Brouillon"}
    )

    with pytest.raises(services.NotDeclinable):
        create(world, edition=draft)


def test_an_edition_that_does_not_hold_the_proposal_is_refused(world):
    """A proposal validated after the edition was published is not in it."""
    with pytest.raises(services.NotDeclinable) as refused:
        create(world, proposal=world.late)

    assert world.editions["published"].title in refused.value.message
    assert selectors.editions_holding(world.late) == []
    assert selectors.editions_holding(world.proposals[S.VALIDATED]) == [
        world.editions["published"]
    ]


def test_an_action_is_on_a_commune_or_a_neighbourhood_not_a_bassin(world):
    with pytest.raises(ValidationError) as refused:
        create(world, territory=Territory.objects.get(slug="gier"))

    assert "territory" in refused.value.message_dict


def test_an_action_cannot_end_before_it_starts(world):
    with pytest.raises(ValidationError) as refused:
        create(world, ends_on=datetime.date(2007, 6, 1))

    assert "ends_on" in refused.value.message_dict


def test_the_database_refuses_what_the_forms_refuse(world):
    """The constraints hold even for code that skips the services."""
    action = world.actions["ours"]
    for field, value in [("progress", 101), ("status", "lost"), ("budget", -1)]:
        with pytest.raises(IntegrityError), transaction.atomic():
            SiteAction.objects.filter(pk=action.pk).update(**{field: value})
    with pytest.raises(IntegrityError), transaction.atomic():
        SiteAction.objects.filter(pk=action.pk).update(
            ends_on=datetime.date(2007, 1, 1)
        )


def test_the_create_page_preselects_the_latest_edition_holding_the_proposal(
    client, world
):
    """With two published editions, the newer one is chosen by default."""
    secretariat = world.people["secretariat"]
    newer = referentiel_services.edition_publish(
        user=secretariat,
        edition=referentiel_services.edition_create(
            user=secretariat, data={"title": "Édition d’automne"}
        ),
    )
    client.force_login(world.people["member"])

    response = client.get(
        reverse(
            "declinaison:action_create",
            kwargs={"pk": world.proposals[S.VALIDATED].pk},
        )
    )

    form = response.context["form"]
    assert form.initial["edition"] == newer
    assert list(form.fields["edition"].queryset) == [
        newer,
        world.editions["published"],
    ]


# --- Changing --------------------------------------------------------------------


def test_a_change_replaces_the_funding_and_is_audited(world):
    action = world.actions["ours"]

    saved = services.action_update(
        action=action,
        data=service_data(title="Nouveau titre"),
        funding=[
            {"source": "cucs", "amount": Decimal("6000"), "note": ""},
            {"source": "landlord", "amount": Decimal("6000"), "note": "OPAC"},
        ],
        base_version=action.version,
        acting_user=world.people["secretariat"],
    )

    assert (saved.title, saved.version) == ("Nouveau titre", action.version + 1)
    assert FundingLine.objects.filter(action=action).count() == 2
    event = AuditEvent.for_object(action).filter(action="action_change").get()
    assert event.comment == ", ".join(
        [
            str(SiteAction._meta.get_field("title").verbose_name),
            str(FundingLine._meta.verbose_name_plural),
        ]
    )


def test_saving_an_unchanged_action_saves_nothing(world):
    action = world.actions["ours"]
    before = AuditEvent.objects.count()

    saved = services.action_update(
        action=action,
        data=service_data(),
        funding=[{"source": "cucs", "amount": Decimal("8000"), "note": ""}],
        base_version=action.version,
        acting_user=world.people["member"],
    )

    assert saved.version == action.version
    assert AuditEvent.objects.count() == before


def test_the_second_of_two_editors_gets_a_conflict(world):
    """Both opened version 1; the first saves, the second is refused."""
    action = world.actions["ours"]
    services.action_update(
        action=action,
        data=service_data(title="Premier"),
        funding=[],
        base_version=action.version,
        acting_user=world.people["member"],
    )

    with pytest.raises(EditConflict) as conflict:
        services.action_update(
            action=action,
            data=service_data(title="Second"),
            funding=[],
            base_version=action.version,
            acting_user=world.people["landlord_referent"],
        )

    assert conflict.value.current.title == "Premier"
    assert SiteAction.objects.get(pk=action.pk).title == "Premier"


def test_the_conflict_page_keeps_the_typed_text_and_shows_the_saved_one(client, world):
    action = world.actions["ours"]
    services.action_update(
        action=action,
        data=service_data(title="Titre enregistré entre-temps"),
        funding=[],
        base_version=action.version,
        acting_user=world.people["secretariat"],
    )
    client.force_login(world.people["member"])

    response = client.post(
        reverse("declinaison:action_update", kwargs={"pk": action.pk}),
        form_data(world, title="Mon titre tapé", base_version=action.version),
    )

    html = response.content.decode()
    assert response.status_code == 409
    assert "Mon titre tapé" in html
    assert "Titre enregistré entre-temps" in html
    # Saving again goes through: the form now carries the current version.
    assert response.context["form"].data["base_version"] == action.version + 1


# --- Progress ----------------------------------------------------------------------


def progress(world, action=None, **values):
    action = action or world.actions["ours"]
    arguments = {
        "status": "in_progress",
        "progress": 40,
        "body": "Démarrage.",
        "base_version": SiteAction.objects.get(pk=action.pk).version,
        "acting_user": world.people["member"],
    }
    arguments.update(values)
    return services.action_progress(action=action, **arguments)


def test_progress_is_recorded_with_its_note_and_audited(world):
    note = progress(world)

    action = SiteAction.objects.get(pk=world.actions["ours"].pk)
    assert (action.status, action.progress) == ("in_progress", 40)
    assert (note.status, note.progress, note.body) == ("in_progress", 40, "Démarrage.")
    event = AuditEvent.for_object(action).filter(action="action_progress").get()
    assert (event.from_status, event.to_status) == ("planned", "in_progress")


def test_a_done_action_is_at_100_percent(world):
    progress(world, status="done", progress=70)

    assert SiteAction.objects.get(pk=world.actions["ours"].pk).progress == 100


def test_an_update_that_changes_nothing_is_refused(world):
    with pytest.raises(ValidationError):
        progress(world, status="planned", progress=0, body="  ")
    assert not ProgressNote.objects.filter(action=world.actions["ours"]).exists()


def test_a_stale_progress_update_gets_a_conflict(world):
    progress(world)

    with pytest.raises(EditConflict):
        progress(world, base_version=1, progress=60)


# --- Reading: territories, roll-ups, exports ------------------------------------------


def test_a_bassin_holds_its_communes_and_their_neighbourhoods(world):
    gier = Territory.objects.get(slug="gier")
    commune = Territory.objects.get(slug="rive-de-gier")
    quartier = Territory.objects.get(slug="grand-pont")
    ours, sem = world.actions["ours"], world.actions["sem"]

    assert set(SiteAction.objects.in_territory(gier)) == {ours, sem}
    assert set(SiteAction.objects.in_territory(commune)) == {ours, sem}
    assert set(SiteAction.objects.in_territory(quartier)) == {ours}


def test_the_rollups_count_per_status_and_average_progress(world):
    progress(world, action=world.actions["sem"], status="abandoned", progress=20)
    progress(world, action=world.actions["ours"], progress=60)
    actions = selectors.actions_for_listing()

    by_commune = selectors.rollup(actions, "commune")
    by_bassin = selectors.rollup(actions, "bassin")
    by_axis = selectors.rollup(actions, "axis")

    assert [(r.label, r.total) for r in by_commune] == [("Rive-de-Gier", 2)]
    assert [(r.label, r.total) for r in by_bassin] == [("Gier", 2)]
    assert by_axis[0].key == world.ours.axis.number
    row = by_commune[0]
    assert row.counts == {"planned": 0, "in_progress": 1, "done": 0, "abandoned": 1}
    # The abandoned action does not pull the average down.
    assert row.average_progress == 60
    assert row.budget == Decimal("12000")
    # The longest bar fills the chart; its segments follow each other.
    assert [s.status for s in row.segments] == ["in_progress", "abandoned"]
    assert row.segments[1].x == row.segments[0].width
    assert row.segments[0].width + row.segments[1].width == selectors.CHART_WIDTH


@pytest.fixture
def hostile(world):
    """An action whose texts start like spreadsheet formulas."""
    SiteAction.objects.filter(pk=world.actions["ours"].pk).update(
        title='=HYPERLINK("http://evil.example","clic")'
    )
    Organisation.objects.filter(short_name="OPAC").update(short_name="+SUM(A1)")


def test_the_csv_export_is_safe_against_formulas(client, world, hostile):
    client.force_login(world.people["partner"])

    response = client.get(
        reverse("declinaison:territory_csv", kwargs={"slug": "grand-pont"})
    )

    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[1][3] == '\'=HYPERLINK("http://evil.example","clic")'
    assert rows[1][8] == "'+SUM(A1)"
    assert rows[1][10] == "01/07/2007"
    # Budget and funding alike: two decimals, a decimal comma.
    assert (rows[1][14], rows[1][15]) == ("12000,00", "8000,00")


def test_the_xlsx_export_has_text_dates_and_numbers(client, world, hostile):
    """Strings are safe text (never formulas), dates are dates and amounts
    are numbers."""
    client.force_login(world.people["partner"])

    response = client.get(
        reverse("declinaison:territory_xlsx", kwargs={"slug": "grand-pont"})
    )

    sheet = load_workbook(io.BytesIO(response.content)).active
    row = list(sheet[2])
    # Text as typed, stored as text with the quote prefix: never a formula,
    # and no apostrophe shown in the cell.
    assert row[3].data_type == "s"
    assert row[3].value.startswith("=HYPERLINK(")
    assert row[3].quotePrefix
    assert row[8].value == "+SUM(A1)"
    assert row[8].quotePrefix
    assert row[10].value == datetime.datetime(2007, 7, 1)
    assert row[10].is_date
    assert row[14].value == 12000
    assert row[14].data_type == "n"
    assert all(cell.data_type != "f" for line in sheet.iter_rows() for cell in line)


def test_the_pdf_is_a_landscape_programming_of_the_territory(client, world):
    client.force_login(world.people["partner"])

    response = client.get(
        reverse("declinaison:territory_pdf", kwargs={"slug": "rive-de-gier"})
    )

    data = b"".join(response.streaming_content)
    assert response["Content-Type"] == "application/pdf"
    assert data.startswith(b"%PDF")
    assert "programmation-rive-de-gier" in response["Content-Disposition"]

"""Importing people, organisations and seminar guests: the preview is a dry
run (every row with its errors or what will happen, nothing written), the
confirmed import is all or nothing, duplicates are found by e-mail whatever
the capitals and skipped, and the last import of a kind can be undone while
nothing refers to what it created. The journal records imports and undos."""

from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ateliers.models import AtelierMembership
from audit.models import AuditEvent
from cucs_portal.spreadsheets import UNEXPECTED_WRITE
from imports import services
from imports.models import ImportBatch, PendingImport
from imports.verbs import ImportsVerb
from people.models import Organisation, User
from seminaire.models import Invitation
from tests import factories as f
from tests.seminaire.factories import EventFactory, InvitationFactory

from .files import csv_bytes

pytestmark = pytest.mark.django_db

PEOPLE_HEADER = ["Nom", "Prénom", "Courriel", "Organisation", "Fonction"]


def people_file(*rows):
    return csv_bytes([PEOPLE_HEADER, *rows])


@pytest.fixture
def secretariat(client):
    user = f.UserFactory(secretariat=True, username="secretariat-test")
    client.force_login(user)
    return user


@pytest.fixture
def landlord():
    return f.OrganisationFactory(name="Loire Habitat", short_name="LH")


def state():
    """Everything an import or its undo can write."""
    return (
        sorted(User.objects.values_list("pk", flat=True)),
        sorted(Organisation.objects.values_list("pk", flat=True)),
        sorted(Invitation.objects.values_list("pk", flat=True)),
        ImportBatch.objects.filter(undone_at=None).count(),
        AuditEvent.objects.count(),
    )


def upload(client, data, kind="personnes", name="liste.csv", **extra):
    response = client.post(
        reverse("imports:upload", kwargs={"kind": kind}),
        {"file": SimpleUploadedFile(name, data), **extra},
    )
    assert response.status_code == 302, response.context["form"].errors
    pending = PendingImport.objects.get()
    assert response.url == reverse("imports:preview", kwargs={"token": pending.token})
    return pending


def preview(client, pending):
    response = client.get(reverse("imports:preview", kwargs={"token": pending.token}))
    assert response.status_code == 200
    return response


def confirm(client, pending):
    return client.post(reverse("imports:preview", kwargs={"token": pending.token}))


def rows_of(response):
    return {row.line: row for row in response.context["report"].rows}


def test_the_preview_shows_each_row_with_its_errors_and_writes_nothing(
    client, secretariat, landlord
):
    f.UserFactory(email="Deja.La@Example.org")
    before = state()
    pending = upload(
        client,
        people_file(
            [
                "Martin",
                "Jeanne",
                "jeanne.martin@example.org",
                "Loire Habitat",
                "Chargée",
            ],
            ["Durand", "Paul", "pas-une-adresse", "LH", ""],
            ["Petit", "Léa", "deja.la@example.org", "", ""],
            ["N" * 151, "Zoé", "zoe@example.org", "Office inconnu", ""],
            ["Bernard", "Luc", "", "", ""],
        ),
    )
    response = preview(client, pending)

    rows = rows_of(response)
    assert [rows[line].outcome for line in (2, 3, 4, 5, 6)] == [
        "new",
        "invalid",
        "skipped",
        "invalid",
        "invalid",
    ]
    assert rows[3].errors == [
        (_("E-mail"), "Saisissez une adresse de courriel valide.")
    ]
    assert rows[4].note == _("Already in the portal (same e-mail address): skipped.")
    labels = dict(rows[5].errors)
    assert "150" in labels[_("Last name")]
    assert "Office inconnu" in labels[_("Organisation")]
    assert rows[6].errors == [(_("E-mail"), _("The e-mail address is required."))]
    html = response.content.decode()
    assert "Saisissez une adresse de courriel valide." in html
    # With errors, nothing can be confirmed.
    assert 'type="submit"' not in html.split("import-summary")[1].split("<table")[0]
    assert state() == before


def test_confirming_imports_the_rows_all_at_once_and_journals_it(
    client, secretariat, landlord
):
    pending = upload(
        client,
        people_file(
            [
                "Martin",
                "Jeanne",
                "Jeanne.Martin@Example.org",
                "loire habitat",
                "Chargée",
            ],
            ["Durand", "Paul", "paul.durand@example.org", "", ""],
        ),
    )
    assert preview(client, pending).context["report"].new == 2

    response = confirm(client, pending)

    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("imports:index") + f"#import-{batch.pk}"
    jeanne = User.objects.get(email__iexact="Jeanne.Martin@Example.org")
    assert jeanne.username == "jeanne.martin@example.org"
    assert jeanne.organisation == landlord
    assert jeanne.job_title == "Chargée"
    assert not jeanne.has_usable_password()
    assert not (jeanne.is_staff or jeanne.is_secretariat or jeanne.is_superuser)
    assert batch.created_count == 2
    assert batch.created_by == secretariat
    assert batch.object_ids == [
        jeanne.pk,
        User.objects.get(email="paul.durand@example.org").pk,
    ]
    entry = AuditEvent.for_object(batch).get()
    assert entry.action == ImportsVerb.IMPORT
    assert entry.actor == secretariat
    assert "liste.csv" in entry.comment
    assert not PendingImport.objects.exists()


def test_a_refused_row_at_confirmation_writes_nothing(client, secretariat, landlord):
    """The preview was clean, then the organisation named was deleted: the
    confirmation finds the row wrong, and no row at all is written."""
    other = f.OrganisationFactory(name="Bailleur éphémère", short_name="")
    pending = upload(
        client,
        people_file(
            ["Martin", "Jeanne", "jeanne@example.org", "Loire Habitat", ""],
            ["Durand", "Paul", "paul@example.org", "Bailleur éphémère", ""],
        ),
    )
    assert not preview(client, pending).context["report"].has_errors
    other.delete()
    before = state()

    response = confirm(client, pending)

    assert response.status_code == 409
    assert rows_of(response)[3].outcome == "invalid"
    assert state() == before
    assert PendingImport.objects.filter(pk=pending.pk).exists()


def test_a_failure_while_writing_the_rows_takes_them_all_back(client, secretariat):
    """The rows are written a thousand at a time: when the database refuses
    the second thousand, the first is taken back too."""
    rows = [[f"Nom{n}", "P", f"p{n}@example.org", "", ""] for n in range(1500)]
    pending = upload(client, people_file(*rows))
    before = state()
    real_bulk_create = type(User.objects).bulk_create
    calls = []

    def failing_bulk_create(manager, objs, *args, **kwargs):
        calls.append(len(objs))
        if len(calls) == 2:
            raise IntegrityError("disk full")
        return real_bulk_create(manager, objs, *args, **kwargs)

    with mock.patch.object(type(User.objects), "bulk_create", failing_bulk_create):
        response = confirm(client, pending)

    assert calls == [1000, 500]
    assert response.status_code == 409
    assert response.context["report"].errors == [str(UNEXPECTED_WRITE)]
    assert state() == before


def test_duplicates_by_email_are_skipped_whatever_the_capitals(client, secretariat):
    f.UserFactory(email="Existe@Example.ORG")
    pending = upload(
        client,
        people_file(
            ["A", "A", "existe@example.org", "", ""],
            ["B", "B", "Nouveau@Example.org", "", ""],
            ["C", "C", "nouveau@EXAMPLE.org", "", ""],
        ),
    )
    rows = rows_of(preview(client, pending))
    assert [rows[line].outcome for line in (2, 3, 4)] == ["skipped", "new", "skipped"]
    assert rows[4].note == _("Same e-mail address as line %(line)s: skipped.") % {
        "line": 3
    }

    confirm(client, pending)

    batch = ImportBatch.objects.get()
    assert (batch.created_count, batch.skipped_count) == (1, 2)
    assert User.objects.filter(email__iexact="nouveau@example.org").count() == 1


def test_a_file_of_duplicates_only_imports_nothing(client, secretariat):
    f.UserFactory(email="existe@example.org")
    pending = upload(client, people_file(["A", "A", "EXISTE@example.org", "", ""]))
    before = state()
    response = confirm(client, pending)
    assert response.status_code == 409
    assert state() == before


def test_someone_elses_file_is_not_found(client, secretariat):
    pending = upload(client, people_file(["A", "A", "a@example.org", "", ""]))
    client.force_login(f.UserFactory(secretariat=True))
    url = reverse("imports:preview", kwargs={"token": pending.token})
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert not User.objects.filter(email="a@example.org").exists()


def test_a_stale_file_is_not_found(client, secretariat, settings):
    pending = upload(client, people_file(["A", "A", "a@example.org", "", ""]))
    PendingImport.objects.filter(pk=pending.pk).update(
        created_at=timezone.now() - timezone.timedelta(hours=25)
    )
    assert (
        client.get(
            reverse("imports:preview", kwargs={"token": pending.token})
        ).status_code
        == 404
    )


def imported(client, data, kind="personnes", **extra):
    pending = upload(client, data, kind, **extra)
    response = confirm(client, pending)
    assert response.status_code == 302
    return ImportBatch.objects.latest("pk")


def undo(client, batch):
    return client.post(reverse("imports:undo", kwargs={"pk": batch.pk}))


def test_undo_removes_what_the_last_import_created_and_journals_it(client, secretariat):
    f.UserFactory(email="avant@example.org")
    batch = imported(
        client,
        people_file(
            ["A", "A", "a@example.org", "", ""],
            ["B", "B", "avant@example.org", "", ""],
        ),
    )
    users = User.objects.count()

    response = undo(client, batch)

    assert response.status_code == 302
    assert User.objects.count() == users - 1
    assert User.objects.filter(email="avant@example.org").exists()
    batch.refresh_from_db()
    assert batch.is_undone and batch.undone_by == secretariat
    assert list(
        AuditEvent.for_object(batch).order_by("pk").values_list("action", flat=True)
    ) == [ImportsVerb.IMPORT, ImportsVerb.UNDO]
    # Once only.
    before = state()
    undo(client, batch)
    assert state() == before


def test_only_the_last_import_of_a_kind_is_undone(client, secretariat):
    first = imported(client, people_file(["A", "A", "a@example.org", "", ""]))
    imported(client, people_file(["B", "B", "b@example.org", "", ""]))
    before = state()
    undo(client, first)
    assert state() == before


def test_undo_is_refused_as_a_whole_when_a_row_is_referenced(client, secretariat):
    """One imported person joined an atelier, another signed in: nothing is
    removed, and the page says which rows and why."""
    batch = imported(
        client,
        people_file(
            ["A", "Anne", "anne@example.org", "", ""],
            ["B", "Bruno", "bruno@example.org", "", ""],
            ["C", "Chloé", "chloe@example.org", "", ""],
        ),
    )
    anne = User.objects.get(email="anne@example.org")
    f.AtelierMembershipFactory(user=anne)
    User.objects.filter(email="bruno@example.org").update(last_login=timezone.now())
    before = state()

    response = undo(client, batch)

    assert state() == before
    page = client.get(response.url)
    blockers = dict(page.context["blockers"]["rows"])
    assert set(blockers) == {"Anne A", "Bruno B"}
    assert str(AtelierMembership._meta.verbose_name) in blockers["Anne A"]
    assert blockers["Bruno B"] == _("has already signed in to the portal")
    assert "Anne A" in page.content.decode()


def test_organisations_are_imported_by_kind_label_and_undone_unless_used(
    client, secretariat
):
    data = csv_bytes(
        [
            ["Nom", "Sigle", "Type", "Site web"],
            [
                "Office public de l'habitat de Firminy",
                "OPH Firminy",
                "Bailleur social",
                "oph-firminy.fr",
            ],
            ["Ville du Chambon-Feugerolles", "", "commune", ""],
            ["Préfecture de la Loire", "", "Licorne", ""],
        ]
    )
    pending = upload(client, data, "organisations")
    rows = rows_of(preview(client, pending))
    assert rows[4].outcome == "invalid"
    assert _("Kind") in dict(rows[4].errors)

    data = data.replace(b"Licorne", "État".encode())
    batch = imported(client, data, "organisations")

    firminy = Organisation.objects.get(short_name="OPH Firminy")
    assert firminy.kind == Organisation.Kind.LANDLORD
    assert firminy.website == "https://oph-firminy.fr"
    assert Organisation.objects.get(name="Préfecture de la Loire").kind == "state"
    f.UserFactory(organisation=firminy)
    before = state()
    undo(client, batch)
    assert state() == before


@pytest.fixture
def event():
    return EventFactory()


def guests_file(
    *rows, header=("Nom", "Prénom", "Courriel", "Organisation", "Catégorie")
):
    return csv_bytes([list(header), *rows])


def test_guests_are_imported_into_the_seminar_chosen(
    client, secretariat, event, landlord
):
    InvitationFactory(event=event, email="Deja@Invite.org")
    other_event = EventFactory()
    InvitationFactory(event=other_event, email="ailleurs@example.org")
    batch = imported(
        client,
        guests_file(
            ["Martin", "Jeanne", "jeanne@example.org", "Loire Habitat", ""],
            ["Maire", "Pierre", "", "", "Élus"],
            ["Double", "D", "deja@invite.org", "", ""],
            ["Ailleurs", "A", "ailleurs@example.org", "", "partenaire"],
        ),
        "invites",
        event=event.pk,
    )

    assert batch.event == event
    assert (batch.created_count, batch.skipped_count) == (3, 1)
    jeanne = event.invitations.get(email="jeanne@example.org")
    assert jeanne.full_name == "Jeanne Martin"
    assert jeanne.category == Invitation.Category.LANDLORD
    assert jeanne.sent_at is None
    assert event.invitations.get(full_name="Pierre Maire").category == "elected"
    assert event.invitations.get(email="ailleurs@example.org").category == "partner"


def test_a_full_name_column_replaces_the_name_and_first_name(
    client, secretariat, event
):
    imported(
        client,
        guests_file(
            ["Élise Müller", "elise@example.org"], header=("Nom complet", "E-mail")
        ),
        "invites",
        event=event.pk,
    )
    assert event.invitations.get().full_name == "Élise Müller"


def test_undoing_guests_is_refused_once_an_invitation_was_sent(
    client, secretariat, event
):
    batch = imported(
        client,
        guests_file(["Martin", "Jeanne", "jeanne@example.org", "", ""]),
        "invites",
        event=event.pk,
    )
    event.invitations.update(sent_at=timezone.now())
    before = state()
    undo(client, batch)
    assert state() == before
    event.invitations.update(sent_at=None)
    undo(client, batch)
    assert not event.invitations.exists()


def test_the_imports_page_lists_the_batches_in_flat_queries(
    client, secretariat, django_assert_max_num_queries
):
    """Guards against a query per batch listed (its author, its seminar,
    whether it is the last of its kind)."""
    url = reverse("imports:index")
    client.get(url)

    def grow(n):
        for index in range(n):
            ImportBatch.objects.create(
                kind="guests",
                event=EventFactory(),
                filename=f"f{index}.csv",
                created_by=f.UserFactory(),
            )

    grow(2)
    with django_assert_max_num_queries(12) as few:
        assert client.get(url).status_code == 200
    grow(15)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_a_confirmation_sent_twice_imports_once(client, secretariat):
    """Two confirmations of one file (a double click, two tabs) that both
    loaded it: the second finds it imported already (PendingGone, which the
    page says) and writes nothing more."""
    pending = upload(client, people_file(["A", "A", "a@example.org", "", ""]))
    assert confirm(client, pending).status_code == 302
    before = state()
    with pytest.raises(services.PendingGone):
        services.import_confirm(pending=pending, acting_user=secretariat)
    assert state() == before


def test_the_preview_and_the_import_take_the_same_queries_for_5_or_50_rows(
    client, secretariat, landlord
):
    """Guards against a query per row: duplicates, organisations and user
    names are read once per file, and the rows are written in bulk."""

    def run(n, start):
        rows = [
            [f"Nom{i}", "P", f"p{i}@example.org", "Loire Habitat", ""]
            for i in range(start, start + n)
        ]
        pending = upload(client, people_file(*rows))
        with CaptureQueriesContext(connection) as previewed:
            services.preview(pending)
        with CaptureQueriesContext(connection) as imported_:
            services.import_confirm(pending=pending, acting_user=secretariat)
        return len(previewed), len(imported_)

    assert run(5, 0) == run(50, 100)


@pytest.mark.parametrize("value", ["99999999999999999999", "abc", "-1", ""])
def test_the_guests_form_takes_any_seminar_parameter(client, secretariat, value):
    """The seminar chosen beforehand comes from the address: one that is no
    seminar's id is ignored, never an error."""
    response = client.get(
        reverse("imports:upload", kwargs={"kind": "invites"}), {"seminaire": value}
    )
    assert response.status_code == 200


def test_the_guests_form_chooses_the_seminar_of_the_link(client, secretariat, event):
    EventFactory()
    response = client.get(
        reverse("imports:upload", kwargs={"kind": "invites"}), {"seminaire": event.pk}
    )
    assert response.context["form"].initial["event"] == event

"""A person's data (RGPD): the download of everything linked to them
(« Mes données ») and the erasure of their identity by the secretariat, by
anonymisation (cucs_portal/personal_data.py, audit/services.py)."""

import csv
import io
import json
import zipfile
from pathlib import Path

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_otp import devices_for_user

from ateliers.models import Proposal
from audit import services as audit_services
from audit.models import AuditEvent
from audit.verbs import AuditVerb
from capitalisation.models import ExperienceSheet
from cucs_portal import personal_data
from cucs_portal.models import LoginFailure
from people.models import User
from people.rules import can_erase
from referentiel.models import Edition, Rendition
from seminaire.models import Invitation
from tests import factories as f
from tests.capitalisation.factories import ExperienceSheetFactory
from tests.seminaire.factories import EventFactory, InvitationFactory
from tests.two_factor_support import give_device
from tests.world import add_after_seminar_rows

pytestmark = pytest.mark.django_db

NAME = "Élodie Marchand"
EMAIL = "elodie.marchand@opac-loire.example"


@pytest.fixture
def person(world):
    """``member`` of the world, named, with an address, a job title, and their
    name and address in texts all over the database; a published edition
    prints their name."""
    member = User.objects.get(pk=world.people["member"].pk)
    member.first_name, member.last_name = "Élodie", "Marchand"
    member.email, member.job_title = EMAIL, "Chargée de mission GUSP"
    member.save()
    proposal = world.proposals[Proposal.Status.DRAFT]
    Proposal.objects.filter(pk=proposal.pk).update(
        description=f"Contact : {NAME} ({EMAIL}). Relu par Marchand Élodie."
    )
    secretariat = world.people["secretariat"]
    AuditEvent.record(
        actor=secretariat,
        target=member,
        action="person_erase",
        comment=f"Demande écrite de {NAME}.",
    )
    event = EventFactory(created_by=secretariat)
    InvitationFactory(
        event=event, user=member, full_name=NAME, email=EMAIL, job_title="Chargée"
    )
    ExperienceSheetFactory(
        author=world.people["landlord_referent"],
        contact_name=NAME,
        contact_email=EMAIL,
        contact_phone="04 77 00 00 00",
    )
    LogEntry.objects.create(
        user=secretariat,
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(member.pk),
        object_repr=NAME,
        action_flag=ADDITION,
        change_message=json.dumps([{"added": {"name": NAME}}]),
    )
    LoginFailure.objects.create(
        username=member.username, failures=2, last_failure_at=timezone.now()
    )
    draft = f.EditionFactory(introduction=f"Merci à {NAME}.")
    published = f.EditionFactory(title="Référentiel du 10 mai 2007")
    printed = Rendition.objects.create(
        content_hash="1" * 64, content={"authors": [NAME]}
    )
    Rendition.objects.create(content_hash="2" * 64, content={"authors": [NAME]})
    Edition.objects.filter(pk=published.pk).update(
        status="published",
        published_at=timezone.now(),
        snapshot={"authors": [NAME], "contact": EMAIL},
        content_hash="0" * 64,
        rendition=printed,
    )
    member.draft_edition, member.published_edition = draft, published
    return member


# --- The scan of the whole database ----------------------------------------------


def archived_rows() -> dict[str, set[str]]:
    """The rows kept as printed, by table: their primary keys as text."""
    from django.apps import apps

    rows = {}
    for label in personal_data.archives():
        model = apps.get_model(label)
        rows[model._meta.db_table] = {
            str(pk) for pk in personal_data.archived_pks(model)
        }
    return rows


def occurrences(*needles: str) -> list[tuple[str, str, str]]:
    """(table, column, primary key) of every cell of every table of the
    database (raw SQL over the introspected tables, each column cast to text)
    that holds one of ``needles``, as typed or as JSON stores it, whatever the
    case; the archived rows left out."""
    forms = {
        form.lower() for needle in needles for form in personal_data.json_forms(needle)
    }
    archived = archived_rows()
    quote = connection.ops.quote_name
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            columns = [
                column.name
                for column in connection.introspection.get_table_description(
                    cursor, table
                )
            ]
            pk = connection.introspection.get_primary_key_column(cursor, table)
            cast = ", ".join(f"CAST({quote(column)} AS TEXT)" for column in columns)
            cursor.execute(f"SELECT {cast} FROM {quote(table)}")
            for values in cursor.fetchall():
                row = dict(zip(columns, values, strict=True))
                if pk and str(row[pk]) in archived.get(table, ()):
                    continue
                for column, value in row.items():
                    if value and any(form in value.lower() for form in forms):
                        found.append((table, column, row.get(pk)))
    return found


def test_after_an_erasure_the_name_and_address_are_nowhere_but_in_archives(
    world, person
):
    """Every text column of every table is read back: once the person is
    erased, their name and e-mail address appear nowhere, but in the
    published edition, kept as printed. Before, the scan does find them (in
    the account, the journal, a proposal, an invitation, an experience sheet,
    the admin's log, a draft edition)."""
    add_after_seminar_rows(world)
    before = {table for table, _column, _pk in occurrences(NAME, EMAIL)}
    assert {
        "people_user",
        "audit_auditevent",
        "ateliers_proposal",
        "seminaire_invitation",
        "capitalisation_experiencesheet",
        "django_admin_log",
        "referentiel_edition",
        "referentiel_rendition",
    } <= before

    audit_services.person_erase(person=person, acting_user=world.people["secretariat"])

    assert occurrences(NAME, EMAIL) == []
    assert occurrences("Marchand Élodie") == []
    published = Edition.objects.get(pk=person.published_edition.pk)
    assert published.snapshot == {"authors": [NAME], "contact": EMAIL}
    assert published.rendition.content == {"authors": [NAME]}
    draft_pdf = Rendition.objects.get(content_hash="2" * 64)
    assert draft_pdf.content == {"authors": [audit_services.pseudonym(1)]}


def test_the_account_becomes_a_former_participant(world, person):
    """The account stays, under « Ancien participant n° N », without its
    address, job title, password, roles or groups, and cannot sign in; what
    points at it still does."""
    proposal = world.proposals[Proposal.Status.DRAFT]
    erased = audit_services.person_erase(
        person=person, acting_user=world.people["secretariat"]
    )

    erased.refresh_from_db()
    label = audit_services.pseudonym(1)
    assert str(erased) == label
    assert (erased.email, erased.job_title, erased.erasure_number) == ("", "", 1)
    assert erased.username == "ancien-participant-1"
    assert not erased.has_usable_password()
    assert not erased.is_active
    assert not erased.groups.exists()
    assert Proposal.objects.get(pk=proposal.pk).created_by_id == erased.pk
    assert proposal.authors.filter(pk=erased.pk).exists()
    description = Proposal.objects.get(pk=proposal.pk).description
    assert description == f"Contact : {label} ({label}). Relu par {label}."
    invitation = Invitation.objects.get(user=erased)
    assert (invitation.full_name, invitation.email, invitation.job_title) == (
        label,
        "",
        "",
    )
    assert LoginFailure.objects.filter(username="ancien-participant-1").exists()


def test_the_contact_fields_of_a_row_that_names_the_person_are_emptied(world, person):
    """An experience sheet whose contact is the person loses the contact's
    phone too; another contact's phone stays."""
    other = ExperienceSheetFactory(
        author=world.people["landlord_referent"],
        contact_name="Paul Durand",
        contact_phone="04 77 11 11 11",
    )

    audit_services.person_erase(person=person, acting_user=world.people["secretariat"])

    theirs = ExperienceSheet.objects.get(contact_name=audit_services.pseudonym(1))
    assert (theirs.contact_email, theirs.contact_phone) == ("", "")
    other.refresh_from_db()
    assert other.contact_phone == "04 77 11 11 11"


def test_the_journal_records_the_erasure_without_the_erased_data(world, person):
    secretariat = world.people["secretariat"]

    audit_services.person_erase(person=person, acting_user=secretariat)

    entry = AuditEvent.objects.filter(action=AuditVerb.PERSON_ERASE).latest("pk")
    assert (entry.actor_id, entry.target_id) == (secretariat.pk, person.pk)
    assert entry.target_label == audit_services.pseudonym(1)
    assert NAME not in entry.comment and EMAIL not in entry.comment


def test_numbers_follow_the_erasures(world, person):
    """N follows the erasures and never changes."""
    secretariat = world.people["secretariat"]
    first = audit_services.person_erase(person=f.UserFactory(), acting_user=secretariat)
    second = audit_services.person_erase(person=person, acting_user=secretariat)

    assert (first.erasure_number, second.erasure_number) == (1, 2)
    with pytest.raises(audit_services.AlreadyErased):
        audit_services.person_erase(person=first, acting_user=secretariat)
    first.refresh_from_db()
    assert first.erasure_number == 1


# --- Who may erase whom ---------------------------------------------------------


@pytest.mark.parametrize(
    ("actor", "target", "allowed"),
    [
        ("secretariat", "plain", True),
        ("secretariat", "partner", True),
        ("secretariat", "commission", True),
        ("secretariat", "other secretariat", False),
        ("secretariat", "staff", False),
        ("secretariat", "superuser", False),
        ("secretariat", "secretariat", False),
        ("superuser", "other secretariat", True),
        ("superuser", "staff", True),
        ("superuser", "other superuser", False),
        ("superuser", "superuser", False),
        ("member", "plain", False),
        ("partner", "plain", False),
    ],
)
def test_nobody_erases_an_account_as_privileged_as_theirs(
    world, actor, target, allowed
):
    """Only the secretariat erases, and only accounts strictly less
    privileged than theirs: a secretariat member never erases another, nor
    a superuser, nor themselves; a superuser erases a secretariat member but
    not another superuser."""
    people = dict(world.people)
    people["other secretariat"] = f.UserFactory(secretariat=True)
    people["staff"] = f.UserFactory(is_staff=True)
    people["other superuser"] = f.UserFactory(superuser=True)
    acting, erased = people[actor], people[target]

    assert can_erase(acting, erased) is allowed
    if not allowed:
        with pytest.raises(audit_services.ErasureRefused):
            audit_services.person_erase(person=erased, acting_user=acting)
        assert not User.objects.get(pk=erased.pk).is_erased


def test_the_page_says_what_will_happen_then_erases(client, world):
    client.force_login(world.people["secretariat"])
    target = f.UserFactory(first_name="Paul", last_name="Durand")
    url = reverse("audit:person_erase", kwargs={"pk": target.pk})

    page = client.get(url)
    refused = client.post(url, {})
    done = client.post(url, {"confirm": "on"})

    assert page.status_code == 200
    assert "Paul Durand" in page.content.decode()
    assert refused.status_code == 200
    assert not refused.context["form"].is_valid()
    assert (done.status_code, done.url) == (302, url)
    assert User.objects.get(pk=target.pk).is_erased
    assert "Paul Durand" not in client.get(url).content.decode()


# --- The export -------------------------------------------------------------------


def download(client, user) -> zipfile.ZipFile:
    client.force_login(user)
    response = client.get(reverse("people:my_data_download"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(response.content))


def test_the_download_holds_everything_linked_to_the_person(client, world, person):
    """The JSON holds the account (never its password), the proposals they
    wrote and co-wrote, their memberships, the journal's entries by them and
    about them, their invitation (with no reply key); the HTML and one CSV
    per kind of record hold the same."""
    archive = download(client, person)

    data = json.loads(archive.read("donnees.json"))
    records = data["records"]
    account = records["people.user"][0]
    assert account["email"] == EMAIL and account["job_title"]
    assert "password" not in account
    created = {row["id"] for row in records["ateliers.proposal"]}
    assert {p.pk for p in world.proposals.values()} <= created
    coauthored = {row["proposal"] for row in records["ateliers.proposal_authors"]}
    assert world.proposals[Proposal.Status.DRAFT].pk in coauthored
    assert records["ateliers.ateliermembership"]
    about = [
        row for row in records["audit.auditevent"] if row["target_id"] == person.pk
    ]
    assert about and about[0]["comment"] == f"Demande écrite de {NAME}."
    invitation = records["seminaire.invitation"][0]
    assert invitation["full_name"] == NAME
    assert "key" not in invitation and "claimed_by" not in invitation
    assert {"mes-donnees.html", "csv/people.user.csv"} <= set(archive.namelist())
    html = archive.read("mes-donnees.html").decode()
    assert NAME in html and EMAIL in html


def test_the_download_holds_nobody_else_s_account(client, world, person):
    data = json.loads(download(client, person).read("donnees.json"))

    assert [row["id"] for row in data["records"]["people.user"]] == [person.pk]


def test_the_csvs_have_french_headers(client, world, person, settings):
    """The CSV are for a French spreadsheet: « ; », headers in French."""
    archive = download(client, person)

    text = archive.read("csv/people.user.csv").decode("utf-8-sig")
    headers, account = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert "prénom" in headers and "adresse électronique" in headers
    # The organisation reads by its name, not its id.
    assert account[headers.index("organisme")] == str(person.organisation)


def test_the_download_takes_one_query_per_kind_of_record(
    client, world, person, django_assert_max_num_queries
):
    """The rows of a model come in one query, however many there are (no
    query per proposal, comment or journal entry): 5 then 25 more proposals
    cost nothing more."""

    def count():
        client.force_login(person)
        with django_assert_max_num_queries(1000) as queries:
            client.get(reverse("people:my_data_download"))
        return len(queries)

    for n in range(5):
        f.ProposalFactory(atelier=world.ours, created_by=person, number=500 + n)
    few = count()
    for n in range(25):
        proposal = f.ProposalFactory(
            atelier=world.ours, created_by=person, number=600 + n, authors=[person]
        )
        AuditEvent.record(actor=person, target=proposal, action="person_erase")

    assert count() == few


def test_the_admin_s_person_page_links_to_the_erasure(client, world):
    client.force_login(world.people["superuser"])
    target = world.people["plain"]

    html = client.get(
        reverse("admin:people_user_change", kwargs={"object_id": target.pk})
    ).content.decode()

    assert reverse("audit:person_erase", kwargs={"pk": target.pk}) in html


def test_the_admin_links_to_no_erasure_the_person_may_not_make(client, world):
    """A superuser's own page offers no erasure (nor another superuser's)."""
    superuser = world.people["superuser"]
    client.force_login(superuser)

    html = client.get(
        reverse("admin:people_user_change", kwargs={"object_id": superuser.pk})
    ).content.decode()

    assert reverse("audit:person_erase", kwargs={"pk": superuser.pk}) not in html


def test_the_account_menu_links_to_my_data(client, world):
    client.force_login(world.people["member"])

    html = client.get(reverse("dashboard")).content.decode()

    assert reverse("people:my_data") in html


def test_an_erasure_takes_the_same_queries_however_many_texts_name_the_person(
    world, person, django_assert_max_num_queries
):
    """The texts of a model that name the person are found in one query and
    written in one (a bulk update), not one per row: 5 then 30 more
    proposals and journal entries naming them cost nothing more."""

    def erase(target):
        with django_assert_max_num_queries(1000) as queries:
            audit_services.person_erase(
                person=target, acting_user=world.people["secretariat"]
            )
        return len(queries)

    def naming(target, count, start):
        name = target.get_full_name()
        for n in range(count):
            proposal = f.ProposalFactory(
                atelier=world.ours, number=start + n, description=f"Avec {name}."
            )
            AuditEvent.record(
                actor=world.people["secretariat"],
                target=proposal,
                action="person_erase",
                comment=f"Vu avec {name}.",
            )

    few = f.UserFactory(first_name="Paul", last_name="Durand")
    many = f.UserFactory(first_name="Jeanne", last_name="Roux")
    naming(few, 5, 700)
    naming(many, 35, 800)

    assert erase(many) == erase(few)


def test_a_name_of_one_word_is_replaced_only_where_it_is_the_whole_text(world):
    """« Martin » alone is a word of other people's names: a text that is
    exactly it is replaced, « Paul Martin » is not touched."""
    target = f.UserFactory(first_name="", last_name="Martin")
    whole = f.ProposalFactory(atelier=world.ours, number=900, description="Martin")
    other = f.ProposalFactory(
        atelier=world.ours, number=901, description="Avec Paul Martin."
    )

    audit_services.person_erase(person=target, acting_user=world.people["secretariat"])

    label = audit_services.pseudonym(1)
    assert Proposal.objects.get(pk=whole.pk).description == label
    assert Proposal.objects.get(pk=other.pk).description == "Avec Paul Martin."


def test_another_account_with_the_same_address_is_not_in_the_download(
    client, world, person
):
    f.UserFactory(email=EMAIL.upper())

    data = json.loads(download(client, person).read("donnees.json"))

    assert [row["id"] for row in data["records"]["people.user"]] == [person.pk]


def test_an_erasure_removes_a_draft_pdf_s_file_and_makes_it_again(
    world, person, settings, tmp_path, django_capture_on_commit_callbacks
):
    """The draft's PDF on disk still prints the name: once the erasure
    commits its file is gone, and the PDF waits to be made again from the
    rewritten content; the published edition's PDF, an archive, is kept."""
    settings.MEDIA_ROOT = tmp_path
    draft_pdf = Rendition.objects.get(content_hash="2" * 64)
    printed = Rendition.objects.get(content_hash="1" * 64)
    for rendition, name in [(draft_pdf, "draft.pdf"), (printed, "printed.pdf")]:
        rendition.status, rendition.sha256 = Rendition.Status.DONE, "0" * 64
        rendition.file.save(name, ContentFile(f"%PDF {NAME}".encode()))
    draft_file = Path(draft_pdf.file.path)

    with django_capture_on_commit_callbacks(execute=True):
        audit_services.person_erase(
            person=person, acting_user=world.people["secretariat"]
        )

    draft_pdf.refresh_from_db()
    assert not draft_file.exists()
    assert (draft_pdf.file.name, draft_pdf.status) == ("", Rendition.Status.QUEUED)
    printed.refresh_from_db()
    assert printed.status == Rendition.Status.DONE
    assert Path(printed.file.path).read_bytes() == f"%PDF {NAME}".encode()


def test_an_erasure_removes_the_person_s_second_factor(world, person):
    give_device(person)

    audit_services.person_erase(person=person, acting_user=world.people["secretariat"])

    assert list(devices_for_user(person, confirmed=None)) == []

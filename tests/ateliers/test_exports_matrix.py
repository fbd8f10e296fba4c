"""The URL × role matrix of the proposals exports (CSV, XLSX, ODS of the
proposals list): see tests/matrix.py. Whoever reads the list downloads it
(ateliers/rules.py: every signed-in person; what each reads is
``Proposal.objects.visible_to``, tested in tests/ateliers/test_proposal_export.py);
filters that are not valid are refused (400) rather than quietly exporting
everything. A download changes nothing.

The ODS (and XLSX) of the other exports (journal, seminar guests, a
territory's programming) have their rows in the matrices of their pages
(tests/test_urls.py, tests/seminaire/, tests/declinaison/).
"""

import pytest

from ateliers.models import Proposal
from audit.models import AuditEvent
from tests.matrix import L, Page, access_cases, assert_outcome, request

CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODS = "application/vnd.oasis.opendocument.spreadsheet"

PAGES = {
    "proposals csv": Page("ateliers:proposal_export_csv"),
    "proposals xlsx": Page("ateliers:proposal_export_xlsx"),
    "proposals ods": Page("ateliers:proposal_export_ods"),
    "proposals csv, filtered and sorted": Page(
        "ateliers:proposal_export_csv",
        data={"status": "validated", "q": "a", "sort": "priority"},
    ),
    "proposals xlsx, invalid filter": Page(
        "ateliers:proposal_export_xlsx", data={"status": "nonsense"}
    ),
    "proposals ods, invalid filter": Page(
        "ateliers:proposal_export_ods", data={"axis": "not a number"}
    ),
}

# fmt: off
# anonymous, member, other_member, landlord_referent, public_coanimator,
# other_coanimator, commission, secretariat, partner, plain, superuser
EXPECTED = {
    "proposals csv":                      (L, *[CSV] * 10),
    "proposals xlsx":                     (L, *[XLSX] * 10),
    "proposals ods":                      (L, *[ODS] * 10),
    "proposals csv, filtered and sorted": (L, *[CSV] * 10),
    "proposals xlsx, invalid filter":     (L, *[400] * 10),
    "proposals ods, invalid filter":      (L, *[400] * 10),
}
# fmt: on

pytestmark = pytest.mark.django_db


def database_state():
    return (
        list(Proposal.objects.order_by("pk").values_list("pk", "version", "status")),
        AuditEvent.objects.count(),
    )


def test_every_page_has_its_row():
    from tests.matrix import assert_rows_complete

    assert_rows_complete(PAGES, EXPECTED)


@pytest.mark.parametrize(("page", "role", "expected"), access_cases(EXPECTED))
def test_page_access(client, world, page, role, expected):
    """Signed-out visitors are sent to the login page; everyone signed in gets
    the file in the format of the URL, whole (a header row at least); filters
    that are not valid get 400 with a plain message. Nothing changes."""
    before = database_state()

    url, response = request(client, world, role, PAGES[page])

    if isinstance(expected, str):
        assert response.status_code == 200
        assert response["Content-Type"] == expected
        assert response["Content-Disposition"].startswith(
            'attachment; filename="propositions-cucs-'
        )
        body = (
            b"".join(response.streaming_content)
            if response.streaming
            else response.content
        )
        assert body.startswith(b"\xef\xbb\xbf" if expected == CSV else b"PK")
        assert database_state() == before
        return
    assert_outcome(response, url, world, PAGES[page], expected, database_state, before)
    if expected == 400:
        assert response["Content-Type"] == "text/plain; charset=utf-8"

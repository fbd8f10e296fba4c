"""The verbs of the journal are declared by the apps that record them
(audit.verbs): a new verb needs no migration, and the rows written before
stay readable and filterable."""

import ast
import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from ateliers.verbs import AteliersVerb
from audit import verbs
from audit.admin import ActionFilter
from audit.forms import AuditFilterForm
from audit.models import AuditEvent
from commission.models import AxisPosition, ValidationRound
from commission.verbs import CommissionVerb
from tests import factories as f

ROOT = Path(settings.BASE_DIR)
# The apps that record verbs, in the order of INSTALLED_APPS.
APPS = [
    "ateliers",
    "referentiel",
    "commission",
    "audit",
    "seminaire",
    "declinaison",
    "capitalisation",
    "calendars",
    "imports",
]


@pytest.fixture
def secretariat(client, db):
    client.force_login(f.UserFactory(secretariat=True))
    return client


def stored(action: str, **fields) -> AuditEvent:
    """A row as a migration or an older portal left it: written as is, without
    AuditEvent.record() and its check."""
    proposal = f.ProposalFactory(title="Un diagnostic en marchant")
    return AuditEvent.objects.create(
        actor=f.UserFactory(),
        action=action,
        target_type=ContentType.objects.get_for_model(proposal),
        target_id=proposal.pk,
        target_label=str(proposal),
        **fields,
    )


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))


class TestOldRows:
    def test_a_row_written_before_is_listed_under_its_verb(self, secretariat):
        """A stored value keeps its meaning: the journal filters by it and shows
        its label, on the page and in the CSV."""
        old = stored("validate", from_status="submitted", to_status="validated")
        stored("submit")

        response = secretariat.get(reverse("audit:log"), {"action": "validate"})

        assert response.status_code == 200
        assert list(response.context["page_obj"].object_list) == [old]
        html = response.content.decode()
        assert '<td data-label="Action">Validée</td>' in html
        assert old.from_status_label == "Soumise à la commission"
        rows = csv_rows(
            secretariat.get(reverse("audit:export"), {"action": "validate"})
        )
        assert [row[3] for row in rows[1:]] == ["Validée"]

    def test_the_active_filter_reads_as_the_verb_not_its_value(self, secretariat):
        """The filter's verbs sit in groups (one per app): the active filter
        still shows the label people chose, never the stored value."""
        stored("round_open")

        response = secretariat.get(reverse("audit:log"), {"action": "round_open"})

        html = response.content.decode()
        assert "<strong>Tour de validation ouvert</strong>" in html
        assert "<strong>round_open</strong>" not in html

    def test_a_verb_no_app_declares_any_more_shows_as_stored(self, secretariat):
        """An old row whose verb was retired never breaks a page: its raw value
        stands in for the label, in the journal, the CSV and the admin."""
        old = stored("retired_verb")

        assert old.action_label == old.get_action_display() == "retired_verb"
        page = secretariat.get(reverse("audit:log"))
        assert page.status_code == 200
        assert '<td data-label="Action">retired_verb</td>' in page.content.decode()
        rows = csv_rows(secretariat.get(reverse("audit:export")))
        assert [row[3] for row in rows[1:]] == ["retired_verb"]

    def test_the_admin_filters_by_a_retired_verb_too(self, client, db):
        old = stored("retired_verb")
        stored("submit")
        client.force_login(f.UserFactory(is_staff=True, is_superuser=True))
        url = reverse("admin:audit_auditevent_changelist")

        listing = client.get(url)
        filtered = client.get(url, {"action": "retired_verb"})
        detail = client.get(reverse("admin:audit_auditevent_change", args=[old.pk]))

        lookups = dict(listing.context["cl"].filter_specs[0].lookup_choices)
        assert isinstance(listing.context["cl"].filter_specs[0], ActionFilter)
        assert lookups["submit"] == AteliersVerb.SUBMIT.label
        assert lookups["retired_verb"] == "retired_verb"
        assert list(filtered.context["cl"].result_list) == [old]
        assert detail.status_code == 200
        assert "retired_verb" in detail.content.decode()


class TestRecording:
    def test_an_undeclared_verb_is_refused(self, db):
        """A verb no app declared is a programming error: no row is written."""
        proposal = f.ProposalFactory()

        with pytest.raises(ValueError, match="'sumbit' is not an audit verb"):
            AuditEvent.record(actor=None, target=proposal, action="sumbit")

        assert not AuditEvent.objects.exists()

    def test_a_declared_verb_is_recorded_with_its_label(self, db):
        event = AuditEvent.record(
            actor=None, target=f.ProposalFactory(), action=AteliersVerb.SUBMIT
        )

        assert (event.action, event.action_label) == (
            "submit",
            "Soumise à la commission",
        )

    def test_a_position_reads_its_statuses_from_what_commission_registered(self, db):
        """The statuses of a recorded position are the member's positions, not
        the round's statuses (commission.verbs registers their labels)."""
        round_ = ValidationRound.objects.create(
            title="Printemps", opened_by=f.UserFactory()
        )
        event = AuditEvent.record(
            actor=None,
            target=round_,
            action=CommissionVerb.POSITION,
            from_status=AxisPosition.Position.OPPOSE,
            to_status=AxisPosition.Position.APPROVE,
        )

        assert (event.from_status_label, event.to_status_label) == (
            str(AxisPosition.Position.OPPOSE.label),
            str(AxisPosition.Position.APPROVE.label),
        )


class TestRegistry:
    def test_a_verb_declared_twice_stops_the_start_up(self):
        """Values are unique across apps; the refused class leaves nothing
        behind, not even its other verbs."""
        with pytest.raises(
            ImproperlyConfigured, match=r"ateliers\.verbs\.AteliersVerb"
        ):

            class Twice(verbs.Verbs):
                FRESH = "fresh_verb", "Fresh"
                SUBMIT = "submit", "Submitted again"

        assert not verbs.is_registered("fresh_verb")
        assert verbs.label("submit") == AteliersVerb.SUBMIT.label

    def test_a_verb_longer_than_the_column_is_refused(self):
        with pytest.raises(ImproperlyConfigured, match="longer than"):

            class TooLong(verbs.Verbs):
                LONG = "x" * (verbs.MAX_LENGTH + 1), "Long"

    def test_the_filter_offers_every_verb_app_by_app(self):
        """ "All actions" first, then one group per app, under the app's name, in
        the order of INSTALLED_APPS, each with its verbs in the order of their
        declaration (ateliers' submit first)."""
        choices = AuditFilterForm().fields["action"].choices
        assert choices[0][0] == ""
        groups = choices[1:]
        values = [value for _name, group in groups for value, _label in group]

        assert [value for value, _label in groups[0][1][:5]] == [
            "submit",
            "withdraw",
            "validate",
            "request_changes",
            "reject",
        ]
        assert len(values) == len(set(values)) == 65
        owners = [verbs._owners[value].__module__.split(".")[0] for value in values]
        assert list(dict.fromkeys(owners)) == APPS
        assert [str(name) for name, _group in groups] == [
            str(apps.get_app_config(app).verbose_name) for app in APPS
        ]

    def test_a_grouped_verb_filters_the_journal(self, client, db):
        """An optgroup changes nothing to what the form accepts."""
        form = AuditFilterForm(data={"action": "round_open"})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["action"] == "round_open"
        assert not AuditFilterForm(data={"action": "no_such_verb"}).is_valid()

    def test_the_registry_is_complete_once_django_is_set_up(self):
        """In a process that imported no service and no URL (a worker, a shell),
        the journal and the admin still know every verb: audit's ready()
        imports every app's verbs.py."""
        code = (
            "import json, django; django.setup();"
            "from audit import verbs;"
            "print(json.dumps([v for v, _ in verbs.choices()]))"
        )
        done = subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        assert json.loads(done.stdout) == [value for value, _label in verbs.choices()]


def _project_sources():
    skip = {".venv", "node_modules", "migrations", "staticfiles", ".git"}
    for path in sorted(ROOT.rglob("*.py")):
        # This file writes undeclared verbs on purpose.
        if path != Path(__file__) and not skip & set(path.relative_to(ROOT).parts):
            yield path


def test_every_verb_written_in_the_code_is_declared():
    """A verb written as a string (action="...", action__in=[...]) is one an
    app declares, and nothing uses the AuditEvent.Action of before (run
    /work/notes/audit_rewrite.py on code written against it)."""
    undeclared, old_enum = [], []
    for path in _project_sources():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        where = path.relative_to(ROOT)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and node.attr == "Action"
                and isinstance(node.value, ast.Name)
                and node.value.id == "AuditEvent"
            ):
                old_enum.append(f"{where}:{node.lineno}")
            if not (
                isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            ):
                continue
            if node.func.attr in {"add_argument"}:
                continue
            for keyword in node.keywords:
                if keyword.arg not in {"action", "action__in"}:
                    continue
                values = (
                    keyword.value.elts
                    if isinstance(keyword.value, ast.List | ast.Tuple | ast.Set)
                    else [keyword.value]
                )
                for value in values:
                    if (
                        isinstance(value, ast.Constant)
                        and isinstance(value.value, str)
                        and not verbs.is_registered(value.value)
                    ):
                        undeclared.append(f"{where}:{node.lineno} {value.value}")

    assert old_enum == []
    assert undeclared == []

"""`manage.py seed_demo`: the demo data set behind `make run`.

It is idempotent, gives the demo logins of the README, covers every status
(experience sheets included: demo/capitalisation.py), and obeys the model
rules; it refuses to run against a production configuration unless told to
(tests/demo/test_seed_demo_production.py). The README's backup and restore
round trip runs on it too (tests/demo/backup.py).

Seeding takes a while: this module seeds once for all these tests.
"""

from collections import Counter
from io import StringIO

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from ateliers.models import Atelier, AtelierMembership, Proposal
from audit.models import AuditEvent
from axes.models import Axis
from capitalisation.models import ExperienceSheet
from people.models import Organisation, Territory, User

from . import backup

pytestmark = pytest.mark.django_db

DEMO_PASSWORD = "demo-cucs-2007"
S = ExperienceSheet.Status


def role_in_atelier_1(user):
    membership = user.atelier_memberships.filter(atelier__axis__number=1).first()
    return membership and membership.role


# The demo logins and the role each holds, as the README lists them.
DEMO_ROLES = {
    "admin": lambda u: u.is_superuser and u.is_staff,
    "secretariat": lambda u: u.is_secretariat,
    "commission": lambda u: (
        u.is_commission_delegate and u.organisation.is_commission_member
    ),
    "referent": lambda u: role_in_atelier_1(u) == "landlord_referent",
    "animateur": lambda u: role_in_atelier_1(u) == "public_coanimator",
    "membre": lambda u: role_in_atelier_1(u) == "member",
    "partenaire": lambda u: u.is_partner and u.organisation.short_name == "DDE",
}


def seed_demo(*args):
    call_command("seed_demo", *args, stdout=StringIO(), stderr=StringIO())


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models(include_auto_created=True)
    }


def sheet_rows():
    return (
        list(ExperienceSheet.objects.order_by("pk").values_list()),
        ExperienceSheet.territories.through.objects.count(),
        ExperienceSheet.proposals.through.objects.count(),
        AuditEvent.objects.filter(action__startswith="sheet_").count(),
    )


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker) -> dict[str, int]:
    """The demo data, seeded once for the module as a staging server is seeded
    on purpose (DEBUG off, ``--allow-production``; ``make run`` seeds with
    DEBUG on, which ``test_seeding_twice_changes_no_table`` does on top of it).

    Committed, because the backup round trips read it from other processes
    (pg_dump, ``manage.py``). Each test runs in a transaction rolled back after
    it, so tests may change it; the database is emptied at the end of the
    module, as after a transactional test. Returns the row count of every
    table."""
    try:
        with django_db_blocker.unblock(), override_settings(DEBUG=False):
            seed_demo("--allow-production")
            counts = row_counts()
        yield counts
    finally:
        with django_db_blocker.unblock():
            call_command("flush", interactive=False, verbosity=0)


def test_the_demo_runs_without_debug_when_explicitly_allowed(seeded):
    """--allow-production lets a staging server be seeded on purpose: the
    module's seed ran so, with DEBUG off."""
    assert User.objects.filter(username="admin").exists()
    assert Proposal.objects.exists()


def test_seeding_twice_changes_no_table(seeded):
    """`make run` seeds on every start: a second run adds, duplicates and removes
    nothing, and leaves every experience sheet as it was."""
    sheets = sheet_rows()

    with override_settings(DEBUG=True):
        seed_demo()

    assert row_counts() == seeded
    assert sheet_rows() == sheets


def test_the_demo_fills_the_portal(seeded):
    """The six axes with their ateliers, the three bassins and proposals."""
    assert Axis.objects.count() == 6
    assert Atelier.objects.count() == 6
    assert Territory.objects.filter(kind=Territory.Kind.BASSIN).count() == 3
    assert Proposal.objects.exists()


def test_the_demo_fills_what_comes_after_the_seminar(seeded):
    """Every page after the seminar shows something real: the seminar and its
    guests in the four categories, a few hundred site actions over communes and
    neighbourhoods (each last changed no earlier than its latest progress
    note), a few dozen experience sheets, most of them published."""
    from django.db.models import Max

    from capitalisation.models import ExperienceSheet
    from declinaison.models import SiteAction
    from seminaire.models import Event, Invitation

    assert Event.objects.filter(edition__isnull=False).count() == 1
    assert set(Invitation.objects.values_list("category", flat=True)) == {
        "elected",
        "landlord",
        "technician",
        "partner",
    }
    actions = SiteAction.objects.annotate(noted=Max("progress_notes__created_at"))
    assert 200 <= actions.count() <= 400
    assert set(actions.values_list("territory__kind", flat=True)) == {
        "commune",
        "neighbourhood",
    }
    assert all(a.noted is None or a.noted <= a.updated_at for a in actions)
    sheets = ExperienceSheet.objects
    assert 24 <= sheets.count() <= 48
    assert sheets.filter(status="published").count() > sheets.count() / 2


@pytest.mark.parametrize("username", DEMO_ROLES)
def test_the_demo_logins_work(client, seeded, username):
    """Each demo login of the README signs in with the demo password."""
    assert client.login(username=username, password=DEMO_PASSWORD)


@pytest.mark.parametrize("username", DEMO_ROLES)
def test_each_demo_login_holds_its_role(seeded, username):
    """The roles are those the README lists for each login."""
    assert DEMO_ROLES[username](User.objects.get(username=username))


def test_every_proposal_status_appears(seeded):
    """The demo shows drafts, submitted, returned, validated, rejected and
    withdrawn proposals."""
    statuses = set(Proposal.objects.values_list("status", flat=True))

    assert statuses == set(Proposal.Status.values)


def test_each_atelier_has_its_two_coanimators_and_3_to_4_volunteers(seeded):
    """As in 2007: a landlord referent, a commune or SEM co-animator, and three or
    four volunteers from the landlords."""
    for atelier in Atelier.objects.all():
        roles = list(atelier.memberships.values_list("role", flat=True))
        R = AtelierMembership.Role
        assert roles.count(R.LANDLORD_REFERENT) == 1, atelier
        assert roles.count(R.PUBLIC_COANIMATOR) == 1, atelier
        assert 3 <= roles.count(R.MEMBER) <= 4, atelier


def test_the_demo_data_obeys_the_model_rules(seeded):
    """Every demo row passes full_clean(): organisations match roles, enjeux match
    axes, territories sit under the right level."""
    invalid = []
    for model in (Territory, Organisation, User, AtelierMembership, Proposal):
        for obj in model.objects.all():
            try:
                obj.full_clean()
            except ValidationError as error:
                invalid.append(f"{model.__name__} {obj.pk} {obj}: {error}")

    assert invalid == []


def test_the_demo_has_a_few_dozen_sheets_in_every_state(seeded):
    statuses = Counter(ExperienceSheet.objects.values_list("status", flat=True))

    assert 30 <= sum(statuses.values()) <= 40
    assert statuses[S.PUBLISHED] > sum(statuses.values()) / 2
    assert all(statuses[status] for status in S.values)
    assert ExperienceSheet.objects.published().values("axis").distinct().count() == 6


def test_the_demo_logins_have_sheets_to_show(seeded):
    """ "membre" has a draft and a returned sheet; the secretariat has sheets to
    review; the returned ones carry their comment in the journal."""
    mine = set(
        ExperienceSheet.objects.filter(author__username="membre").values_list(
            "status", flat=True
        )
    )
    assert {S.DRAFT, S.RETURNED, S.PUBLISHED} <= mine
    assert ExperienceSheet.objects.filter(status=S.SUBMITTED).exists()
    for sheet in ExperienceSheet.objects.filter(status=S.RETURNED):
        returned = AuditEvent.for_object(sheet).get(action="sheet_return")
        assert returned.comment == sheet.review_comment


def test_the_demo_sheets_obey_the_model_rules(seeded):
    for sheet in ExperienceSheet.objects.all():
        sheet.full_clean()
        assert sheet.author.organisation.kind == "landlord"
        assert sheet.contact_email.endswith("@example.org")


# The backups come last: outside a transaction (SQLite's backup waits for as
# long as its source is in a write transaction; pg_dump reads from another
# session), so pytest-django empties the database after each of them.
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="SQLite backup round trip: the database is not SQLite",
)
def test_sqlite_online_backup_restores_every_row(seeded, tmp_path):
    backup.sqlite_round_trip(tmp_path)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL backup round trip: the database is not PostgreSQL",
)
def test_pg_dump_and_restore_restore_every_row(seeded, tmp_path):
    backup.pg_round_trip(tmp_path)

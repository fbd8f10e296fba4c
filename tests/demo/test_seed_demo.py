"""`manage.py seed_demo`: the demo data set behind `make run`.

It is idempotent, gives the demo logins of the README, covers every status
(experience sheets included: demo/capitalisation.py), and obeys the model
rules; it refuses to run against a production configuration unless told to
(tests/demo/test_seed_demo_production.py). The README's backup and restore
round trip runs on it too (tests/demo/backup.py).

Seeding takes a while: this module seeds once for all these tests.
"""

import base64
import datetime
from collections import Counter
from io import StringIO

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection, models
from django.db.models import Q
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone, translation
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from ateliers.models import Atelier, AtelierMembership, Proposal
from audit.models import AuditEvent
from axes.models import Axis
from capitalisation.models import ExperienceSheet
from commission import decision
from commission.models import AgendaItem, CommissionSession
from demo import data
from demo.two_factor import demo_otp_key
from people.models import Organisation, Territory, User
from referentiel.content import content_of, proposal_index
from referentiel.models import Edition
from referentiel.pdf import render_document_html
from tests.two_factor_support import code_at, current_step

from . import backup

pytestmark = pytest.mark.django_db

DEMO_PASSWORD = "demo-cucs-2007"
DECISION_VERBS = ["validate", "request_changes", "reject"]
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


@pytest.mark.parametrize("username", ["admin", "secretariat"])
def test_the_privileged_demo_logins_sign_in_with_the_demo_code(seeded, username):
    """admin and secretariat must use two-factor authentication: through the
    login form, the demo password and then the code of the published demo
    secret, which ``demo_otp_code`` prints, sign them in."""
    client = Client()
    step = client.post(
        reverse("login"), {"username": username, "password": DEMO_PASSWORD}
    )
    assert step.url == reverse("two_factor:verify")
    out = StringIO()
    call_command("demo_otp_code", username, stdout=out)
    code = out.getvalue().strip()
    assert code == code_at(demo_otp_key(), current_step())

    response = client.post(reverse("two_factor:verify"), {"code": code})

    assert response.url == reverse("dashboard")
    assert client.get(reverse("admin:index")).status_code == 200


def test_the_demo_secret_is_the_published_one_and_printed(seeded):
    """seed_demo prints the logins with the demo secret, as a key to type and
    as otpauth URIs, for the accounts that must use a second factor."""
    device = TOTPDevice.objects.get(user__username="admin")
    assert base64.b32encode(device.bin_key).decode() == data.DEMO_OTP_SECRET
    out = StringIO()
    with override_settings(DEBUG=True):
        call_command("seed_demo", stdout=out, stderr=StringIO())
    printed = out.getvalue()
    assert "Double authentification (admin, secretariat)" in printed
    assert "CUCS DEMO SAIN TETI ENNE METR OPOL E234" in printed
    assert f"secret={data.DEMO_OTP_SECRET}" in printed
    assert "demo_otp_code admin" in printed


def test_demo_otp_code_refuses_any_other_device(seeded):
    """A real account's device (or a demo account set up with a real phone)
    gets no code from the command."""
    real = User.objects.get(username="secretariat")
    TOTPDevice.objects.filter(user=real).update(key=random_hex(20))

    with pytest.raises(CommandError, match="démonstration"):
        call_command("demo_otp_code", "secretariat", stdout=StringIO())
    with pytest.raises(CommandError, match="démonstration"):
        call_command("demo_otp_code", "membre", stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("demo_otp_code", "personne", stdout=StringIO())


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


def test_every_decided_proposal_was_decided_by_a_session_under_the_rule(seeded):
    """Each demo proposal the commission decided is an item of a closed session
    whose tally gives its status under decision.outcome(), with the rule and
    the consolidated comments services.session_close writes; the journal says
    the secretariat recorded it at the session, with those comments."""
    decided = Proposal.objects.filter(
        status__in=["validated", "changes_requested", "rejected"]
    )
    items = {
        item.proposal_id: item
        for item in AgendaItem.objects.filter(
            session__status="closed", proposal__in=decided
        ).select_related("session")
    }
    with translation.override(settings.LANGUAGE_CODE):
        rule = decision.session_rule_text()

    assert set(items) == set(decided.values_list("pk", flat=True))
    for proposal in decided:
        item = items[proposal.pk]
        assert proposal.status == decision.outcome(item.decided_tally()), item
        assert item.outcome == proposal.status
        assert item.decided_from in {"positions", "minutes"}
        assert item.rule == rule
        assert item.quorum_required == decision.quorum_required(item.member_count)
        day = timezone.localdate(item.session.starts_at)
        assert timezone.localdate(proposal.status_changed_at) == day
        event = AuditEvent.for_object(proposal).get(action__in=DECISION_VERBS)
        assert event.actor.username == "secretariat"
        assert event.comment == item.comments_sent
        assert timezone.localdate(event.created_at) == day
        submitted = AuditEvent.for_object(proposal).get(action="submit")
        assert submitted.created_at < event.created_at
    assert {item.decided_from for item in items.values()} == {"positions", "minutes"}
    assert any(item.abstain_count for item in items.values())
    assert not AgendaItem.objects.filter(decided_from="legacy").exists()


def test_the_seminar_edition_holds_the_proposals_validated_by_the_sessions(seeded):
    """The edition of 10 May 2007 holds every validated proposal, each
    « validée par la commission le » the day of the session that validated
    it."""
    edition = Edition.objects.get(title__contains="10 mai 2007")
    frozen = proposal_index(content_of(edition))
    validated = AgendaItem.objects.filter(
        outcome="validated", proposal__isnull=False
    ).select_related("session")

    assert set(frozen) == set(Proposal.objects.validated().values_list("pk", flat=True))
    for item in validated:
        day = timezone.localdate(item.session.starts_at).isoformat()
        assert frozen[item.proposal_id]["validated_at"] == day


def test_the_seminar_edition_is_published_on_the_day_of_the_seminar(client, seeded):
    """« Publiée le 10 mai 2007 » on its page and in its PDF's colophon (the
    content the PDF is made from), not the day of the seed; its journal says
    the same."""
    edition = Edition.objects.get(title__contains="10 mai 2007")
    client.force_login(User.objects.get(username="secretariat"))

    assert timezone.localdate(edition.published_at) == datetime.date(2007, 5, 10)
    assert edition.rendition.content["published_on"] == "2007-05-10"
    page = client.get(edition.get_absolute_url()).content.decode()
    assert "Publiée le 10 mai 2007" in page
    colophon = render_document_html(edition.rendition.content, for_print=True)
    assert "Publiée le 10 mai 2007" in colophon
    published = AuditEvent.for_object(edition).get(action="edition_publish")
    assert published.created_at == edition.published_at


# Models whose dates are not the story's: the seminar's PDF is rendered by the
# worker when it runs (its colophon says when it was produced), from a task
# queued then; a login's session expires in two weeks from now; the demo's
# second factor is put back on each run (a security record, not the story).
MADE_WHEN_RUN = {
    "referentiel.rendition",
    "otp_totp.totpdevice",
    "otp_static.staticdevice",
    "django_tasks_database.dbtaskresult",
    "sessions.session",
}


def test_every_demo_date_fits_its_story(seeded):
    """From the axes validated in December 2006 to the actions of 2008: no
    journal entry, edition, share link, suggestion, invitation or account is
    dated the day of the seed."""
    late = []
    for model in apps.get_models():
        if model._meta.label_lower in MADE_WHEN_RUN:
            continue
        for field in model._meta.concrete_fields:
            if not isinstance(field, (models.DateField, models.DateTimeField)):
                continue
            outside = model._default_manager.filter(
                Q(**{f"{field.name}__year__lt": 2006})
                | Q(**{f"{field.name}__year__gt": 2009})
            )
            if outside.exists():
                late.append(f"{model._meta.label}.{field.name}")

    assert late == []


def test_a_session_is_convened_with_the_submitted_proposals(seeded):
    """The next session has every submitted proposal on its agenda and some
    positions: the demo's delegate has something left to answer, and some
    organisations have not answered yet."""
    session = CommissionSession.objects.get(status="convened")
    members = Organisation.objects.filter(is_commission_member=True).count()
    delegate = User.objects.get(username="commission")
    items = list(session.items.prefetch_related("positions"))

    assert {item.proposal_id for item in items} == set(
        Proposal.objects.filter(status="submitted").values_list("pk", flat=True)
    )
    assert any(item.positions.all() for item in items)
    assert any(len(item.positions.all()) < members for item in items)
    answered = [{p.organisation_id for p in item.positions.all()} for item in items]
    assert any(delegate.organisation_id not in orgs for orgs in answered)
    assert timezone.localtime(session.starts_at).year == 2007


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

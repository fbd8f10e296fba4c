"""Fill the database with the fictional demo data set of demo/data.py.

Idempotent: every row is keyed on a natural key (slug, name, username, axis and
position, atelier and date, atelier and proposal number). Reference rows are brought
back to their demo values only when they differ; proposals are created when missing
and never touched afterwards, so work done in the portal survives a rerun. Nothing
is ever deleted, so ``--size demo`` after ``--size large`` changes nothing.

Randomness is seeded per object (``_rng``) from the fixed seed 2007, so a rerun draws
the same values whether or not the row already exists.
"""

import random
import time
from collections import Counter
from datetime import datetime, timedelta
from itertools import product
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import translation
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from ateliers import services as atelier_services
from ateliers.models import (
    Atelier,
    AtelierMembership,
    Proposal,
    ProposalRevision,
    ProposalSuggestion,
    Session,
)
from ateliers.services import TRACKED_FIELDS, snapshot
from ateliers.verbs import AteliersVerb
from audit.models import AuditEvent
from axes.models import Axis, DiagnosisElement, Enjeu
from commission import decision
from commission.models import (
    AgendaItem,
    AxisDecision,
    AxisPosition,
    CommissionSession,
    ItemPosition,
    ValidationRound,
)
from cucs_portal import two_factor
from demo import capitalisation as demo_capitalisation
from demo import commission_sessions as demo_sessions
from demo import data
from demo import declinaison as demo_declinaison
from demo import seminaire as demo_seminaire
from demo.two_factor import demo_otp_key
from people.models import Organisation, Territory
from referentiel import services as referentiel_services
from referentiel.models import Edition, ShareLink
from referentiel.verbs import ReferentielVerb

User = get_user_model()

SEED = 2007
PARIS = ZoneInfo("Europe/Paris")

# The "large" size: per atelier, as many generated proposals as it takes to reach
# LARGE_VALIDATED_PER_AXIS validated ones, plus one in each other status.
LARGE_VALIDATED_PER_AXIS = 50
OTHER_STATUSES = (
    Proposal.Status.SUBMITTED,
    Proposal.Status.DRAFT,
    Proposal.Status.CHANGES_REQUESTED,
    Proposal.Status.REJECTED,
    Proposal.Status.WITHDRAWN,
)
PRIORITY_WEIGHTS = {
    Proposal.Status.VALIDATED: (4, 5, 1),
    Proposal.Status.REJECTED: (1, 3, 4),
}

# Developer output, in French like the data it describes.
STATUS_LABELS = {
    Proposal.Status.VALIDATED: "validées",
    Proposal.Status.SUBMITTED: "soumises",
    Proposal.Status.CHANGES_REQUESTED: "à reprendre",
    Proposal.Status.DRAFT: "brouillons",
    Proposal.Status.REJECTED: "rejetées",
    Proposal.Status.WITHDRAWN: "retirées",
}


DUMMY_EMAIL = "django.core.mail.backends.dummy.EmailBackend"


def _rng(*scope) -> random.Random:
    """A generator of its own for each object, seeded from SEED and the object's
    natural key, so that what is drawn never depends on what already exists."""
    return random.Random(":".join(str(part) for part in (SEED, *scope)))


def _aware(year, month, day, hour=0, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=PARIS)


def _french_datetime(moment: datetime) -> str:
    moment = moment.astimezone(PARIS)
    day = "1er" if moment.day == 1 else str(moment.day)
    return (
        f"{data.FRENCH_WEEKDAYS[moment.weekday()]} {day} "
        f"{data.FRENCH_MONTHS[moment.month - 1]} {moment.year} "
        f"à {moment.hour} h {moment.minute:02d}"
    )


def _date_journal(target, moments: dict) -> None:
    """Give the journal entries of ``target`` that a service just wrote with
    today's date the demo's date of their verb (``moments``: verb → when)."""
    for verb, moment in moments.items():
        AuditEvent.for_object(target).filter(action=verb).update(created_at=moment)


def _capfirst(text: str) -> str:
    return text[:1].upper() + text[1:]


def _bullets(lines) -> str:
    return "\n".join(f"- {line}" for line in lines)


def _of_enjeu(pairs, position: int) -> list[str]:
    """The texts of ``(enjeu position, text)`` pairs tagged with ``position``."""
    return [text for tagged, text in pairs if tagged == position]


def _euros(amount: int) -> str:
    return f"{amount:,}".replace(",", " ") + " €"


class Place(NamedTuple):
    """Where a proposal applies: a phrase for its title, its territories, and the
    commune whose organisation is a natural partner (if any)."""

    locative: str
    territory_slugs: list[str]
    commune: str | None


def _places() -> list[Place]:
    places = [Place(locative, [slug], None) for slug, locative in data.BASSINS.values()]
    places += [Place(c.locative, [c.slug], c.slug) for c in data.COMMUNES]
    places += [Place(n.locative, [n.slug], n.commune) for n in data.NEIGHBOURHOODS]
    all_bassins = [slug for slug, _locative in data.BASSINS.values()]
    places += [Place(text, all_bassins, None) for text in data.AGGLOMERATION_LOCATIVES]
    return places


class DemoPassword:
    """The demo password, hashed once for every account.

    Hashing costs a quarter of a second; hashing it for every account on every run
    would be slow and would change every row. A stored hash is kept when it checks
    against the demo password (each distinct hash is checked once) and replaced
    otherwise."""

    def __init__(self, usernames):
        self._checked: dict[str, bool] = {}
        self.encoded = None
        stored = (
            User.objects.filter(username__in=usernames)
            .values_list("password", flat=True)
            .distinct()
        )
        for encoded in stored:
            if self.matches(encoded):
                self.encoded = encoded
                break
        if self.encoded is None:
            self.encoded = make_password(data.DEMO_PASSWORD)

    def matches(self, encoded: str) -> bool:
        if encoded not in self._checked:
            self._checked[encoded] = check_password(data.DEMO_PASSWORD, encoded)
        return self._checked[encoded]


class DemoSeeder:
    def __init__(self, *, size: str, verbosity: int):
        self.size = size
        self.verbosity = verbosity
        self.created = Counter()
        self.updated = Counter()
        self.proposals_created = 0
        self.places = _places()
        # Keyed by slug; bassins also by their key in data.BASSINS, in a dict of
        # their own since the key "saint-etienne" is also the commune's slug.
        self.territories: dict[str, Territory] = {}
        self.bassins: dict[str, Territory] = {}
        self.organisations: dict[str, Organisation] = {}
        self.people: dict[str, User] = {}
        self.axes: dict[int, Axis] = {}
        self.enjeux: dict[tuple[int, int], Enjeu] = {}
        self.ateliers: dict[int, Atelier] = {}
        # Proposals this run creates, and those of them a session decides:
        # (proposal, status, moment of data.COMMISSION_ROUNDS).
        self.created_proposals: set[int] = set()
        self.decided: list[tuple] = []

    def run(self):
        call_command(
            "loaddata",
            "axes",
            "territories",
            "organisations",
            verbosity=max(self.verbosity - 1, 0),
        )
        self.seed_territories()
        self.seed_organisations()
        self.seed_people()
        self.seed_second_factors()
        self.seed_secretariat_group()
        self.seed_axes()
        self.seed_ateliers()
        self.seed_sessions()
        self.seed_proposals()
        self.seed_commission()
        self.seed_suggestion()
        self.seed_referentiel()
        # After the seminar (issue 7): each app's part in a module of its own.
        demo_seminaire.seed(self)
        demo_declinaison.seed(self)
        demo_capitalisation.seed(self)

    SUGGESTION_COMMENT = (
        "Une réunion publique par an, comme le demandent les associations de "
        "locataires : la commission y tient."
    )

    def seed_suggestion(self):
        """One open suggestion of the commission's delegate on the first demo
        proposal sent back to its atelier, so that the atelier's co-animators
        find a change to accept or decline. Once only."""
        proposal = (
            Proposal.objects.filter(status=Proposal.Status.CHANGES_REQUESTED)
            .order_by("atelier__axis__number", "number")
            .first()
        )
        if proposal is None or proposal.suggestions.exists():
            return
        text = proposal.summary.replace(
            "deux fois par an", "trois fois par an, dont une réunion publique"
        )
        if text == proposal.summary:
            text = f"{proposal.summary} Une réunion publique chaque année."
        suggestion = atelier_services.suggestion_create(
            proposal=proposal,
            author=self.people["commission"],
            field="summary",
            text=text,
            comment=self.SUGGESTION_COMMENT,
        )
        # Made the Monday after the session that sent the proposal back, not
        # on the day of the seed.
        decided = (proposal.status_changed_at or proposal.updated_at).astimezone(PARIS)
        suggested_at = (decided + timedelta(days=4)).replace(hour=10, minute=0)
        ProposalSuggestion.objects.filter(pk=suggestion.pk).update(
            created_at=suggested_at
        )
        _date_journal(proposal, {AteliersVerb.SUGGESTION_MAKE: suggested_at})
        self.created["proposalsuggestion"] += 1

    def upsert(self, model, lookup: dict, values: dict, on_create=None):
        """get_or_create, then save only the fields whose value differs.
        ``on_create`` holds values used only when the row is created."""
        obj, created = model.objects.get_or_create(
            **lookup, defaults={**values, **(on_create or {})}
        )
        label = model._meta.model_name
        if created:
            self.created[label] += 1
            return obj
        changed = []
        for name, value in values.items():
            field = model._meta.get_field(name)
            if field.is_relation:
                current = getattr(obj, field.attname)
                wanted = value.pk if value is not None else None
            else:
                current, wanted = getattr(obj, name), value
            if current != wanted:
                setattr(obj, name, value)
                changed.append(name)
        if changed:
            obj.save(update_fields=changed)
            self.updated[label] += 1
        return obj

    # --- Territories, organisations, people ---------------------------------------

    def seed_territories(self):
        for key, (slug, _locative) in data.BASSINS.items():
            bassin = Territory.objects.get(slug=slug, kind=Territory.Kind.BASSIN)
            self.bassins[key] = self.territories[slug] = bassin
        for commune in data.COMMUNES:
            self.territories[commune.slug] = self.upsert(
                Territory,
                {"slug": commune.slug},
                {
                    "name": commune.name,
                    "kind": Territory.Kind.COMMUNE,
                    "parent": self.bassins[commune.bassin],
                },
            )
        for neighbourhood in data.NEIGHBOURHOODS:
            self.territories[neighbourhood.slug] = self.upsert(
                Territory,
                {"slug": neighbourhood.slug},
                {
                    "name": neighbourhood.name,
                    "kind": Territory.Kind.NEIGHBOURHOOD,
                    "parent": self.territories[neighbourhood.commune],
                },
            )

    def seed_organisations(self):
        fixtures = Organisation.objects.in_bulk(data.FIXTURE_ORGANISATIONS.values())
        for key, pk in data.FIXTURE_ORGANISATIONS.items():
            self.organisations[key] = fixtures[pk]
        for commune in data.COMMUNES:
            self.organisations[commune.slug] = self.upsert(
                Organisation,
                {"name": commune.organisation},
                {
                    "short_name": commune.name,
                    "kind": Organisation.Kind.COMMUNE,
                    "is_commission_member": False,
                    "territory": self.territories[commune.slug],
                },
            )
        for landlord in data.LANDLORDS:
            self.organisations[landlord.key] = self.upsert(
                Organisation,
                {"name": landlord.name},
                {
                    "short_name": landlord.short_name,
                    "kind": Organisation.Kind.LANDLORD,
                    "is_commission_member": landlord.is_commission_member,
                },
            )

    def seed_people(self):
        people = list(data.PEOPLE)
        if self.size == "large":
            people += data.EXTRA_PEOPLE
        password = DemoPassword([person.username for person in people])
        for person in people:
            user = self.upsert(
                User,
                {"username": person.username},
                {
                    "first_name": person.first_name,
                    "last_name": person.last_name,
                    "email": person.email,
                    "organisation": self.organisations[person.organisation],
                    "job_title": person.job_title,
                    "is_commission_delegate": person.is_commission_delegate,
                    "is_secretariat": person.is_secretariat,
                    "is_partner": person.is_partner,
                    "is_staff": person.is_staff,
                    "is_superuser": person.is_superuser,
                    "is_active": True,
                },
                on_create={
                    "password": password.encoded,
                    "date_joined": _aware(*data.ACCOUNTS_OPENED),
                },
            )
            if not password.matches(user.password):
                user.password = password.encoded
                user.save(update_fields=["password"])
                self.updated["password"] += 1
            self._validate(user)
        # Read back with the organisations: minutes and proposals use them a lot.
        self.people = {
            user.username: user
            for user in User.objects.filter(
                username__in=[person.username for person in people]
            ).select_related("organisation")
        }

    def seed_second_factors(self):
        """The demo accounts that must use two-factor authentication get the
        demo's published secret (data.DEMO_OTP_SECRET) as their device, instead
        of setting one up at their first sign-in; any other device of theirs is
        replaced by it."""
        key = demo_otp_key()
        for user in self.people.values():
            if not two_factor.must_use_two_factor(user):
                continue
            TOTPDevice.objects.filter(user=user).exclude(key=key).delete()
            _device, created = TOTPDevice.objects.get_or_create(
                user=user,
                key=key,
                defaults={"name": two_factor.DEVICE_NAME, "confirmed": True},
            )
            if created:
                self.created["totp device"] += 1

    def seed_secretariat_group(self):
        group, created = Group.objects.get_or_create(name=data.SECRETARIAT_GROUP)
        if created:
            self.created["group"] += 1
        permissions = Permission.objects.filter(
            content_type__app_label__in=data.SECRETARIAT_APPS,
            codename__regex=r"^(add|change|delete|view)_",
        )
        missing = list(permissions.exclude(group=group))
        if missing and not created:
            self.updated["group"] += 1
        group.permissions.add(*missing)
        for person in data.PEOPLE:
            if person.is_secretariat:
                self.people[person.username].groups.add(group)
        self.secretariat_group = group

    # --- Axes, ateliers, sessions --------------------------------------------------

    def seed_axes(self):
        # loaddata has just reset the axes to "proposed": validate them again.
        Axis.objects.update(
            status=Axis.Status.VALIDATED, validated_on=data.AXES_VALIDATED_ON
        )
        self.axes = {axis.number: axis for axis in Axis.objects.all()}
        for number, theme in data.THEMES.items():
            axis = self.axes[number]
            for position, (bassin, text) in enumerate(theme.diagnosis, start=1):
                self.upsert(
                    DiagnosisElement,
                    {"axis": axis, "position": position},
                    {
                        "text": text,
                        "bassin": self.bassins[bassin] if bassin else None,
                    },
                )
            for position, (title, description) in enumerate(theme.enjeux, start=1):
                self.enjeux[number, position] = self.upsert(
                    Enjeu,
                    {"axis": axis, "position": position},
                    {"title": title, "description": description},
                )

    def seed_ateliers(self):
        period_start, period_end = data.ATELIER_PERIOD
        for number, spec in data.ATELIERS.items():
            axis = self.axes[number]
            atelier = self.upsert(
                Atelier,
                {"axis": axis},
                {
                    "name": f"Atelier {number} – {axis.short_label}",
                    "period_start": period_start,
                    "period_end": period_end,
                    "description": spec.description,
                },
            )
            self.ateliers[number] = atelier
            roles = [
                (spec.landlord_referent, AtelierMembership.Role.LANDLORD_REFERENT),
                (spec.public_coanimator, AtelierMembership.Role.PUBLIC_COANIMATOR),
            ] + [(username, AtelierMembership.Role.MEMBER) for username in spec.members]
            for username, role in roles:
                user = self.people[username]
                self._validate(AtelierMembership(atelier=atelier, user=user, role=role))
                self.upsert(
                    AtelierMembership,
                    {"atelier": atelier, "user": user},
                    {"role": role, "joined_on": data.MEMBERSHIPS_JOINED_ON},
                )

    def seed_sessions(self):
        for number, spec in data.ATELIERS.items():
            atelier = self.ateliers[number]
            axis = self.axes[number]
            moments = [_aware(*moment) for moment in spec.sessions]
            for index, starts_at in enumerate(moments):
                attendees = self._attendees(number, index, spec)
                following = moments[index + 1] if index + 1 < len(moments) else None
                session = self.upsert(
                    Session,
                    {"atelier": atelier, "starts_at": starts_at},
                    {
                        "place": spec.places[index % len(spec.places)],
                        "agenda": data.SESSION_AGENDAS[index].format(
                            axis=axis.short_label
                        ),
                        "minutes": self._minutes(number, index, attendees, following),
                    },
                )
                # add(), not set(): attendance recorded in the portal is kept.
                session.attendees.add(*attendees)

    def _attendees(self, number, index, spec) -> list:
        rng = _rng("attendance", number, index)
        members = rng.sample(spec.members, len(spec.members) - rng.randint(0, 1))
        usernames = [spec.landlord_referent, spec.public_coanimator, *members]
        return [self.people[username] for username in usernames]

    def _minutes(self, number, index, attendees, following) -> str:
        axis = self.axes[number]
        present = ", ".join(
            f"{user.first_name} {user.last_name} ({user.organisation})"
            for user in sorted(attendees, key=lambda user: user.last_name)
        )
        parts = [f"**Présents** : {present}."]
        proposals = data.DEMO_PROPOSALS[number]
        if index == 0:
            parts += [
                "**Points abordés**",
                _bullets(
                    [
                        "Rappel des éléments de diagnostic issus des bilans des trois "
                        "contrats de ville (Gier, Ondaine, Saint-Étienne).",
                        "Tour de table des pratiques de chaque organisme sur l'axe "
                        f"« {axis.short_label} ».",
                        "Méthode : trois séances, une fiche par proposition, "
                        "transmission à la commission CUCS fin avril.",
                    ]
                ),
                "**Décisions**",
                _bullets(
                    [
                        "Chaque membre recense d'ici la prochaine séance les actions "
                        "conduites dans son organisme.",
                        "Le secrétariat d'AMO2SM diffuse la trame commune des fiches "
                        "propositions.",
                    ]
                ),
            ]
        elif index == 1:
            enjeux = data.THEMES[number].enjeux
            parts += [
                "**Enjeux retenus**",
                "\n".join(
                    f"{position}. {title}"
                    for position, (title, _text) in enumerate(enjeux, start=1)
                ),
                "**Pistes de propositions**",
                _bullets(proposal.title for proposal in proposals[:5]),
            ]
        else:
            parts += [
                "**Propositions transmises à la commission CUCS**",
                _bullets(
                    proposal.title
                    for proposal in proposals
                    if proposal.status != Proposal.Status.DRAFT
                ),
                "**Suites**",
                _bullets(
                    [
                        "Passage en commission CUCS le 26 avril 2007.",
                        "Présentation de la synthèse au séminaire du 10 mai 2007, au "
                        "musée d'art moderne de Saint-Étienne.",
                    ]
                ),
            ]
        if following:
            parts.append(f"**Prochaine séance** : {_french_datetime(following)}.")
        return "\n\n".join(parts)

    # --- Proposals -----------------------------------------------------------------

    def seed_proposals(self):
        ateliers = list(self.ateliers.values())
        existing = set(
            Proposal.objects.filter(atelier__in=ateliers).values_list(
                "atelier_id", "number"
            )
        )
        planned = []
        for number, atelier in self.ateliers.items():
            for proposal_number in range(1, self._proposal_count(number) + 1):
                if (atelier.pk, proposal_number) not in existing:
                    planned.append(self._build_proposal(number, proposal_number))
        if not planned:
            return
        Proposal.objects.bulk_create(
            [plan["proposal"] for plan in planned], batch_size=200
        )
        # Not every backend returns primary keys from a bulk insert: read them back.
        pks = {
            (atelier_id, number): pk
            for pk, atelier_id, number in Proposal.objects.filter(
                atelier__in=ateliers
            ).values_list("pk", "atelier_id", "number")
        }
        authors, partners, territories, dated = [], [], [], []
        through = Proposal.authors.through
        partner_through = Proposal.partner_organisations.through
        territory_through = Proposal.territories.through
        for plan in planned:
            proposal = plan["proposal"]
            proposal.pk = pks[proposal.atelier_id, proposal.number]
            authors += [
                through(proposal_id=proposal.pk, user_id=user.pk)
                for user in plan["authors"]
            ]
            partners += [
                partner_through(proposal_id=proposal.pk, organisation_id=org.pk)
                for org in plan["partners"]
            ]
            territories += [
                territory_through(proposal_id=proposal.pk, territory_id=territory.pk)
                for territory in plan["territories"]
            ]
            # created_at and updated_at are auto fields: bulk_create stamped them
            # with "now"; give them their 2007 dates.
            proposal.created_at = plan["created_at"]
            proposal.updated_at = proposal.status_changed_at or plan["created_at"]
            dated.append(proposal)
            self.created_proposals.add(proposal.pk)
            if plan["decision"] is not None:
                self.decided.append((proposal, *plan["decision"]))
        through.objects.bulk_create(authors, batch_size=500)
        partner_through.objects.bulk_create(partners, batch_size=500)
        territory_through.objects.bulk_create(territories, batch_size=500)
        Proposal.objects.bulk_update(
            dated, ["created_at", "updated_at"], batch_size=200
        )
        self.seed_first_revisions(dated)
        self.proposals_created = len(planned)
        self.created["proposal"] += len(planned)

    def seed_first_revisions(self, proposals):
        """Each new demo proposal starts its history with the state it was
        created in, as if saved once through the portal."""
        saved = (
            Proposal.objects.filter(pk__in=[p.pk for p in proposals])
            .select_related("enjeu__axis", "lead_organisation")
            .prefetch_related("partner_organisations", "territories")
        )
        revisions = ProposalRevision.objects.bulk_create(
            [
                ProposalRevision(
                    proposal=proposal,
                    version=proposal.version,
                    author_id=proposal.created_by_id,
                    snapshot=snapshot(proposal),
                    changed_fields=list(TRACKED_FIELDS),
                )
                for proposal in saved
            ],
            batch_size=200,
        )
        dates = {p.pk: p.updated_at for p in proposals}
        for revision in revisions:
            revision.created_at = dates[revision.proposal_id]
        ProposalRevision.objects.bulk_update(revisions, ["created_at"], batch_size=200)
        self.created["proposalrevision"] += len(revisions)

    # --- The commission --------------------------------------------------------

    ROUND_TITLE = "Commission CUCS d’AMO2SM, décembre 2006"
    SEMINAR_EDITION = "Référentiel CUCS : édition du séminaire du 10 mai 2007"
    AUTUMN_EDITION = "Référentiel CUCS : déclinaison territoriale, automne 2007"

    def seed_referentiel(self):
        """The edition handed out at the seminar of 10 May 2007, published with
        a share link for the Préfecture, and a draft started from it for the
        territorial declination. Created once, through the services (so the
        seminar's PDF is queued for the worker that `make run` starts).

        Published on the morning of the seminar: the service records that
        moment, and freezes it into the document (« Publié le 10 mai 2007 »).
        What the services stamp with today's date besides (the editions'
        creation, their journal, the share link) is then given its 2007 date,
        as demo/commission_sessions.py does; the PDF's own "produced on" stays
        the moment the worker makes it."""
        secretariat = self.people["secretariat"]
        seminar = Edition.objects.filter(title=self.SEMINAR_EDITION).first()
        if seminar is None:
            seminar = referentiel_services.edition_create(
                user=secretariat,
                data={
                    "title": self.SEMINAR_EDITION,
                    "place": "Musée d’art moderne, Saint-Étienne",
                    "event_date": data.SEMINAR_DATE,
                    "introduction": data.SEMINAR_INTRODUCTION,
                },
            )
            published_at = _aware(*data.SEMINAR_EDITION_PUBLISHED)
            seminar = referentiel_services.edition_publish(
                user=secretariat, edition=seminar, published_at=published_at
            )
            link = referentiel_services.share_link_create(
                user=secretariat,
                edition=seminar,
                label="Préfecture de la Loire et DDE",
            )
            shared_at = _aware(*data.SEMINAR_EDITION_SHARED)
            ShareLink.objects.filter(pk=link.pk).update(created_at=shared_at)
            _date_journal(
                seminar,
                {
                    ReferentielVerb.EDITION_CREATE: _aware(
                        *data.SEMINAR_EDITION_STARTED
                    ),
                    ReferentielVerb.EDITION_PUBLISH: published_at,
                    ReferentielVerb.SHARE_CREATE: shared_at,
                },
            )
            Edition.objects.filter(pk=seminar.pk).update(
                created_at=_aware(*data.SEMINAR_EDITION_STARTED),
                updated_at=published_at,
            )
            self.created["edition"] += 1
        if not Edition.objects.filter(title=self.AUTUMN_EDITION).exists():
            autumn = referentiel_services.edition_start_from(
                user=secretariat, source=seminar
            )
            started_at = _aware(*data.AUTUMN_EDITION_STARTED)
            Edition.objects.filter(pk=autumn.pk).update(
                title=self.AUTUMN_EDITION,
                place="Saint-Étienne Métropole",
                event_date=data.AUTUMN_EDITION_DATE,
                created_at=started_at,
                updated_at=started_at,
            )
            _date_journal(autumn, {ReferentielVerb.EDITION_CREATE: started_at})
            self.created["edition"] += 1

    def seed_commission(self):
        """The December 2006 round in which every member organisation validated
        the six axes; the sessions of 2007 that decided the proposals
        (demo/commission_sessions.py); the journal of the proposals."""
        secretariat = self.people["secretariat"]
        decided = data.AXES_VALIDATED_ON
        closed_at = datetime(decided.year, decided.month, decided.day, 18, tzinfo=PARIS)
        validation_round, created = ValidationRound.objects.get_or_create(
            title=self.ROUND_TITLE,
            defaults={
                "opened_by": secretariat,
                "closed_by": secretariat,
                "status": ValidationRound.Status.CLOSED,
                "closed_at": closed_at,
            },
        )
        if created:
            self.created["validationround"] += 1
            axes = [self.axes[n] for n in sorted(self.axes)]
            validation_round.axes.set(axes)
            members = list(Organisation.objects.filter(is_commission_member=True))
            delegates = {
                user.organisation_id: user
                for user in User.objects.filter(
                    is_commission_delegate=True, organisation__in=members
                )
            }
            positions = []
            for axis in axes:
                for index, organisation in enumerate(members):
                    reserved = axis.number == 4 and index == 0
                    positions.append(
                        AxisPosition(
                            round=validation_round,
                            axis=axis,
                            organisation=organisation,
                            position=AxisPosition.Position.APPROVE_WITH_RESERVATIONS
                            if reserved
                            else AxisPosition.Position.APPROVE,
                            comment="Associer la Mission locale dès le premier atelier."
                            if reserved
                            else "",
                            recorded_by=delegates.get(organisation.pk, secretariat),
                        )
                    )
            AxisPosition.objects.bulk_create(positions)
            # Management commands run in English: the stored rule is in the
            # portal's language, as when the secretariat closes a round.
            with translation.override(settings.LANGUAGE_CODE):
                rule = decision.rule_text()
            # Recorded the day before the sitting, not on the day of the seed.
            AxisPosition.objects.filter(round=validation_round).update(
                updated_at=closed_at - timedelta(days=1)
            )
            AxisDecision.objects.bulk_create(
                AxisDecision(
                    round=validation_round,
                    axis=axis,
                    validated=True,
                    decided_on=decided,
                    member_count=len(members),
                    answer_count=len(members),
                    approve_count=len(members) - (axis.number == 4),
                    reservation_count=int(axis.number == 4),
                    oppose_count=0,
                    quorum_required=decision.quorum_required(len(members)),
                    rule=rule,
                )
                for axis in axes
            )
            ValidationRound.objects.filter(pk=validation_round.pk).update(
                opened_at=closed_at - timedelta(days=14)
            )
        # The sessions that decided the proposals this run created, then the
        # one convened with the proposals still submitted.
        demo_sessions.hold(self, self.decided)
        demo_sessions.convene_next(self, self.created_proposals)
        self.seed_submissions()

    def seed_submissions(self):
        """The first line of the journal of each demo proposal that went to the
        commission: submitted by the landlord referent of its atelier (the
        session that decided it wrote the rest)."""
        went_to_commission = [Proposal.Status.SUBMITTED, *demo_sessions.OUTCOMES]
        proposal_type = ContentType.objects.get_for_model(Proposal)
        already = set(
            AuditEvent.objects.filter(
                target_type=proposal_type, action=AteliersVerb.SUBMIT
            ).values_list("target_id", flat=True)
        )
        referents = {
            m.atelier_id: m.user
            for m in AtelierMembership.objects.filter(
                role=AtelierMembership.Role.LANDLORD_REFERENT
            ).select_related("user")
        }
        events, dates = [], []
        for proposal in (
            Proposal.objects.filter(status__in=went_to_commission)
            .exclude(pk__in=already)
            .select_related("atelier__axis")
        ):
            changed = proposal.status_changed_at or proposal.updated_at
            actor = referents[proposal.atelier_id]
            events.append(
                AuditEvent(
                    actor=actor,
                    actor_organisation_id=actor.organisation_id,
                    action=AteliersVerb.SUBMIT,
                    target_type=proposal_type,
                    target_id=proposal.pk,
                    target_label=str(proposal)[:300],
                    from_status=Proposal.Status.DRAFT,
                    to_status=Proposal.Status.SUBMITTED,
                )
            )
            dates.append(
                changed
                if proposal.status == Proposal.Status.SUBMITTED
                else changed - demo_sessions.SUBMITTED_BEFORE
            )
        created = AuditEvent.objects.bulk_create(events, batch_size=500)
        for event, when in zip(created, dates, strict=True):
            event.created_at = when
        AuditEvent.objects.bulk_update(created, ["created_at"], batch_size=500)
        self.created["auditevent"] += len(created)

    def _proposal_count(self, number) -> int:
        written = len(data.DEMO_PROPOSALS[number])
        if self.size == "demo":
            return written
        return written + len(self._generated_statuses(number))

    def _generated_statuses(self, number) -> list[str]:
        validated = sum(
            proposal.status == Proposal.Status.VALIDATED
            for proposal in data.DEMO_PROPOSALS[number]
        )
        statuses = [Proposal.Status.VALIDATED] * (
            LARGE_VALIDATED_PER_AXIS - validated
        ) + list(OTHER_STATUSES)
        _rng("statuses", number).shuffle(statuses)
        return statuses

    def _generated_titles(self, number) -> list[tuple]:
        theme = data.THEMES[number]
        combinations = [
            (item, head, place_index)
            for item in theme.objects
            for head, place_index in product(
                data.title_heads(item[1]), range(len(self.places))
            )
        ]
        count = len(self._generated_statuses(number))
        return _rng("titles", number).sample(combinations, count)

    def _build_proposal(self, axis_number, number) -> dict:
        theme = data.THEMES[axis_number]
        spec = data.ATELIERS[axis_number]
        rng = _rng("proposal", axis_number, number)
        written = data.DEMO_PROPOSALS[axis_number]
        if number <= len(written):
            text = written[number - 1]
            status, enjeu_position = text.status, text.enjeu
            title, summary = text.title, text.summary
            finding, actions = text.finding, text.actions
            place = rng.choice(self.places)
            author_names = list(text.authors)
            decided_on = data.COMMISSION_ROUNDS[0]
        else:
            index = number - len(written) - 1
            status = self._generated_statuses(axis_number)[index]
            (enjeu_position, subject), head, place_index = self._generated_titles(
                axis_number
            )[index]
            place = self.places[place_index]
            title = f"{head} {subject} {place.locative}"
            purpose = rng.choice(_of_enjeu(theme.purposes, enjeu_position))
            closing = rng.choice(data.SUMMARY_CLOSINGS)
            summary = f"{title}, afin de {purpose}. {closing}"
            finding = rng.choice(_of_enjeu(theme.findings, enjeu_position))
            specific = _of_enjeu(theme.actions, enjeu_position)
            actions = rng.sample(specific, min(2, len(specific)))
            actions += rng.sample(_of_enjeu(theme.actions, 0), 3 - len(actions))
            author_names = []
            decided_on = rng.choice(data.COMMISSION_ROUNDS)
        enjeu = self.enjeux[axis_number, enjeu_position]

        if not author_names:
            pool = [spec.landlord_referent, *spec.members]
            author_names = rng.sample(pool, rng.randint(1, 2))
        authors = [self.people[username] for username in author_names]
        created_by = authors[0]

        territories = [self.territories[slug] for slug in place.territory_slugs]
        if len(territories) < 3 and rng.random() < 0.3:
            extra = self.territories[rng.choice(self.places).territory_slugs[0]]
            if extra not in territories:
                territories.append(extra)

        partners = []
        for key in rng.sample(theme.partners, rng.randint(1, len(theme.partners))):
            if key == "commune":
                key = place.commune or rng.choice(data.COMMUNES).slug
            partners.append(self.organisations[key])
        if rng.random() < 0.3:
            other = self.organisations[rng.choice(data.LANDLORDS).key]
            if (
                other.pk != created_by.organisation_id
                and other not in partners
                and len(partners) < 3
            ):
                partners.append(other)

        objectives = rng.sample(theme.objectives, 2)
        description = "\n\n".join(
            [
                f"**Constat.** {finding}",
                "**Objectifs**",
                _bullets(_capfirst(objective) for objective in objectives),
                f"Cette proposition répond à l'enjeu {axis_number}.{enjeu_position} "
                f"« {enjeu.title} ».",
            ]
        )
        funding = rng.sample(data.COMMON_FUNDING + theme.funding, rng.randint(2, 3))
        means = _bullets(
            f"**{_capfirst(line)}** : {_euros(rng.randrange(2000, 30001, 500))} par an"
            for line in funding
        )

        first_session = _aware(*spec.sessions[0])
        created_at = first_session + timedelta(
            days=rng.randint(0, 40), hours=rng.randint(0, 4)
        )
        if status == Proposal.Status.DRAFT:
            status_changed_at = None
        elif status == Proposal.Status.SUBMITTED:
            status_changed_at = _aware(*data.SUBMISSION_DAY, rng.randint(9, 17))
        elif status == Proposal.Status.WITHDRAWN:
            status_changed_at = _aware(*data.WITHDRAWAL_DAY, rng.randint(9, 17))
        else:
            status_changed_at = demo_sessions.submitted_moment(decided_on)
        decided = status in demo_sessions.OUTCOMES

        proposal = Proposal(
            atelier=self.ateliers[axis_number],
            enjeu=enjeu,
            number=number,
            title=title,
            summary=summary,
            description=description,
            actions=_bullets(actions),
            lead_organisation=created_by.organisation,
            timetable=rng.choice(data.TIMETABLES),
            means=means,
            indicators=_bullets(rng.sample(theme.indicators, 3)),
            priority=rng.choices(
                Proposal.Priority.values,
                weights=PRIORITY_WEIGHTS.get(status, (2, 5, 2)),
            )[0],
            # A proposal the commission decided is created submitted: the
            # closing of its session decides it (seed_commission).
            status=Proposal.Status.SUBMITTED if decided else status,
            created_by=created_by,
            status_changed_at=status_changed_at,
            version=1,
        )
        return {
            "proposal": proposal,
            "authors": authors,
            "partners": partners,
            "territories": territories,
            "created_at": created_at,
            "decision": (status, decided_on) if decided else None,
        }

    @staticmethod
    def _validate(obj):
        try:
            obj.clean()
        except ValidationError as error:
            raise CommandError(
                f"Demo data breaks a model rule ({obj!r}): {error}"
            ) from error


class Command(BaseCommand):
    help = (
        "Fill the database with the fictional demo data set (people, ateliers, "
        "sessions, enjeux, proposals) and print the demo logins. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--size",
            choices=["demo", "large"],
            default="demo",
            help="demo: about fifty hand-written proposals; large: adds about 300 "
            "generated validated proposals and more people.",
        )
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Run even when DEBUG is off. The demo accounts share a known "
            "password: never do this on a real site.",
        )

    def handle(self, *args, size, allow_production, verbosity, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError(
                _(
                    "seed_demo creates accounts with a publicly known password, so it "
                    "refuses to run when DEBUG is off. Use a development database, or "
                    "pass --allow-production if you really mean it."
                )
            )
        started = time.monotonic()
        seeder = DemoSeeder(size=size, verbosity=verbosity)
        # The services the seed calls announce what they do by e-mail once the
        # transaction commits: decisions of 2007 are news to no one.
        with override_settings(EMAIL_BACKEND=DUMMY_EMAIL), transaction.atomic():
            seeder.run()
        self.print_summary(seeder, time.monotonic() - started)

    def print_summary(self, seeder: DemoSeeder, elapsed: float):
        write = self.stdout.write
        territories = Counter(Territory.objects.values_list("kind", flat=True))
        organisations = Counter(Organisation.objects.values_list("kind", flat=True))
        statuses = Proposal.objects.status_counts()
        write(
            self.style.SUCCESS(
                f"Données de démonstration chargées (taille « {seeder.size} ») "
                f"en {elapsed:.1f} s."
            )
        )
        write(
            f"  Territoires : {sum(territories.values())} "
            f"({territories[Territory.Kind.BASSIN]} bassins, "
            f"{territories[Territory.Kind.COMMUNE]} communes, "
            f"{territories[Territory.Kind.NEIGHBOURHOOD]} quartiers prioritaires)"
        )
        write(
            f"  Organisations : {sum(organisations.values())} "
            f"(dont {organisations[Organisation.Kind.LANDLORD]} bailleurs fictifs et "
            f"{organisations[Organisation.Kind.COMMUNE]} communes)"
        )
        write(
            f"  Personnes : {User.objects.count()} ; groupe « "
            f"{seeder.secretariat_group.name} » : "
            f"{seeder.secretariat_group.permissions.count()} permissions"
        )
        write(
            f"  Axes validés : "
            f"{Axis.objects.filter(status=Axis.Status.VALIDATED).count()}"
            f"/{Axis.objects.count()} ; éléments de diagnostic : "
            f"{DiagnosisElement.objects.count()} ; enjeux : {Enjeu.objects.count()}"
        )
        write(
            f"  Ateliers : {Atelier.objects.count()} ; participations : "
            f"{AtelierMembership.objects.count()} ; séances : "
            f"{Session.objects.count()}"
        )
        write(
            f"  Propositions : {sum(statuses.values())} (dont "
            f"{seeder.proposals_created} créées par cette exécution)"
        )
        write(
            "    "
            + ", ".join(
                f"{label} : {statuses.get(status, 0)}"
                for status, label in STATUS_LABELS.items()
            )
        )
        sessions = Counter(CommissionSession.objects.values_list("status", flat=True))
        write(
            f"  Séances de la commission : {sum(sessions.values())} (tenues : "
            f"{sessions[CommissionSession.Status.CLOSED]}, convoquées : "
            f"{sessions[CommissionSession.Status.CONVENED]}) ; points à l’ordre du "
            f"jour : {AgendaItem.objects.count()} ; positions des organismes : "
            f"{ItemPosition.objects.count()}"
        )
        write(
            f"  Lignes créées : {sum(seeder.created.values())} ; mises à jour : "
            f"{sum(seeder.updated.values())}"
        )
        if seeder.verbosity > 1:
            write(f"    créées : {dict(seeder.created)}")
            write(f"    mises à jour : {dict(seeder.updated)}")

        rows = [("Identifiant", "Rôle", "Organisation", "Mot de passe")]
        for login in data.LOGINS:
            organisation = seeder.people[login.username].organisation
            # The full name, unless it is too long for a terminal table.
            name = organisation.name if len(organisation.name) <= 45 else organisation
            rows.append((login.username, login.role, str(name), data.DEMO_PASSWORD))
        widths = [max(len(row[column]) for row in rows) for column in range(4)]
        write("")
        write("Comptes de démonstration :")
        for index, row in enumerate(rows):
            cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=True)]
            write(("  " + "  ".join(cells)).rstrip())
            if index == 0:
                write("  " + "  ".join("-" * width for width in widths))
        second_factor = [
            login.username
            for login in data.LOGINS
            if two_factor.must_use_two_factor(seeder.people[login.username])
        ]
        write("")
        write(
            f"Double authentification ({', '.join(second_factor)}) : après le mot "
            "de passe, le code à six chiffres de la clé de démonstration, publique :"
        )
        write(f"  clé (base32) : {two_factor.grouped(data.DEMO_OTP_SECRET)}")
        for username in second_factor:
            write(f"  {username} : {two_factor.otpauth_uri(demo_otp_key(), username)}")
        write(
            "  Ajoutez-la à une application d’authentification, ou affichez le code "
            "du moment : python manage.py demo_otp_code admin"
        )
        write(
            self.style.WARNING(
                "Attention : ces comptes partagent un mot de passe et une clé de "
                "double authentification connus de tous. "
                "Ils sont réservés au développement et aux démonstrations ; "
                "ne les créez jamais sur un site réel."
            )
        )

"""Demo data for the territorial declination: site actions, July–October 2007.

``seed(seeder)`` is called by ``seed_demo`` after the référentiel; it uses the
seeder's people, organisations, territories and ``upsert``, and follows the
command's rules: idempotent, keyed on natural keys, nothing deleted.

The validated proposals of the seminar's edition are declined into about three
hundred actions over the communes and priority neighbourhoods of the demo:
mostly planned or in progress, some done, a few abandoned, each with its
funding lines and, once started, a few progress notes. Everything drawn comes
from a generator seeded with the action's natural key (proposal, site, title),
so that a second run creates nothing and changes nothing.
"""

import random
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from ateliers.models import Proposal
from declinaison.models import FundingLine, ProgressNote, SiteAction
from people.models import Organisation, Territory, User
from referentiel.content import proposal_index
from referentiel.models import Edition

from . import data

SEED = 2007
PARIS = ZoneInfo("Europe/Paris")
TARGET_ACTIONS = 300
START_MONTHS = ((2007, 7), (2007, 8), (2007, 9), (2007, 10))
STATUS_WEIGHTS = {
    SiteAction.Status.PLANNED: 42,
    SiteAction.Status.IN_PROGRESS: 36,
    SiteAction.Status.DONE: 14,
    SiteAction.Status.ABANDONED: 8,
}
SOURCES = FundingLine.Source
NOTE_TEXTS = {
    SiteAction.Status.IN_PROGRESS: (
        "Réunion de lancement tenue avec les gardiens et l'amicale de locataires.",
        "Premier point d'étape avec la commune : calendrier confirmé.",
        "Les interventions ont commencé dans les premières montées.",
        "Prestataire retenu après consultation ; démarrage des travaux.",
        "Information des locataires faite par affichage et porte-à-porte.",
    ),
    SiteAction.Status.DONE: (
        "Action terminée ; bilan présenté au comité de pilotage du site.",
        "Réalisé dans les délais ; retour positif de l'amicale des locataires.",
    ),
    SiteAction.Status.ABANDONED: (
        "Action abandonnée : le financement CUCS n'a pas été confirmé.",
        "Reportée sine die : le projet de renouvellement urbain change le calendrier.",
    ),
    SiteAction.Status.PLANNED: (
        "Premiers contacts pris avec les partenaires du site.",
    ),
}
ACTION_HEADS = (
    "Mise en œuvre",
    "Déclinaison",
    "Expérimentation",
    "Programmation",
    "Action",
)


def _rng(*scope) -> random.Random:
    return random.Random(":".join(str(part) for part in (SEED, "declinaison", *scope)))


def _strip_place(title: str, locatives) -> str:
    """A proposal's title without the place it ends with, if any."""
    for locative in sorted(locatives, key=len, reverse=True):
        if title.endswith(" " + locative):
            return title[: -len(locative) - 1]
    return title


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def _sites(seeder) -> list[tuple[Territory, str, str]]:
    """(territory, locative phrase, commune slug) of every site of the demo."""
    sites = [(seeder.territories[c.slug], c.locative, c.slug) for c in data.COMMUNES]
    sites += [
        (seeder.territories[n.slug], n.locative, n.commune) for n in data.NEIGHBOURHOODS
    ]
    return sites


def seed(seeder) -> None:
    edition = Edition.objects.filter(
        title=seeder.SEMINAR_EDITION, status=Edition.Status.PUBLISHED
    ).first()
    if edition is None:
        return
    proposals = list(
        Proposal.objects.filter(
            pk__in=list(proposal_index(edition.snapshot)),
            status=Proposal.Status.VALIDATED,
        )
        .select_related("lead_organisation", "atelier__axis")
        .prefetch_related("territories")
        .order_by("pk")
    )
    if not proposals:
        return
    sites = _sites(seeder)
    by_territory = {territory.pk: (territory, loc, c) for territory, loc, c in sites}
    locatives = [place.locative for place in seeder.places]
    landlords = [seeder.organisations[landlord.key] for landlord in data.LANDLORDS]
    partners_pool = [
        seeder.organisations[key]
        for key in ("sem", "dde", "prefecture", "region", "cg")
    ]
    staff = {}
    for user in User.objects.filter(
        organisation__in=[
            *landlords,
            *(seeder.organisations[c.slug] for c in data.COMMUNES),
        ],
        is_partner=False,
    ).order_by("username"):
        staff.setdefault(user.organisation_id, []).append(user)
    secretariat = seeder.people["secretariat"]
    per_proposal = max(1, round(TARGET_ACTIONS / len(proposals)))

    planned = []
    for proposal in proposals:
        rng = _rng("sites", proposal.pk, proposal.title)
        own = []
        for territory in proposal.territories.all():
            if territory.pk in by_territory:
                own.append(by_territory[territory.pk])
            elif territory.kind == Territory.Kind.BASSIN:
                own += [s for s in sites if s[0].parent_id == territory.pk]
        chosen = list(dict.fromkeys(own))[:per_proposal]
        others = [s for s in sites if s not in chosen]
        rng.shuffle(others)
        count = per_proposal + rng.choice((-2, -1, 0, 0, 1, 2))
        chosen += others[: max(1, count - len(chosen))]
        head = _strip_place(proposal.title, locatives)
        for territory, locative, commune in chosen:
            title = f"{head} {locative}"
            if len(title) > 255:
                title = title[:254] + "…"
            planned.append((proposal, territory, locative, commune, title))

    existing = set(
        SiteAction.objects.values_list("proposal_id", "territory_id", "title")
    )
    actions, extras = [], []
    for proposal, territory, locative, commune, title in planned:
        if (proposal.pk, territory.pk, title) in existing:
            continue
        rng = _rng("action", proposal.pk, territory.slug, title)
        status = rng.choices(
            list(STATUS_WEIGHTS), weights=list(STATUS_WEIGHTS.values())
        )[0]
        year, month = rng.choice(START_MONTHS)
        starts_on = date(year, month, rng.choice((1, 1, 15)))
        ends_on = starts_on + timedelta(days=rng.choice((30, 61, 92, 122, 153, 183)))
        if rng.random() < 0.8:
            lead = rng.choice(landlords)
        else:
            lead = seeder.organisations[commune]
        budget = (
            Decimal(rng.randrange(2_000, 80_001, 500)) if rng.random() < 0.9 else None
        )
        # A planned action is at 0 % (the programming flags one above it);
        # two in five have a first note. Drawn for every action, like the
        # percentages below, so that each run draws the same values.
        first_contacts = rng.choice((False, False, False, True, True))
        progress = {
            SiteAction.Status.PLANNED: 0,
            SiteAction.Status.IN_PROGRESS: rng.randrange(10, 91, 5),
            SiteAction.Status.DONE: 100,
            SiteAction.Status.ABANDONED: rng.randrange(0, 61, 5),
        }[status]
        creators = staff.get(lead.pk) or [secretariat]
        description = (
            f"Déclinaison {locative} de la proposition {proposal.reference} du "
            f"référentiel.\n\n"
            f"- pilotage : {lead.name}\n"
            f"- calendrier : de {data.FRENCH_MONTHS[starts_on.month - 1]} "
            f"{starts_on.year} à {data.FRENCH_MONTHS[ends_on.month - 1]} "
            f"{ends_on.year}\n"
            f"- public visé : locataires du parc social {locative}"
        )
        action = SiteAction(
            proposal=proposal,
            edition=edition,
            territory=territory,
            title=title,
            description=description,
            lead_organisation=lead,
            starts_on=starts_on,
            ends_on=ends_on,
            budget=budget,
            status=status,
            progress=progress,
            created_by=rng.choice(creators),
        )
        partners = rng.sample(partners_pool, rng.randint(1, 3))
        if lead.kind == Organisation.Kind.LANDLORD and rng.random() < 0.6:
            partners.append(seeder.organisations[commune])
        actions.append(action)
        extras.append((rng, partners, first_contacts))
    if not actions:
        return
    # created_at and updated_at are "now" on creation: date them in 2007.
    dated = [_declined_on(action) for action in actions]
    SiteAction.objects.bulk_create(actions, batch_size=500)
    for action, moment in zip(actions, dated, strict=True):
        action.created_at = action.updated_at = moment
    SiteAction.objects.bulk_update(
        actions, ["created_at", "updated_at"], batch_size=500
    )
    seeder.created["siteaction"] += len(actions)

    through = SiteAction.partner_organisations.through
    links, lines, notes = [], [], []
    for action, (rng, partners, first_contacts) in zip(actions, extras, strict=True):
        links += [
            through(siteaction_id=action.pk, organisation_id=partner.pk)
            for partner in partners
        ]
        lines += _funding_lines(rng, action)
        notes += _progress_notes(rng, action, staff, secretariat, first_contacts)
    through.objects.bulk_create(links, batch_size=1000)
    FundingLine.objects.bulk_create(lines, batch_size=1000)
    written = [note.created_at for note in notes]
    ProgressNote.objects.bulk_create(notes, batch_size=1000)
    # created_at is set to "now" on creation: date the notes as written.
    for note, moment in zip(notes, written, strict=True):
        note.created_at = moment
    ProgressNote.objects.bulk_update(notes, ["created_at"], batch_size=500)
    # An action was last changed by its latest progress note, if any.
    latest = {}
    for note in notes:
        latest[note.action_id] = max(
            note.created_at, latest.get(note.action_id, note.created_at)
        )
    changed = [a for a in actions if latest.get(a.pk, a.updated_at) > a.updated_at]
    for action in changed:
        action.updated_at = latest[action.pk]
    SiteAction.objects.bulk_update(changed, ["updated_at"], batch_size=500)
    seeder.created["fundingline"] += len(lines)
    seeder.created["progressnote"] += len(notes)


def _declined_on(action) -> datetime:
    """Declined a few weeks before the action starts, in June at the latest."""
    day = min(action.starts_on - timedelta(days=21), date(2007, 6, 29))
    return datetime.combine(day, datetime.min.time()).replace(hour=10, tzinfo=PARIS)


def _funding_lines(rng, action) -> list[FundingLine]:
    if action.budget is None:
        return []
    sources = [SOURCES.CUCS, SOURCES.GUSP, SOURCES.SERVICE_QUALITY, SOURCES.LANDLORD]
    if action.lead_organisation.kind != Organisation.Kind.LANDLORD:
        sources.remove(SOURCES.LANDLORD)
    sources += [SOURCES.STATE, SOURCES.REGION, SOURCES.DEPARTMENT]
    chosen = rng.sample(sources, rng.randint(1, 3))
    # Most actions are fully funded; some still look for part of the money.
    covered = action.budget if rng.random() < 0.85 else action.budget * Decimal("0.8")
    shares = sorted(rng.sample(range(10, 90, 5), len(chosen) - 1))
    bounds = [0, *shares, 100]
    lines, total = [], Decimal(0)
    for index, source in enumerate(chosen):
        if index == len(chosen) - 1:
            amount = covered.quantize(Decimal("1")) - total
        else:
            part = bounds[index + 1] - bounds[index]
            amount = (covered * part / 100).quantize(Decimal("1"))
            total += amount
        lines.append(
            FundingLine(
                action=action,
                source=source,
                amount=amount,
                note="Demande déposée" if rng.random() < 0.3 else "",
            )
        )
    return lines


def _progress_notes(
    rng, action, staff, secretariat, first_contacts: bool
) -> list[ProgressNote]:
    if action.status == SiteAction.Status.PLANNED and not first_contacts:
        return []
    authors = staff.get(action.lead_organisation_id) or [secretariat]
    steps = 1 if action.status == SiteAction.Status.PLANNED else rng.randint(1, 3)
    notes = []
    for step in range(steps):
        last = step == steps - 1
        status = action.status if last else SiteAction.Status.IN_PROGRESS
        progress = (
            action.progress
            if last
            else max(5, round(action.progress * (step + 1) / (steps + 1) / 5) * 5)
        )
        moment = datetime.combine(
            action.starts_on + timedelta(days=14 + 21 * step), datetime.min.time()
        ).replace(hour=rng.randint(9, 17), tzinfo=PARIS)
        note = ProgressNote(
            action=action,
            author=rng.choice(authors),
            body=rng.choice(NOTE_TEXTS[status]),
            status=status,
            progress=min(progress, 100),
        )
        note.created_at = moment
        notes.append(note)
    return notes

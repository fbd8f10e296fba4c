"""Demo data for the seminar of 10 May 2007: its event and invitations.

``seed(seeder)`` is called by ``seed_demo`` after the référentiel; it uses the
seeder's people, organisations, territories and ``upsert``, and follows the
command's rules: idempotent, keyed on natural keys, nothing deleted. The
event and each invitation are created when missing and never touched
afterwards, so replies recorded in the portal survive a rerun.

Every name below is fictional.
"""

import random
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from audit.models import AuditEvent
from referentiel.models import Edition
from seminaire.models import Event, Invitation
from seminaire.verbs import SeminaireVerb

PARIS = ZoneInfo("Europe/Paris")
SEED = 2007

TITLE = "Séminaire de présentation du référentiel CUCS"
PLACE = "Musée d’art moderne de Saint-Étienne"
ADDRESS = "La Terrasse, rue Fernand Léger, 42270 Saint-Priest-en-Jarez"
REPLY_BY = date(2007, 5, 4)
# The secretariat set the seminar up, then drew up the guest list, the week
# before the invitations went out.
CREATED_AT = datetime(2007, 4, 2, 10, 0, tzinfo=PARIS)
INVITED_AT = datetime(2007, 4, 5, 14, 0, tzinfo=PARIS)
SENT_AT = datetime(2007, 4, 10, 10, 0, tzinfo=PARIS)
REMINDED_AT = datetime(2007, 5, 2, 9, 30, tzinfo=PARIS)
PROGRAMME = """\
**8 h 45** : accueil des participants, café.

**9 h 00** : ouverture par le président d’AMO2SM et le vice-président de \
Saint-Étienne Métropole chargé de la politique de la ville.

**9 h 30** : le référentiel inter-bailleurs, sa méthode et ses six axes \
(secrétariat d’AMO2SM).

**10 h 15** : table ronde « De la proposition à l’action sur les sites » avec \
les co-animateurs des ateliers, les communes et les services de l’État.

**11 h 30** : échanges avec la salle.

**12 h 15** : conclusions et suite de la démarche : la déclinaison \
territoriale de juillet à octobre 2007.

**12 h 30** : verre de l’amitié.

Le référentiel sera remis à chaque participant.
"""

# (name, job title, organisation key of the seeder or None, e-mail or "")
ELECTED = (
    ("Bernard Châtaignier", "Maire adjoint chargé du logement", "saint-etienne"),
    ("Monique Aubépine", "Maire adjointe à la politique de la ville", "saint-etienne"),
    ("Gérard Noisetier", "Vice-président chargé de la politique de la ville", "sem"),
    ("Françoise Églantier", "Vice-présidente chargée de l’habitat", "sem"),
    ("Alain Sureau", "Maire adjoint à la cohésion sociale", "firminy"),
    ("Josette Cornouiller", "Conseillère municipale déléguée au logement", "firminy"),
    ("Robert Genévrier", "Maire adjoint à l’urbanisme", "saint-chamond"),
    ("Yvette Prunellier", "Maire adjointe aux affaires sociales", "rive-de-gier"),
    ("Michel Arbousier", "Maire adjoint chargé des quartiers", "la-ricamarie"),
    ("Danielle Viorne", "Maire adjointe au logement", "le-chambon-feugerolles"),
    ("Pierre Micocoulier", "Conseiller général du canton", "cg"),
    ("Colette Amélanchier", "Conseillère régionale", "region"),
)
PARTNER_CONTACTS = (
    ("Thierry Houx", "Chef du service habitat", "dde"),
    ("Sandrine Alisier", "Chargée de mission rénovation urbaine", "dde"),
    (
        "Philippe Tamaris",
        "Sous-préfet chargé de la politique de la ville",
        "prefecture",
    ),
    ("Nathalie Troène", "Déléguée du préfet dans les quartiers", "prefecture"),
    ("Éric Cytise", "Chargé de mission politique de la ville", "region"),
    ("Valérie Sorbier", "Directrice de l’habitat et du logement", "cg"),
    ("Laurent Fusain", "Responsable de l’action sociale territoriale", "cg"),
)
TECHNICIANS = (
    ("Isabelle Argousier", "Cheffe de projet CUCS", "saint-etienne"),
    ("Stéphane Nerprun", "Chef de projet GUSP", "saint-chamond"),
    ("Catherine Bourdaine", "Chargée de mission politique de la ville", "lorette"),
    ("Olivier Camérisier", "Responsable du service logement", "la-grand-croix"),
    ("Martine Lilas", "Cheffe de projet contrat de ville", "roche-la-moliere"),
    ("Patrick Seringat", "Directeur du développement social", "sem"),
)
# Addresses of the people invited by post: none, their reply is recorded by hand.
BY_POST = {"Robert Genévrier", "Michel Arbousier", "Pierre Micocoulier"}

# attending, declined, pending
REPLY_WEIGHTS = (6, 2, 2)


def _rng(*scope) -> random.Random:
    return random.Random(":".join(str(part) for part in (SEED, "seminaire", *scope)))


def _email(name: str) -> str:
    from demo.data import ascii_slug

    first, _space, last = name.partition(" ")
    return f"{ascii_slug(first)}.{ascii_slug(last)}@example.org"


def _reply(rng: random.Random, *, by_post: bool) -> dict:
    reply = rng.choices(
        [
            Invitation.Reply.ATTENDING,
            Invitation.Reply.DECLINED,
            Invitation.Reply.PENDING,
        ],
        weights=REPLY_WEIGHTS,
    )[0]
    values = {"reply": reply, "sent_at": None if by_post else SENT_AT}
    if reply == Invitation.Reply.PENDING:
        # Still pending after the reminder, or invited by post and not heard of.
        if not by_post:
            values.update(reminded_at=REMINDED_AT, reminder_count=1)
        return values
    reminded = not by_post and rng.random() < 0.25
    day = rng.randint(1, 24) if not reminded else rng.randint(23, 28)
    values["replied_at"] = SENT_AT + timedelta(days=day, hours=rng.randint(0, 8))
    if reminded:
        values.update(reminded_at=REMINDED_AT, reminder_count=1)
    if reply == Invitation.Reply.DECLINED and rng.random() < 0.5:
        values["reply_comment"] = rng.choice(
            (
                "Excusé·e : conseil municipal le même jour.",
                "Représenté·e par un collaborateur.",
                "Indisponible ce jour-là, merci de m’envoyer le référentiel.",
            )
        )
    return values


def seed(seeder) -> None:
    secretariat = seeder.people["secretariat"]
    edition = Edition.objects.filter(title=seeder.SEMINAR_EDITION).first()
    event = seeder.upsert(
        Event,
        {"title": TITLE},
        {},
        on_create={
            "starts_at": datetime(2007, 5, 10, 9, 0, tzinfo=PARIS),
            "ends_at": datetime(2007, 5, 10, 12, 30, tzinfo=PARIS),
            "place": PLACE,
            "address": ADDRESS,
            "description": PROGRAMME,
            "edition": edition,
            "reply_by": REPLY_BY,
            "created_by": secretariat,
        },
    )
    if not AuditEvent.for_object(event).exists():
        AuditEvent.record(
            actor=secretariat, target=event, action=SeminaireVerb.EVENT_CREATE
        )
        # Stamped with today's date: given the seminar's.
        AuditEvent.for_object(event).update(created_at=CREATED_AT)
        Event.objects.filter(pk=event.pk).update(created_at=CREATED_AT)
    # The invitations this run creates are dated; those added in the portal
    # since an earlier run keep their date.
    mark = Invitation.objects.order_by("-pk").values_list("pk", flat=True).first()
    # People of the portal: landlords' staff, communes' and SEM's, partners'.
    for user in sorted(seeder.people.values(), key=lambda u: u.username):
        organisation = user.organisation
        if organisation is None or organisation.kind == "association":
            continue  # AMO2SM organises the seminar
        seeder.upsert(
            Invitation,
            {"event": event, "user": user},
            {},
            on_create={
                "full_name": user.get_full_name(),
                "email": user.email,
                "job_title": user.job_title,
                "organisation": organisation,
                "category": Invitation.category_for(organisation),
                **_reply(_rng(user.username), by_post=False),
            },
        )
    # Guests added by hand: elected officials and partners' contacts.
    for category, guests in (
        (Invitation.Category.ELECTED, ELECTED),
        (Invitation.Category.PARTNER, PARTNER_CONTACTS),
        (Invitation.Category.TECHNICIAN, TECHNICIANS),
    ):
        for name, job_title, organisation_key in guests:
            by_post = name in BY_POST
            seeder.upsert(
                Invitation,
                {"event": event, "full_name": name},
                {},
                on_create={
                    "email": "" if by_post else _email(name),
                    "job_title": job_title,
                    "organisation": seeder.organisations[organisation_key],
                    "category": category,
                    **_reply(_rng(name), by_post=by_post),
                },
            )
    Invitation.objects.filter(event=event, pk__gt=mark or 0).update(
        created_at=INVITED_AT
    )

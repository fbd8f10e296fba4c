"""The French content of the demo data set. Everything in it is FICTIONAL.

The three bassins, the communes and the priority neighbourhoods are real places of
the Saint-Étienne area, and the six axes come from the project's fixtures. Everything
else is invented for development and demonstrations and describes no real
organisation, person or decision:

- the social landlords (every name ends with " (fictif)");
- the people (tree and plant surnames, ``example.org`` addresses);
- the ateliers' sessions, minutes, enjeux, diagnosis findings and proposals.

The structures are plain tuples so that ``seed_demo`` can key every row on a natural
key (a slug, a name, a username, an axis number and a position, an atelier and a
proposal number) and stay idempotent.
"""

import unicodedata
from datetime import date
from typing import NamedTuple

DEMO_PASSWORD = "demo-cucs-2007"
# The second factor of the demo accounts that must have one (admin, secretariat):
# a TOTP secret published here and printed by seed_demo, so that anyone adds it
# to an authenticator application; ``manage.py demo_otp_code USER`` prints its
# code of the moment, for the accounts whose device has this secret only.
DEMO_OTP_SECRET = "CUCSDEMOSAINTETIENNEMETROPOLE234"  # base32, 20 bytes
AXES_VALIDATED_ON = date(2006, 12, 14)
ATELIER_PERIOD = (date(2007, 2, 1), date(2007, 4, 30))
MEMBERSHIPS_JOINED_ON = date(2007, 1, 29)
SECRETARIAT_GROUP = "Secrétariat AMO2SM"
SECRETARIAT_APPS = ("people", "axes", "ateliers", "referentiel")

# The commission's sessions that decided on proposals: (year, month, day, hour,
# minute). The written proposals were decided at the first; the generated ones of
# the "large" size at any of them.
COMMISSION_ROUNDS = ((2007, 4, 26, 18, 0), (2007, 6, 21, 18, 0), (2007, 9, 27, 18, 0))
COMMISSION_SESSION_PLACES = (
    "Siège d’AMO2SM, Saint-Étienne",
    "Saint-Étienne Métropole, salle du conseil",
    "Siège d’AMO2SM, Saint-Étienne",
)
# The session convened, not held yet, with the proposals still submitted on its
# agenda: after the last session that decided anything, whatever the size.
NEXT_COMMISSION_SESSION = (2007, 11, 22, 18, 0)
NEXT_COMMISSION_SESSION_PLACE = "Saint-Étienne Métropole, salle du conseil"
SUBMISSION_DAY = (2007, 4, 20)

# The référentiel: the edition of the seminar, and the draft that follows it.
SEMINAR_DATE = date(2007, 5, 10)
AUTUMN_EDITION_DATE = date(2007, 10, 25)
# When the secretariat worked on them, as their pages, journal and PDF say
# (year, month, day, hour, minute): the seminar's edition started the morning
# after the commission of 26 April, published on the morning of the seminar,
# shared with the State's services the day after; the autumn draft started
# from it when the territorial declination resumed after the summer.
SEMINAR_EDITION_STARTED = (2007, 4, 27, 9, 30)
SEMINAR_EDITION_PUBLISHED = (2007, 5, 10, 8, 15)
SEMINAR_EDITION_SHARED = (2007, 5, 11, 10, 0)
AUTUMN_EDITION_STARTED = (2007, 9, 3, 9, 0)
# The demo accounts were opened when the ateliers were formed.
ACCOUNTS_OPENED = (2007, 1, 22, 9, 0)
SEMINAR_INTRODUCTION = """\
Dès septembre 2006, AMO2SM et les organismes qui la composent ont choisi \
d’accompagner le projet de contrat urbain de cohésion sociale (CUCS) de \
Saint-Étienne Métropole par un **référentiel commun de propositions** sur la \
gestion urbaine de proximité (GUSP) et le volet social de l’habitat.

### Un constat préalable

Les bilans des trois contrats de ville de l’agglomération (Gier, Ondaine, \
Saint-Étienne) et de leurs conventions GUSP ont montré :

- des résultats hétérogènes et mitigés ;
- des programmes GUSP bâtis sans cohérence de projet, à simple vocation de \
guichet financier ;
- des aides des partenaires faibles, notamment pour la qualité de service ;
- des initiatives et des savoir-faire dispersés, peu capitalisés.

### La méthode

Un petit groupe de travail a proposé six axes thématiques, validés par chaque \
organisme lors de la commission CUCS d’AMO2SM en décembre 2006, puis partagés \
avec les services de Saint-Étienne Métropole. Six ateliers, un par axe, se sont \
réunis de février à avril 2007 : trois à quatre volontaires des bailleurs \
chacun, co-animés par un référent bailleur et un représentant d’une commune \
ou de Saint-Étienne Métropole. Ils ont formalisé les enjeux et les \
propositions de leur axe ; la commission a validé les propositions que ce \
document rassemble, axe par axe, avec leurs enjeux.
"""
WITHDRAWAL_DAY = (2007, 4, 24)


# --- Territories -----------------------------------------------------------------

# Bassins come from fixtures/territories.json: key -> (slug, locative phrase).
BASSINS = {
    "gier": ("gier", "sur le bassin du Gier"),
    "ondaine": ("ondaine", "sur le bassin de l'Ondaine"),
    "saint-etienne": ("bassin-saint-etienne", "sur le bassin stéphanois"),
}


class Commune(NamedTuple):
    slug: str
    name: str
    bassin: str
    locative: str
    organisation: str


COMMUNES = (
    Commune(
        "rive-de-gier",
        "Rive-de-Gier",
        "gier",
        "à Rive-de-Gier",
        "Ville de Rive-de-Gier",
    ),
    Commune(
        "saint-chamond",
        "Saint-Chamond",
        "gier",
        "à Saint-Chamond",
        "Ville de Saint-Chamond",
    ),
    Commune("lorette", "Lorette", "gier", "à Lorette", "Ville de Lorette"),
    Commune(
        "la-grand-croix",
        "La Grand-Croix",
        "gier",
        "à La Grand-Croix",
        "Ville de La Grand-Croix",
    ),
    Commune("firminy", "Firminy", "ondaine", "à Firminy", "Ville de Firminy"),
    Commune(
        "le-chambon-feugerolles",
        "Le Chambon-Feugerolles",
        "ondaine",
        "au Chambon-Feugerolles",
        "Ville du Chambon-Feugerolles",
    ),
    Commune(
        "la-ricamarie",
        "La Ricamarie",
        "ondaine",
        "à La Ricamarie",
        "Ville de La Ricamarie",
    ),
    Commune(
        "roche-la-moliere",
        "Roche-la-Molière",
        "ondaine",
        "à Roche-la-Molière",
        "Ville de Roche-la-Molière",
    ),
    Commune(
        "saint-etienne",
        "Saint-Étienne",
        "saint-etienne",
        "à Saint-Étienne",
        "Ville de Saint-Étienne",
    ),
)


class Neighbourhood(NamedTuple):
    commune: str
    slug: str
    name: str
    locative: str


NEIGHBOURHOODS = (
    Neighbourhood(
        "saint-etienne", "saint-etienne-montreynaud", "Montreynaud", "à Montreynaud"
    ),
    Neighbourhood(
        "saint-etienne", "saint-etienne-cret-de-roc", "Crêt de Roc", "au Crêt de Roc"
    ),
    Neighbourhood(
        "saint-etienne", "saint-etienne-la-cotonne", "La Cotonne", "à la Cotonne"
    ),
    Neighbourhood("firminy", "firminy-firminy-vert", "Firminy-Vert", "à Firminy-Vert"),
    Neighbourhood("saint-chamond", "saint-chamond-fonsala", "Fonsala", "à Fonsala"),
)

# Phrases for proposals that concern the whole agglomeration (all three bassins).
AGGLOMERATION_LOCATIVES = (
    "à l'échelle de l'agglomération",
    "à l'échelle inter-bailleurs",
)


# --- Organisations ---------------------------------------------------------------

# Organisations of fixtures/organisations.json, by primary key.
FIXTURE_ORGANISATIONS = {
    "amo2sm": 1,
    "sem": 2,
    "dde": 3,
    "prefecture": 4,
    "region": 5,
    "cg": 6,
}


class Landlord(NamedTuple):
    key: str
    name: str
    short_name: str
    is_commission_member: bool


LANDLORDS = (
    Landlord("hmp", "Habitat des Monts du Pilat (fictif)", "HMP", True),
    Landlord("o7c", "Office stéphanois des Sept Collines (fictif)", "O7C", True),
    Landlord("lvg", "Logis de la Vallée du Gier (fictif)", "LVG", True),
    Landlord("fdo", "Foyers de l'Ondaine (fictif)", "FDO", True),
    Landlord("tsf", "Toits Solidaires du Forez (fictif)", "TSF", True),
    Landlord(
        "hir", "Coopérative d'habitat Les Hirondelles (fictif)", "Hirondelles", False
    ),
)


# --- People ----------------------------------------------------------------------


class Person(NamedTuple):
    username: str
    first_name: str
    last_name: str
    organisation: str  # a key of FIXTURE_ORGANISATIONS or LANDLORDS, or a commune slug
    job_title: str
    is_commission_delegate: bool = False
    is_secretariat: bool = False
    is_partner: bool = False
    is_staff: bool = False
    is_superuser: bool = False

    @property
    def email(self) -> str:
        return f"{ascii_slug(self.first_name)}.{ascii_slug(self.last_name)}@example.org"


def ascii_slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return text.lower().replace(" ", "-")


def _person(first_name, last_name, organisation, job_title, **flags) -> Person:
    username = f"{ascii_slug(first_name)}.{ascii_slug(last_name)}"
    return Person(username, first_name, last_name, organisation, job_title, **flags)


class Login(NamedTuple):
    username: str
    role: str


# The fixed demo accounts, in the order of the table printed by seed_demo.
LOGINS = (
    Login("admin", "Administrateur (superutilisateur)"),
    Login("secretariat", "Secrétariat AMO2SM"),
    Login("commission", "Délégué à la commission CUCS"),
    Login("referent", "Co-animatrice, référente bailleur (atelier 1)"),
    Login("animateur", "Co-animateur, Saint-Étienne Métropole (atelier 1)"),
    Login("membre", "Membre volontaire (atelier 1)"),
    Login("partenaire", "Partenaire, lecture seule (DDE)"),
)

PEOPLE = (
    # The fixed demo logins.
    Person(
        "admin",
        "Dominique",
        "Cèdre",
        "amo2sm",
        "Administrateur du portail",
        is_staff=True,
        is_superuser=True,
    ),
    Person(
        "secretariat",
        "Claire",
        "Tilleul",
        "amo2sm",
        "Chargée de mission CUCS",
        is_secretariat=True,
        is_staff=True,
    ),
    Person(
        "commission",
        "Marc",
        "Érable",
        "hmp",
        "Directeur de la gestion locative",
        is_commission_delegate=True,
    ),
    Person(
        "referent",
        "Sophie",
        "Bouleau",
        "o7c",
        "Responsable de la concertation locative",
    ),
    Person(
        "animateur",
        "Julien",
        "Sapin",
        "sem",
        "Chargé de mission politique de la ville",
    ),
    Person("membre", "Nadia", "Saule", "lvg", "Chargée de gestion locative"),
    Person(
        "partenaire",
        "Hélène",
        "Mélèze",
        "dde",
        "Chargée d'études habitat",
        is_partner=True,
    ),
    # AMO2SM secretariat.
    _person(
        "Anne",
        "Lavande",
        "amo2sm",
        "Assistante de la commission CUCS",
        is_secretariat=True,
        is_staff=True,
    ),
    # Commission delegates of the other member landlords.
    _person(
        "Philippe",
        "Charme",
        "o7c",
        "Directeur de la proximité",
        is_commission_delegate=True,
    ),
    _person(
        "Martine",
        "Frêne",
        "lvg",
        "Directrice générale adjointe",
        is_commission_delegate=True,
    ),
    _person(
        "Gérard",
        "Noyer",
        "fdo",
        "Responsable du service social",
        is_commission_delegate=True,
    ),
    _person(
        "Isabelle",
        "Aulne",
        "tsf",
        "Directrice de la clientèle",
        is_commission_delegate=True,
    ),
    _person("Thierry", "Cormier", "hir", "Chargé de développement"),
    # Partners.
    _person(
        "Christine",
        "Sorbier",
        "prefecture",
        "Chargée de mission politique de la ville",
        is_partner=True,
    ),
    _person(
        "Olivier", "Tamaris", "region", "Chargé de mission habitat", is_partner=True
    ),
    _person("Valérie", "Houx", "cg", "Responsable du service habitat", is_partner=True),
    # Public co-animators (communes and Saint-Étienne Métropole).
    _person("Catherine", "Peuplier", "saint-etienne", "Cheffe de projet GUSP"),
    _person("Patrick", "Platane", "firminy", "Chef de projet contrat de ville"),
    _person("Laurence", "Merisier", "sem", "Chargée de mission emploi-insertion"),
    _person("Bruno", "Genêt", "saint-chamond", "Chargé de mission cohésion sociale"),
    _person("Sandrine", "Troène", "rive-de-gier", "Chargée de mission cadre de vie"),
    # Landlord staff volunteering in the ateliers.
    _person("Éric", "Hêtre", "hmp", "Responsable d'agence"),
    _person("Fatima", "Orme", "fdo", "Chargée de développement social"),
    _person("Laurent", "Alisier", "tsf", "Chargé de clientèle"),
    _person(
        "Monique", "Bruyère", "fdo", "Conseillère en économie sociale et familiale"
    ),
    _person("Sylvie", "Acacia", "hmp", "Responsable du précontentieux"),
    _person("Karim", "Sureau", "o7c", "Chargé du recouvrement amiable"),
    _person("Corinne", "Verveine", "tsf", "Conseillère sociale"),
    _person("Pascal", "Tremble", "hmp", "Responsable de la tranquillité résidentielle"),
    _person("Didier", "Buis", "o7c", "Médiateur social"),
    _person("Samia", "Myrte", "lvg", "Responsable de secteur"),
    _person("Jean-Luc", "Robinier", "fdo", "Gardien d'immeuble"),
    _person("Nathalie", "Pervenche", "tsf", "Chargée de gestion locative"),
    _person("Stéphane", "Prunier", "tsf", "Chargé d'insertion"),
    _person("Aurélie", "Fougère", "hmp", "Chargée de développement social urbain"),
    _person("Mehdi", "Cyprès", "lvg", "Chargé des attributions"),
    _person("Sébastien", "Noisetier", "fdo", "Responsable des marchés de travaux"),
    _person("Brigitte", "Glycine", "lvg", "Responsable du service clientèle"),
    _person("François", "Romarin", "hmp", "Technicien de patrimoine"),
    _person("Josiane", "Mimosa", "o7c", "Conseillère en économie sociale et familiale"),
    _person("Alain", "Lierre", "fdo", "Chargé des attributions"),
    _person("Yasmina", "Sauge", "tsf", "Chargée de gestion locative"),
    _person("Christophe", "Marronnier", "o7c", "Responsable de la maintenance"),
    _person("Véronique", "Aubépine", "hmp", "Responsable d'agence"),
    _person("Thomas", "Épicéa", "lvg", "Technicien de proximité"),
    _person("Karine", "Camélia", "fdo", "Chargée de communication"),
)

# Extra staff for the "large" size: people of the organisations who take part in no
# atelier, so that lists of people and organisations get long enough.
_EXTRA_NAMES = (
    ("Agnès", "Amandier"),
    ("Benoît", "Bleuet"),
    ("Cécile", "Capucine"),
    ("Damien", "Chardon"),
    ("Élodie", "Coquelicot"),
    ("Fabrice", "Cerisier"),
    ("Gaëlle", "Églantier"),
    ("Hervé", "Figuier"),
    ("Inès", "Gentiane"),
    ("Jérôme", "Giroflée"),
    ("Lucie", "Jonquille"),
    ("Mathieu", "Laurier"),
    ("Noémie", "Magnolia"),
    ("Olivier", "Muguet"),
    ("Pauline", "Narcisse"),
    ("Rachid", "Pivoine"),
    ("Sabine", "Roseau"),
    ("Vincent", "Tournesol"),
    ("Yvette", "Tulipe"),
    ("Hugo", "Sainfoin"),
)
_EXTRA_PLACES = (
    ("hmp", "Gardien d'immeuble"),
    ("o7c", "Chargée de clientèle"),
    ("lvg", "Agent de maintenance"),
    ("fdo", "Chargé de gestion locative"),
    ("tsf", "Gardienne d'immeuble"),
    ("hir", "Responsable technique"),
    ("saint-etienne", "Agent de développement local"),
    ("firminy", "Responsable des services techniques"),
    ("saint-chamond", "Chargé de mission politique de la ville"),
    ("rive-de-gier", "Responsable de la propreté urbaine"),
)
EXTRA_PEOPLE = tuple(
    _person(first, last, *_EXTRA_PLACES[index % len(_EXTRA_PLACES)])
    for index, (first, last) in enumerate(_EXTRA_NAMES)
)


# --- Ateliers --------------------------------------------------------------------


class AtelierSpec(NamedTuple):
    description: str
    landlord_referent: str
    public_coanimator: str
    members: tuple[str, ...]
    places: tuple[str, str, str]
    # (year, month, day, hour, minute) in Europe/Paris.
    sessions: tuple[tuple[int, int, int, int, int], ...]


# Keyed by axis number.
ATELIERS = {
    1: AtelierSpec(
        "L'atelier recense les pratiques de concertation des organismes et formalise "
        "les conditions d'une participation réelle des locataires et de leurs "
        "représentants à la gestion urbaine de proximité.",
        landlord_referent="referent",
        public_coanimator="animateur",
        members=("membre", "eric.hetre", "fatima.orme", "laurent.alisier"),
        places=(
            "Siège d'AMO2SM, Saint-Étienne",
            "Agence de l'Office stéphanois des Sept Collines, Montreynaud",
            "Saint-Étienne Métropole, salle de réunion",
        ),
        sessions=((2007, 2, 6, 14, 0), (2007, 3, 6, 14, 0), (2007, 4, 3, 14, 0)),
    ),
    2: AtelierSpec(
        "L'atelier construit avec les services sociaux et les collectivités un "
        "partenariat pour repérer tôt les difficultés des ménages, prévenir les "
        "expulsions et maintenir les locataires dans leur logement.",
        landlord_referent="monique.bruyere",
        public_coanimator="catherine.peuplier",
        members=("sylvie.acacia", "karim.sureau", "corinne.verveine"),
        places=(
            "Siège d'AMO2SM, Saint-Étienne",
            "Hôtel de ville de Saint-Étienne, salle 12",
            "Agence des Foyers de l'Ondaine, Firminy",
        ),
        sessions=((2007, 2, 8, 9, 30), (2007, 3, 8, 9, 30), (2007, 4, 5, 9, 30)),
    ),
    3: AtelierSpec(
        "L'atelier met en commun les expériences de médiation, de veille et de "
        "tranquillité résidentielle des organismes et des trois bassins, et en tire "
        "des propositions partagées.",
        landlord_referent="pascal.tremble",
        public_coanimator="patrick.platane",
        members=(
            "didier.buis",
            "samia.myrte",
            "jean-luc.robinier",
            "nathalie.pervenche",
        ),
        places=(
            "Mairie de Firminy, salle du conseil",
            "Siège d'AMO2SM, Saint-Étienne",
            "Maison de quartier de Firminy-Vert",
        ),
        sessions=((2007, 2, 13, 14, 0), (2007, 3, 13, 14, 0), (2007, 4, 10, 14, 0)),
    ),
    4: AtelierSpec(
        "L'atelier rapproche les bailleurs des acteurs de l'emploi et de l'insertion "
        "pour faciliter le parcours des jeunes des quartiers, du premier logement au "
        "premier emploi.",
        landlord_referent="stephane.prunier",
        public_coanimator="laurence.merisier",
        members=("aurelie.fougere", "mehdi.cypres", "sebastien.noisetier"),
        places=(
            "Saint-Étienne Métropole, salle de réunion",
            "Mission locale, antenne de Saint-Chamond",
            "Siège d'AMO2SM, Saint-Étienne",
        ),
        sessions=((2007, 2, 15, 9, 30), (2007, 3, 15, 9, 30), (2007, 4, 12, 9, 30)),
    ),
    5: AtelierSpec(
        "L'atelier étudie l'adaptation des logements et de l'accompagnement au "
        "vieillissement des locataires et aux situations de handicap.",
        landlord_referent="brigitte.glycine",
        public_coanimator="bruno.genet",
        members=("francois.romarin", "josiane.mimosa", "alain.lierre", "yasmina.sauge"),
        places=(
            "Mairie de Saint-Chamond, salle des commissions",
            "Agence du Logis de la Vallée du Gier, Rive-de-Gier",
            "Siège d'AMO2SM, Saint-Étienne",
        ),
        sessions=((2007, 2, 20, 14, 0), (2007, 3, 20, 14, 0), (2007, 4, 17, 14, 0)),
    ),
    6: AtelierSpec(
        "L'atelier coordonne les interventions des bailleurs et des communes sur la "
        "propreté, l'entretien des espaces extérieurs et l'image des quartiers.",
        landlord_referent="christophe.marronnier",
        public_coanimator="sandrine.troene",
        members=("veronique.aubepine", "thomas.epicea", "karine.camelia"),
        places=(
            "Mairie de Rive-de-Gier, salle des mariages",
            "Siège d'AMO2SM, Saint-Étienne",
            "Local collectif résidentiel, Le Chambon-Feugerolles",
        ),
        sessions=((2007, 2, 22, 9, 30), (2007, 3, 22, 9, 30), (2007, 4, 19, 9, 30)),
    ),
}

SESSION_AGENDAS = (
    "1. Tour de table et attentes de chacun\n"
    "2. Rappel des éléments de diagnostic de l'axe « {axis} »\n"
    "3. Méthode et calendrier de l'atelier\n"
    "4. Premières pistes d'enjeux",
    "1. Validation du compte rendu de la séance précédente\n"
    "2. Formalisation des enjeux de l'axe\n"
    "3. Premières fiches propositions\n"
    "4. Questions diverses",
    "1. Relecture des fiches propositions\n"
    "2. Priorisation et choix des porteurs\n"
    "3. Préparation de la commission CUCS du 26 avril\n"
    "4. Préparation du séminaire du 10 mai 2007",
)

FRENCH_MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
FRENCH_WEEKDAYS = (
    "lundi",
    "mardi",
    "mercredi",
    "jeudi",
    "vendredi",
    "samedi",
    "dimanche",
)


# --- Axis themes -----------------------------------------------------------------


class Theme(NamedTuple):
    # (title, description), in order: position 1..n.
    enjeux: tuple[tuple[str, str], ...]
    # (bassin key or None for a shared finding, text), in order: position 1..n.
    diagnosis: tuple[tuple[str | None, str], ...]
    # Phrase lists used to write the description, means and indicators of every
    # proposal, and the titles and summaries of generated ("large") proposals.
    objectives: tuple[str, ...]
    # (enjeu position, text): findings and purposes are picked among those of the
    # proposal's enjeu; actions too, completed with the general ones (position 0).
    findings: tuple[tuple[int, str], ...]
    purposes: tuple[tuple[int, str], ...]
    # (enjeu position, object of a title, starting with "de", "d'", "du" or "des").
    objects: tuple[tuple[int, str], ...]
    actions: tuple[tuple[int, str], ...]
    indicators: tuple[str, ...]
    funding: tuple[str, ...]
    # Organisation keys the atelier usually works with.
    partners: tuple[str, ...]


# Heads of generated titles, by the article the object starts with, so that they
# read naturally: "Mise en place d'un comité", "Développement de formations",
# "Généralisation des diagnostics".
TITLE_HEADS = {
    "indefinite": ("Mise en place", "Expérimentation", "Création"),
    "plural": ("Mise en place", "Expérimentation", "Développement"),
    "definite": ("Développement", "Généralisation", "Renforcement"),
}


def title_heads(subject: str) -> tuple[str, ...]:
    if subject.startswith(("d'un ", "d'une ")):
        return TITLE_HEADS["indefinite"]
    if subject.startswith(("du ", "de la ", "de l'", "des ")):
        return TITLE_HEADS["definite"]
    return TITLE_HEADS["plural"]


SUMMARY_CLOSINGS = (
    "La proposition s'appuie sur les expériences déjà conduites par les organismes "
    "membres de la commission.",
    "Elle sera déclinée site par site lors de la programmation CUCS.",
    "Elle associe bailleurs, communes et partenaires du CUCS.",
    "Un premier bilan sera présenté à la commission CUCS inter-bailleurs.",
)

COMMON_FUNDING = (
    "Qualité de Service",
    "crédits GUSP du CUCS",
    "fonds propres des bailleurs (temps des personnels de proximité)",
    "abattement de TFPB sur les quartiers prioritaires",
)

TIMETABLES = (
    "- **Septembre 2007** : lancement sur un site pilote\n"
    "- **Juin 2008** : bilan intermédiaire en commission CUCS\n"
    "- **2009** : extension à l'ensemble des quartiers prioritaires",
    "- **Juillet–octobre 2007** : déclinaison dans la programmation de chaque site\n"
    "- **2008** : mise en œuvre\n"
    "- **Fin 2008** : évaluation partagée avec les partenaires",
    "- **Dès 2007** : mise en œuvre par les organismes volontaires\n"
    "- **2008–2009** : généralisation à l'inter-bailleurs",
    "- **Octobre 2007** : rédaction des documents et désignation des référents\n"
    "- **Janvier 2008** : démarrage\n"
    "- **Décembre 2008** : premier bilan annuel",
)

# Keyed by axis number.
THEMES = {
    1: Theme(
        enjeux=(
            (
                "Associer les locataires à l'élaboration et au suivi des programmes "
                "GUSP",
                "Les programmes GUSP des trois contrats de ville ont été bâtis sans "
                "les "
                "locataires : il s'agit de les associer dès le diagnostic et jusqu'au "
                "bilan.",
            ),
            (
                "Soutenir les associations et amicales de locataires",
                "Donner aux représentants des locataires les moyens (formation, "
                "locaux, "
                "information) de jouer pleinement leur rôle dans les instances de "
                "concertation.",
            ),
            (
                "Diversifier les formes de participation au-delà des instances "
                "officielles",
                "Aller vers les locataires qui ne participent jamais : diagnostics en "
                "marchant, réunions de pied d'immeuble, enquêtes de proximité.",
            ),
            (
                "Rendre compte aux locataires des actions menées",
                "Informer régulièrement et simplement les habitants de ce qui a été "
                "fait, par qui et avec quels moyens.",
            ),
        ),
        diagnosis=(
            (
                None,
                "Dans les trois contrats de ville, les conventions GUSP ont été "
                "élaborées entre bailleurs et communes sans consultation des "
                "représentants des locataires.",
            ),
            (
                "ondaine",
                "Sur l'Ondaine, les amicales de locataires existent sur la plupart des "
                "sites mais peinent à renouveler leurs membres et ne sont pas "
                "associées "
                "aux bilans.",
            ),
            (
                "saint-etienne",
                "À Saint-Étienne, les diagnostics en marchant expérimentés sur "
                "quelques "
                "quartiers ont été appréciés mais sont restés ponctuels, sans suite "
                "communiquée aux habitants.",
            ),
        ),
        objectives=(
            "associer les locataires dès la phase de diagnostic",
            "reconnaître les représentants des locataires comme interlocuteurs",
            "toucher les habitants éloignés des instances de concertation",
            "rendre visibles les actions financées au titre de la GUSP",
            "harmoniser les pratiques de concertation entre organismes",
        ),
        findings=(
            (
                1,
                "Les programmes GUSP ont jusqu'ici été arrêtés sans consultation des "
                "représentants des locataires.",
            ),
            (
                3,
                "Les instances de concertation locative restent formelles et "
                "réunissent toujours les mêmes personnes.",
            ),
            (
                4,
                "Les habitants ignorent le plus souvent l'existence des programmes "
                "GUSP.",
            ),
            (
                2,
                "Les amicales de locataires manquent de moyens et d'information pour "
                "jouer leur rôle.",
            ),
        ),
        purposes=(
            (1, "mieux associer les locataires aux décisions qui les concernent"),
            (2, "faire des représentants des locataires des interlocuteurs reconnus"),
            (3, "tenir compte de l'usage réel des espaces par les habitants"),
            (4, "rendre visibles les actions financées au titre de la GUSP"),
        ),
        objects=(
            (1, "d'un comité de suivi GUSP ouvert aux habitants"),
            (1, "de réunions de pré-programmation avec les amicales"),
            (1, "de la consultation des locataires sur les priorités d'entretien"),
            (2, "de formations pour les représentants des locataires"),
            (2, "de l'appui logistique aux associations de locataires"),
            (2, "d'un guide pratique des charges et de la GUSP"),
            (3, "des diagnostics en marchant avec les habitants"),
            (3, "de réunions de pied d'immeuble"),
            (3, "d'enquêtes de satisfaction de proximité"),
            (4, "d'une lettre d'information GUSP par quartier"),
            (4, "de l'affichage des suites données aux demandes des locataires"),
            (4, "de réunions publiques de restitution"),
        ),
        actions=(
            (1, "Réunir les amicales **avant chaque programmation** annuelle"),
            (1, "Présenter le bilan de l'année au conseil de concertation locative"),
            (2, "Prendre en charge les frais de fonctionnement des associations"),
            (2, "Organiser des sessions communes à tous les bailleurs d'un bassin"),
            (3, "Recueillir les remarques des habitants sur une fiche simple"),
            (3, "Organiser les rencontres **en soirée et en pied d'immeuble**"),
            (4, "Diffuser un **relevé de décisions** dans les halls sous un mois"),
            (4, "Tenir une **réunion publique de restitution** par bassin"),
            (0, "Associer les gardiens à la préparation des réunions"),
            (0, "Désigner un référent participation dans chaque agence"),
            (0, "Faire le bilan de l'action en commission CUCS"),
        ),
        indicators=(
            "Nombre de réunions tenues avec les représentants des locataires",
            "Nombre de participants et part des nouveaux participants",
            "Part des demandes des locataires suivies d'une réponse écrite",
            "Taux de satisfaction mesuré par l'enquête triennale",
            "Nombre d'amicales actives par quartier prioritaire",
        ),
        funding=("crédits de la Préfecture au titre de la politique de la ville",),
        partners=("sem", "prefecture", "commune"),
    ),
    2: Theme(
        enjeux=(
            (
                "Repérer plus tôt les situations de fragilité",
                "Impayés débutants, isolement, troubles de santé : agir avant que les "
                "difficultés ne deviennent insurmontables.",
            ),
            (
                "Coordonner bailleurs, services sociaux et collectivités autour des "
                "ménages en difficulté",
                "Identifier des interlocuteurs, partager l'information utile et "
                "assurer "
                "un accompagnement continu.",
            ),
            (
                "Prévenir les expulsions locatives",
                "Mobiliser les aides et l'accompagnement avant l'assignation et "
                "privilégier les solutions négociées avec les ménages de bonne foi.",
            ),
            (
                "Adapter les parcours résidentiels aux ressources des ménages",
                "Faciliter les mutations vers des logements dont le loyer et les "
                "charges "
                "correspondent aux ressources des ménages.",
            ),
        ),
        diagnosis=(
            (
                None,
                "Les impayés de loyer sont souvent repérés au stade contentieux ; les "
                "bailleurs agissent chacun de leur côté, avec des procédures "
                "différentes.",
            ),
            (
                "gier",
                "Sur le Gier, l'absence d'instance de coordination avec les services "
                "sociaux du Département retarde la mobilisation du FSL.",
            ),
            (
                None,
                "Les bilans des contrats de ville signalent une progression des "
                "troubles "
                "psychiques chez les locataires isolés, sans partenariat établi avec "
                "le "
                "secteur de la santé.",
            ),
        ),
        objectives=(
            "intervenir dès les premiers signes de difficulté",
            "harmoniser les procédures précontentieuses des organismes",
            "garantir à chaque ménage un interlocuteur social identifié",
            "réduire le nombre d'assignations et d'expulsions",
            "proposer un logement adapté aux ressources des ménages",
        ),
        findings=(
            (
                1,
                "Les impayés sont souvent repérés au stade contentieux, quand les "
                "solutions sont déjà limitées.",
            ),
            (
                2,
                "Faute d'interlocuteurs identifiés, les situations sont signalées "
                "tardivement aux services sociaux.",
            ),
            (
                3,
                "Les aides du FSL sont mobilisées de façon inégale d'un bassin à "
                "l'autre.",
            ),
            (
                4,
                "Des ménages restent dans un logement trop cher faute de solution de "
                "mutation rapide.",
            ),
        ),
        purposes=(
            (1, "agir avant que les difficultés ne deviennent insurmontables"),
            (3, "éviter l'expulsion des ménages de bonne foi"),
            (2, "garantir un accompagnement continu des ménages fragiles"),
            (4, "proposer un logement adapté aux ressources des ménages"),
        ),
        objects=(
            (1, "d'une procédure commune de traitement des impayés débutants"),
            (1, "du repérage des situations de fragilité par les gardiens"),
            (1, "de visites à domicile dès le premier impayé"),
            (2, "d'une charte de coopération avec les services sociaux"),
            (2, "de référents sociaux identifiés par agence"),
            (2, "du partenariat avec les centres médico-psychologiques"),
            (3, "d'une commission de prévention des expulsions"),
            (3, "de l'accompagnement social lié au logement en phase précontentieuse"),
            (3, "de protocoles de cohésion sociale avec les ménages de bonne foi"),
            (4, "d'une bourse d'échanges de logements entre bailleurs"),
            (4, "des mutations pour raisons financières"),
            (4, "du relogement des ménages en sur-occupation"),
        ),
        actions=(
            (1, "Contacter le ménage **dès le premier mois d'impayé**"),
            (1, "Orienter vers le FSL et les services sociaux avant le deuxième mois"),
            (2, "Désigner un **référent social** par agence"),
            (2, "Tenir un point trimestriel entre bailleur et travailleur social"),
            (3, "Présenter les dossiers en commission **avant l'assignation**"),
            (3, "Proposer un plan d'apurement adapté aux ressources"),
            (
                4,
                "Rendre prioritaires en commission d'attribution les mutations pour "
                "raisons financières",
            ),
            (4, "Proposer une **aide au déménagement** financée sur fonds propres"),
            (0, "Suivre les engagements pris par chaque partenaire"),
            (0, "Harmoniser les courriers et les procédures entre organismes"),
            (0, "Faire un bilan annuel en commission CUCS"),
        ),
        indicators=(
            "Nombre de ménages contactés au premier mois d'impayé",
            "Montant moyen de la dette au moment du premier contact",
            "Nombre d'assignations et de concours de la force publique",
            "Nombre de plans d'apurement respectés à six mois",
            "Nombre de mutations pour raisons financières réalisées",
        ),
        funding=(
            "FSL (Conseil Général de la Loire)",
            "crédits d'accompagnement social",
        ),
        partners=("cg", "prefecture", "commune"),
    ),
    3: Theme(
        enjeux=(
            (
                "Partager les expériences de médiation et de tranquillité "
                "résidentielle",
                "Capitaliser et diffuser entre bailleurs et bassins ce qui a "
                "fonctionné "
                "en matière de médiation, de veille et de présence de proximité.",
            ),
            (
                "Prévenir et traiter les troubles de voisinage",
                "Adopter des réponses graduées et homogènes, de l'écoute à la "
                "médiation "
                "puis au rappel au règlement.",
            ),
            (
                "Organiser la veille et le partenariat avec les communes, la police et "
                "la justice",
                "Faire remonter les informations de terrain et agir de concert dans "
                "les "
                "instances locales de prévention de la délinquance.",
            ),
            (
                "Favoriser les liens entre habitants et les initiatives collectives",
                "Soutenir les projets des habitants qui font vivre les résidences et "
                "créent des occasions de rencontre.",
            ),
        ),
        diagnosis=(
            (
                None,
                "Les dispositifs de médiation (correspondants de nuit, médiateurs de "
                "quartier) diffèrent d'un bassin à l'autre et ne sont ni évalués ni "
                "partagés.",
            ),
            (
                "saint-etienne",
                "Dans les grands ensembles stéphanois, les dégradations et occupations "
                "de halls concentrent l'essentiel des réclamations des locataires.",
            ),
        ),
        objectives=(
            "apaiser les relations de voisinage",
            "partager les savoir-faire entre bailleurs et bassins",
            "améliorer le sentiment de sécurité des locataires",
            "soutenir les personnels de proximité exposés aux incivilités",
            "favoriser les liens entre habitants",
        ),
        findings=(
            (
                1,
                "Les dispositifs de médiation diffèrent d'un bassin à l'autre et "
                "leurs résultats ne sont ni évalués ni partagés.",
            ),
            (2, "Chaque organisme traite les plaintes de voisinage à sa façon."),
            (
                3,
                "Les personnels de proximité sont exposés à des incivilités "
                "croissantes.",
            ),
            (
                4,
                "Les initiatives d'habitants manquent de petits moyens rapidement "
                "mobilisables.",
            ),
        ),
        purposes=(
            (2, "apaiser les relations de voisinage"),
            (1, "partager les savoir-faire entre bailleurs et bassins"),
            (3, "améliorer le sentiment de sécurité des locataires"),
            (4, "favoriser les liens entre habitants"),
        ),
        objects=(
            (1, "d'un réseau inter-bailleurs des agents de médiation"),
            (1, "de fiches de retour d'expérience sur la tranquillité résidentielle"),
            (1, "de rencontres entre personnels de proximité"),
            (2, "d'un protocole gradué de traitement des troubles de voisinage"),
            (2, "de la médiation de voisinage"),
            (2, "de formations à la gestion des conflits"),
            (3, "de la présence des bailleurs dans les cellules de veille des CLSPD"),
            (3, "d'un tableau de bord partagé des faits constatés"),
            (3, "de la coordination avec les polices municipale et nationale"),
            (4, "d'un fonds d'initiatives d'habitants"),
            (4, "de fêtes d'immeuble et repas de quartier"),
            (4, "de jardins partagés au pied des immeubles"),
        ),
        actions=(
            (1, "Organiser **trois rencontres par an** du réseau"),
            (
                1,
                "Constituer une boîte à outils commune (fiches réflexes, main "
                "courante)",
            ),
            (2, "Recourir à la médiation **avant toute procédure**"),
            (2, "Informer les plaignants des suites données sous un mois"),
            (3, "Désigner un représentant inter-bailleurs par CLSPD"),
            (3, "Transmettre un tableau mensuel des faits constatés sur le patrimoine"),
            (4, "Lancer un **appel à initiatives** annuel par bassin"),
            (4, "Mettre à disposition des locaux et du matériel"),
            (0, "Associer les amicales de locataires au suivi de l'action"),
            (0, "Présenter un bilan annuel en commission CUCS"),
        ),
        indicators=(
            "Nombre de plaintes de voisinage et délai moyen de traitement",
            "Part des conflits réglés par la médiation",
            "Coût des dégradations dans les parties communes",
            "Nombre d'initiatives d'habitants soutenues",
            "Évolution du sentiment de sécurité dans l'enquête de satisfaction",
        ),
        funding=("crédits de prévention de la délinquance (FIPD)",),
        partners=("prefecture", "sem", "commune"),
    ),
    4: Theme(
        enjeux=(
            (
                "Faciliter l'accès des jeunes au logement autonome",
                "Ouvrir davantage le parc social aux jeunes en formation ou en premier "
                "emploi et les accompagner lors de leur entrée dans les lieux.",
            ),
            (
                "Mobiliser les chantiers et clauses d'insertion des bailleurs au "
                "profit "
                "des jeunes des quartiers",
                "Faire bénéficier les jeunes des quartiers des emplois et des heures "
                "d'insertion générés par l'activité des bailleurs.",
            ),
            (
                "Coordonner l'action des bailleurs avec les partenaires de l'emploi et "
                "de l'insertion",
                "Rapprocher bailleurs, Mission locale, ANPE et PLIE pour construire "
                "des "
                "parcours du logement à l'emploi.",
            ),
        ),
        diagnosis=(
            (
                None,
                "Les jeunes de moins de 25 ans représentent une faible part des "
                "attributions, alors que la demande de petits logements progresse.",
            ),
            (
                "ondaine",
                "Sur l'Ondaine, les clauses d'insertion des opérations de "
                "réhabilitation "
                "ont bénéficié surtout à des publics extérieurs aux quartiers "
                "concernés.",
            ),
        ),
        objectives=(
            "faciliter le premier accès des jeunes au logement autonome",
            "réserver aux jeunes des quartiers une part des heures d'insertion",
            "faire connaître les métiers du logement social",
            "mieux coordonner bailleurs et acteurs de l'insertion",
        ),
        findings=(
            (1, "Les jeunes représentent une faible part des attributions."),
            (
                2,
                "Les heures d'insertion des réhabilitations bénéficient peu aux "
                "jeunes des quartiers concernés.",
            ),
            (
                3,
                "Bailleurs et acteurs de l'emploi se connaissent mal et partagent peu "
                "leurs informations.",
            ),
            (
                1,
                "Les premiers impayés surviennent souvent dans les mois qui suivent "
                "l'entrée dans les lieux des jeunes ménages.",
            ),
        ),
        purposes=(
            (1, "faciliter le premier accès des jeunes au logement autonome"),
            (
                2,
                "faire bénéficier les jeunes des quartiers des emplois générés par "
                "les bailleurs",
            ),
            (3, "construire des parcours du logement à l'emploi"),
            (3, "mieux coordonner bailleurs et acteurs de l'insertion"),
        ),
        objects=(
            (1, "d'un contingent de petits logements pour les jeunes en insertion"),
            (1, "de la colocation pour les moins de 25 ans"),
            (1, "d'un accompagnement à l'entrée dans le premier logement"),
            (1, "de partenariats avec les foyers de jeunes travailleurs"),
            (2, "de clauses d'insertion dans les marchés de réhabilitation"),
            (2, "de chantiers éducatifs d'été dans les résidences"),
            (2, "de chantiers d'insertion pour l'entretien des espaces extérieurs"),
            (2, "de l'accueil de jeunes en stage dans les métiers de la proximité"),
            (3, "d'un comité local bailleurs–Mission locale–ANPE"),
            (3, "du suivi des jeunes embauchés au titre des clauses d'insertion"),
            (3, "de la coordination avec le PLIE"),
        ),
        actions=(
            (1, "Fixer un **objectif annuel** d'attributions aux jeunes par organisme"),
            (1, "Mettre en place une fiche de liaison avec la Mission locale"),
            (1, "Mobiliser le LOCA-PASS pour le dépôt de garantie"),
            (
                2,
                "Introduire une **clause d'insertion** dans les marchés de "
                "réhabilitation",
            ),
            (2, "Confier le repérage des candidats à la Mission locale et au PLIE"),
            (2, "Associer les clubs de prévention à l'encadrement des chantiers"),
            (3, "Désigner un référent emploi-insertion par organisme"),
            (3, "Réunir le comité local **trois fois par an**"),
            (0, "Faire le **bilan annuel** des embauches et des attributions"),
            (0, "Suivre la situation des jeunes six mois après"),
        ),
        indicators=(
            "Nombre d'attributions à des jeunes de moins de 30 ans",
            "Nombre d'heures d'insertion réalisées par des jeunes des quartiers",
            "Nombre de jeunes accueillis en chantier éducatif",
            "Situation des jeunes six mois après leur embauche",
            "Nombre d'impayés dans la première année de bail",
        ),
        funding=("Région Rhône-Alpes (emploi-formation)", "PLIE de l'agglomération"),
        partners=("region", "sem", "commune"),
    ),
    5: Theme(
        enjeux=(
            (
                "Adapter les logements et les parties communes à la perte d'autonomie",
                "Définir des réponses communes aux demandes d'adaptation et intégrer "
                "le vieillissement dans les réhabilitations.",
            ),
            (
                "Connaître les besoins et attribuer les logements adaptés à ceux qui "
                "en "
                "ont besoin",
                "Recenser l'offre adaptée, repérer les besoins et organiser les "
                "mutations.",
            ),
            (
                "Rompre l'isolement et coordonner l'accompagnement à domicile",
                "Travailler avec les CLIC, les CCAS et les services d'aide à domicile "
                "pour les locataires âgés ou handicapés.",
            ),
        ),
        diagnosis=(
            (
                None,
                "La part des locataires de plus de 60 ans progresse sur tous les "
                "sites ; "
                "les demandes d'adaptation (douches, barres d'appui) sont traitées au "
                "cas par cas.",
            ),
            (
                "gier",
                "Sur le Gier, les logements adaptés existants ne sont pas recensés et "
                "sont parfois attribués à des ménages qui n'en ont pas besoin.",
            ),
            (
                None,
                "Les bailleurs connaissent mal les services d'aide à domicile et les "
                "CLIC vers lesquels orienter les locataires âgés isolés.",
            ),
        ),
        objectives=(
            "permettre aux locataires âgés de rester chez eux dans de bonnes "
            "conditions",
            "harmoniser les réponses des organismes aux demandes d'adaptation",
            "attribuer les logements adaptés à ceux qui en ont besoin",
            "rompre l'isolement des personnes âgées ou handicapées",
        ),
        findings=(
            (
                1,
                "Les demandes d'adaptation sont traitées au cas par cas, avec des "
                "réponses différentes d'un organisme à l'autre.",
            ),
            (2, "Les logements adaptés existants ne sont pas recensés."),
            (
                3,
                "L'isolement des locataires âgés n'est souvent découvert qu'à "
                "l'occasion d'un incident.",
            ),
            (
                1,
                "Les réhabilitations récentes ont peu tenu compte du vieillissement "
                "des locataires.",
            ),
        ),
        purposes=(
            (
                1,
                "permettre aux locataires âgés de rester chez eux dans de bonnes "
                "conditions",
            ),
            (2, "attribuer les logements adaptés à ceux qui en ont besoin"),
            (3, "rompre l'isolement des personnes âgées ou handicapées"),
            (1, "anticiper le vieillissement du patrimoine et de ses occupants"),
        ),
        objects=(
            (1, "d'un cahier des charges d'adaptation des logements"),
            (1, "de l'adaptation des salles de bains à la demande"),
            (
                1,
                "de l'aménagement des parties communes pour les personnes à mobilité "
                "réduite",
            ),
            (1, "d'un diagnostic d'accessibilité du patrimoine"),
            (2, "d'un recensement des logements adaptés"),
            (2, "d'une commission d'attribution des logements adaptés"),
            (2, "des mutations vers des logements en rez-de-chaussée"),
            (3, "de conventions avec les CLIC"),
            (3, "de visites de convivialité pour les locataires isolés"),
            (3, "du repérage des locataires âgés isolés avec les CCAS"),
            (3, "de la coordination avec les services d'aide à domicile"),
        ),
        actions=(
            (1, "Rédiger un **cahier des charges technique** commun"),
            (1, "Fixer un délai de réponse aux demandes d'adaptation"),
            (2, "Définir une **grille commune** de critères d'accessibilité"),
            (2, "Proposer une aide au déménagement lors des mutations"),
            (2, "Signaler les logements adaptés libérés aux services d'attribution"),
            (3, "Former les chargés de clientèle aux dispositifs d'aide"),
            (
                3,
                "Établir avec les gardiens une liste des personnes isolées volontaires",
            ),
            (3, "Prévoir un **plan d'alerte canicule** dans chaque résidence"),
            (0, "Mobiliser les aides du Conseil Général et des caisses de retraite"),
            (0, "Consulter les locataires âgés et leurs familles en amont"),
        ),
        indicators=(
            "Nombre de logements adaptés par an et délai moyen de réalisation",
            "Nombre de logements adaptés recensés et part attribuée à des ménages "
            "concernés",
            "Nombre de locataires orientés vers un CLIC",
            "Nombre de locataires isolés bénéficiant de visites",
            "Nombre d'entrées rendues accessibles",
        ),
        funding=(
            "Conseil Général de la Loire (aides à l'adaptation)",
            "caisses de retraite",
        ),
        partners=("cg", "sem", "commune"),
    ),
    6: Theme(
        enjeux=(
            (
                "Coordonner l'entretien et la propreté des espaces extérieurs entre "
                "bailleurs et communes",
                "Dire qui entretient quoi, quand et avec quels moyens, quartier par "
                "quartier.",
            ),
            (
                "Améliorer la gestion des déchets et des encombrants",
                "Organiser la collecte avec les communes et Saint-Étienne Métropole et "
                "résorber les dépôts sauvages.",
            ),
            (
                "Valoriser l'image des quartiers et de l'habitat social",
                "Faire connaître les réussites et les transformations des quartiers "
                "prioritaires.",
            ),
            (
                "Associer les habitants à l'amélioration de leur cadre de vie",
                "Conduire avec les habitants des projets d'embellissement qui durent.",
            ),
        ),
        diagnosis=(
            (
                None,
                "La répartition des interventions de propreté entre bailleurs et "
                "communes n'est pas clarifiée : certains espaces ne sont entretenus "
                "par "
                "personne, d'autres deux fois.",
            ),
            (
                "saint-etienne",
                "À Saint-Étienne, les dépôts d'encombrants et la gestion des ordures "
                "ménagères dégradent l'image des quartiers en renouvellement urbain.",
            ),
            (
                "ondaine",
                "Sur l'Ondaine, les actions d'embellissement conduites avec les "
                "habitants ont eu des effets durables mais n'ont pas été reconduites "
                "faute de financement.",
            ),
        ),
        objectives=(
            "offrir aux habitants des espaces propres et entretenus",
            "clarifier les responsabilités entre bailleurs et communes",
            "améliorer durablement l'image des quartiers",
            "associer les habitants à l'amélioration de leur cadre de vie",
        ),
        findings=(
            (
                1,
                "Certains espaces ne sont entretenus par personne, d'autres deux fois.",
            ),
            (2, "Les dépôts d'encombrants dégradent l'image des quartiers."),
            (3, "L'image des quartiers reste marquée par les faits divers."),
            (
                4,
                "Les actions d'embellissement avec les habitants sont rarement "
                "reconduites.",
            ),
        ),
        purposes=(
            (2, "offrir aux habitants des espaces propres et entretenus"),
            (1, "clarifier les responsabilités entre bailleurs et communes"),
            (3, "améliorer durablement l'image des quartiers"),
            (4, "associer les habitants à l'amélioration de leur cadre de vie"),
        ),
        objects=(
            (1, "de conventions de gestion des espaces extérieurs avec les communes"),
            (1, "d'une veille technique partagée bailleur-commune"),
            (1, "de plans de propreté par quartier"),
            (2, "de la collecte coordonnée des encombrants"),
            (2, "du tri sélectif dans les immeubles collectifs"),
            (2, "de la résorption des dépôts sauvages"),
            (3, "d'actions de valorisation de l'image des quartiers"),
            (3, "d'une signalétique commune des résidences"),
            (3, "de visites de quartier pour les nouveaux arrivants"),
            (4, "de chantiers d'embellissement avec les habitants"),
            (4, "du fleurissement des pieds d'immeubles"),
            (4, "de concours d'aménagement des espaces extérieurs"),
        ),
        actions=(
            (1, "Cartographier la **domanialité** et les usages des espaces"),
            (1, "Signer une convention de gestion par quartier"),
            (1, "Organiser une tournée mensuelle commune bailleur-commune"),
            (2, "Fixer un **calendrier mensuel** de collecte des encombrants"),
            (2, "Suivre les dépôts sauvages et les délais d'enlèvement"),
            (3, "Inaugurer les réalisations avec les habitants et la presse locale"),
            (3, "Organiser des visites des résidences réhabilitées"),
            (4, "Fournir matériel et encadrement technique aux habitants"),
            (4, "Associer les enfants des écoles du quartier aux plantations"),
            (0, "Informer les locataires par affichage et par les gardiens"),
            (0, "Réviser la convention lors du **bilan annuel** de la GUSP"),
        ),
        indicators=(
            "Nombre de réclamations liées à la propreté",
            "Nombre de dépôts sauvages signalés et délai d'enlèvement",
            "Surface d'espaces extérieurs couverte par une convention de gestion",
            "Nombre d'habitants ayant participé aux chantiers",
            "Taux de refus des propositions de logement dans le quartier",
        ),
        funding=("Saint-Étienne Métropole (collecte des déchets)",),
        partners=("sem", "dde", "commune"),
    ),
}


# --- Hand-written proposals (size "demo") ------------------------------------------

VALIDATED = "validated"
SUBMITTED = "submitted"
DRAFT = "draft"
CHANGES_REQUESTED = "changes_requested"
REJECTED = "rejected"
WITHDRAWN = "withdrawn"


class DemoProposal(NamedTuple):
    enjeu: int
    status: str
    title: str
    summary: str
    finding: str
    actions: tuple[str, ...]
    # Usernames; when empty, seed_demo picks one or two atelier members.
    authors: tuple[str, ...] = ()


# Keyed by axis number; numbered 1..n within the atelier in this order.
DEMO_PROPOSALS = {
    1: (
        DemoProposal(
            1,
            VALIDATED,
            "Associer les amicales de locataires à l'élaboration des programmes GUSP",
            "Réunir chaque année, sur chaque site, les amicales et associations de "
            "locataires avant la programmation GUSP pour recueillir leurs priorités "
            "et leur présenter les arbitrages.",
            "Les programmes GUSP ont jusqu'ici été arrêtés entre bailleurs et "
            "communes, sans consultation des représentants des locataires.",
            (
                "Organiser une **réunion de pré-programmation** par site, entre avril "
                "et juin",
                "Transmettre aux amicales un document de synthèse des propositions "
                "retenues",
                "Présenter le bilan de l'année écoulée au conseil de concertation "
                "locative",
            ),
            authors=("membre", "eric.hetre"),
        ),
        DemoProposal(
            2,
            VALIDATED,
            "Former les représentants des locataires aux enjeux de la gestion urbaine "
            "de proximité",
            "Proposer aux représentants des locataires un cycle de formation "
            "inter-bailleurs sur la GUSP, les charges locatives et le fonctionnement "
            "des instances de concertation.",
            "Les représentants des locataires siègent dans les instances sans "
            "toujours disposer des informations nécessaires pour peser sur les "
            "décisions.",
            (
                "Construire avec les fédérations de locataires un **module de trois "
                "demi-journées**",
                "Ouvrir les sessions aux représentants de tous les bailleurs d'un même "
                "bassin",
                "Remettre un guide pratique des charges et de la GUSP",
            ),
        ),
        DemoProposal(
            3,
            VALIDATED,
            "Généraliser les diagnostics en marchant avec les habitants",
            "Faire des diagnostics en marchant, associant habitants, gardiens, "
            "services municipaux et bailleurs, un préalable systématique aux "
            "programmes d'actions de proximité.",
            "Les diagnostics en marchant expérimentés à Saint-Étienne ont été "
            "appréciés mais sont restés ponctuels et sans suite communiquée aux "
            "habitants.",
            (
                "Réaliser **au moins un diagnostic en marchant par quartier "
                "prioritaire "
                "et par an**",
                "Consigner les dysfonctionnements relevés dans une fiche partagée "
                "bailleur-commune",
                "Afficher dans les halls les suites données dans un délai de trois "
                "mois",
            ),
        ),
        DemoProposal(
            4,
            VALIDATED,
            "Rendre compte aux habitants des actions GUSP réalisées",
            "Diffuser chaque année aux locataires des quartiers prioritaires une "
            "lettre d'information commune aux bailleurs et à la commune sur les "
            "actions réalisées et leur financement.",
            "Les locataires ignorent le plus souvent l'existence des programmes GUSP "
            "et attribuent les améliorations au hasard ou à un seul acteur.",
            (
                "Concevoir une **lettre GUSP annuelle** par site, cosignée par les "
                "bailleurs et la commune",
                "Relayer l'information par affichage dans les halls et par les "
                "gardiens",
                "Tenir une réunion publique de restitution par bassin",
            ),
        ),
        DemoProposal(
            3,
            SUBMITTED,
            "Organiser des réunions de pied d'immeuble avant les travaux de proximité",
            "Avant tout petit chantier d'amélioration (halls, éclairage, boîtes aux "
            "lettres), réunir les locataires de la cage d'escalier concernée pour "
            "recueillir leurs attentes.",
            "Les petits travaux d'amélioration sont parfois mal reçus faute d'avoir "
            "été expliqués aux locataires concernés.",
            (
                "Prévoir une **réunion de pied d'immeuble** avant chaque chantier de "
                "proximité",
                "Associer le gardien et un représentant de l'amicale",
                "Recueillir les remarques sur une fiche simple transmise à l'agence",
            ),
        ),
        DemoProposal(
            2,
            DRAFT,
            "Mettre des locaux partagés à la disposition des amicales de locataires",
            "Recenser les locaux collectifs résidentiels disponibles et les ouvrir aux "
            "associations de locataires de tous les bailleurs d'un même quartier.",
            "Plusieurs amicales n'ont pas de lieu de réunion alors que des locaux "
            "collectifs restent inoccupés chez un bailleur voisin.",
            (
                "Dresser l'**inventaire des locaux collectifs** par quartier "
                "prioritaire",
                "Rédiger une convention type de mise à disposition",
                "Prendre en charge les fluides au titre de la GUSP",
            ),
            authors=("membre",),
        ),
        DemoProposal(
            1,
            CHANGES_REQUESTED,
            "Créer sur chaque site un comité de suivi GUSP ouvert aux habitants",
            "Instituer sur chaque site un comité de suivi de la convention GUSP "
            "réunissant bailleurs, commune et représentants des habitants deux fois "
            "par an.",
            "Le suivi des conventions GUSP se limite à des réunions techniques sans "
            "représentant des habitants.",
            (
                "Définir la composition et le **règlement du comité**",
                "Réunir le comité en mars et en octobre",
                "Publier un relevé de décisions",
            ),
            authors=("membre", "laurent.alisier"),
        ),
        DemoProposal(
            2,
            REJECTED,
            "Financer un poste d'animateur de la participation dans chaque organisme",
            "Créer dans chaque organisme un poste dédié à l'animation de la "
            "participation des locataires, financé sur les crédits GUSP.",
            "La participation repose sur la bonne volonté de quelques agents de "
            "proximité déjà très sollicités.",
            (
                "Recruter un **animateur de la participation** par organisme",
                "Solliciter un cofinancement des partenaires",
                "Évaluer le dispositif au bout de deux ans",
            ),
        ),
        DemoProposal(
            4,
            WITHDRAWN,
            "Publier un journal inter-bailleurs des locataires de l'agglomération",
            "Éditer deux fois par an un journal commun à tous les bailleurs, distribué "
            "à l'ensemble des locataires des quartiers prioritaires.",
            "Chaque bailleur édite son propre journal, sans information sur les "
            "actions conduites en commun.",
            (
                "Constituer un **comité de rédaction inter-bailleurs**",
                "Diffuser le journal avec les avis d'échéance",
                "Réserver une page à chaque bassin",
            ),
        ),
    ),
    2: (
        DemoProposal(
            1,
            VALIDATED,
            "Mettre en place une procédure commune de traitement des impayés débutants",
            "Harmoniser entre bailleurs le traitement des premiers impayés : contact "
            "personnalisé dès le premier mois de retard et orientation rapide vers "
            "les aides.",
            "Les impayés sont souvent repérés au stade contentieux, avec des "
            "procédures différentes d'un organisme à l'autre.",
            (
                "Contacter le ménage **dès le premier mois d'impayé**, par téléphone "
                "ou visite à domicile",
                "Proposer systématiquement un plan d'apurement adapté aux ressources",
                "Orienter vers le FSL et les services sociaux avant le deuxième mois",
            ),
        ),
        DemoProposal(
            2,
            VALIDATED,
            "Signer une charte de coopération entre bailleurs et services sociaux du "
            "Département",
            "Formaliser dans une charte les modalités d'échange d'informations et les "
            "interlocuteurs de chaque partenaire pour l'accompagnement des ménages en "
            "difficulté.",
            "Faute d'interlocuteurs identifiés, les situations sont signalées "
            "tardivement et l'accompagnement social est discontinu.",
            (
                "Désigner un **référent social** par agence et par circonscription "
                "d'action sociale",
                "Définir les règles de partage d'informations dans le respect du "
                "secret "
                "professionnel",
                "Faire un bilan annuel de la charte en commission CUCS",
            ),
        ),
        DemoProposal(
            3,
            VALIDATED,
            "Créer une commission de prévention des expulsions par bassin",
            "Examiner collectivement, avant l'assignation, les dossiers d'impayés les "
            "plus lourds avec la CAF, le Département, la commune et la Préfecture.",
            "Les dossiers arrivent en commission au moment du concours de la force "
            "publique, quand les solutions sont déjà limitées.",
            (
                "Réunir la commission **tous les deux mois** sur chaque bassin",
                "Présenter les dossiers avant l'assignation devant le tribunal",
                "Suivre les engagements pris par chaque partenaire",
            ),
        ),
        DemoProposal(
            4,
            VALIDATED,
            "Faciliter les mutations vers des logements moins chers pour les ménages "
            "en impayé",
            "Proposer aux ménages dont le loyer est devenu trop lourd une mutation "
            "prioritaire, y compris vers le parc d'un autre bailleur.",
            "Des ménages restent dans un logement inadapté à leurs ressources faute "
            "de solution de mutation rapide.",
            (
                "Créer une **bourse d'échanges inter-bailleurs** des logements à loyer "
                "modéré",
                "Rendre prioritaires en commission d'attribution les mutations pour "
                "raisons financières",
                "Prendre en charge les frais de déménagement sur les fonds propres des "
                "bailleurs",
            ),
        ),
        DemoProposal(
            2,
            SUBMITTED,
            "Établir un partenariat avec les secteurs de psychiatrie",
            "Organiser avec les centres médico-psychologiques un circuit de "
            "signalement et de conseil pour les locataires en souffrance psychique.",
            "Les troubles psychiques progressent chez les locataires isolés et les "
            "personnels de proximité se sentent démunis.",
            (
                "Organiser une **rencontre annuelle** entre agences et secteurs "
                "psychiatriques",
                "Former les gardiens au repérage des situations de crise",
                "Identifier un interlocuteur santé par bassin",
            ),
        ),
        DemoProposal(
            1,
            DRAFT,
            "Former les gardiens au repérage des situations de fragilité",
            "Donner aux personnels de proximité des repères pour identifier "
            "l'isolement, la perte d'autonomie ou les difficultés financières, et "
            "savoir à qui les signaler.",
            "Les gardiens sont souvent les premiers témoins des difficultés mais ne "
            "savent pas toujours à qui s'adresser.",
            (
                "Organiser une **journée de formation inter-bailleurs**",
                "Diffuser un annuaire des partenaires sociaux par commune",
                "Mettre en place une fiche de signalement interne",
            ),
        ),
        DemoProposal(
            3,
            CHANGES_REQUESTED,
            "Mobiliser l'accompagnement social lié au logement avant l'assignation",
            "Solliciter une mesure d'accompagnement social lié au logement pour "
            "chaque ménage menacé d'assignation et resté en contact avec le bailleur.",
            "Les mesures d'accompagnement social lié au logement sont peu mobilisées "
            "en amont de la procédure.",
            (
                "Solliciter le FSL pour une **mesure ASLL** dès la phase "
                "précontentieuse",
                "Tenir un point trimestriel entre bailleur et travailleur social",
                "Suivre le nombre de ménages maintenus dans les lieux",
            ),
        ),
        DemoProposal(
            4,
            REJECTED,
            "Créer un fonds inter-bailleurs d'aide aux impayés",
            "Constituer un fonds commun alimenté par les bailleurs pour effacer une "
            "partie des dettes locatives des ménages de bonne foi.",
            "Les aides existantes ne couvrent pas les dettes des ménages dépassant "
            "les plafonds du FSL.",
            (
                "Définir le **règlement du fonds** et ses critères d'attribution",
                "Fixer la contribution de chaque organisme au prorata de son "
                "patrimoine",
                "Confier la gestion du fonds à AMO2SM",
            ),
        ),
        DemoProposal(
            2,
            WITHDRAWN,
            "Installer une permanence sociale commune dans les agences",
            "Accueillir chaque semaine, dans les agences des bailleurs d'un même "
            "quartier, une permanence commune de conseillère en économie sociale et "
            "familiale.",
            "Les locataires en difficulté ne savent pas toujours vers quel service se "
            "tourner et se découragent.",
            (
                "Organiser une **permanence hebdomadaire** tournante entre agences",
                "Mutualiser le temps des conseillères des organismes",
                "Afficher les horaires dans tous les halls du quartier",
            ),
        ),
    ),
    3: (
        DemoProposal(
            1,
            VALIDATED,
            "Créer un réseau inter-bailleurs des agents de médiation",
            "Réunir régulièrement les médiateurs, correspondants de nuit et agents de "
            "tranquillité des différents bailleurs et bassins pour partager pratiques "
            "et outils.",
            "Les dispositifs de médiation diffèrent d'un bassin à l'autre et leurs "
            "résultats ne sont ni évalués ni partagés.",
            (
                "Organiser **trois rencontres par an** du réseau",
                "Constituer une boîte à outils commune (fiches réflexes, main "
                "courante)",
                "Rédiger des fiches de retour d'expérience",
            ),
        ),
        DemoProposal(
            2,
            VALIDATED,
            "Adopter un protocole commun de traitement des troubles de voisinage",
            "Adopter entre bailleurs une procédure graduée et homogène : écoute, "
            "médiation, rappel au règlement, puis saisine des partenaires.",
            "Chaque organisme traite les plaintes de voisinage à sa façon, ce qui "
            "brouille le message adressé aux locataires.",
            (
                "Rédiger un **protocole gradué** en quatre étapes",
                "Recourir à la médiation de voisinage avant toute procédure",
                "Informer les plaignants des suites données dans un délai d'un mois",
            ),
        ),
        DemoProposal(
            3,
            VALIDATED,
            "Participer aux cellules de veille des conseils locaux de sécurité et de "
            "prévention de la délinquance",
            "Assurer la présence d'un représentant des bailleurs dans les cellules de "
            "veille des CLSPD et organiser la remontée des informations de terrain.",
            "Les bailleurs sont inégalement représentés dans les instances locales de "
            "prévention de la délinquance.",
            (
                "Désigner un **représentant inter-bailleurs** par CLSPD",
                "Transmettre un tableau mensuel des faits constatés sur le patrimoine",
                "Présenter les actions de tranquillité résidentielle en séance "
                "plénière",
            ),
        ),
        DemoProposal(
            4,
            VALIDATED,
            "Soutenir les fêtes de quartier et les initiatives d'habitants",
            "Créer un petit fonds d'initiatives permettant aux habitants de monter des "
            "projets collectifs : fêtes d'immeuble, jardins, repas de quartier.",
            "Les initiatives d'habitants manquent de petits moyens rapidement "
            "mobilisables.",
            (
                "Lancer un **appel à initiatives** annuel par bassin",
                "Financer des projets jusqu'à 1 500 € sur décision d'un jury mixte",
                "Mettre à disposition des locaux et du matériel",
            ),
        ),
        DemoProposal(
            2,
            SUBMITTED,
            "Former les personnels de proximité à la gestion des conflits",
            "Proposer aux gardiens et agents d'accueil de tous les bailleurs une "
            "formation commune à la prévention et à la gestion des situations "
            "conflictuelles.",
            "Les personnels de proximité sont exposés à des incivilités croissantes "
            "et se sentent peu préparés.",
            (
                "Construire un **module de deux jours** avec un organisme de formation",
                "Mêler dans chaque session des agents de plusieurs bailleurs",
                "Prévoir une journée de retour d'expérience six mois après",
            ),
        ),
        DemoProposal(
            1,
            DRAFT,
            "Évaluer les dispositifs de correspondants de nuit existants",
            "Conduire une évaluation partagée des dispositifs de correspondants de "
            "nuit et de médiation sociale des trois bassins.",
            "Les dispositifs de médiation nocturne sont financés d'année en année "
            "sans évaluation de leurs effets.",
            (
                "Rédiger un **cahier des charges d'évaluation** commun",
                "Recueillir l'avis des locataires et des partenaires",
                "Présenter les conclusions en commission CUCS",
            ),
        ),
        DemoProposal(
            3,
            CHANGES_REQUESTED,
            "Installer la vidéoprotection dans les halls les plus exposés",
            "Équiper de caméras les halls et parkings où se concentrent les "
            "dégradations, dans le cadre d'un protocole avec les forces de l'ordre.",
            "Dans quelques résidences, les dégradations répétées des halls et "
            "parkings pèsent lourdement sur les charges.",
            (
                "Identifier les **sites prioritaires** avec la police nationale",
                "Informer les locataires et recueillir l'avis des amicales",
                "Mesurer l'effet sur les dégradations au bout d'un an",
            ),
        ),
        DemoProposal(
            3,
            REJECTED,
            "Recruter des agents de sécurité privés pour les halls",
            "Financer la présence de sociétés de gardiennage privées dans les halls "
            "des résidences les plus sensibles en soirée.",
            "Les occupations de halls en soirée génèrent un fort sentiment "
            "d'insécurité chez les locataires.",
            (
                "Lancer une **consultation commune** de sociétés de gardiennage",
                "Répartir le coût entre bailleurs au prorata des logements concernés",
                "Faire le point chaque trimestre avec les communes",
            ),
        ),
        DemoProposal(
            4,
            WITHDRAWN,
            "Organiser un festival inter-quartiers annuel",
            "Créer un événement festif annuel réunissant les habitants des quartiers "
            "prioritaires des trois bassins.",
            "Les quartiers d'un même bassin se connaissent peu et les habitants "
            "circulent rarement de l'un à l'autre.",
            (
                "Constituer un **comité d'organisation** avec les centres sociaux",
                "Tourner chaque année d'un bassin à l'autre",
                "Valoriser les talents et les associations des quartiers",
            ),
        ),
    ),
    4: (
        DemoProposal(
            1,
            VALIDATED,
            "Réserver une part des petits logements aux jeunes en insertion "
            "professionnelle",
            "Identifier chaque année un contingent de T1 et de T2 attribués en "
            "priorité à des jeunes de moins de 30 ans en formation ou en premier "
            "emploi, orientés par la Mission locale.",
            "Les jeunes représentent une faible part des attributions alors que la "
            "demande de petits logements progresse.",
            (
                "Fixer un **objectif annuel** de logements par organisme",
                "Mettre en place une fiche de liaison avec la Mission locale",
                "Suivre les attributions en commission CUCS",
            ),
        ),
        DemoProposal(
            2,
            VALIDATED,
            "Mobiliser les clauses d'insertion des réhabilitations au profit des "
            "jeunes des quartiers",
            "Inscrire dans les marchés de travaux des bailleurs des clauses "
            "d'insertion ciblées sur les jeunes résidant dans les quartiers "
            "concernés.",
            "Les heures d'insertion des opérations de réhabilitation ont surtout "
            "bénéficié à des publics extérieurs aux quartiers.",
            (
                "Introduire une **clause d'insertion** dans tous les marchés de "
                "réhabilitation",
                "Confier le repérage des candidats à la Mission locale et au PLIE",
                "Suivre les parcours des jeunes embauchés",
            ),
        ),
        DemoProposal(
            3,
            VALIDATED,
            "Organiser un comité bailleurs–Mission locale–ANPE par bassin",
            "Réunir trois fois par an, sur chaque bassin, les bailleurs, la Mission "
            "locale et l'ANPE pour croiser offres d'emploi, chantiers et candidats.",
            "Les bailleurs et les acteurs de l'emploi se connaissent mal et ne "
            "partagent pas leurs informations.",
            (
                "Désigner un **référent emploi-insertion** par organisme",
                "Présenter le calendrier des chantiers à venir",
                "Faire le bilan annuel des embauches",
            ),
        ),
        DemoProposal(
            2,
            VALIDATED,
            "Développer les chantiers éducatifs d'été dans les résidences",
            "Proposer chaque été aux 16-25 ans des quartiers des chantiers rémunérés "
            "de peinture et d'embellissement, encadrés par des éducateurs.",
            "Les chantiers éducatifs conduits ponctuellement ont eu des effets "
            "positifs sur le respect des lieux.",
            (
                "Programmer **deux chantiers par bassin** chaque été",
                "Associer les clubs de prévention à l'encadrement",
                "Valoriser les réalisations auprès des locataires",
            ),
        ),
        DemoProposal(
            1,
            SUBMITTED,
            "Expérimenter la colocation pour les jeunes de moins de 25 ans",
            "Ouvrir à la colocation quelques grands logements peu demandés pour loger "
            "des jeunes en formation ou en premier emploi.",
            "Des grands logements restent vacants alors que les jeunes peinent à "
            "trouver un petit logement.",
            (
                "Identifier **cinq logements tests** dans l'agglomération",
                "Rédiger un bail de colocation adapté",
                "Prévoir un accompagnement par un foyer de jeunes travailleurs",
            ),
        ),
        DemoProposal(
            3,
            DRAFT,
            "Accueillir des jeunes en stage dans les métiers de la gestion de "
            "proximité",
            "Offrir aux jeunes des quartiers des stages de découverte des métiers de "
            "gardien, d'agent d'entretien et de chargé de clientèle.",
            "Les métiers du logement social sont méconnus des jeunes des quartiers, "
            "alors que les organismes recrutent.",
            (
                "Proposer **dix stages par an** à l'échelle inter-bailleurs",
                "Désigner un tuteur dans chaque agence",
                "Présenter les métiers dans les collèges et lycées professionnels",
            ),
        ),
        DemoProposal(
            1,
            CHANGES_REQUESTED,
            "Accompagner les jeunes lors de leur entrée dans un premier logement",
            "Accompagner les jeunes lors de leur premier bail : budget, droits et "
            "devoirs du locataire, démarches d'aide au logement.",
            "Les premiers impayés surviennent souvent dans les mois qui suivent "
            "l'entrée dans les lieux des jeunes ménages.",
            (
                "Organiser un **atelier collectif d'information** à l'entrée",
                "Prévoir une visite à domicile au troisième mois",
                "Mobiliser le LOCA-PASS pour le dépôt de garantie",
            ),
        ),
        DemoProposal(
            2,
            REJECTED,
            "Créer une régie de quartier inter-bailleurs dédiée aux jeunes",
            "Créer une structure d'insertion commune aux bailleurs, employant des "
            "jeunes des quartiers pour l'entretien des parties communes.",
            "Les prestations d'entretien sont confiées à des entreprises extérieures "
            "aux quartiers.",
            (
                "Étudier le **statut juridique** de la structure",
                "Chiffrer le volume de prestations confiées par chaque bailleur",
                "Rechercher des cofinancements auprès de la Région",
            ),
        ),
        DemoProposal(
            3,
            WITHDRAWN,
            "Organiser un forum annuel de l'emploi dans les métiers du logement",
            "Réunir chaque année bailleurs, entreprises de travaux et acteurs de "
            "l'emploi autour des métiers du logement social.",
            "Les entreprises de travaux des bailleurs peinent à recruter localement.",
            (
                "Organiser le forum **chaque automne**, en alternance sur les bassins",
                "Inviter les entreprises titulaires des marchés des bailleurs",
                "Associer la Mission locale et l'ANPE à la préparation des candidats",
            ),
        ),
    ),
    5: (
        DemoProposal(
            1,
            VALIDATED,
            "Établir un cahier des charges commun d'adaptation des logements au "
            "vieillissement",
            "Définir entre bailleurs une liste commune de travaux d'adaptation (douche "
            "de plain-pied, barres d'appui, volets roulants électriques) et leurs "
            "conditions d'attribution.",
            "Les demandes d'adaptation sont traitées au cas par cas, avec des "
            "réponses très différentes d'un organisme à l'autre.",
            (
                "Rédiger un **cahier des charges technique** commun",
                "Fixer des délais de réponse aux demandes",
                "Mobiliser les aides du Conseil Général et des caisses de retraite",
            ),
        ),
        DemoProposal(
            2,
            VALIDATED,
            "Recenser les logements adaptés et accessibles de l'agglomération",
            "Constituer un inventaire partagé des logements adaptés ou accessibles, "
            "tenu à jour par chaque bailleur, pour mieux les attribuer.",
            "Les logements adaptés existants ne sont pas recensés et sont parfois "
            "attribués à des ménages qui n'en ont pas besoin.",
            (
                "Définir une **grille commune** de critères d'accessibilité",
                "Recenser le patrimoine organisme par organisme",
                "Mettre l'inventaire à disposition des services d'attribution",
            ),
        ),
        DemoProposal(
            3,
            VALIDATED,
            "Conventionner avec les CLIC pour l'orientation des locataires âgés",
            "Passer une convention avec les centres locaux d'information et de "
            "coordination gérontologique pour orienter les locataires âgés vers les "
            "aides adaptées.",
            "Les bailleurs connaissent mal les services d'aide à domicile et les CLIC "
            "vers lesquels orienter les locataires âgés.",
            (
                "Signer une **convention type** avec chaque CLIC",
                "Former les chargés de clientèle aux dispositifs d'aide",
                "Organiser des permanences d'information dans les résidences",
            ),
        ),
        DemoProposal(
            1,
            VALIDATED,
            "Adapter les parties communes lors des réhabilitations",
            "Intégrer aux réhabilitations des aménagements utiles aux personnes "
            "âgées : éclairage, mains courantes, bancs, accès de plain-pied.",
            "Les réhabilitations récentes ont peu tenu compte du vieillissement des "
            "locataires.",
            (
                "Ajouter un **volet accessibilité** à chaque programme de "
                "réhabilitation",
                "Consulter les locataires âgés en amont des travaux",
                "Suivre le nombre d'entrées rendues accessibles",
            ),
        ),
        DemoProposal(
            2,
            SUBMITTED,
            "Faciliter les mutations vers des logements plus petits et accessibles",
            "Proposer aux locataires âgés occupant de grands logements en étage une "
            "mutation vers un logement plus petit, en rez-de-chaussée ou desservi "
            "par un ascenseur.",
            "Des locataires âgés restent dans de grands logements inadaptés faute "
            "d'offre de mutation accompagnée.",
            (
                "Repérer les **ménages âgés en sous-occupation**",
                "Proposer une aide au déménagement",
                "Maintenir le loyer au mètre carré lors de la mutation",
            ),
        ),
        DemoProposal(
            3,
            DRAFT,
            "Mettre en place des visites de convivialité pour les locataires isolés",
            "Organiser avec des associations de bénévoles des visites régulières aux "
            "locataires âgés isolés repérés par les gardiens.",
            "L'isolement des locataires âgés n'est souvent découvert qu'à l'occasion "
            "d'un incident.",
            (
                "Établir avec les gardiens une **liste des personnes isolées** "
                "volontaires",
                "Conventionner avec des associations de visiteurs bénévoles",
                "Prévoir un plan d'alerte en période de canicule",
            ),
        ),
        DemoProposal(
            1,
            CHANGES_REQUESTED,
            "Financer l'adaptation des salles de bains à la demande des locataires",
            "Remplacer les baignoires par des douches de plain-pied pour les "
            "locataires de plus de 70 ans ou en situation de handicap qui le "
            "demandent.",
            "Les demandes de remplacement de baignoire s'accumulent sans programme "
            "ni financement identifié.",
            (
                "Réserver une **enveloppe annuelle** par organisme",
                "Traiter les demandes dans un délai de six mois",
                "Solliciter l'avis d'un ergothérapeute pour les cas complexes",
            ),
        ),
        DemoProposal(
            2,
            REJECTED,
            "Construire une résidence inter-bailleurs dédiée aux personnes âgées",
            "Réaliser une résidence neuve de logements adaptés portée conjointement "
            "par plusieurs bailleurs.",
            "L'offre de logements adaptés reste insuffisante dans les quartiers "
            "prioritaires.",
            (
                "Rechercher un **terrain** avec Saint-Étienne Métropole",
                "Constituer un groupement de maîtrise d'ouvrage",
                "Prévoir une salle commune et un service d'animation",
            ),
        ),
        DemoProposal(
            3,
            WITHDRAWN,
            "Mettre en place un service de petits dépannages à domicile",
            "Proposer aux locataires âgés un service gratuit de petites interventions "
            "(ampoules, joints, flexibles) assuré par les agents de proximité.",
            "Les petites pannes du quotidien deviennent un obstacle pour les "
            "locataires âgés qui vivent seuls.",
            (
                "Définir la **liste des interventions** couvertes",
                "Former les agents de proximité",
                "Suivre le nombre d'interventions par résidence",
            ),
        ),
    ),
    6: (
        DemoProposal(
            1,
            VALIDATED,
            "Clarifier la répartition de l'entretien des espaces extérieurs entre "
            "bailleurs et communes",
            "Établir pour chaque quartier un plan de gestion des espaces extérieurs "
            "précisant qui entretient quoi, quand et avec quels moyens.",
            "Certains espaces ne sont entretenus par personne, d'autres deux fois, "
            "faute de répartition claire entre bailleurs et communes.",
            (
                "Cartographier la **domanialité** et les usages des espaces",
                "Signer une convention de gestion par quartier",
                "Réviser la convention lors du bilan annuel de la GUSP",
            ),
        ),
        DemoProposal(
            2,
            VALIDATED,
            "Organiser la collecte coordonnée des encombrants",
            "Mettre en place avec les communes et Saint-Étienne Métropole un "
            "calendrier commun de collecte des encombrants dans les quartiers "
            "prioritaires.",
            "Les dépôts d'encombrants dégradent l'image des quartiers et les collectes "
            "sont mal connues des habitants.",
            (
                "Fixer un **calendrier mensuel** de collecte par quartier",
                "Informer les locataires par affichage et par les gardiens",
                "Suivre les tonnages collectés et les dépôts sauvages",
            ),
        ),
        DemoProposal(
            3,
            VALIDATED,
            "Valoriser les réussites des quartiers dans la communication des "
            "partenaires",
            "Faire connaître, dans les supports des bailleurs et des communes, les "
            "réalisations et initiatives positives des quartiers prioritaires.",
            "L'image des quartiers reste marquée par les faits divers, ce qui pèse "
            "sur la demande de logement.",
            (
                "Publier une **rubrique « quartiers »** dans les journaux des "
                "bailleurs "
                "et des communes",
                "Organiser des visites des résidences réhabilitées",
                "Associer la presse locale aux inaugurations",
            ),
        ),
        DemoProposal(
            4,
            VALIDATED,
            "Associer les habitants à des chantiers d'embellissement",
            "Conduire avec les habitants des chantiers de fleurissement, de peinture "
            "de halls ou de fresques, accompagnés par des professionnels.",
            "Les actions d'embellissement conduites avec les habitants sur l'Ondaine "
            "ont eu des effets durables mais n'ont pas été reconduites.",
            (
                "Lancer **un chantier par quartier et par an**",
                "Fournir matériel et encadrement technique",
                "Inaugurer les réalisations avec les habitants",
            ),
        ),
        DemoProposal(
            1,
            SUBMITTED,
            "Mettre en place une veille technique partagée bailleur-commune",
            "Organiser une tournée mensuelle commune des agents du bailleur et des "
            "services municipaux pour repérer et traiter les dysfonctionnements.",
            "Les dysfonctionnements sur l'espace public sont signalés tardivement, "
            "chacun renvoyant à l'autre.",
            (
                "Organiser une **tournée mensuelle** par quartier",
                "Utiliser une fiche de signalement commune",
                "Faire le point sur les délais de traitement chaque trimestre",
            ),
        ),
        DemoProposal(
            2,
            DRAFT,
            "Expérimenter le tri sélectif dans les immeubles collectifs",
            "Équiper quelques résidences pilotes de points de tri et accompagner les "
            "habitants par des ambassadeurs du tri.",
            "Le tri sélectif est quasi inexistant dans l'habitat collectif des "
            "quartiers prioritaires.",
            (
                "Choisir **trois résidences pilotes** avec Saint-Étienne Métropole",
                "Former les gardiens et recruter des ambassadeurs du tri",
                "Mesurer les volumes triés au bout de six mois",
            ),
        ),
        DemoProposal(
            3,
            CHANGES_REQUESTED,
            "Créer une signalétique commune des résidences",
            "Adopter entre bailleurs une charte de signalétique (noms des résidences, "
            "plans, numérotation des entrées) pour faciliter l'orientation.",
            "Visiteurs, secours et livreurs peinent à s'orienter dans les grands "
            "ensembles.",
            (
                "Rédiger une **charte graphique** commune",
                "Équiper en priorité les sites en renouvellement urbain",
                "Associer les habitants au choix des noms",
            ),
        ),
        DemoProposal(
            4,
            REJECTED,
            "Confier l'entretien des espaces verts aux associations de locataires",
            "Rémunérer les associations de locataires volontaires pour l'entretien "
            "des espaces verts de leur résidence.",
            "L'entretien des espaces verts par des entreprises est coûteux et peu "
            "apprécié des habitants.",
            (
                "Identifier les **associations volontaires**",
                "Définir une convention de prestation",
                "Fournir le matériel et une formation",
            ),
        ),
        DemoProposal(
            1,
            WITHDRAWN,
            "Harmoniser les horaires des agents d'entretien",
            "Aligner les horaires de passage des agents d'entretien des bailleurs et "
            "des services municipaux dans un même quartier.",
            "Les passages des agents des bailleurs et des communes ne sont pas "
            "coordonnés.",
            (
                "Établir un **planning commun** de passage",
                "Afficher les horaires dans les halls",
                "Faire un bilan au bout de six mois",
            ),
        ),
    ),
}

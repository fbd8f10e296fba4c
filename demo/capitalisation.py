"""Demo data for capitalisation: experience sheets.

``seed(seeder)`` is called by ``seed_demo`` after the référentiel; it uses the
seeder's people, organisations, territories and ``upsert``, and follows the
command's rules: idempotent, keyed on natural keys (a sheet's title), nothing
deleted, nothing drawn at random.

About thirty sheets of fictional experiences across the six axes, the three
bassins and the six fictional landlords: most published, a few awaiting review,
returned to their author or still drafts (the demo logins "membre" and
"referent" have some, so that "My sheets" and the review queue show something).
A new sheet gets its journal entries (written, sent for review, published or
returned), dated in 2007 like the rest of the demo.
"""

from datetime import datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from ateliers.models import Proposal
from audit.models import AuditEvent
from capitalisation.models import ExperienceSheet
from capitalisation.verbs import CapitalisationVerb

PARIS = ZoneInfo("Europe/Paris")
DRAFT, SUBMITTED, PUBLISHED, RETURNED = (
    ExperienceSheet.Status.DRAFT,
    ExperienceSheet.Status.SUBMITTED,
    ExperienceSheet.Status.PUBLISHED,
    ExperienceSheet.Status.RETURNED,
)


class Sheet(NamedTuple):
    title: str
    axis: int
    places: tuple  # territory slugs
    organisation: str  # a landlord key of demo.data.LANDLORDS
    author: str  # a username of demo.data.PEOPLE
    partners: tuple  # organisation keys of the seeder
    period: str
    summary: str
    done: tuple  # lines of "what was done"
    results: tuple
    lessons: tuple
    status: str = PUBLISHED
    review_comment: str = ""


def _bullets(lines) -> str:
    return "\n".join(f"- {line}" for line in lines)


SHEETS = (
    # --- Axis 1: tenant participation ---------------------------------------
    Sheet(
        "Diagnostic en marchant avec les locataires de Montreynaud",
        1,
        ("saint-etienne-montreynaud",),
        "o7c",
        "referent",
        ("saint-etienne", "sem"),
        "Printemps 2006",
        "Trois parcours dans le quartier avec des locataires, le gardien et les "
        "services de la ville ont permis de relever 64 dysfonctionnements et de "
        "programmer les travaux avec les habitants.",
        (
            "Invitation de tous les locataires par courrier et par affichage "
            "dans les halls.",
            "Trois marches d’une heure et demie, un samedi matin et deux soirs.",
            "Relevé photographié de chaque point, restitué en réunion publique.",
        ),
        (
            "64 points relevés, 41 traités dans les six mois.",
            "Une vingtaine de locataires sont restés en contact avec l’agence.",
        ),
        (
            "Marcher à des heures différentes : les problèmes du soir ne sont pas "
            "ceux du matin.",
            "Restituer vite, avec un calendrier : sinon la démarche perd sa "
            "crédibilité.",
        ),
    ),
    Sheet(
        "Conseil de concertation locative par résidence à Firminy-Vert",
        1,
        ("firminy-firminy-vert",),
        "fdo",
        "fatima.orme",
        ("firminy",),
        "Depuis 2005",
        "Un conseil de concertation par résidence, trois fois par an, réunit "
        "locataires, gardien et responsable de secteur autour des charges, des "
        "travaux et de la propreté.",
        (
            "Élection de deux représentants par résidence lors d’une fête de quartier.",
            "Ordre du jour préparé avec les représentants, compte rendu affiché.",
        ),
        ("Participation passée de 8 à 25 locataires par réunion en deux ans.",),
        (
            "Donner aux représentants un vrai pouvoir sur l’ordre du jour.",
            "Afficher le compte rendu dans chaque hall sous huit jours.",
        ),
    ),
    Sheet(
        "Formation des représentants de locataires aux charges locatives",
        1,
        ("gier",),
        "lvg",
        "samia.myrte",
        ("amo2sm",),
        "Hiver 2006-2007",
        "Deux demi-journées pour comprendre la régularisation des charges, lire "
        "un décompte et préparer les questions au bailleur.",
        (
            "Module construit avec une association de locataires.",
            "Exercices sur de vrais décomptes anonymisés.",
        ),
        ("18 représentants formés sur le bassin du Gier.",),
        ("Prévoir un support à emporter, illustré, sans jargon.",),
    ),
    Sheet(
        "Journal de quartier écrit par les habitants du Crêt de Roc",
        1,
        ("saint-etienne-cret-de-roc",),
        "hmp",
        "aurelie.fougere",
        ("saint-etienne",),
        "2006",
        "Un journal trimestriel de quatre pages, écrit par un comité de "
        "rédaction d’habitants accompagné par le bailleur et le centre social.",
        (
            "Comité de rédaction de huit habitants, réunions mensuelles.",
            "Mise en page par un chantier d’insertion, distribution par les gardiens.",
        ),
        ("Quatre numéros, 1 200 exemplaires chacun.",),
        (
            "Laisser la parole aux habitants, y compris critique : c’est ce qui "
            "fait lire le journal.",
        ),
    ),
    Sheet(
        "Enquête de satisfaction porte-à-porte menée par des jeunes du quartier",
        1,
        ("saint-chamond-fonsala",),
        "lvg",
        "membre",
        ("saint-chamond",),
        "Été 2007",
        "Des jeunes du quartier, recrutés en job d’été, ont interrogé les "
        "locataires sur la propreté, la sécurité et l’accueil de l’agence.",
        (
            "Six jeunes formés deux jours à l’enquête.",
            "Questionnaire court, douze questions.",
        ),
        ("310 questionnaires recueillis sur 420 logements.",),
        (),
        status=DRAFT,
    ),
    # --- Axis 2: keeping tenants in their homes ---------------------------------
    Sheet(
        "Accompagnement au relogement pendant la démolition de la tour B",
        2,
        ("saint-etienne-la-cotonne",),
        "o7c",
        "josiane.mimosa",
        ("saint-etienne", "sem", "dde"),
        "2005-2007",
        "Chaque ménage de la tour B a été suivi par une conseillère dédiée, de "
        "l’enquête sociale au déménagement, avec trois propositions de "
        "relogement adaptées.",
        (
            "Enquête sociale auprès des 96 ménages, souhaits et contraintes.",
            "Charte de relogement signée avec la ville et l’État.",
            "Prise en charge du déménagement et des doubles loyers.",
        ),
        (
            "94 ménages relogés, 71 % dans le quartier ou à proximité.",
            "Aucun contentieux.",
        ),
        (
            "Une seule interlocutrice par ménage, du début à la fin.",
            "Visiter les logements proposés avec les ménages.",
        ),
    ),
    Sheet(
        "Prévention des expulsions par la visite à domicile dès le premier impayé",
        2,
        ("ondaine",),
        "fdo",
        "monique.bruyere",
        ("cg",),
        "Depuis janvier 2006",
        "Une conseillère en économie sociale et familiale se rend au domicile "
        "dès le premier mois d’impayé, avant toute relance contentieuse.",
        (
            "Repérage hebdomadaire des premiers impayés.",
            "Visite sous quinze jours, plan d’apurement amiable.",
            "Lien avec le fonds de solidarité logement du Conseil Général.",
        ),
        ("Assignations en baisse de 35 % en un an sur le bassin de l’Ondaine.",),
        ("Aller vers les ménages plutôt que les convoquer.",),
    ),
    Sheet(
        "Permanence commune bailleurs et CAF pour les aides au logement",
        2,
        ("rive-de-gier",),
        "lvg",
        "mehdi.cypres",
        ("rive-de-gier",),
        "2006-2007",
        "Une permanence mensuelle commune à trois bailleurs et à la CAF aide "
        "les locataires à constituer leurs dossiers d’aide au logement.",
        (
            "Salle prêtée par la mairie, un mardi par mois.",
            "Un agent de chaque bailleur présent à tour de rôle.",
        ),
        ("Délai de traitement des dossiers réduit de moitié.",),
        ("L’inter-bailleurs rassure les locataires : un seul lieu, une seule file.",),
    ),
    Sheet(
        "Adaptation des loyers après relogement pour les ménages modestes",
        2,
        ("saint-chamond",),
        "tsf",
        "nathalie.pervenche",
        ("saint-chamond", "dde"),
        "2006",
        "Les ménages relogés depuis un logement démoli conservent un reste à "
        "charge équivalent pendant trois ans.",
        ("Calcul du reste à charge avant et après relogement.",),
        ("Aucun impayé chez les 38 ménages concernés.",),
        ("Anticiper le coût des charges, souvent oublié.",),
    ),
    Sheet(
        "Relogements inter-bailleurs : une bourse d’échange de logements",
        2,
        ("bassin-saint-etienne",),
        "o7c",
        "referent",
        ("amo2sm", "hmp"),
        "2007",
        "Une bourse commune permet aux locataires de changer de bailleur pour "
        "un logement adapté à leur famille ou à leurs ressources.",
        ("Fichier partagé des demandes de mutation.",),
        ("22 échanges réalisés la première année.",),
        (),
        status=SUBMITTED,
    ),
    Sheet(
        "Microcrédit pour l’équipement des logements des jeunes ménages",
        2,
        ("firminy",),
        "fdo",
        "alain.lierre",
        ("firminy",),
        "2007",
        "Un partenariat avec une association permet un microcrédit pour "
        "l’équipement de base à l’entrée dans les lieux.",
        ("Orientation par le chargé des attributions.",),
        ("Quinze ménages accompagnés.",),
        (),
        status=RETURNED,
        review_comment="Merci de préciser le nom de l’association partenaire, "
        "le montant moyen des prêts et le taux de remboursement : c’est ce que "
        "les autres bailleurs voudront savoir.",
    ),
    # --- Axis 3: living together (tranquillité résidentielle) -------------------
    Sheet(
        "Médiation de nuit dans le quartier de Montreynaud",
        3,
        ("saint-etienne-montreynaud",),
        "o7c",
        "didier.buis",
        ("saint-etienne", "sem", "prefecture"),
        "Depuis septembre 2005",
        "Une équipe de quatre médiateurs circule de 18 h à 1 h du matin, "
        "désamorce les conflits de voisinage et signale les dégradations.",
        (
            "Équipe recrutée avec une association de médiation, formée six semaines.",
            "Tournées à pied, présence dans les halls, lien avec les gardiens.",
            "Main courante partagée chaque matin avec l’agence.",
        ),
        (
            "Plaintes pour bruit divisées par deux.",
            "Dégradations signalées réparées sous 48 heures.",
        ),
        (
            "La médiation ne remplace pas la police : le dire clairement aux "
            "habitants.",
            "Recruter des médiateurs qui connaissent le quartier.",
        ),
    ),
    Sheet(
        "Médiateurs de soirée dans les halls de La Ricamarie",
        3,
        ("la-ricamarie",),
        "fdo",
        "jean-luc.robinier",
        ("la-ricamarie",),
        "2006-2007",
        "Deux médiateurs présents dans les halls en soirée, l’hiver, pour "
        "apaiser les regroupements et dialoguer avec les jeunes.",
        ("Présence de 17 h à 22 h, d’octobre à mars.",),
        ("Moins de squats de halls signalés.",),
        ("Associer les gardiens dès le départ.",),
    ),
    Sheet(
        "Gestion des conflits de voisinage avec une association de conciliation",
        3,
        ("le-chambon-feugerolles",),
        "tsf",
        "laurent.alisier",
        ("le-chambon-feugerolles",),
        "2006",
        "Les conflits de voisinage répétés sont confiés à des conciliateurs "
        "bénévoles qui réunissent les voisins en terrain neutre.",
        ("Convention avec l’association, fiche de saisine simple.",),
        ("Deux conflits sur trois réglés sans procédure.",),
        ("Saisir tôt, avant que le conflit ne s’enkyste.",),
    ),
    Sheet(
        "Vidéoprotection des parkings souterrains de Fonsala",
        3,
        ("saint-chamond-fonsala",),
        "lvg",
        "thomas.epicea",
        ("saint-chamond", "prefecture"),
        "2006",
        "Six caméras et un contrôle d’accès par badge ont rendu aux locataires "
        "des parkings désertés après des incendies de véhicules.",
        ("Travaux de sécurisation, éclairage, badges.",),
        ("Taux d’occupation des parkings passé de 20 % à 65 %.",),
        ("Consulter les locataires sur les horaires et le coût du badge.",),
    ),
    Sheet(
        "Fête des voisins inter-bailleurs au Crêt de Roc",
        3,
        ("saint-etienne-cret-de-roc",),
        "hmp",
        "pascal.tremble",
        ("saint-etienne",),
        "Juin 2006 et juin 2007",
        "Trois bailleurs et le centre social organisent ensemble la fête des "
        "voisins dans la cour commune.",
        ("Un budget partagé, des stands tenus par les habitants.",),
        ("Plus de 300 participants en 2007.",),
        ("Un seul organisateur responsable : sinon chacun attend l’autre.",),
    ),
    Sheet(
        "Correspondants de nuit partagés entre trois bailleurs",
        3,
        ("gier",),
        "lvg",
        "martine.frene",
        ("rive-de-gier", "saint-chamond", "dde"),
        "Projet 2007",
        "Mutualiser une équipe de correspondants de nuit entre trois bailleurs "
        "de la vallée du Gier.",
        ("Étude de faisabilité, clé de répartition des coûts.",),
        (),
        (),
        status=SUBMITTED,
    ),
    # --- Axis 4: young people -----------------------------------------------------
    Sheet(
        "Chantier éducatif de peinture des halls à La Cotonne",
        4,
        ("saint-etienne-la-cotonne",),
        "o7c",
        "christophe.marronnier",
        ("saint-etienne", "region"),
        "Été 2006",
        "Huit jeunes du quartier ont repeint douze halls en trois semaines, "
        "encadrés par un éducateur et un peintre professionnel, et rémunérés.",
        (
            "Repérage des jeunes avec le club de prévention.",
            "Contrat de travail, formation sécurité, encadrement technique.",
            "Inauguration avec les locataires.",
        ),
        (
            "Douze halls repeints, aucun tag sur les nouvelles peintures un an après.",
            "Trois jeunes entrés en formation qualifiante.",
        ),
        (
            "Montrer le résultat aux habitants : les jeunes y gagnent en "
            "reconnaissance.",
            "Prévoir l’encadrement technique dans le budget, pas seulement "
            "l’éducateur.",
        ),
    ),
    Sheet(
        "Chantiers éducatifs d’été dans les espaces verts de Firminy-Vert",
        4,
        ("firminy-firminy-vert",),
        "fdo",
        "karine.camelia",
        ("firminy", "region"),
        "Étés 2005, 2006 et 2007",
        "Chaque été, des jeunes de 16 à 20 ans entretiennent les espaces verts "
        "du quartier pendant deux semaines, encadrés et rémunérés.",
        ("Douze jeunes par an, tutorat par les jardiniers du bailleur.",),
        ("Espaces verts mieux respectés, lien entre jeunes et gardiens.",),
        ("Commencer le recrutement dès avril.",),
    ),
    Sheet(
        "Clauses d’insertion dans les marchés de réhabilitation",
        4,
        ("ondaine",),
        "fdo",
        "sebastien.noisetier",
        ("sem", "dde"),
        "2006-2007",
        "Les marchés de travaux réservent 5 % des heures à des habitants des "
        "quartiers éloignés de l’emploi.",
        ("Clause rédigée avec le facilitateur de Saint-Étienne Métropole.",),
        ("11 000 heures d’insertion, 23 personnes embauchées.",),
        ("Un facilitateur commun est indispensable pour suivre les entreprises.",),
    ),
    Sheet(
        "Stages de découverte des métiers du bâtiment et du gardiennage",
        4,
        ("saint-etienne",),
        "hmp",
        "veronique.aubepine",
        ("saint-etienne",),
        "2007",
        "Des collégiens des quartiers découvrent en stage les métiers du "
        "bailleur : gardien, technicien, chargé de clientèle.",
        ("Vingt stages de trois jours.",),
        ("Deux jeunes orientés en CAP maintenance des bâtiments.",),
        (),
    ),
    Sheet(
        "Local jeunes géré avec une association à Lorette",
        4,
        ("lorette",),
        "lvg",
        "membre",
        ("lorette",),
        "Depuis 2006",
        "Un local en pied d’immeuble mis à disposition d’une association de "
        "jeunes, avec une convention d’usage et un référent adulte.",
        ("Convention tripartite bailleur, ville, association.",),
        ("Regroupements dans les halls en forte baisse.",),
        ("Fixer des horaires et un référent dès le départ.",),
        status=RETURNED,
        review_comment="La fiche est intéressante mais trop courte : décrivez "
        "ce qui a été fait concrètement (aménagement du local, horaires, qui "
        "tient les clés) et ce que vous referiez autrement.",
    ),
    # --- Axis 5: ageing and disability ----------------------------------------------
    Sheet(
        "Adaptation des salles de bains pour les locataires âgés",
        5,
        ("roche-la-moliere",),
        "tsf",
        "isabelle.aulne",
        ("cg", "roche-la-moliere"),
        "2005-2007",
        "Remplacement des baignoires par des douches de plain-pied, à la "
        "demande, pour les locataires de plus de 70 ans.",
        (
            "Visite d’un ergothérapeute, devis, travaux en une semaine.",
            "Cofinancement du Conseil Général.",
        ),
        ("87 salles de bains adaptées, aucune hausse de loyer.",),
        ("Proposer un logement temporaire pendant les travaux.",),
    ),
    Sheet(
        "Visites de convivialité aux locataires âgés isolés",
        5,
        ("saint-etienne",),
        "o7c",
        "karim.sureau",
        ("saint-etienne",),
        "Depuis 2006",
        "Des bénévoles d’une association rendent visite chaque semaine aux "
        "locataires âgés isolés repérés par les gardiens.",
        ("Repérage par les gardiens, accord du locataire, visite hebdomadaire.",),
        ("45 personnes visitées, plusieurs situations de détresse repérées.",),
        ("Les gardiens sont les premiers à voir l’isolement.",),
    ),
    Sheet(
        "Plan canicule : appels téléphoniques aux locataires fragiles",
        5,
        ("bassin-saint-etienne",),
        "hmp",
        "eric.hetre",
        ("saint-etienne",),
        "Étés 2006 et 2007",
        "En période de canicule, l’agence appelle chaque jour les locataires "
        "âgés ou handicapés inscrits sur le registre.",
        ("Registre volontaire, partagé avec le CCAS.",),
        ("Aucune hospitalisation liée à la chaleur parmi les inscrits.",),
        ("Tenir le registre à jour dès le printemps.",),
    ),
    Sheet(
        "Logements adaptés regroupés près des commerces à Saint-Chamond",
        5,
        ("saint-chamond",),
        "tsf",
        "corinne.verveine",
        ("saint-chamond", "cg"),
        "2007",
        "Douze logements adaptés aux personnes à mobilité réduite, regroupés "
        "au rez-de-chaussée près des commerces et de l’arrêt de bus.",
        ("Sélection des logements avec une association de personnes handicapées.",),
        (),
        (),
        status=DRAFT,
    ),
    # --- Axis 6: living environment and image -------------------------------------
    Sheet(
        "Gestion des encombrants avec une collecte mensuelle en pied d’immeuble",
        6,
        ("saint-etienne-montreynaud", "saint-etienne-la-cotonne"),
        "o7c",
        "philippe.charme",
        ("saint-etienne", "sem"),
        "Depuis mars 2006",
        "Une collecte des encombrants le premier samedi du mois, annoncée dans "
        "les halls, a fait disparaître les dépôts sauvages.",
        (
            "Convention avec le service de collecte de Saint-Étienne Métropole.",
            "Affichage et rappel par les gardiens la veille.",
        ),
        ("Dépôts sauvages réduits de 80 %.",),
        ("La régularité compte plus que la fréquence.",),
    ),
    Sheet(
        "Résidentialisation des pieds d’immeubles à Rive-de-Gier",
        6,
        ("rive-de-gier",),
        "lvg",
        "membre",
        ("rive-de-gier", "dde"),
        "2006-2007",
        "Clôtures basses, jardins privatifs et cheminements éclairés ont "
        "redonné aux locataires l’usage des pieds d’immeubles.",
        (
            "Ateliers de conception avec les locataires.",
            "Travaux en deux tranches.",
        ),
        ("Sentiment de sécurité en hausse dans l’enquête de satisfaction.",),
        ("Prévoir l’entretien des espaces créés dès la conception.",),
    ),
    Sheet(
        "Propreté des parties communes : gardien référent et contrôle partagé",
        6,
        ("la-grand-croix",),
        "hir",
        "thierry.cormier",
        ("la-grand-croix",),
        "2007",
        "Une visite mensuelle des parties communes avec un représentant des "
        "locataires, sur une grille de propreté commune.",
        ("Grille de contrôle en dix points, visite mensuelle.",),
        ("Note moyenne passée de 11 à 15 sur 20.",),
        ("La grille doit être courte et comprise de tous.",),
    ),
    Sheet(
        "Fresque participative sur le pignon de la rue des Mineurs",
        6,
        ("le-chambon-feugerolles",),
        "fdo",
        "gerard.noyer",
        ("le-chambon-feugerolles", "region"),
        "Automne 2006",
        "Un artiste et les habitants ont peint une fresque sur l’histoire "
        "minière de la ville, sur un pignon souvent tagué.",
        ("Ateliers de dessin avec les enfants, vote des habitants sur l’esquisse.",),
        ("Aucun tag sur la fresque depuis.",),
        ("Le vote des habitants crée l’attachement au résultat.",),
    ),
    Sheet(
        "Tri sélectif : ambassadeurs du tri dans les résidences",
        6,
        ("firminy", "la-ricamarie"),
        "tsf",
        "yasmina.sauge",
        ("sem",),
        "2006",
        "Des ambassadeurs du tri ont rencontré chaque locataire et installé des "
        "bacs adaptés dans les locaux poubelles.",
        ("Porte-à-porte, sacs de pré-collecte offerts.",),
        ("Taux de refus de tri divisé par deux.",),
        ("Refaire une tournée un an après.",),
    ),
    Sheet(
        "Nettoyage des tags sous 48 heures : un marché commun inter-bailleurs",
        6,
        ("bassin-saint-etienne",),
        "hmp",
        "francois.romarin",
        ("amo2sm", "sem"),
        "Depuis 2007",
        "Un marché commun à quatre bailleurs garantit l’effacement des tags "
        "sous 48 heures, photos à l’appui.",
        ("Cahier des charges commun, bons de commande par bailleur.",),
        ("Délai moyen d’effacement : 36 heures ; coût unitaire en baisse.",),
        ("Mutualiser fait baisser les prix et monter l’exigence.",),
    ),
    Sheet(
        "Jardins partagés au pied des tours de Fonsala",
        6,
        ("saint-chamond-fonsala",),
        "lvg",
        "samia.myrte",
        ("saint-chamond",),
        "Depuis 2006",
        "Vingt parcelles cultivées par des locataires sur une pelouse "
        "délaissée, avec une association de jardiniers.",
        (
            "Aménagement par un chantier d’insertion, règlement rédigé avec "
            "les jardiniers.",
        ),
        ("Vingt familles jardinières, liste d’attente de douze.",),
        ("Un point d’eau et un abri à outils dès le départ.",),
    ),
)

# When each published sheet came out: spread over the second half of 2007.
FIRST_PUBLICATION = datetime(2007, 6, 4, 10, tzinfo=PARIS)


def _proposals_of(axis_number: int) -> list:
    return list(
        Proposal.objects.validated()
        .filter(atelier__axis__number=axis_number)
        .order_by("number")[:6]
    )


def _record(sheet, actor, action, when, *, from_status="", to_status="", comment=""):
    event = AuditEvent.record(
        actor=actor,
        target=sheet,
        action=action,
        from_status=from_status,
        to_status=to_status,
        comment=comment,
    )
    AuditEvent.objects.filter(pk=event.pk).update(created_at=when)


def _journal(sheet, spec: Sheet, author, secretariat, written, sent, reviewed):
    """The journal entries the services would have written for this sheet."""
    _record(sheet, author, CapitalisationVerb.SHEET_CREATE, written, to_status=DRAFT)
    if spec.status == DRAFT:
        return
    _record(
        sheet,
        author,
        CapitalisationVerb.SHEET_SUBMIT,
        sent,
        from_status=DRAFT,
        to_status=SUBMITTED,
    )
    if spec.status == PUBLISHED:
        _record(
            sheet,
            secretariat,
            CapitalisationVerb.SHEET_PUBLISH,
            reviewed,
            from_status=SUBMITTED,
            to_status=PUBLISHED,
        )
    elif spec.status == RETURNED:
        _record(
            sheet,
            secretariat,
            CapitalisationVerb.SHEET_RETURN,
            reviewed,
            from_status=SUBMITTED,
            to_status=RETURNED,
            comment=spec.review_comment,
        )


def seed(seeder) -> None:
    secretariat = seeder.people["secretariat"]
    axes = seeder.axes
    proposals = {number: _proposals_of(number) for number in axes}
    for index, spec in enumerate(SHEETS):
        author = seeder.people[spec.author]
        written = FIRST_PUBLICATION + timedelta(days=4 * index)
        sent = written + timedelta(days=3)
        reviewed = sent + timedelta(days=5, hours=2)
        is_reviewed = spec.status in (PUBLISHED, RETURNED)
        sheet = seeder.upsert(
            ExperienceSheet,
            {"title": spec.title},
            {
                "summary": spec.summary,
                "what_was_done": _bullets(spec.done),
                "results": _bullets(spec.results),
                "lessons": _bullets(spec.lessons),
                "period": spec.period,
                "axis": axes[spec.axis],
                "organisation": seeder.organisations[spec.organisation],
                "author": author,
                "contact_name": author.get_full_name(),
                "contact_email": author.email,
                # In the range ARCEP reserves for fiction (04 65 71 xx xx).
                "contact_phone": f"04 65 71 {10 + index:02d} {7 * index % 90 + 10:02d}",
                "status": spec.status,
                "review_comment": spec.review_comment,
                "reviewed_by": secretariat if is_reviewed else None,
                "reviewed_at": reviewed if is_reviewed else None,
                "submitted_at": None if spec.status == DRAFT else sent,
                "published_at": reviewed if spec.status == PUBLISHED else None,
            },
        )
        created = not AuditEvent.for_object(sheet).exists()
        sheet.territories.set(seeder.territories[slug] for slug in spec.places)
        sheet.other_organisations.set(
            seeder.organisations[key] for key in spec.partners
        )
        linked = proposals[spec.axis]
        if linked and spec.status != DRAFT:
            start = index % len(linked)
            sheet.proposals.set(linked[start : start + 1 + index % 2])
        if created:
            ExperienceSheet.objects.filter(pk=sheet.pk).update(
                created_at=written, updated_at=reviewed if is_reviewed else sent
            )
            _journal(sheet, spec, author, secretariat, written, sent, reviewed)

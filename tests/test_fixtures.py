"""The reference fixtures: the six axes verbatim, the three bassins, the partners."""

from django.core.management import call_command

from axes.models import Axis
from people.models import Organisation, Territory

# The titles as validated by the commission, with French typography: no-break
# spaces inside « » and typographic apostrophes.
AXIS_TITLES = {
    1: "Améliorer la «\u00a0participation des locataires et leurs "
    "représentants\u00a0» sur le volet GUSP",
    2: "Développer le partenariat en vue du «\u00a0maintien\u00a0» dans le logement",
    3: "Développer et partager des expériences favorisant le «\u00a0mieux vivre "
    "ensemble\u00a0» et la «\u00a0tranquillité résidentielle\u00a0»",
    4: "Améliorer le partenariat pour l\u2019insertion des «\u00a0jeunes\u00a0», "
    "de l\u2019aspect «\u00a0logement\u00a0» à l\u2019aspect «\u00a0emploi\u00a0»",
    5: "Développer des actions spécifiques en faveur des «\u00a0personnes "
    "vieillissantes\u00a0» ou handicapées",
    6: "Améliorer le cadre de vie, l\u2019image de l\u2019habitat",
}


def load():
    call_command("loaddata", "axes", "territories", "organisations", verbosity=0)


def test_the_fixtures_hold_exactly_the_six_axes_with_their_titles_verbatim(db):
    """Axes 1 to 6, no other, titled character for character as validated."""
    load()

    titles = dict(Axis.objects.values_list("number", "title"))

    assert titles == AXIS_TITLES


def test_the_fixtures_hold_the_three_former_contrats_de_ville_as_bassins(db):
    """Gier, Ondaine and Saint-Étienne are the bassins, at the root."""
    load()

    bassins = Territory.objects.filter(kind=Territory.Kind.BASSIN)

    assert sorted(bassins.values_list("name", flat=True)) == [
        "Gier",
        "Ondaine",
        "Saint-Étienne",
    ]
    assert not bassins.filter(parent__isnull=False).exists()


def test_the_fixtures_hold_amo2sm_and_the_partner_organisations(db):
    """AMO2SM, the agglomeration and the State, regional and departmental
    partners are there, each once."""
    load()

    names = {(o.short_name, o.name) for o in Organisation.objects.all()}
    expected = [
        "AMO2SM",
        "Saint-Étienne Métropole",
        "DDE",
        "Préfecture",
        "Région",
        "Conseil Général",
    ]

    for label in expected:
        assert sum(label in pair for pair in names) == 1, label
    assert len(names) == len(expected)


def test_loading_the_fixtures_twice_changes_nothing(db):
    """The fixtures can be reloaded over themselves (the demo does it)."""
    load()
    before = (Axis.objects.count(), Territory.objects.count())

    load()

    assert (Axis.objects.count(), Territory.objects.count()) == before == (6, 3)

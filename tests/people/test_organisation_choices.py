"""Wherever a person chooses an organisation, they read its full name, with its
short name in parentheses when that adds something (``choice_label``), in
French order; a person to choose is shown with their organisation the same
way."""

import pytest

from ateliers.forms import MembershipAddForm, ProposalFilterForm, ProposalForm
from audit.forms import AuditFilterForm
from capitalisation.forms import LibraryFilterForm, SheetForm
from declinaison.forms import ProgrammingFilterForm, SiteActionForm
from people.forms import (
    OrganisationChoiceField,
    OrganisationMultipleChoiceField,
    person_with_organisation,
)
from people.models import Organisation
from referentiel.forms import ReviewForm
from seminaire.forms import ImportForm, InvitationForm
from tests import factories as f
from tests.choices import FRENCH_ORDER, SHUFFLED


@pytest.mark.parametrize(
    "name, short_name, label",
    [
        ("Saint-Étienne Métropole", "SEM", "Saint-Étienne Métropole (SEM)"),
        ("Office des Sept Collines", "O7C", "Office des Sept Collines (O7C)"),
        ("Association Relais", "", "Association Relais"),
        ("Association Relais", "  ", "Association Relais"),
        # A short name the name already holds, whatever its accents or case.
        ("Préfecture de la Loire", "Préfecture", "Préfecture de la Loire"),
        ("Ville de Saint-Étienne", "Saint-Etienne", "Ville de Saint-Étienne"),
        (
            "Conseil Général de la Loire",
            "conseil général",
            "Conseil Général de la Loire",
        ),
        # ... after an article French contracts.
        (
            "Ville du Chambon-Feugerolles",
            "Le Chambon-Feugerolles",
            "Ville du Chambon-Feugerolles",
        ),
        ("Ville de L’Horme", "L'Horme", "Ville de L’Horme"),
        # ... as whole words only.
        ("Saint-Étienne Métropole", "Saint-É", "Saint-Étienne Métropole (Saint-É)"),
    ],
)
def test_the_choice_label_is_the_full_name_with_the_acronym(name, short_name, label):
    assert Organisation(name=name, short_name=short_name).choice_label == label


def test_a_person_reads_with_their_organisations_full_name():
    organisation = Organisation(pk=2, name="Saint-Étienne Métropole", short_name="SEM")
    person = f.UserFactory.build(first_name="Anne", last_name="Cèdre")
    assert person_with_organisation(person) == "Anne Cèdre"
    person.organisation = organisation
    assert (
        person_with_organisation(person) == "Anne Cèdre — Saint-Étienne Métropole (SEM)"
    )


def organisation_fields(form):
    return {
        name: field
        for name, field in form.fields.items()
        if getattr(field, "queryset", None) is not None
        and field.queryset.model is Organisation
    }


@pytest.fixture
def trees(db):
    return [
        f.OrganisationFactory(name=name, short_name=name[:3].upper())
        for name in SHUFFLED
    ]


def forms_choosing_organisations(world):
    return {
        "ateliers.ProposalForm": ProposalForm(atelier=world.ours),
        "ateliers.ProposalFilterForm": ProposalFilterForm(),
        "audit.AuditFilterForm": AuditFilterForm(),
        "capitalisation.SheetForm": SheetForm(),
        "capitalisation.LibraryFilterForm": LibraryFilterForm(),
        "declinaison.SiteActionForm": SiteActionForm(),
        "declinaison.ProgrammingFilterForm": ProgrammingFilterForm(),
        "seminaire.InvitationForm": InvitationForm(),
        "seminaire.ImportForm": ImportForm(),
    }


# The fields a person chooses organisations with, form by form.
EXPECTED_FIELDS = {
    "ateliers.ProposalForm": {"lead_organisation", "partner_organisations"},
    "ateliers.ProposalFilterForm": {"organisation"},
    "audit.AuditFilterForm": {"organisation"},
    "capitalisation.SheetForm": {"organisation", "other_organisations"},
    "capitalisation.LibraryFilterForm": {"organisation"},
    "declinaison.SiteActionForm": {"lead_organisation", "partner_organisations"},
    "declinaison.ProgrammingFilterForm": {"lead_organisation"},
    "seminaire.InvitationForm": {"organisation"},
    "seminaire.ImportForm": {"organisations"},
}


@pytest.mark.django_db
@pytest.mark.parametrize("form_name", sorted(EXPECTED_FIELDS))
def test_every_organisation_choice_reads_full_names_in_french_order(
    world, trees, form_name
):
    form = forms_choosing_organisations(world)[form_name]
    fields = organisation_fields(form)
    assert set(fields) == EXPECTED_FIELDS[form_name]
    for name, field in fields.items():
        assert isinstance(
            field, OrganisationChoiceField | OrganisationMultipleChoiceField
        ), name
        choices = list(field.queryset)
        labels = [label for value, label in field.choices if value]
        assert labels == [o.choice_label for o in choices], name
        # The trees it offers (all but the programming's lead filter, which
        # offers the organisations leading an action), in French order.
        found = [o.name for o in choices if o.name in FRENCH_ORDER]
        assert found == [n for n in FRENCH_ORDER if n in found], name


@pytest.mark.django_db
def test_people_to_choose_read_with_their_organisations_full_name(world):
    """The volunteers to add to an atelier, the partners invited to a review
    and the people to invite to the seminar."""
    organisation = Organisation.objects.get(name="Saint-Étienne Métropole")
    anne = f.UserFactory(
        first_name="Anne", last_name="Cèdre", organisation=organisation, is_partner=True
    )
    fields = {
        "volunteers": MembershipAddForm(atelier=world.ours).fields["user"],
        "review partners": ReviewForm().fields["partners"],
        "seminar guests": ImportForm().fields["people"],
    }
    for name, field in fields.items():
        assert field.label_from_instance(anne) == (
            "Anne Cèdre — Saint-Étienne Métropole (SEM)"
        ), name

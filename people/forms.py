"""Form fields to choose organisations, shared by every app's forms: a person
reads each by its full name and short name (``Organisation.choice_label``),
never by an acronym alone."""

from django import forms


class OrganisationChoiceField(forms.ModelChoiceField):
    """One organisation, in a drop-down: « Saint-Étienne Métropole (SEM) »."""

    def label_from_instance(self, organisation):
        return organisation.choice_label


class OrganisationMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Several organisations (checkboxes, a multiple select), labelled as
    ``OrganisationChoiceField``."""

    def label_from_instance(self, organisation):
        return organisation.choice_label


def person_with_organisation(user, separator: str = " — ") -> str:
    """A person in a list of people to choose: their name, then their
    organisation by its ``choice_label`` when they have one."""
    name = user.get_full_name() or user.get_username()
    if not user.organisation_id:
        return name
    return f"{name}{separator}{user.organisation.choice_label}"

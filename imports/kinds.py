"""The three imports: what each reads (its resource and columns), where it
lives in the URL, and what its rows become."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from people.models import Organisation, User
from people.resources import OrganisationResource, PersonResource
from seminaire.models import Invitation
from seminaire.resources import GuestResource

from .models import ImportKind


@dataclass(frozen=True)
class Kind:
    value: str
    slug: str
    resource_class: type
    model: type
    title: str
    help_text: str

    @property
    def label(self):
        return ImportKind(self.value).label

    @property
    def columns(self):
        return self.resource_class.COLUMNS

    def resource(self, *, event=None, lines=()):
        if self.value == ImportKind.GUESTS:
            return self.resource_class(event=event, lines=lines)
        return self.resource_class(lines=lines)


KINDS = {
    ImportKind.PEOPLE: Kind(
        ImportKind.PEOPLE,
        "personnes",
        PersonResource,
        User,
        _("Import people"),
        _(
            "Each row becomes an account without a password and without any "
            "role: the person chooses a password through « Forgot your "
            "password? », and you give the roles in the administration."
        ),
    ),
    ImportKind.ORGANISATIONS: Kind(
        ImportKind.ORGANISATIONS,
        "organisations",
        OrganisationResource,
        Organisation,
        _("Import organisations"),
        _(
            "Each row becomes an organisation. Import the organisations before "
            "the people who work there."
        ),
    ),
    ImportKind.GUESTS: Kind(
        ImportKind.GUESTS,
        "invites",
        GuestResource,
        Invitation,
        _("Import seminar guests"),
        _(
            "Each row becomes a guest of the seminar chosen, without an e-mail "
            "being sent: send the invitations from the seminar's page."
        ),
    ),
}

BY_SLUG = {kind.slug: kind for kind in KINDS.values()}

"""Seminar guests imported from a spreadsheet (a django-import-export
resource, run by cucs_portal.spreadsheets and the imports app).

A guest is named by « Nom » and « Prénom », or by one « Nom complet » column.
Their category is read from « Catégorie » (élus, bailleurs, techniciens,
partenaires), or else follows their organisation, as for the guests invited
from the portal (``Invitation.category_for``). A guest without an address is
invited by post. A guest is a duplicate when their address is already
invited to this seminar, or earlier in the same file, whatever the capitals:
the row is skipped and shown. An imported guest is not sent anything: the
secretariat sends the invitations from the seminar's page, as for any guest.
"""

from django.core.exceptions import ValidationError
from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources

from cucs_portal.spreadsheets import Column, ImportResourceMixin
from people.resources import (
    EMAIL,
    EMAIL_ALIASES,
    FIRST_NAME,
    JOB_ALIASES,
    JOB_TITLE,
    NAME,
    ORGANISATION,
    ORGANISATION_ALIASES,
    ChoiceWidget,
    OrganisationWidget,
    text_field,
)

from .models import Invitation, InvitationCategory

FULL_NAME = gettext_lazy("Full name")
CATEGORY = gettext_lazy("Category")

CATEGORY_ALIASES = {
    InvitationCategory.ELECTED: ("élu", "élus", "élue", "élues", "elected"),
    InvitationCategory.LANDLORD: ("bailleur", "bailleurs", "bailleur social"),
    InvitationCategory.TECHNICIAN: (
        "technicien",
        "techniciens",
        "technicienne",
        "techniciennes",
        "technique",
    ),
    InvitationCategory.PARTNER: ("partenaire", "partenaires"),
}


class GuestResource(ImportResourceMixin, resources.ModelResource):
    full_name = text_field("full_name")
    email = text_field("email")
    organisation = fields.Field(
        attribute="organisation",
        column_name="organisation",
        widget=OrganisationWidget(),
    )
    job_title = text_field("job_title")
    category = fields.Field(
        attribute="category",
        column_name="category",
        widget=ChoiceWidget(InvitationCategory, CATEGORY_ALIASES),
    )

    COLUMNS = (
        Column(
            "last_name",
            NAME,
            aliases=("nom", "nom de famille", "last name"),
            required=True,
            alternatives=("full_name",),
        ),
        Column("first_name", FIRST_NAME, aliases=("prénom", "prenom", "first name")),
        Column(
            "full_name",
            FULL_NAME,
            aliases=(
                "nom complet",
                "nom et prénom",
                "prénom et nom",
                "nom prénom",
                "full name",
            ),
        ),
        Column("email", EMAIL, aliases=EMAIL_ALIASES),
        Column("organisation", ORGANISATION, aliases=ORGANISATION_ALIASES),
        Column("job_title", JOB_TITLE, aliases=JOB_ALIASES),
        Column("category", CATEGORY, aliases=("catégorie", "collège", "category")),
    )
    field_labels = {
        "full_name": NAME,
        "email": EMAIL,
        "organisation": ORGANISATION,
        "job_title": JOB_TITLE,
        "category": CATEGORY,
    }

    class Meta:
        model = Invitation
        fields = ("full_name", "email", "organisation", "job_title", "category")
        force_init_instance = True
        clean_model_instances = True
        skip_diff = True
        report_skipped = True
        # One INSERT per thousand rows, not one per row with its savepoint.
        use_bulk = True

    not_validated = ("organisation", "event")

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self.known_addresses = set(
            self.event.invitations.exclude(email="")
            .annotate(address=Lower("email"))
            .values_list("address", flat=True)
        )
        self.seen_addresses: dict[str, int] = {}
        self.fields["organisation"].widget.load()

    def duplicate_note(self, row) -> str:
        return self.email_duplicate_note(
            row,
            already_known=_(
                "Already invited to this seminar (same e-mail address): skipped."
            ),
        )

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        instance.event = self.event
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if not instance.full_name:
            parts = (row.get("first_name"), row.get("last_name"))
            instance.full_name = " ".join(str(p).strip() for p in parts if p).strip()
        if not instance.category:
            # An unknown organisation is the row's error already: the
            # category falls back as for a guest without one.
            instance.category = Invitation.category_for(
                None if "organisation" in errors else instance.organisation
            )
        if errors:
            raise ValidationError(errors)

    @classmethod
    def undo_blocker(cls, obj) -> str:
        if obj.sent_at or obj.queued_at:
            return _("the invitation has been sent")
        if obj.reply != Invitation.Reply.PENDING:
            return _("the guest has replied")
        if obj.version > 1:
            return _("the invitation has been changed since")
        return ""

"""People and organisations imported from a spreadsheet (django-import-export
resources, run by cucs_portal.spreadsheets and the imports app).

An imported person gets an account without a password (they choose one
through « Mot de passe oublié ») and without any role or privilege: the
secretariat hands those out one by one. Their user name is their e-mail
address in small letters. A person is a duplicate when their address is
already the portal's, or earlier in the same file, whatever the capitals: the
row is skipped and shown.

An organisation is a duplicate when its name is already the portal's, or
earlier in the file, whatever the case and accents.
"""

from django.core.exceptions import ValidationError
from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources, widgets

from cucs_portal.spreadsheets import Column, ImportResourceMixin, fold_header

from .models import Organisation, OrganisationKind, User

NAME = gettext_lazy("Last name")
FIRST_NAME = gettext_lazy("First name")
EMAIL = gettext_lazy("E-mail")
ORGANISATION = gettext_lazy("Organisation")
JOB_TITLE = gettext_lazy("Job title")

EMAIL_ALIASES = (
    "email",
    "e-mail",
    "mail",
    "courriel",
    "adresse e-mail",
    "adresse électronique",
    "adresse mail",
    "adresse courriel",
)
ORGANISATION_ALIASES = ("organisation", "organisme", "structure", "employeur")
JOB_ALIASES = ("fonction", "poste", "job title", "titre")


def organisation_key(text) -> str:
    return fold_header(text)


class OrganisationWidget(widgets.Widget):
    """An organisation by its name or its short name, whatever the case and
    accents; an unknown one is a row error. The organisations are read once
    per import (``load``), not once per row."""

    def __init__(self):
        super().__init__()
        self.known: dict[str, Organisation] | None = None

    def load(self) -> None:
        known: dict[str, Organisation] = {}
        organisations = list(Organisation.objects.all())
        for organisation in organisations:
            if organisation.short_name:
                known.setdefault(
                    organisation_key(organisation.short_name), organisation
                )
        # A full name wins over another's short name.
        for organisation in organisations:
            known[organisation_key(organisation.name)] = organisation
        self.known = known

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip()
        if not text:
            return None
        if self.known is None:
            self.load()
        found = self.known.get(organisation_key(text))
        if found is None:
            raise ValueError(
                _(
                    "No organisation of the portal is called « %(name)s »: "
                    "correct the name, or import the organisation first."
                )
                % {"name": text[:200]}
            )
        return found

    def render(self, value, obj=None, **kwargs):
        return value.name if value else ""


class TextWidget(widgets.CharWidget):
    """Text as typed, trimmed; empty is the empty string."""

    def clean(self, value, row=None, **kwargs):
        return str(value or "").strip()


def text_field(name: str) -> fields.Field:
    return fields.Field(attribute=name, column_name=name, widget=TextWidget())


class PersonResource(ImportResourceMixin, resources.ModelResource):
    last_name = text_field("last_name")
    first_name = text_field("first_name")
    email = text_field("email")
    organisation = fields.Field(
        attribute="organisation",
        column_name="organisation",
        widget=OrganisationWidget(),
    )
    job_title = text_field("job_title")

    COLUMNS = (
        Column(
            "last_name",
            NAME,
            aliases=("nom", "nom de famille", "last name"),
            required=True,
        ),
        Column("first_name", FIRST_NAME, aliases=("prénom", "prenom", "first name")),
        Column("email", EMAIL, aliases=EMAIL_ALIASES, required=True),
        Column("organisation", ORGANISATION, aliases=ORGANISATION_ALIASES),
        Column("job_title", JOB_TITLE, aliases=JOB_ALIASES),
    )
    field_labels = {
        "last_name": NAME,
        "first_name": FIRST_NAME,
        "email": EMAIL,
        # The user name is the address: its errors are the address's.
        "username": EMAIL,
        "organisation": ORGANISATION,
        "job_title": JOB_TITLE,
    }

    class Meta:
        model = User
        fields = ("last_name", "first_name", "email", "organisation", "job_title")
        force_init_instance = True
        clean_model_instances = True
        skip_diff = True
        report_skipped = True
        # One INSERT per thousand rows, not one per row with its savepoint.
        use_bulk = True

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self.known_addresses = set(
            User.objects.exclude(email="")
            .annotate(address=Lower("email"))
            .values_list("address", flat=True)
        )
        self.known_usernames = {
            name.lower() for name in User.objects.values_list("username", flat=True)
        }
        self.seen_addresses: dict[str, int] = {}
        self.fields["organisation"].widget.load()

    def duplicate_note(self, row) -> str:
        return self.email_duplicate_note(
            row,
            already_known=_("Already in the portal (same e-mail address): skipped."),
        )

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if not instance.email:
            errors.setdefault("email", []).append(
                ValidationError(_("The e-mail address is required."), code="required")
            )
        instance.username = instance.email.lower()
        instance.set_unusable_password()
        if errors:
            raise ValidationError(errors)

    not_validated = ("organisation",)

    def unique_errors(self, instance) -> dict:
        if instance.username and instance.username in self.known_usernames:
            return {
                "email": _(
                    "An account already has this e-mail address as its user name."
                )
            }
        return {}

    def validate_instance(self, instance, import_validation_errors=None, **kwargs):
        try:
            super().validate_instance(instance, import_validation_errors, **kwargs)
        except ValidationError as exc:
            # The user name is the address: said once, on the address.
            if "email" in exc.error_dict:
                exc.error_dict.pop("username", None)
            raise

    @classmethod
    def undo_blocker(cls, obj) -> str:
        if obj.last_login:
            return _("has already signed in to the portal")
        if obj.is_superuser or obj.is_staff or obj.is_secretariat:
            return _("has been given privileges since")
        return ""


KIND_ALIASES = {
    OrganisationKind.LANDLORD: ("bailleur", "bailleur social", "organisme hlm", "hlm"),
    OrganisationKind.COMMUNE: ("commune", "mairie", "ville"),
    OrganisationKind.AGGLOMERATION: (
        "agglomération",
        "communauté d'agglomération",
        "intercommunalité",
        "epci",
    ),
    OrganisationKind.STATE: ("état", "service de l'état", "etat"),
    OrganisationKind.REGION: ("région", "conseil régional"),
    OrganisationKind.DEPARTMENT: (
        "département",
        "conseil général",
        "conseil départemental",
    ),
    OrganisationKind.ASSOCIATION: ("association",),
}


class ChoiceWidget(widgets.Widget):
    """One of ``choices`` by its value, its label (in French or English) or
    an alias, whatever the case and accents; empty is ``default``."""

    def __init__(self, choices, aliases=None, default=""):
        super().__init__()
        self.choices = choices
        self.aliases = aliases or {}
        self.default = default

    def names(self) -> dict[str, str]:
        known = {}
        for value, label in self.choices.choices:
            for name in (value, str(label), *self.aliases.get(value, ())):
                known[fold_header(name)] = value
        return known

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip()
        if not text:
            return self.default
        found = self.names().get(fold_header(text))
        if found is None:
            raise ValueError(
                _("« %(value)s » is not one of: %(choices)s.")
                % {
                    "value": text[:100],
                    "choices": ", ".join(str(label) for label in self.choices.labels),
                }
            )
        return found


class OrganisationResource(ImportResourceMixin, resources.ModelResource):
    name = text_field("name")
    short_name = text_field("short_name")
    kind = fields.Field(
        attribute="kind",
        column_name="kind",
        widget=ChoiceWidget(OrganisationKind, KIND_ALIASES),
    )
    website = text_field("website")

    COLUMNS = (
        Column(
            "name",
            NAME,
            aliases=("nom", "raison sociale", "organisation", "organisme", "name"),
            required=True,
        ),
        Column(
            "short_name",
            gettext_lazy("Short name"),
            aliases=("sigle", "acronyme", "nom court", "short name"),
        ),
        Column(
            "kind",
            gettext_lazy("Kind"),
            aliases=("type", "catégorie", "kind"),
            required=True,
        ),
        Column(
            "website",
            gettext_lazy("Website"),
            aliases=("site", "site web", "site internet", "url", "website"),
        ),
    )
    field_labels = {
        "name": NAME,
        "short_name": gettext_lazy("Short name"),
        "kind": gettext_lazy("Kind"),
        "website": gettext_lazy("Website"),
    }

    class Meta:
        model = Organisation
        fields = ("name", "short_name", "kind", "website")
        force_init_instance = True
        clean_model_instances = True
        skip_diff = True
        report_skipped = True
        # One INSERT per thousand rows, not one per row with its savepoint.
        use_bulk = True

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self.known_names = {
            organisation_key(name)
            for name in Organisation.objects.values_list("name", flat=True)
        }
        self.seen_names: dict[str, int] = {}

    def duplicate_note(self, row) -> str:
        key = organisation_key(row.get("name") or "")
        if not key:
            return ""
        if key in self.known_names:
            return _("Already in the portal (same name): skipped.")
        first = self.seen_names.setdefault(key, self.line_of(self._row_number))
        if first != self.line_of(self._row_number):
            return _("Same name as line %(line)s: skipped.") % {"line": first}
        return ""

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        website = instance.website
        if website and "://" not in website:
            instance.website = f"https://{website}"

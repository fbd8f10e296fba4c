import re

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cucs_portal.collation import French, french_key


class TerritoryKind(models.TextChoices):
    BASSIN = "bassin", _("Bassin (former contrat de ville)")
    COMMUNE = "commune", _("Commune")
    NEIGHBOURHOOD = "neighbourhood", _("Priority neighbourhood")


class Territory(models.Model):
    """A former contrat de ville (bassin), a commune under it, or a priority
    neighbourhood (quartier prioritaire) under a commune."""

    Kind = TerritoryKind

    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=150, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )

    class Meta:
        verbose_name = _("territory")
        verbose_name_plural = _("territories")
        ordering = ["kind", French("name")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=TerritoryKind.values),
                name="territory_kind_valid",
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind="bassin", parent__isnull=True)
                    | (~Q(kind="bassin") & Q(parent__isnull=False))
                ),
                name="territory_only_bassins_are_roots",
            ),
            models.UniqueConstraint(
                fields=["parent", "name"], name="territory_unique_name_in_parent"
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        expected_parent = {
            self.Kind.COMMUNE: self.Kind.BASSIN,
            self.Kind.NEIGHBOURHOOD: self.Kind.COMMUNE,
        }.get(self.kind)
        if expected_parent and (not self.parent or self.parent.kind != expected_parent):
            raise ValidationError(
                {
                    "parent": _("A %(kind)s must be placed under a %(parent)s.")
                    % {
                        "kind": self.get_kind_display(),
                        "parent": self.Kind(expected_parent).label,
                    }
                }
            )


class OrganisationKind(models.TextChoices):
    LANDLORD = "landlord", _("Social landlord")
    COMMUNE = "commune", _("Commune")
    AGGLOMERATION = "agglomeration", _("Agglomeration community")
    STATE = "state", _("State service")
    REGION = "region", _("Regional council")
    DEPARTMENT = "department", _("Departmental council")
    ASSOCIATION = "association", _("Association")


class Organisation(models.Model):
    Kind = OrganisationKind

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    is_commission_member = models.BooleanField(
        _("member of the CUCS commission"),
        default=False,
        help_text=_("Member landlords of AMO2SM's inter-landlord CUCS commission."),
    )
    territory = models.ForeignKey(
        Territory,
        verbose_name=_("territory"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        help_text=_("For a commune: the commune it administers."),
    )
    website = models.URLField(_("website"), blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = [French("name")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=OrganisationKind.values),
                name="organisation_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(is_commission_member=False) | Q(kind="landlord"),
                name="organisation_commission_members_are_landlords",
            ),
        ]

    def __str__(self):
        return self.short_name or self.name

    @property
    def choice_label(self) -> str:
        """How the organisation reads where a person chooses one: its full name,
        with its short name in parentheses when that tells something more
        (« Saint-Étienne Métropole (SEM) », but « Préfecture de la Loire », not
        « … (Préfecture) »). The choice fields of people/forms.py show it."""
        short_name = self.short_name.strip()
        if not short_name or _contains_words(self.name, short_name):
            return self.name
        return f"{self.name} ({short_name})"

    @property
    def is_landlord(self) -> bool:
        return self.kind == self.Kind.LANDLORD

    @property
    def is_public_body(self) -> bool:
        """A commune or the agglomeration: the other co-animator of an atelier."""
        return self.kind in {self.Kind.COMMUNE, self.Kind.AGGLOMERATION}


# A leading article, which French contracts after « de » (« Le Chambon » in
# « Ville du Chambon »).
LEADING_ARTICLE = re.compile(r"^(?:l[ea]s?\s+|l['’]\s*)")


def _contains_words(text: str, words: str) -> bool:
    """Whether ``words`` appear as whole words in ``text``, whatever the accents,
    the case and a leading article."""
    folded_text = french_key(text)[0]
    folded_words = LEADING_ARTICLE.sub("", french_key(words)[0])
    return re.search(rf"\b{re.escape(folded_words)}\b", folded_text) is not None


class User(AbstractUser):
    """A person using the portal. Atelier roles (member, co-animator) come from
    ateliers.AtelierMembership; the portal-wide roles are the flags below, and one
    person may hold several."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
    )
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    is_commission_delegate = models.BooleanField(
        _("commission member"),
        default=False,
        help_text=_("Represents their organisation at the CUCS commission."),
    )
    is_secretariat = models.BooleanField(
        _("AMO2SM secretariat"),
        default=False,
        help_text=_("Runs the portal: editions, validation rounds, accounts."),
    )
    is_partner = models.BooleanField(
        _("partner (read-only)"),
        default=False,
        help_text=_("Reads validated proposals and the référentiel."),
    )
    # Set by the erasure of the person (audit.services.person_erase): the
    # account stays, for the journal, the revisions and the decisions, as
    # « Ancien participant n° N ».
    erasure_number = models.PositiveIntegerField(
        _("former participant number"), null=True, blank=True, unique=True
    )
    erased_at = models.DateTimeField(
        _("personal data erased at"), null=True, blank=True
    )

    objects = UserManager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = [French("last_name"), French("first_name"), "username"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_commission_delegate=False)
                | Q(organisation__isnull=False),
                name="user_commission_delegate_has_organisation",
            ),
        ]

    def __str__(self):
        return self.get_full_name() or self.username

    @property
    def is_erased(self) -> bool:
        return self.erasure_number is not None

    def clean(self):
        super().clean()
        if self.is_commission_delegate and not (
            self.organisation and self.organisation.is_commission_member
        ):
            raise ValidationError(
                {
                    "is_commission_delegate": _(
                        "Only people from an organisation that sits on the "
                        "commission can represent it."
                    )
                }
            )

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cucs_portal import texts
from cucs_portal.records import VersionedModel
from cucs_portal.texts import LongTextField
from people.models import Territory

# Actions are placed on a commune or a priority neighbourhood, never on a
# whole bassin: a bassin's programming is the sum of its sites'.
SITE_KINDS = (Territory.Kind.COMMUNE, Territory.Kind.NEIGHBOURHOOD)


class SiteActionQuerySet(models.QuerySet):
    def in_territory(self, territory: Territory):
        """The actions on ``territory``: a bassin holds its communes and their
        neighbourhoods, a commune its neighbourhoods."""
        if territory.kind == Territory.Kind.BASSIN:
            return self.filter(
                Q(territory__parent=territory) | Q(territory__parent__parent=territory)
            )
        if territory.kind == Territory.Kind.COMMUNE:
            return self.filter(Q(territory=territory) | Q(territory__parent=territory))
        return self.filter(territory=territory)

    def for_axis(self, axis):
        return self.filter(proposal__atelier__axis=axis)


class SiteActionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    # Feminine in French (une action), apart from the PDF's "done" step.
    DONE = "done", pgettext_lazy("site action status", "Done")
    ABANDONED = "abandoned", _("Abandoned")


class SiteAction(VersionedModel):
    """One action on one site (a commune or a priority neighbourhood) that
    declines a validated proposal of a published edition of the référentiel."""

    Status = SiteActionStatus

    proposal = models.ForeignKey(
        "ateliers.Proposal",
        verbose_name=_("proposal"),
        on_delete=models.PROTECT,
        related_name="site_actions",
    )
    edition = models.ForeignKey(
        "referentiel.Edition",
        verbose_name=_("edition of the référentiel"),
        on_delete=models.PROTECT,
        related_name="site_actions",
    )
    territory = models.ForeignKey(
        "people.Territory",
        verbose_name=_("site"),
        on_delete=models.PROTECT,
        related_name="site_actions",
        help_text=_("A commune or a priority neighbourhood."),
    )
    title = models.CharField(_("title"), max_length=255)
    description = LongTextField(
        _("description"), max_length=texts.LONG_TEXT, blank=True
    )
    lead_organisation = models.ForeignKey(
        "people.Organisation",
        verbose_name=_("lead organisation"),
        on_delete=models.PROTECT,
        related_name="led_site_actions",
    )
    partner_organisations = models.ManyToManyField(
        "people.Organisation",
        verbose_name=_("partners"),
        blank=True,
        related_name="partnered_site_actions",
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    budget = models.DecimalField(
        _("budget (€)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"),
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = SiteActionQuerySet.as_manager()

    class Meta(VersionedModel.Meta):
        verbose_name = _("site action")
        verbose_name_plural = _("site actions")
        ordering = ["starts_on", "title", "pk"]
        constraints = [
            *VersionedModel.Meta.constraints,
            models.CheckConstraint(
                condition=Q(status__in=SiteActionStatus.values),
                name="site_action_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="site_action_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(progress__gte=0) & Q(progress__lte=100),
                name="site_action_progress_percent",
            ),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gte=0),
                name="site_action_budget_positive",
            ),
            models.CheckConstraint(
                condition=~Q(title=""), name="site_action_title_not_empty"
            ),
        ]
        indexes = [
            models.Index(fields=["status"], name="site_action_status_idx"),
            models.Index(fields=["starts_on"], name="site_action_starts_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("declinaison:action_detail", kwargs={"pk": self.pk})

    @property
    def progress_contradicts_status(self) -> bool:
        """Progress above 0 % while still « Programmée »: most likely the
        action has started and nobody moved it to « En cours ». A hint, not
        a rule: read from the row's own fields, so a list pays no query."""
        return self.status == SiteActionStatus.PLANNED and self.progress > 0

    def clean(self):
        errors = {}
        if self.territory_id and self.territory.kind not in SITE_KINDS:
            errors["territory"] = _(
                "Choose a commune or a priority neighbourhood, not a whole bassin."
            )
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("The action cannot end before it starts.")
        if errors:
            raise ValidationError(errors)


class FundingSource(models.TextChoices):
    CUCS = "cucs", _("CUCS")
    GUSP = "gusp", _("GUSP")
    SERVICE_QUALITY = "service_quality", _("Qualité de service")
    LANDLORD = "landlord", _("Landlord's own funds")
    STATE = "state", _("State")
    REGION = "region", _("Région")
    DEPARTMENT = "department", _("Conseil Général")
    OTHER = "other", _("Other")


class FundingLine(models.Model):
    """Where part of an action's money comes from."""

    Source = FundingSource

    action = models.ForeignKey(
        SiteAction,
        verbose_name=_("site action"),
        on_delete=models.CASCADE,
        related_name="funding_lines",
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    amount = models.DecimalField(
        _("amount (€)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("funding line")
        verbose_name_plural = _("funding lines")
        ordering = ["action", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(source__in=FundingSource.values),
                name="funding_line_source_valid",
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="funding_line_amount_positive"
            ),
        ]

    def __str__(self):
        return f"{self.get_source_display()} · {self.amount} €"


class ProgressNote(models.Model):
    """An update of an action's progress: its status and percentage at that
    moment, and what happened."""

    action = models.ForeignKey(
        SiteAction,
        verbose_name=_("site action"),
        on_delete=models.CASCADE,
        related_name="progress_notes",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)
    body = LongTextField(_("note"), max_length=texts.COMMENT, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=SiteAction.Status.choices
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )

    class Meta:
        verbose_name = _("progress note")
        verbose_name_plural = _("progress notes")
        ordering = ["action", "-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=SiteActionStatus.values),
                name="progress_note_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(progress__gte=0) & Q(progress__lte=100),
                name="progress_note_progress_percent",
            ),
        ]

    def __str__(self):
        return f"{self.action_id} · {self.get_status_display()} {self.progress} %"

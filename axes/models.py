from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cucs_portal import texts
from cucs_portal.texts import LongTextField

AXIS_COUNT = 6


class AxisStatus(models.TextChoices):
    # An axe is masculine in French: its own context, apart from proposals.
    PROPOSED = "proposed", pgettext_lazy("axis status", "Proposed")
    VALIDATED = "validated", pgettext_lazy("axis status", "Validated")


class Axis(models.Model):
    """One of the six thematic axes chosen from the diagnosis of the three former
    contrats de ville and validated by the CUCS commission (December 2006)."""

    Status = AxisStatus

    number = models.PositiveSmallIntegerField(
        _("number"),
        unique=True,
        validators=[MinValueValidator(1), MaxValueValidator(AXIS_COUNT)],
    )
    title = models.CharField(_("title"), max_length=255)
    short_label = models.CharField(_("short label"), max_length=60)
    problem_statement = LongTextField(
        _("problem statement"), max_length=texts.LONG_TEXT, blank=True
    )
    status = models.CharField(
        _("validation status"),
        max_length=20,
        choices=Status.choices,
        default=Status.PROPOSED,
    )
    validated_on = models.DateField(_("validated on"), null=True, blank=True)

    class Meta:
        verbose_name = _("axis")
        verbose_name_plural = _("axes")
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(number__gte=1) & Q(number__lte=AXIS_COUNT),
                name="axis_number_between_1_and_6",
            ),
            models.CheckConstraint(
                condition=Q(status__in=AxisStatus.values),
                name="axis_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status="proposed") | Q(validated_on__isnull=False),
                name="axis_validated_has_date",
            ),
        ]

    def __str__(self):
        return _("Axis %(number)s: %(label)s") % {
            "number": self.number,
            "label": self.short_label,
        }

    def get_absolute_url(self):
        return reverse("axes:detail", kwargs={"number": self.number})


class DiagnosisElement(models.Model):
    """A finding of the diagnosis of the former contrats de ville that led to the
    axis; tied to one bassin, or to all of them when ``bassin`` is empty."""

    axis = models.ForeignKey(
        Axis,
        verbose_name=_("axis"),
        on_delete=models.CASCADE,
        related_name="diagnosis_elements",
    )
    bassin = models.ForeignKey(
        "people.Territory",
        verbose_name=_("bassin"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        limit_choices_to={"kind": "bassin"},
        help_text=_("Leave empty for a finding shared by the three bassins."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    text = LongTextField(_("finding"), max_length=texts.SHORT_TEXT)

    class Meta:
        verbose_name = _("diagnosis element")
        verbose_name_plural = _("diagnosis elements")
        ordering = ["axis", "position", "pk"]

    def __str__(self):
        return self.text[:80]

    def clean(self):
        if self.bassin_id and self.bassin.kind != "bassin":
            raise ValidationError({"bassin": _("Choose a bassin.")})


class Enjeu(models.Model):
    """A stake of an axis, formalised by its atelier; proposals answer an enjeu."""

    axis = models.ForeignKey(
        Axis, verbose_name=_("axis"), on_delete=models.PROTECT, related_name="enjeux"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("title"), max_length=255)
    description = LongTextField(
        _("description"), max_length=texts.SHORT_TEXT, blank=True
    )

    class Meta:
        verbose_name = _("enjeu")
        verbose_name_plural = _("enjeux")
        ordering = ["axis__number", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["axis", "position"], name="enjeu_unique_position_in_axis"
            ),
            models.CheckConstraint(
                condition=Q(position__gte=1), name="enjeu_position_positive"
            ),
        ]

    def __str__(self):
        return f"{self.reference} {self.title}"

    @property
    def reference(self) -> str:
        return f"{self.axis.number}.{self.position}"

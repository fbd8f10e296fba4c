from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEvent
from cucs_portal import texts
from cucs_portal.texts import LongTextField


class ValidationRound(models.Model):
    """A sitting of the CUCS commission where each member organisation states its
    position on one or more axes, e.g. "Commission CUCS, décembre 2006"."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    title = models.CharField(_("title"), max_length=200)
    axes = models.ManyToManyField(
        "axes.Axis", verbose_name=_("axes"), related_name="validation_rounds"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("validation round")
        verbose_name_plural = _("validation rounds")
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["open", "closed"]), name="round_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status="open", closed_at__isnull=True)
                | Q(status="closed", closed_at__isnull=False),
                name="round_closed_has_date",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("commission:round_detail", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @classmethod
    def audit_value_choices(cls, action: str):
        """What the audit trail shows for the values its events on a round
        record (audit.models.AuditEvent._status_labels): a position event
        records a position, the others the round's status (None)."""
        if action == AuditEvent.Action.POSITION:
            return AxisPosition.Position.choices
        return None


class AxisPosition(models.Model):
    """The position of one member organisation on one axis in one round."""

    class Position(models.TextChoices):
        APPROVE = "approve", _("Approve")
        APPROVE_WITH_RESERVATIONS = "reservations", _("Approve with reservations")
        OPPOSE = "oppose", _("Oppose")

    APPROVING = (Position.APPROVE, Position.APPROVE_WITH_RESERVATIONS)

    round = models.ForeignKey(
        ValidationRound,
        verbose_name=_("validation round"),
        on_delete=models.CASCADE,
        related_name="positions",
    )
    axis = models.ForeignKey(
        "axes.Axis", verbose_name=_("axis"), on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "people.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="axis_positions",
    )
    position = models.CharField(_("position"), max_length=20, choices=Position.choices)
    comment = LongTextField(_("comment"), max_length=texts.COMMENT, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        verbose_name = _("position on an axis")
        verbose_name_plural = _("positions on the axes")
        ordering = ["round", "axis__number", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "axis", "organisation"],
                name="position_one_per_organisation_axis_round",
            ),
            models.CheckConstraint(
                condition=Q(position__in=["approve", "reservations", "oppose"]),
                name="position_value_valid",
            ),
        ]

    def __str__(self):
        return f"{self.organisation} · {self.axis} · {self.get_position_display()}"


class AxisDecision(models.Model):
    """What the commission decided on an axis when a round closed, with the
    figures and the rule that produced it."""

    round = models.ForeignKey(
        ValidationRound,
        verbose_name=_("validation round"),
        on_delete=models.CASCADE,
        related_name="decisions",
    )
    axis = models.ForeignKey(
        "axes.Axis",
        verbose_name=_("axis"),
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    validated = models.BooleanField(_("validated"))
    decided_on = models.DateField(_("decided on"))
    member_count = models.PositiveIntegerField(_("member organisations"))
    answer_count = models.PositiveIntegerField(_("answers"))
    approve_count = models.PositiveIntegerField(_("approvals"))
    reservation_count = models.PositiveIntegerField(_("approvals with reservations"))
    oppose_count = models.PositiveIntegerField(_("oppositions"))
    quorum_required = models.PositiveIntegerField(_("quorum required"))
    rule = models.TextField(_("rule applied"))

    class Meta:
        verbose_name = _("axis decision")
        verbose_name_plural = _("axis decisions")
        ordering = ["axis__number", "-decided_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "axis"], name="decision_one_per_axis_round"
            ),
            models.CheckConstraint(
                condition=Q(
                    answer_count=models.F("approve_count")
                    + models.F("reservation_count")
                    + models.F("oppose_count")
                ),
                name="decision_counts_add_up",
            ),
        ]

    def __str__(self):
        return f"{self.axis} · {self.round}"

    @property
    def quorum_met(self) -> bool:
        return self.answer_count >= self.quorum_required

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from cucs_portal import texts
from cucs_portal.collation import French
from cucs_portal.records import VersionedModel
from cucs_portal.texts import LongTextField

from .decision import Outcome, Tally


class RoundStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class ValidationRound(models.Model):
    """A sitting of the CUCS commission where each member organisation states its
    position on one or more axes, e.g. "Commission CUCS, décembre 2006"."""

    Status = RoundStatus

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
                condition=Q(status__in=RoundStatus.values), name="round_status_valid"
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


class PositionValue(models.TextChoices):
    APPROVE = "approve", _("Approve")
    APPROVE_WITH_RESERVATIONS = "reservations", _("Approve with reservations")
    OPPOSE = "oppose", _("Oppose")


class AxisPosition(models.Model):
    """The position of one member organisation on one axis in one round."""

    Position = PositionValue

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
        ordering = ["round", "axis__number", French("organisation__name")]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "axis", "organisation"],
                name="position_one_per_organisation_axis_round",
            ),
            models.CheckConstraint(
                condition=Q(position__in=PositionValue.values),
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


# --- The commission's sessions -----------------------------------------------------


class SessionStatus(models.TextChoices):
    CONVENED = "convened", _("Convened")
    CLOSED = "closed", _("Closed")


class CommissionSession(VersionedModel):
    """A sitting (séance) of the CUCS commission, convened by the secretariat
    with an agenda of submitted proposals and proposed axes, on which the
    delegate of each member organisation records its position. Closing it
    decides every item at once, under the rule of decision.py."""

    Status = SessionStatus

    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=texts.TITLE)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.CONVENED
    )
    convened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("convened by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta(VersionedModel.Meta):
        verbose_name = _("commission session")
        verbose_name_plural = _("commission sessions")
        ordering = ["-starts_at", "-pk"]
        constraints = [
            *VersionedModel.Meta.constraints,
            models.CheckConstraint(
                condition=Q(status__in=SessionStatus.values),
                name="session_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status="convened", closed_at__isnull=True)
                | Q(status="closed", closed_at__isnull=False),
                name="session_closed_has_date",
            ),
        ]

    def __str__(self):
        return _("Commission session of %(date)s") % {
            "date": date_format(timezone.localtime(self.starts_at), "DATE_FORMAT")
        }

    def get_absolute_url(self):
        return reverse("commission:session_detail", kwargs={"pk": self.pk})

    @property
    def is_convened(self) -> bool:
        return self.status == self.Status.CONVENED


class AgendaItem(models.Model):
    """One item of a session's agenda: a submitted proposal or a proposed axis.
    Once the session is closed it holds the decision: the outcome, the figures
    it came from and the rule that gave it."""

    Outcome = Outcome

    class Source(models.TextChoices):
        POSITIONS = "positions", _("the organisations' positions")
        MINUTES = "minutes", _("the session's minutes")
        # A decision one member recorded before the commission had sessions;
        # its figures were never recorded (migration 0004).
        LEGACY = "legacy", _("a decision recorded before the sessions")

    session = models.ForeignKey(
        CommissionSession,
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="items",
    )
    proposal = models.ForeignKey(
        "ateliers.Proposal",
        verbose_name=_("proposal"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_items",
    )
    axis = models.ForeignKey(
        "axes.Axis",
        verbose_name=_("axis"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_items",
    )
    # The tally of a decision taken in the meeting room, recorded by the
    # secretariat from the minutes (procès-verbal); when recorded it is what
    # the rule counts, instead of the positions.
    minutes_recorded = models.BooleanField(_("tally from the minutes"), default=False)
    minutes_approve = models.PositiveSmallIntegerField(_("for"), default=0)
    minutes_reservations = models.PositiveSmallIntegerField(
        _("for, with reservations"), default=0
    )
    minutes_changes = models.PositiveSmallIntegerField(
        _("changes requested"), default=0
    )
    minutes_oppose = models.PositiveSmallIntegerField(_("against"), default=0)
    minutes_abstain = models.PositiveSmallIntegerField(_("abstentions"), default=0)
    minutes_comments = LongTextField(
        _("comments in the minutes"), max_length=texts.COMMENT, blank=True
    )
    # The decision, once the session is closed.
    outcome = models.CharField(
        _("decision"), max_length=20, choices=Outcome.choices, blank=True
    )
    decided_from = models.CharField(
        _("decided from"), max_length=10, choices=Source.choices, blank=True
    )
    member_count = models.PositiveSmallIntegerField(
        _("member organisations"), null=True, blank=True
    )
    approve_count = models.PositiveSmallIntegerField(_("for"), null=True, blank=True)
    reservation_count = models.PositiveSmallIntegerField(
        _("for, with reservations"), null=True, blank=True
    )
    changes_count = models.PositiveSmallIntegerField(
        _("changes requested"), null=True, blank=True
    )
    oppose_count = models.PositiveSmallIntegerField(_("against"), null=True, blank=True)
    abstain_count = models.PositiveSmallIntegerField(
        _("abstentions"), null=True, blank=True
    )
    quorum_required = models.PositiveSmallIntegerField(
        _("quorum required"), null=True, blank=True
    )
    rule = models.TextField(_("rule applied"), blank=True)
    note = models.CharField(_("note"), max_length=texts.TITLE * 2, blank=True)
    comments_sent = models.TextField(_("comments sent to the atelier"), blank=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["session", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(proposal__isnull=False, axis__isnull=True)
                | Q(proposal__isnull=True, axis__isnull=False),
                name="agenda_item_proposal_or_axis",
            ),
            models.UniqueConstraint(
                fields=["session", "proposal"], name="agenda_item_proposal_once"
            ),
            models.UniqueConstraint(
                fields=["session", "axis"], name="agenda_item_axis_once"
            ),
            models.CheckConstraint(
                condition=Q(outcome="") | Q(outcome__in=Outcome.values),
                name="agenda_item_outcome_valid",
            ),
            models.CheckConstraint(
                condition=Q(outcome="", decided_from="")
                | (
                    ~Q(outcome="")
                    & Q(decided_from__in=["positions", "minutes", "legacy"])
                ),
                name="agenda_item_decision_has_source",
            ),
        ]

    def __str__(self):
        return str(self.proposal or self.axis)

    @property
    def subject(self):
        return self.proposal or self.axis

    @property
    def is_decided(self) -> bool:
        return bool(self.outcome)

    def minutes_tally(self, members: int) -> Tally:
        return Tally(
            members=members,
            approve=self.minutes_approve,
            reservations=self.minutes_reservations,
            changes=self.minutes_changes,
            oppose=self.minutes_oppose,
            abstain=self.minutes_abstain,
        )

    def decided_tally(self) -> Tally | None:
        if not self.is_decided:
            return None
        return Tally(
            members=self.member_count,
            approve=self.approve_count,
            reservations=self.reservation_count,
            changes=self.changes_count,
            oppose=self.oppose_count,
            abstain=self.abstain_count,
        )


class ItemPositionValue(models.TextChoices):
    # Nouns: read as a choice in the form and as what was said on the page.
    APPROVE = "approve", _("Validation")
    APPROVE_WITH_RESERVATIONS = "reservations", _("Validation with reservations")
    REQUEST_CHANGES = "changes", _("Request for changes")
    OPPOSE = "oppose", _("Rejection")


class ItemPosition(models.Model):
    """The position of one member organisation on one agenda item, recorded by
    its delegate before or during the session. ``version`` tells a delegate
    that a colleague of the same organisation changed it meanwhile."""

    Position = ItemPositionValue
    # What each position needs said: reservations, the changes, the reason.
    COMMENT_REQUIRED = (
        Position.APPROVE_WITH_RESERVATIONS,
        Position.REQUEST_CHANGES,
        Position.OPPOSE,
    )

    item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        on_delete=models.CASCADE,
        related_name="positions",
    )
    organisation = models.ForeignKey(
        "people.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="item_positions",
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
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("position on an agenda item")
        verbose_name_plural = _("positions on agenda items")
        ordering = ["item", French("organisation__name")]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "organisation"],
                name="item_position_one_per_organisation",
            ),
            models.CheckConstraint(
                condition=Q(position__in=ItemPositionValue.values),
                name="item_position_value_valid",
            ),
            models.CheckConstraint(
                condition=Q(position="approve") | ~Q(comment=""),
                name="item_position_comment_when_required",
            ),
        ]

    def __str__(self):
        return f"{self.organisation} · {self.item} · {self.get_position_display()}"

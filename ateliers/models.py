from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cucs_portal import texts
from cucs_portal.collation import French
from cucs_portal.records import VersionedModel
from cucs_portal.texts import LongTextField
from people.rules import is_commission_member, is_partner, is_secretariat


class Atelier(models.Model):
    """The working group of one axis: 3–4 volunteer landlord staff, co-animated by
    a landlord referent and a commune or Saint-Étienne Métropole representative."""

    RECOMMENDED_MEMBERS = (3, 4)

    axis = models.OneToOneField(
        "axes.Axis",
        verbose_name=_("axis"),
        on_delete=models.PROTECT,
        related_name="atelier",
    )
    name = models.CharField(_("name"), max_length=200)
    period_start = models.DateField(_("start of the period"))
    period_end = models.DateField(_("end of the period"))
    description = LongTextField(
        _("description"), max_length=texts.LONG_TEXT, blank=True
    )

    class Meta:
        verbose_name = _("atelier")
        verbose_name_plural = _("ateliers")
        ordering = ["axis__number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="atelier_period_ends_after_start",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("ateliers:detail", kwargs={"pk": self.pk})

    @classmethod
    def is_recommended_size(cls, volunteers: int) -> bool:
        """3–4 volunteers: outside it the portal warns, it never refuses."""
        low, high = cls.RECOMMENDED_MEMBERS
        return low <= volunteers <= high


class MembershipRole(models.TextChoices):
    MEMBER = "member", _("Volunteer member")
    LANDLORD_REFERENT = "landlord_referent", _("Co-animator (landlord referent)")
    PUBLIC_COANIMATOR = (
        "public_coanimator",
        _("Co-animator (commune or Saint-Étienne Métropole)"),
    )


COANIMATOR_ROLES = (MembershipRole.LANDLORD_REFERENT, MembershipRole.PUBLIC_COANIMATOR)


class AtelierMembership(models.Model):
    Role = MembershipRole
    COANIMATOR_ROLES = COANIMATOR_ROLES

    atelier = models.ForeignKey(
        Atelier,
        verbose_name=_("atelier"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="atelier_memberships",
    )
    role = models.CharField(
        _("role"), max_length=30, choices=Role.choices, default=Role.MEMBER
    )
    joined_on = models.DateField(_("joined on"), null=True, blank=True)

    class Meta:
        verbose_name = _("atelier membership")
        verbose_name_plural = _("atelier memberships")
        ordering = ["atelier", "role", French("user__last_name")]
        constraints = [
            models.UniqueConstraint(
                fields=["atelier", "user"], name="membership_one_role_per_person"
            ),
            models.UniqueConstraint(
                fields=["atelier", "role"],
                condition=Q(role__in=COANIMATOR_ROLES),
                name="membership_one_coanimator_of_each_kind",
            ),
            models.CheckConstraint(
                condition=Q(role__in=MembershipRole.values),
                name="membership_role_valid",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.atelier}"

    @property
    def is_coanimator(self) -> bool:
        return self.role in self.COANIMATOR_ROLES

    def clean(self):
        organisation = self.user.organisation if self.user_id else None
        if self.role in (self.Role.MEMBER, self.Role.LANDLORD_REFERENT) and not (
            organisation and organisation.is_landlord
        ):
            raise ValidationError(
                {
                    "user": _(
                        "Volunteers and the landlord referent work for a social "
                        "landlord."
                    )
                }
            )
        if self.role == self.Role.PUBLIC_COANIMATOR and not (
            organisation and organisation.is_public_body
        ):
            raise ValidationError(
                {
                    "user": _(
                        "This co-animator represents a commune or Saint-Étienne "
                        "Métropole."
                    )
                }
            )


class Session(models.Model):
    """A meeting (séance) of an atelier, with its agenda, attendance and minutes."""

    atelier = models.ForeignKey(
        Atelier,
        verbose_name=_("atelier"),
        on_delete=models.CASCADE,
        related_name="sessions",
    )
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=255)
    agenda = LongTextField(_("agenda"), max_length=texts.LONG_TEXT, blank=True)
    minutes = LongTextField(
        _("minutes (compte rendu)"), max_length=texts.DOCUMENT, blank=True
    )
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("attendance"),
        blank=True,
        related_name="attended_sessions",
    )

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["atelier", "starts_at"]

    def __str__(self):
        return f"{self.atelier} · {timezone.localtime(self.starts_at):%d/%m/%Y}"


class ProposalQuerySet(models.QuerySet):
    def validated(self):
        return self.filter(status=Proposal.Status.VALIDATED)

    def for_axis(self, axis):
        return self.filter(atelier__axis=axis)

    def visible_to(self, user):
        """The proposals ``user`` may read; the same rule as the
        ``ateliers.view_proposal`` permission (see ateliers/rules.py)."""
        return self.filter(proposal_visibility_q(user))

    def status_counts(self) -> dict[str, int]:
        rows = self.order_by().values("status").annotate(n=Count("pk", distinct=True))
        return {row["status"]: row["n"] for row in rows}


class ProposalStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted to the commission")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    VALIDATED = "validated", _("Validated")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ProposalPriority(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class Proposal(VersionedModel):
    """A proposal formalised by an atelier under one enjeu of its axis."""

    Status = ProposalStatus
    Priority = ProposalPriority
    # The atelier edits a proposal while it is a draft or sent back to it.
    EDITABLE_STATUSES = frozenset({Status.DRAFT, Status.CHANGES_REQUESTED})
    # Reviewers suggest exact changes while it is with the commission or sent
    # back to its atelier (ProposalSuggestion).
    SUGGESTABLE_STATUSES = frozenset({Status.SUBMITTED, Status.CHANGES_REQUESTED})

    atelier = models.ForeignKey(
        Atelier,
        verbose_name=_("atelier"),
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    enjeu = models.ForeignKey(
        "axes.Enjeu",
        verbose_name=_("enjeu"),
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    number = models.PositiveSmallIntegerField(
        _("number"), help_text=_("Order number within the atelier.")
    )
    title = models.CharField(_("title"), max_length=255)
    summary = LongTextField(_("summary"), max_length=texts.SUMMARY)
    description = LongTextField(
        _("description"), max_length=texts.LONG_TEXT, blank=True
    )
    actions = LongTextField(
        _("concrete actions"), max_length=texts.LONG_TEXT, blank=True
    )
    lead_organisation = models.ForeignKey(
        "people.Organisation",
        verbose_name=_("lead organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_proposals",
    )
    partner_organisations = models.ManyToManyField(
        "people.Organisation",
        verbose_name=_("partner organisations"),
        blank=True,
        related_name="partnered_proposals",
    )
    territories = models.ManyToManyField(
        "people.Territory",
        verbose_name=_("territories concerned"),
        blank=True,
        related_name="proposals",
    )
    timetable = LongTextField(_("timetable"), max_length=texts.SHORT_TEXT, blank=True)
    means = LongTextField(
        _("means and funding"), max_length=texts.SHORT_TEXT, blank=True
    )
    indicators = LongTextField(
        _("evaluation indicators"), max_length=texts.SHORT_TEXT, blank=True
    )
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.MEDIUM
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    authors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("authors"),
        blank=True,
        related_name="authored_proposals",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status_changed_at = models.DateTimeField(
        _("status changed at"), null=True, blank=True
    )
    # « Prête à soumettre »: a member told the co-animators that the draft is
    # ready (services.proposal_signal_ready). Editing the draft afterwards
    # keeps it: the co-animators read the text as it is when they submit.
    ready_at = models.DateTimeField(_("signalled ready at"), null=True, blank=True)
    ready_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signalled ready by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ProposalQuerySet.as_manager()

    class Meta(VersionedModel.Meta):
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["atelier__axis__number", "enjeu__position", "number"]
        constraints = [
            *VersionedModel.Meta.constraints,
            models.UniqueConstraint(
                fields=["atelier", "number"], name="proposal_unique_number_in_atelier"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ProposalStatus.values),
                name="proposal_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(priority__in=ProposalPriority.values),
                name="proposal_priority_valid",
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1), name="proposal_number_positive"
            ),
            models.CheckConstraint(
                condition=~Q(title=""), name="proposal_title_not_empty"
            ),
        ]
        indexes = [models.Index(fields=["status"], name="proposal_status_idx")]

    def __str__(self):
        return f"{self.reference} {self.title}"

    def get_absolute_url(self):
        return reverse("ateliers:proposal_detail", kwargs={"pk": self.pk})

    @property
    def reference(self) -> str:
        """A short human reference, e.g. "P3.07": axis 3, proposal 7 of its atelier."""
        return f"P{self.atelier.axis.number}.{self.number:02d}"

    def clean(self):
        if (
            self.enjeu_id
            and self.atelier_id
            and self.enjeu.axis_id != self.atelier.axis_id
        ):
            raise ValidationError(
                {"enjeu": _("Choose an enjeu of this atelier's axis.")}
            )


class ProposalRevision(models.Model):
    """One saved state of a proposal: who saved it, when, and the value of every
    tracked field as people read it (names, not ids), so that the history and the
    field-by-field differences stay readable even if an organisation is renamed."""

    proposal = models.ForeignKey(
        Proposal,
        verbose_name=_("proposal"),
        on_delete=models.CASCADE,
        related_name="revisions",
    )
    version = models.PositiveIntegerField(_("version"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saved by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("saved at"), auto_now_add=True)
    snapshot = models.JSONField(_("content"))
    changed_fields = models.JSONField(_("changed fields"), default=list)
    # Saved by accepting someone's suggestion (ProposalSuggestion): the
    # history credits them beside the person who accepted it.
    suggested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("suggested by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("proposal revision")
        verbose_name_plural = _("proposal revisions")
        ordering = ["proposal", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "version"], name="revision_unique_version"
            ),
            models.CheckConstraint(
                condition=Q(version__gte=1), name="revision_version_positive"
            ),
        ]

    def __str__(self):
        return f"{self.proposal_id} v{self.version}"


class ProposalComment(models.Model):
    """A message of the atelier's discussion about a proposal."""

    proposal = models.ForeignKey(
        Proposal,
        verbose_name=_("proposal"),
        on_delete=models.CASCADE,
        related_name="comments",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="proposal_comments",
    )
    body = LongTextField(_("comment"), max_length=texts.COMMENT)
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["proposal", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(body=""), name="comment_body_not_empty"
            ),
        ]

    def __str__(self):
        return f"{self.author} · {timezone.localtime(self.created_at):%d/%m/%Y %H:%M}"


# The text fields a reviewer may suggest an exact change to, in reading order.
SUGGESTABLE_FIELDS = (
    "title",
    "summary",
    "description",
    "actions",
    "timetable",
    "means",
    "indicators",
)


class SuggestionStatus(models.TextChoices):
    OPEN = "open", _("Waiting for the atelier")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class ProposalSuggestionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=SuggestionStatus.OPEN)


class ProposalSuggestion(models.Model):
    """An exact change to one text of a proposal, suggested by a commission
    delegate or a co-animator while the proposal is with the commission or
    sent back to its atelier. It keeps the version and the text it was written
    on (the base), so that it can be merged into a text changed since; the
    atelier accepts it (a new version, crediting its author) or declines it
    with a reason."""

    Status = SuggestionStatus
    FIELDS = SUGGESTABLE_FIELDS

    proposal = models.ForeignKey(
        Proposal,
        verbose_name=_("proposal"),
        on_delete=models.CASCADE,
        related_name="suggestions",
    )
    field = models.CharField(
        _("part of the proposal"),
        max_length=30,
        choices=[(name, name) for name in SUGGESTABLE_FIELDS],
    )
    base_version = models.PositiveIntegerField(_("written on version"))
    base_text = LongTextField(
        _("text it was written on"), max_length=texts.LONG_TEXT, blank=True
    )
    text = LongTextField(_("suggested text"), max_length=texts.LONG_TEXT, blank=True)
    comment = LongTextField(_("why"), max_length=texts.COMMENT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("suggested by"),
        on_delete=models.PROTECT,
        related_name="proposal_suggestions",
    )
    created_at = models.DateTimeField(_("suggested at"), auto_now_add=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=SuggestionStatus.choices,
        default=SuggestionStatus.OPEN,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decline_reason = LongTextField(
        _("reason for declining"), max_length=texts.COMMENT, blank=True
    )
    resulting_version = models.PositiveIntegerField(
        _("version it became"), null=True, blank=True
    )

    objects = ProposalSuggestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        ordering = ["proposal", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=SuggestionStatus.values),
                name="suggestion_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(field__in=SUGGESTABLE_FIELDS),
                name="suggestion_field_valid",
            ),
            models.CheckConstraint(
                condition=~Q(comment=""), name="suggestion_comment_not_empty"
            ),
            models.CheckConstraint(
                condition=~Q(status=SuggestionStatus.DECLINED) | ~Q(decline_reason=""),
                name="suggestion_reason_when_declined",
            ),
            # Decided means someone decided, at a time; open means nobody yet.
            models.CheckConstraint(
                condition=(
                    Q(status=SuggestionStatus.OPEN)
                    & Q(decided_by__isnull=True, decided_at__isnull=True)
                )
                | (
                    ~Q(status=SuggestionStatus.OPEN)
                    & Q(decided_by__isnull=False, decided_at__isnull=False)
                ),
                name="suggestion_decided_by_someone",
            ),
            models.CheckConstraint(
                condition=Q(
                    status=SuggestionStatus.ACCEPTED, resulting_version__isnull=False
                )
                | (
                    ~Q(status=SuggestionStatus.ACCEPTED)
                    & Q(resulting_version__isnull=True)
                ),
                name="suggestion_version_when_accepted",
            ),
        ]
        indexes = [
            models.Index(
                fields=["proposal", "status"], name="suggestion_proposal_status"
            )
        ]

    def __str__(self):
        return f"{self.proposal_id} · {self.field} · {self.author}"

    def get_absolute_url(self):
        return f"{self.proposal.get_absolute_url()}#suggestion-{self.pk}"

    @property
    def field_label(self) -> str:
        return str(Proposal._meta.get_field(self.field).verbose_name).capitalize()

    @property
    def is_open(self) -> bool:
        return self.status == SuggestionStatus.OPEN


# --- Who reads which proposals ----------------------------------------------------
# Written once, here beside the model: ``Proposal.objects.visible_to`` (lists,
# counts, exports) and the ``ateliers.view_proposal`` permission (rules.py) both
# use it.

# What the whole inter-landlord group (any atelier member, co-animator or
# commission member) may read of other ateliers: whatever went to the commission.
GROUP_STATUSES = frozenset(
    {
        ProposalStatus.SUBMITTED,
        ProposalStatus.CHANGES_REQUESTED,
        ProposalStatus.VALIDATED,
        ProposalStatus.REJECTED,
    }
)
# Partners read only what the commission validated: never a draft.
PARTNER_STATUSES = frozenset({ProposalStatus.VALIDATED})
ALL_STATUSES = frozenset(ProposalStatus.values)


def _atelier_ids(user) -> frozenset[int]:
    """The ateliers ``user`` belongs to, cached on the user for the request."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_atelier_ids_cache", None)
    if cached is None:
        cached = frozenset(
            AtelierMembership.objects.filter(user=user).values_list(
                "atelier_id", flat=True
            )
        )
        user._atelier_ids_cache = cached
    return cached


def readable_statuses(user) -> frozenset[str]:
    """The statuses ``user`` may read in ateliers they do not belong to."""
    if not user.is_authenticated:
        return frozenset()
    if is_secretariat(user):
        return ALL_STATUSES
    statuses = set()
    if is_partner(user):
        statuses |= PARTNER_STATUSES
    if is_commission_member(user) or _atelier_ids(user):
        statuses |= GROUP_STATUSES
    return frozenset(statuses)


def proposal_visibility_q(user) -> Q:
    if not user.is_authenticated:
        return Q(pk__in=[])
    return Q(status__in=readable_statuses(user)) | Q(atelier_id__in=_atelier_ids(user))

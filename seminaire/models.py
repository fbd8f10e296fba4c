import datetime
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Count, F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cucs_portal import leases, texts
from cucs_portal.collation import French
from cucs_portal.records import VersionedModel
from cucs_portal.texts import LongTextField
from people.models import Organisation

# An e-mail queued longer ago than this and never taken up by a worker is taken
# as lost (the task was lost): it may be queued again. One a worker took up is
# free again as soon as that worker's lease expires (claim_expired_before).
DELIVERY_RETRY_AFTER = datetime.timedelta(minutes=30)


def claim_expired_before() -> datetime.datetime:
    """A claim on a guest refreshed before this moment was abandoned: the worker
    died. The worker cannot beat while the mail server answers, and each SMTP
    step waits up to EMAIL_TIMEOUT: opening a connection is up to five of them
    (connect, EHLO, STARTTLS, EHLO again, AUTH), sending one message about as
    many (MAIL, RCPT, DATA, the text). The worker beats after each open and
    each message, so the grace is at least six of those steps."""
    smtp = datetime.timedelta(seconds=6 * (getattr(settings, "EMAIL_TIMEOUT", 0) or 0))
    return leases.expired_before(at_least=smtp)


def abandoned_claim() -> Q:
    """Guests a worker took up, then died before sending their e-mail."""
    return ~Q(claimed_by="") & Q(heartbeat_at__lt=claim_expired_before())


def forgotten_queue() -> Q:
    """Guests queued so long ago, and taken up by no worker, that the worker
    must be stopped or the task lost. A guest a worker holds is judged by its
    lease only: a long sending keeps its claim fresh."""
    return Q(claimed_by="", queued_at__lt=timezone.now() - DELIVERY_RETRY_AFTER)


def new_reply_key() -> str:
    """256 random bits: a personal reply link nobody can guess."""
    return secrets.token_urlsafe(32)


class Event(VersionedModel):
    """The seminar of 10 May 2007 (or a later one): where and when, its
    programme, and the edition of the référentiel it presents."""

    # Its changes are dated in the audit log, not on the row.
    updated_at = None

    title = models.CharField(_("title"), max_length=255)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    place = models.CharField(
        _("place"),
        max_length=255,
        help_text=_("E.g. “Musée d’art moderne de Saint-Étienne”."),
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    description = LongTextField(
        _("programme"),
        max_length=texts.DOCUMENT,
        blank=True,
        help_text=_("What the guests will hear, hour by hour."),
    )
    edition = models.ForeignKey(
        "referentiel.Edition",
        verbose_name=_("edition presented"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
    )
    reply_by = models.DateField(
        _("reply by"),
        null=True,
        blank=True,
        help_text=_(
            "Guests can change their reply until the end of this day, or until "
            "the seminar starts if that comes first. Leave empty to accept "
            "replies until the seminar starts."
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta(VersionedModel.Meta):
        verbose_name = _("seminar")
        verbose_name_plural = _("seminars")
        ordering = ["-starts_at", "-pk"]
        constraints = [
            *VersionedModel.Meta.constraints,
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=F("starts_at")),
                name="event_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(title=""), name="event_title_not_empty"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("seminaire:detail", kwargs={"pk": self.pk})

    @property
    def replies_close_at(self):
        """When guests can no longer change their reply: the end of ``reply_by``
        or the start of the event, whichever comes first."""
        if self.reply_by:
            end_of_day = datetime.datetime.combine(self.reply_by, datetime.time.max)
            return min(timezone.make_aware(end_of_day), self.starts_at)
        return self.starts_at

    @property
    def replies_close_at_start(self) -> bool:
        """Replies close when the event starts (no reply date, or the reply
        date is the day of the event)."""
        return self.replies_close_at == self.starts_at

    @property
    def replies_open(self) -> bool:
        return timezone.now() <= self.replies_close_at


class InvitationQuerySet(models.QuerySet):
    def for_listing(self):
        return self.select_related("organisation", "user").order_by(
            "category", French("full_name"), "pk"
        )

    def attending(self):
        return self.filter(reply=Invitation.Reply.ATTENDING)

    def waiting(self):
        """Guests an e-mail is waiting to be sent to by the background worker."""
        return self.filter(queued_at__isnull=False)

    def not_waiting(self):
        """Guests no e-mail is waiting for, or only one queued so long ago that
        the worker must have stopped before taking it up, or one whose worker
        died while sending."""
        return self.filter(
            Q(queued_at__isnull=True) | forgotten_queue() | abandoned_claim()
        )

    def to_send(self):
        """Guests with an address who have not been sent the invitation and
        are not waiting for it."""
        return self.exclude(email="").filter(sent_at__isnull=True).not_waiting()

    def to_remind(self):
        """Guests invited by e-mail who have not replied and are not waiting
        for a reminder."""
        return (
            self.exclude(email="")
            .filter(sent_at__isnull=False, reply=Invitation.Reply.PENDING)
            .not_waiting()
        )

    def reply_counts(self) -> dict[str, dict[str, int]]:
        """{category: {reply: n}} in one query."""
        counts: dict[str, dict[str, int]] = {}
        rows = self.order_by().values("category", "reply").annotate(n=Count("pk"))
        for row in rows:
            counts.setdefault(row["category"], {})[row["reply"]] = row["n"]
        return counts


class InvitationCategory(models.TextChoices):
    ELECTED = "elected", _("Elected officials")
    LANDLORD = "landlord", _("Landlords")
    TECHNICIAN = "technician", _("Technical staff")
    PARTNER = "partner", _("Partners")


class InvitationReply(models.TextChoices):
    PENDING = "pending", _("No reply yet")
    ATTENDING = "attending", _("Attending")
    DECLINED = "declined", _("Not attending")


class Invitation(VersionedModel):
    """One guest of an event: who, in which category, and their reply."""

    Category = InvitationCategory
    Reply = InvitationReply

    event = models.ForeignKey(
        Event,
        verbose_name=_("seminar"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    full_name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(
        _("e-mail address"),
        blank=True,
        help_text=_(
            "Leave empty for an invitation sent by post: record the reply by hand."
        ),
    )
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        "people.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="seminar_invitations",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person in the portal"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="seminar_invitations",
    )
    reply = models.CharField(
        _("reply"), max_length=20, choices=Reply.choices, default=Reply.PENDING
    )
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    reply_comment = LongTextField(
        _("comment with the reply"), max_length=texts.SHORT_TEXT, blank=True
    )
    key = models.CharField(
        _("reply key"),
        max_length=64,
        unique=True,
        default=new_reply_key,
        editable=False,
    )
    sent_at = models.DateTimeField(_("invitation sent at"), null=True, blank=True)
    queued_at = models.DateTimeField(
        _("e-mail queued at"),
        null=True,
        blank=True,
        help_text=_("An e-mail to this guest is waiting for the background worker."),
    )
    claimed_by = models.CharField(
        _("e-mail being sent by"),
        max_length=100,
        blank=True,
        help_text=_("The worker process (machine:process) sending the e-mail."),
    )
    heartbeat_at = models.DateTimeField(
        _("last sign of life of the sending"),
        null=True,
        blank=True,
        help_text=_("Refreshed every few seconds by the worker while it sends."),
    )
    reminded_at = models.DateTimeField(_("last reminder at"), null=True, blank=True)
    reminder_count = models.PositiveSmallIntegerField(_("reminders sent"), default=0)
    created_at = models.DateTimeField(_("invited at"), auto_now_add=True)
    # A guest without an account is anonymised SEMINAR_GUEST_RETENTION_MONTHS
    # after the seminar (services.guests_purge).
    purged_at = models.DateTimeField(
        _("personal data erased at"), null=True, blank=True
    )
    # Its changes are dated in the audit log, not on the row.
    updated_at = None

    objects = InvitationQuerySet.as_manager()

    class Meta(VersionedModel.Meta):
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["event", "category", French("full_name"), "pk"]
        constraints = [
            *VersionedModel.Meta.constraints,
            models.CheckConstraint(
                condition=Q(category__in=InvitationCategory.values),
                name="invitation_category_valid",
            ),
            models.CheckConstraint(
                condition=Q(reply__in=InvitationReply.values),
                name="invitation_reply_valid",
            ),
            models.CheckConstraint(
                condition=Q(reply="pending") | Q(replied_at__isnull=False),
                name="invitation_reply_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(full_name=""), name="invitation_name_not_empty"
            ),
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=Q(user__isnull=False),
                name="invitation_one_per_person",
            ),
            models.UniqueConstraint(
                F("event"),
                Lower("email"),
                condition=~Q(email=""),
                name="invitation_one_per_address",
            ),
        ]
        indexes = [
            models.Index(fields=["event", "category"], name="invitation_category_idx")
        ]

    def __str__(self):
        return self.full_name

    def get_absolute_url(self):
        return reverse("seminaire:reply", kwargs={"key": self.key})

    @classmethod
    def category_for(cls, organisation) -> str:
        """The category a person of ``organisation`` is invited in, by default:
        elected officials are added by hand or re-categorised."""
        kind = organisation.kind if organisation else None
        if kind == Organisation.Kind.LANDLORD:
            return cls.Category.LANDLORD
        if kind in (
            Organisation.Kind.STATE,
            Organisation.Kind.REGION,
            Organisation.Kind.DEPARTMENT,
        ):
            return cls.Category.PARTNER
        return cls.Category.TECHNICIAN

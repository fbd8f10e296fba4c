from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class LoginFailure(models.Model):
    """Failed logins with one username from one address (cucs_portal/lockout.py).

    One row per pair, counting the failures that followed each other by less
    than ``LOGIN_LOCKOUT_MINUTES`` (an attempt counts when it starts, before
    its password is checked); deleted by a successful login of the pair or
    a password reset of the account, and once stale.
    """

    # As typed (the account may not exist), cut to the length of a username.
    username = models.CharField(_("username"), max_length=150)
    # The client's address key (see lockout.address_key): an IPv4 address, or
    # an IPv6 /64 network such as "2001:db8:1:2::/64"; empty when unknown.
    ip_address = models.CharField(_("IP address"), max_length=45, blank=True)
    failures = models.PositiveIntegerField(_("failures"), default=0)
    last_failure_at = models.DateTimeField(_("last failure"), db_index=True)

    class Meta:
        verbose_name = _("failed login")
        verbose_name_plural = _("failed logins")
        constraints = [
            models.UniqueConstraint(
                fields=["username", "ip_address"], name="login_failure_unique_pair"
            )
        ]

    def __str__(self):
        return f"{self.username} @ {self.ip_address or '?'}: {self.failures}"


class AccountLoginFailure(models.Model):
    """Failed logins with one username from every address together
    (cucs_portal/lockout.py), the account-wide slowdown's count.

    One row per username, counting the failures that followed each other by
    less than ``LOGIN_ACCOUNT_WINDOW_MINUTES`` (an attempt counts when it
    starts, before its password is checked); deleted by a password reset of
    the account, and once stale. A successful login takes back its own attempt
    only: an attacker spread over many addresses must not get a fresh start
    each time the real person signs in.
    """

    username = models.CharField(_("username"), max_length=150, unique=True)
    failures = models.PositiveIntegerField(_("failures"), default=0)
    last_failure_at = models.DateTimeField(_("last failure"), db_index=True)

    class Meta:
        verbose_name = _("failed login on an account")
        verbose_name_plural = _("failed logins on an account")

    def __str__(self):
        return f"{self.username}: {self.failures}"


class AttachmentQuerySet(models.QuerySet):
    def for_object(self, obj):
        from django.contrib.contenttypes.models import ContentType

        return self.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
        ).order_by("uploaded_at", "pk")

    def for_objects(self, model, ids):
        from django.contrib.contenttypes.models import ContentType

        return self.filter(
            content_type=ContentType.objects.get_for_model(model), object_id__in=ids
        ).order_by("uploaded_at", "pk")


class Attachment(models.Model):
    """A file attached to an app's object: a proposal's annex, an atelier
    session's signed attendance sheet, an experience sheet's photo
    (cucs_portal/attachments.py checks it and stores it).

    The kernel knows no app: an attachment points to its object through the
    content types, and the app that owns the object decides who reads it, who
    adds and who removes (its rules), and records it in the journal. The file
    lives in the storage named by ``ATTACHMENT_STORAGE``, under a random name,
    and is only ever served by the owning app's permission-checked views.
    """

    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveBigIntegerField()
    # As the person named it, cleaned (attachments.clean_filename).
    original_name = models.CharField(_("file name"), max_length=255)
    # Its name in the storage: random, with the extension of its real type.
    stored_name = models.CharField(max_length=255, unique=True)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    # The type read from the content ("application/pdf"), never from the name.
    mime_type = models.CharField(_("type"), max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("added by"),
    )
    uploaded_at = models.DateTimeField(_("added on"), default=timezone.now)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.mime_type in {"image/png", "image/jpeg"}


class NotificationPreference(models.Model):
    """A person's choice for one kind of notification (cucs_portal/
    notifications.py): at once, in the daily digest, or never. Only a choice
    other than « at once » is stored: no row is the default."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    # A NotificationKind's value, declared by the app that sends it.
    kind = models.CharField(_("kind"), max_length=40)
    delivery = models.CharField(_("delivery"), max_length=10)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"], name="notification_preference_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(delivery__in=["immediate", "digest", "never"]),
                name="notification_preference_delivery_valid",
            ),
        ]

    def __str__(self):
        return f"{self.user_id} {self.kind}: {self.delivery}"


class Digest(models.Model):
    """The daily digest sent to one person on one day (cucs_portal/digests.py):
    at most one each, which is what keeps a digest task run twice, or retried
    after its worker died, from sending anyone a second one."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField(_("day"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("digest")
        verbose_name_plural = _("digests")
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="digest_once_a_day")
        ]

    def __str__(self):
        return f"{self.user_id} {self.day}"


class DigestItem(models.Model):
    """One event waiting for a person's daily digest: the subject line of the
    e-mail it would have been, its text and its link. ``digest`` is set in the
    transaction that sends the digest, so an item is either waiting or sent."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=40)
    subject = models.CharField(_("subject"), max_length=255)
    text = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    digest = models.ForeignKey(
        Digest,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="items",
    )

    class Meta:
        verbose_name = _("digest item")
        verbose_name_plural = _("digest items")
        indexes = [
            models.Index(fields=["digest", "user"], name="digest_item_waiting_idx")
        ]

    def __str__(self):
        return self.subject

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImportKind(models.TextChoices):
    PEOPLE = "people", _("People (accounts)")
    ORGANISATIONS = "organisations", _("Organisations")
    GUESTS = "guests", _("Seminar guests")


class PendingImport(models.Model):
    """A file uploaded and previewed, waiting for its uploader's confirmation.

    The bytes are kept here, on the server, between the preview and the
    confirmation: the confirmation imports exactly what was previewed, and
    never a copy the browser sends back. Only its uploader reaches it (by its
    random token), for ``IMPORT_PENDING_HOURS``; it is deleted once imported,
    and older ones at the next upload.
    """

    Kind = ImportKind

    token = models.UUIDField(_("token"), default=uuid.uuid4, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    event = models.ForeignKey(
        "seminaire.Event",
        verbose_name=_("seminar"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    filename = models.CharField(_("file name"), max_length=120)
    content = models.BinaryField(_("content"))
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("file waiting for import")
        verbose_name_plural = _("files waiting for import")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ImportKind.values),
                name="pending_import_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(kind="guests", event__isnull=False)
                | (~Q(kind="guests") & Q(event__isnull=True)),
                name="pending_import_event_for_guests",
            ),
        ]

    def __str__(self):
        return self.filename


class ImportBatchQuerySet(models.QuerySet):
    def for_listing(self):
        return self.select_related("created_by", "undone_by", "event").order_by(
            "-created_at", "-pk"
        )

    def of_scope(self, kind: str, event_id: int | None):
        return self.filter(kind=kind, event_id=event_id)


class ImportBatch(models.Model):
    """One confirmed import: who, when, what kind, how many rows it created
    and skipped, and the ids of what it created, so that it can be undone.
    The last import of a kind (of a seminar, for guests) is undone as a whole
    or not at all."""

    Kind = ImportKind

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    event = models.ForeignKey(
        "seminaire.Event",
        verbose_name=_("seminar"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    filename = models.CharField(_("file name"), max_length=120)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("imported at"), default=timezone.now)
    created_count = models.PositiveIntegerField(_("rows created"), default=0)
    skipped_count = models.PositiveIntegerField(_("duplicates skipped"), default=0)
    # The primary keys of the objects the import created, in the file's order.
    object_ids = models.JSONField(_("objects created"), default=list)
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("undone by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ImportBatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("spreadsheet import")
        verbose_name_plural = _("spreadsheet imports")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ImportKind.values), name="import_batch_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(undone_at__isnull=True) | Q(undone_by__isnull=False),
                name="import_batch_undone_by_someone",
            ),
        ]
        indexes = [
            models.Index(
                fields=["kind", "event", "-created_at"], name="import_scope_idx"
            )
        ]

    def __str__(self):
        when = timezone.localtime(self.created_at)
        return _("Import of %(kind)s of %(date)s (%(file)s)") % {
            "kind": self.get_kind_display().lower(),
            "date": when.strftime("%d/%m/%Y %H:%M"),
            "file": self.filename,
        }

    @property
    def is_undone(self) -> bool:
        return self.undone_at is not None

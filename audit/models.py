from collections.abc import Mapping

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from cucs_portal import texts
from cucs_portal.texts import LongTextField

from . import verbs


class AuditEvent(models.Model):
    """Who did what to which object, when, from which state to which, and why.

    Written by the services, never edited: the trace anyone in the group can
    check. The actor's organisation and the target's label are copied at the
    time, so the entry stays true if a person changes organisation later.
    """

    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    actor_organisation = models.ForeignKey(
        "people.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Declared by the apps (audit.verbs), not listed here: a new verb needs no
    # migration, and record() refuses one that no app declared.
    action = models.CharField(_("action"), max_length=verbs.MAX_LENGTH)
    target_type = models.ForeignKey(
        ContentType, verbose_name=_("object type"), on_delete=models.PROTECT
    )
    target_id = models.PositiveBigIntegerField(_("object id"))
    # Declared so that what walks the models' _meta (a person's export,
    # cucs_portal/personal_data.py) finds the entries about a person.
    target = GenericForeignKey("target_type", "target_id")
    target_label = models.CharField(_("object"), max_length=300)
    from_status = models.CharField(_("from"), max_length=30, blank=True)
    to_status = models.CharField(_("to"), max_length=30, blank=True)
    comment = LongTextField(_("comment"), max_length=texts.COMMENT, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["target_type", "target_id"], name="audit_target_idx")
        ]

    def __str__(self):
        when = timezone.localtime(self.created_at)
        return f"{when:%Y-%m-%d %H:%M} {self.actor} {self.action}"

    @classmethod
    def record(
        cls,
        *,
        actor,
        target,
        action: str,
        from_status: str = "",
        to_status: str = "",
        comment: str = "",
    ) -> "AuditEvent":
        verbs.ensure_registered(action)
        return cls.objects.create(
            actor=actor,
            actor_organisation_id=getattr(actor, "organisation_id", None),
            action=action,
            target_type=ContentType.objects.get_for_model(target),
            target_id=target.pk,
            target_label=cls._label(target),
            from_status=from_status,
            to_status=to_status,
            comment=comment,
        )

    @property
    def action_label(self) -> str:
        """The verb as people read it, e.g. "Validated"; a verb no app declares
        any more (an old row) as it was stored."""
        return str(verbs.label(self.action))

    def get_action_display(self) -> str:
        return self.action_label

    def _status_labels(self) -> Mapping[str, str]:
        """The labels of the values this event's statuses take: those its verb
        registered (a recorded position: approve, oppose…), or else the status
        of the object it concerns."""
        labels = verbs.status_labels(self.action)
        if labels is not None:
            return labels
        model = self.target_type.model_class()
        if model is None:
            return {}
        try:
            field = model._meta.get_field("status")
        except FieldDoesNotExist:
            return {}
        return dict(field.flatchoices)

    @property
    def from_status_label(self) -> str:
        """The "from" status as people read it, e.g. "Submitted"."""
        if not self.from_status:
            return ""
        return str(self._status_labels().get(self.from_status, self.from_status))

    @property
    def to_status_label(self) -> str:
        if not self.to_status:
            return ""
        return str(self._status_labels().get(self.to_status, self.to_status))

    @staticmethod
    def _label(target) -> str:
        # Stored for everyone: in the portal's language, not the actor's.
        with translation.override(settings.LANGUAGE_CODE):
            return str(target)[:300]

    @classmethod
    def for_object(cls, target):
        return cls.objects.filter(
            target_type=ContentType.objects.get_for_model(target), target_id=target.pk
        )

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from cucs_portal import texts
from cucs_portal.texts import LongTextField


class AuditEvent(models.Model):
    """Who did what to which object, when, from which state to which, and why.

    Written by the services, never edited: the trace anyone in the group can
    check. The actor's organisation and the target's label are copied at the
    time, so the entry stays true if a person changes organisation later.
    """

    class Action(models.TextChoices):
        SUBMIT = "submit", _("Submitted to the commission")
        WITHDRAW = "withdraw", _("Withdrawn")
        VALIDATE = "validate", _("Validated")
        REQUEST_CHANGES = "request_changes", _("Changes requested")
        REJECT = "reject", _("Rejected")
        ROUND_OPEN = "round_open", _("Validation round opened")
        ROUND_CLOSE = "round_close", _("Validation round closed")
        POSITION = "position", _("Position recorded")
        AXIS_DECISION = "axis_decision", _("Axis decision")
        MEMBER_ADD = "member_add", _("Volunteer added to an atelier")
        MEMBER_REMOVE = "member_remove", _("Volunteer removed from an atelier")
        SESSION_PLAN = "session_plan", _("Session planned")
        SESSION_CHANGE = "session_change", _("Session changed")
        SESSION_RECORD = "session_record", _("Attendance and minutes recorded")
        ENJEU_ADD = "enjeu_add", _("Enjeu added")
        ENJEU_CHANGE = "enjeu_change", _("Enjeu changed")
        ENJEU_MOVE = "enjeu_move", _("Enjeu moved")
        EDITION_CREATE = "edition_create", _("Edition of the référentiel started")
        EDITION_CHANGE = "edition_change", _("Edition changed")
        EDITION_INCLUDE = "edition_include", _("Proposal put back in an edition")
        EDITION_EXCLUDE = "edition_exclude", _("Proposal left out of an edition")
        EDITION_MOVE = "edition_move", _("Proposal moved in an edition")
        EDITION_PUBLISH = "edition_publish", _("Edition published")
        SHARE_CREATE = "share_create", _("Share link created")
        SHARE_REVOKE = "share_revoke", _("Share link revoked")
        EVENT_CREATE = "event_create", _("Seminar created")
        EVENT_CHANGE = "event_change", _("Seminar changed")
        INVITATION_ADD = "invitation_add", _("Guests invited")
        INVITATION_CHANGE = "invitation_change", _("Invitation changed")
        INVITATION_REMOVE = "invitation_remove", _("Invitation removed")
        INVITATION_SEND = "invitation_send", _("Invitations sent")
        INVITATION_REMIND = "invitation_remind", _("Reminder sent")
        INVITATION_REPLY = "invitation_reply", _("Reply to an invitation")
        ACTION_CREATE = "action_create", _("Site action created")
        ACTION_CHANGE = "action_change", _("Site action changed")
        ACTION_PROGRESS = "action_progress", _("Progress of a site action")
        SHEET_CREATE = "sheet_create", _("Experience sheet written")
        SHEET_CHANGE = "sheet_change", _("Experience sheet changed")
        SHEET_SUBMIT = "sheet_submit", _("Experience sheet sent for review")
        SHEET_PUBLISH = "sheet_publish", _("Experience sheet published")
        SHEET_RETURN = "sheet_return", _("Experience sheet returned to its author")

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
    action = models.CharField(_("action"), max_length=30, choices=Action.choices)
    target_type = models.ForeignKey(
        ContentType, verbose_name=_("object type"), on_delete=models.PROTECT
    )
    target_id = models.PositiveBigIntegerField(_("object id"))
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
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    action__in=[
                        "submit",
                        "withdraw",
                        "validate",
                        "request_changes",
                        "reject",
                        "round_open",
                        "round_close",
                        "position",
                        "axis_decision",
                        "member_add",
                        "member_remove",
                        "session_plan",
                        "session_change",
                        "session_record",
                        "enjeu_add",
                        "enjeu_change",
                        "enjeu_move",
                        "edition_create",
                        "edition_change",
                        "edition_include",
                        "edition_exclude",
                        "edition_move",
                        "edition_publish",
                        "share_create",
                        "share_revoke",
                        "event_create",
                        "event_change",
                        "invitation_add",
                        "invitation_change",
                        "invitation_remove",
                        "invitation_send",
                        "invitation_remind",
                        "invitation_reply",
                        "action_create",
                        "action_change",
                        "action_progress",
                        "sheet_create",
                        "sheet_change",
                        "sheet_submit",
                        "sheet_publish",
                        "sheet_return",
                    ]
                ),
                name="audit_action_valid",
            )
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

    def _status_labels(self) -> dict:
        """The labels of the values this event's statuses take: the status of
        the object it concerns, unless its model says otherwise for this action
        (a class method ``audit_value_choices(action)``: a validation round's
        "position" events record a position, approve, oppose…)."""
        model = self.target_type.model_class()
        if model is None:
            return {}
        value_choices = getattr(model, "audit_value_choices", None)
        choices = value_choices(self.action) if value_choices else None
        if choices is not None:
            return dict(choices)
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

"""Every write that matters on ateliers and proposals.

Views and forms call these; none of them changes a status or a version itself.
Each service runs in a transaction, locks the row it changes, checks the current
state and records who did it (a ProposalRevision for proposal content).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.models import AuditEvent
from axes.models import Axis, Enjeu
from cucs_portal import attachments, records
from cucs_portal.collation import french_key
from cucs_portal.models import Attachment
from cucs_portal.records import apply_fields, apply_m2m, check_version
from people.models import Territory

from . import notifications
from .merge import merge_texts
from .models import (
    Atelier,
    AtelierMembership,
    Proposal,
    ProposalComment,
    ProposalRevision,
    ProposalSuggestion,
    Session,
)
from .verbs import AteliersVerb

# Fields a revision keeps, in the order people read a proposal.
TRACKED_FIELDS = (
    "title",
    "summary",
    "description",
    "actions",
    "timetable",
    "means",
    "enjeu",
    "lead_organisation",
    "partner_organisations",
    "territories",
    "indicators",
    "priority",
    "status",
)
M2M_FIELDS = ("partner_organisations", "territories")
EDITABLE_FIELDS = tuple(f for f in TRACKED_FIELDS if f != "status")


class TransitionNotAllowed(records.TransitionNotAllowed):
    model = Proposal
    message_text = gettext_lazy(
        "This action is not possible on a proposal that is “%(status)s”."
    )


RELATED_FIELDS = ("enjeu", "lead_organisation", *M2M_FIELDS)


def _label(obj) -> str:
    """How a related object is shown in a revision. An enjeu by its title alone:
    its number changes when the enjeux are reordered, which is no change of the
    proposal; a territory with what it is part of, since a bassin and a commune
    may share a name."""
    if obj is None:
        return ""
    if isinstance(obj, Enjeu):
        return obj.title
    if isinstance(obj, Territory) and obj.parent_id:
        return f"{obj.name} ({obj.parent.name})"
    return str(obj)


def snapshot(proposal: Proposal, changes: dict | None = None) -> dict:
    """The tracked fields as people read them: names rather than ids for related
    objects; choice values (status, priority) stay slugs and are translated when
    shown. With ``changes`` (a form's cleaned data), the state the proposal would
    have once they are applied, without touching it."""
    changes = changes or {}
    data, ids = {}, {}
    for name in TRACKED_FIELDS:
        if name in M2M_FIELDS:
            objects = list(
                changes[name] if name in changes else getattr(proposal, name).all()
            )
            data[name] = sorted((_label(obj) for obj in objects), key=french_key)
            ids[name] = sorted(obj.pk for obj in objects)
        elif name in ("enjeu", "lead_organisation"):
            obj = changes[name] if name in changes else getattr(proposal, name)
            data[name] = _label(obj)
            ids[name] = obj.pk if obj is not None else None
        elif name in changes and name in EDITABLE_FIELDS:
            data[name] = changes[name]
        else:
            data[name] = getattr(proposal, name)
    # Ids decide what changed (two organisations may share a label); labels are
    # what people read.
    data["_ids"] = ids
    return data


def _changed_fields(previous: dict | None, current: dict) -> list[str]:
    if previous is None:
        return list(TRACKED_FIELDS)
    before_ids, after_ids = previous.get("_ids", {}), current.get("_ids", {})

    def differs(name):
        if name in before_ids and name in after_ids:
            return before_ids[name] != after_ids[name]
        return previous.get(name) != current.get(name)

    return [name for name in TRACKED_FIELDS if differs(name)]


def _record_revision(
    *, proposal: Proposal, author, previous: dict | None, suggested_by=None
):
    current = snapshot(proposal)
    return ProposalRevision.objects.create(
        proposal=proposal,
        version=proposal.version,
        author=author,
        snapshot=current,
        changed_fields=_changed_fields(previous, current),
        suggested_by=suggested_by,
    )


@transaction.atomic
def proposal_create(*, atelier: Atelier, author, data: dict) -> Proposal:
    """A new draft of ``atelier``, numbered after the atelier's last proposal."""
    Atelier.objects.select_for_update().get(pk=atelier.pk)
    last = Proposal.objects.filter(atelier=atelier).aggregate(n=Max("number"))["n"]
    proposal = Proposal(
        atelier=atelier,
        number=(last or 0) + 1,
        created_by=author,
        status=Proposal.Status.DRAFT,
        version=1,
    )
    apply_fields(proposal, data, EDITABLE_FIELDS)
    proposal.full_clean(exclude=["number"])
    proposal.save()
    apply_m2m(proposal, data, EDITABLE_FIELDS)
    proposal.authors.add(author)
    _record_revision(proposal=proposal, author=author, previous=None)
    return proposal


@transaction.atomic
def proposal_update(
    *, proposal: Proposal, editor, data: dict, base_version: int
) -> Proposal:
    """Save an edit made on ``base_version``. Refused with EditConflict when
    someone else saved in between, so that no edit silently overwrites another."""
    current = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if current.status not in Proposal.EDITABLE_STATUSES:
        raise TransitionNotAllowed(current.status, "edit")
    check_version(current, base_version)
    previous = snapshot(current)
    if not _changed_fields(previous, snapshot(current, data)):
        # Saving an unchanged form touches nothing: no version, no history.
        return current
    apply_fields(current, data, EDITABLE_FIELDS)
    current.full_clean()
    current.version += 1
    current.save()
    apply_m2m(current, data, EDITABLE_FIELDS)
    current.authors.add(editor)
    _record_revision(proposal=current, author=editor, previous=previous)
    return current


def _transition(
    *, proposal, acting_user, allowed_from, to, action, comment="", **hooks
) -> Proposal:
    """The kernel's transition (records.transition) with what a proposal adds:
    the date its status changed and a revision in its history."""
    before = {}

    def stamp(current) -> dict:
        # The history's "before", read on the locked row itself: the second
        # snapshot, after the save, then reuses the relations it loaded.
        before["snapshot"] = snapshot(current)
        return {"status_changed_at": timezone.now()}

    def revision(current, previous):
        _record_revision(
            proposal=current, author=acting_user, previous=before["snapshot"]
        )

    return records.transition(
        proposal,
        to=to,
        allowed_from=allowed_from,
        action=action,
        actor=acting_user,
        record=AuditEvent.record,
        comment=comment,
        apply=stamp,
        after=revision,
        refused=TransitionNotAllowed,
        **hooks,
    )


@transaction.atomic
def proposal_submit(*, proposal: Proposal, acting_user) -> Proposal:
    """A co-animator sends a draft (or a proposal sent back) to the commission."""
    return _transition(
        proposal=proposal,
        acting_user=acting_user,
        allowed_from=Proposal.EDITABLE_STATUSES,
        to=Proposal.Status.SUBMITTED,
        action=AteliersVerb.SUBMIT,
        notify=lambda current: notifications.proposal_submitted(proposal=current),
    )


@transaction.atomic
def proposal_withdraw(*, proposal: Proposal, acting_user) -> Proposal:
    """An author withdraws a draft that the atelier will not pursue."""
    return _transition(
        proposal=proposal,
        acting_user=acting_user,
        allowed_from={Proposal.Status.DRAFT},
        to=Proposal.Status.WITHDRAWN,
        action=AteliersVerb.WITHDRAW,
    )


class NotADraft(TransitionNotAllowed):
    message_text = gettext_lazy(
        "Only a draft is signalled ready to submit: this proposal is “%(status)s”."
    )


class AlreadySignalled(Exception):
    """The draft was signalled ready already: by whom and when."""

    def __init__(self, proposal: Proposal):
        self.proposal = proposal
        super().__init__("already signalled ready")


@transaction.atomic
def proposal_signal_ready(*, proposal: Proposal, acting_user) -> Proposal:
    """A member of the atelier tells its co-animators that the draft is ready
    for them to submit. Once per draft: the first signal stays, with who gave
    it and when (``AlreadySignalled`` otherwise). It changes neither the
    status nor the version: someone editing the draft meanwhile saves as
    usual, and the flag stays through later edits."""
    current = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if current.status != Proposal.Status.DRAFT:
        raise NotADraft(current.status, AteliersVerb.SIGNAL_READY)
    if current.ready_at is not None:
        raise AlreadySignalled(current)
    current.ready_at, current.ready_by = timezone.now(), acting_user
    current.save(update_fields=["ready_at", "ready_by"])
    AuditEvent.record(
        actor=acting_user,
        target=current,
        action=AteliersVerb.SIGNAL_READY,
    )
    notifications.proposal_ready(proposal=current, acting_user=acting_user)
    return current


# --- The commission's decisions ---------------------------------------------------


class AxisNotValidated(TransitionNotAllowed):
    message_text = gettext_lazy(
        "This proposal cannot be validated yet: its axis has not been validated "
        "by the commission."
    )


class CommentRequired(ValueError):
    pass


@transaction.atomic
def proposal_validate(
    *, proposal: Proposal, acting_user, comment: str = ""
) -> Proposal:
    """The commission validates a submitted proposal of a validated axis."""
    comment = comment.strip()

    def axis_validated(current):
        # An atelier never changes axis: the proposal as loaded says which.
        axis = Axis.objects.select_for_update().get(pk=proposal.atelier.axis_id)
        if axis.status != Axis.Status.VALIDATED:
            raise AxisNotValidated(current.status, AteliersVerb.VALIDATE)

    return _transition(
        proposal=proposal,
        acting_user=acting_user,
        allowed_from={Proposal.Status.SUBMITTED},
        to=Proposal.Status.VALIDATED,
        action=AteliersVerb.VALIDATE,
        comment=comment,
        check=axis_validated,
        notify=lambda current: notifications.proposal_decided(
            proposal=current, comment=comment
        ),
    )


def _decision_with_comment(*, proposal, acting_user, comment, to, action) -> Proposal:
    comment = (comment or "").strip()
    if not comment:
        raise CommentRequired(action)
    return _transition(
        proposal=proposal,
        acting_user=acting_user,
        allowed_from={Proposal.Status.SUBMITTED},
        to=to,
        action=action,
        comment=comment,
        notify=lambda current: notifications.proposal_decided(
            proposal=current, comment=comment
        ),
    )


@transaction.atomic
def proposal_request_changes(
    *, proposal: Proposal, acting_user, comment: str
) -> Proposal:
    """The commission sends a proposal back to its atelier, saying what to change."""
    return _decision_with_comment(
        proposal=proposal,
        acting_user=acting_user,
        comment=comment,
        to=Proposal.Status.CHANGES_REQUESTED,
        action=AteliersVerb.REQUEST_CHANGES,
    )


@transaction.atomic
def proposal_reject(*, proposal: Proposal, acting_user, comment: str) -> Proposal:
    """The commission rejects a proposal, giving the reason."""
    return _decision_with_comment(
        proposal=proposal,
        acting_user=acting_user,
        comment=comment,
        to=Proposal.Status.REJECTED,
        action=AteliersVerb.REJECT,
    )


@transaction.atomic
def proposal_comment(*, proposal: Proposal, author, body: str) -> ProposalComment:
    comment = ProposalComment(proposal=proposal, author=author, body=body.strip())
    comment.full_clean()
    comment.save()
    return comment


# --- Suggested changes ------------------------------------------------------------


class SuggestionRefused(Exception):
    """A suggestion that cannot be accepted or declined as asked; ``message``
    says why in the portal's words."""

    message_text = gettext_lazy("This suggestion cannot be changed any more.")

    def __init__(self, message=None):
        self.message = str(message or self.message_text)
        super().__init__(self.message)


class SuggestionAlreadyDecided(SuggestionRefused):
    message_text = gettext_lazy(
        "This suggestion was already accepted or declined by someone else: "
        "the page shows what was decided."
    )


class SuggestionDoesNotApply(SuggestionRefused):
    message_text = gettext_lazy(
        "This suggestion no longer applies as it is: the text was changed "
        "where it suggests a change. Decline it, or copy what you want to keep "
        "into the proposal by hand."
    )


def field_max_length(name: str) -> int:
    return Proposal._meta.get_field(name).max_length


def field_label(name: str) -> str:
    return str(Proposal._meta.get_field(name).verbose_name).capitalize()


def suggestion_result(suggestion: ProposalSuggestion, current_text: str) -> str | None:
    """What the field would read once ``suggestion`` is accepted, from the
    field's current text: the suggested text merged into what changed since it
    was written (ateliers/merge.py), or None when it no longer applies."""
    return merge_texts(suggestion.base_text, current_text or "", suggestion.text)


def validate_suggested_text(*, field: str, text: str, current_text: str) -> None:
    """Raise ValidationError (on ``text``) when ``text`` cannot replace the
    field's ``current_text``: too long for the field, empty where the field is
    required, one line broken for the title, or no change at all."""
    model_field = Proposal._meta.get_field(field)
    maximum = field_max_length(field)
    if len(text) > maximum:
        raise ValidationError(
            {
                "text": _(
                    "This part of a proposal holds %(maximum)s characters at "
                    "most; your text has %(length)s. It is kept below: shorten it."
                )
                % {"maximum": maximum, "length": len(text)}
            }
        )
    if not model_field.blank and not text.strip():
        raise ValidationError({"text": _("This part of a proposal cannot be empty.")})
    if field == "title" and "\n" in text:
        raise ValidationError({"text": _("A title is written on one line.")})
    if text == current_text:
        raise ValidationError(
            {
                "text": _(
                    "This is the text as it reads now: change it to suggest "
                    "something, or write in the discussion instead."
                )
            }
        )


@transaction.atomic
def suggestion_create(
    *,
    proposal: Proposal,
    author,
    field: str,
    text: str,
    comment: str,
    base_version: int | None = None,
) -> ProposalSuggestion:
    """``author`` suggests ``text`` for the ``field`` of ``proposal``, saying
    why. The suggestion keeps the text it was written on: the field at
    ``base_version`` (the version the person had on screen) when the history
    has it, else the field as it is now."""
    current = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if current.status not in Proposal.SUGGESTABLE_STATUSES:
        raise TransitionNotAllowed(current.status, AteliersVerb.SUGGESTION_MAKE)
    if field not in ProposalSuggestion.FIELDS:
        raise ValidationError({"field": _("Choose a text of the proposal.")})
    base_text, version = getattr(current, field) or "", current.version
    if base_version is not None and base_version != current.version:
        revision = ProposalRevision.objects.filter(
            proposal=current, version=base_version
        ).first()
        if revision is not None and field in revision.snapshot:
            base_text, version = revision.snapshot[field] or "", base_version
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError(
            {"comment": _("Say why: the atelier reads it before deciding.")}
        )
    validate_suggested_text(field=field, text=text, current_text=base_text)
    suggestion = ProposalSuggestion(
        proposal=current,
        field=field,
        base_version=version,
        base_text=base_text,
        text=text,
        comment=comment,
        author=author,
    )
    suggestion.full_clean()
    suggestion.save()
    AuditEvent.record(
        actor=author,
        target=current,
        action=AteliersVerb.SUGGESTION_MAKE,
        comment=_("%(field)s: %(comment)s")
        % {"field": field_label(field), "comment": comment},
    )
    notifications.suggestion_made(suggestion=suggestion)
    return suggestion


def _decide(suggestion: ProposalSuggestion, *, status, acting_user) -> None:
    suggestion.status = status
    suggestion.decided_by = acting_user
    suggestion.decided_at = timezone.now()


@transaction.atomic
def suggestion_accept(
    *, suggestion: ProposalSuggestion, acting_user
) -> ProposalSuggestion:
    """The atelier takes ``suggestion`` into its proposal: a new version,
    saved by ``acting_user`` and crediting the suggestion's author in the
    history. The suggested text is merged into what changed since it was
    written; when that clashes, it is refused with SuggestionDoesNotApply. Two
    people accepting at once make one version: the second finds it decided."""
    # The proposal first, as every service that saves it: no lock-order
    # deadlock with an edit; then the suggestion, which a decline locks alone.
    proposal = Proposal.objects.select_for_update().get(pk=suggestion.proposal_id)
    suggestion = ProposalSuggestion.objects.select_for_update().get(pk=suggestion.pk)
    if not suggestion.is_open:
        raise SuggestionAlreadyDecided
    if proposal.status not in Proposal.EDITABLE_STATUSES:
        raise TransitionNotAllowed(proposal.status, AteliersVerb.SUGGESTION_ACCEPT)
    current_text = getattr(proposal, suggestion.field) or ""
    merged = suggestion_result(suggestion, current_text)
    if merged is None:
        raise SuggestionDoesNotApply
    if merged != current_text:
        previous = snapshot(proposal)
        setattr(proposal, suggestion.field, merged)
        try:
            proposal.full_clean()
        except ValidationError as exc:
            # The merge made it longer than the field allows, or emptied it.
            raise SuggestionDoesNotApply(" ".join(exc.messages)) from exc
        proposal.version += 1
        proposal.save()
        proposal.authors.add(acting_user)
        _record_revision(
            proposal=proposal,
            author=acting_user,
            previous=previous,
            suggested_by=suggestion.author,
        )
    # Else the atelier had already made the very change by hand: accepted,
    # nothing to save.
    _decide(
        suggestion, status=ProposalSuggestion.Status.ACCEPTED, acting_user=acting_user
    )
    suggestion.resulting_version = proposal.version
    suggestion.full_clean()
    suggestion.save()
    AuditEvent.record(
        actor=acting_user,
        target=proposal,
        action=AteliersVerb.SUGGESTION_ACCEPT,
        comment=_("%(field)s, suggested by %(person)s: version %(version)s")
        % {
            "field": field_label(suggestion.field),
            "person": suggestion.author,
            "version": proposal.version,
        },
    )
    suggestion.proposal = proposal
    notifications.suggestion_decided(suggestion=suggestion)
    return suggestion


@transaction.atomic
def suggestion_decline(
    *, suggestion: ProposalSuggestion, acting_user, reason: str
) -> ProposalSuggestion:
    """The atelier declines ``suggestion``, saying why (CommentRequired
    without a reason); its author hears of it."""
    reason = (reason or "").strip()
    if not reason:
        raise CommentRequired(AteliersVerb.SUGGESTION_DECLINE)
    # The suggestion's row alone (of=self): its proposal is not locked, so a
    # decline never waits for an edit, nor an accept for a decline.
    suggestion = (
        ProposalSuggestion.objects.select_for_update(of=("self",))
        .select_related("proposal__atelier__axis", "author")
        .get(pk=suggestion.pk)
    )
    if not suggestion.is_open:
        raise SuggestionAlreadyDecided
    _decide(
        suggestion, status=ProposalSuggestion.Status.DECLINED, acting_user=acting_user
    )
    suggestion.decline_reason = reason
    suggestion.full_clean()
    suggestion.save()
    AuditEvent.record(
        actor=acting_user,
        target=suggestion.proposal,
        action=AteliersVerb.SUGGESTION_DECLINE,
        comment=_("%(field)s, suggested by %(person)s: %(reason)s")
        % {
            "field": field_label(suggestion.field),
            "person": suggestion.author,
            "reason": reason,
        },
    )
    notifications.suggestion_decided(suggestion=suggestion)
    return suggestion


# --- Running an atelier --------------------------------------------------------


class MembershipNotAllowed(Exception):
    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


@transaction.atomic
def membership_add(*, atelier: Atelier, user, acting_user) -> AtelierMembership:
    """Add a volunteer. Outside the recommended 3–4 the caller warns; it is not
    refused, because an atelier may start small or welcome one more."""
    Atelier.objects.select_for_update().get(pk=atelier.pk)
    if AtelierMembership.objects.filter(atelier=atelier, user=user).exists():
        raise MembershipNotAllowed(
            _("%(person)s is already in this atelier.") % {"person": user}
        )
    membership = AtelierMembership(
        atelier=atelier,
        user=user,
        role=AtelierMembership.Role.MEMBER,
        joined_on=timezone.localdate(),
    )
    try:
        membership.full_clean()
    except ValidationError as exc:
        raise MembershipNotAllowed(" ".join(exc.messages)) from exc
    membership.save()
    AuditEvent.record(
        actor=acting_user,
        target=atelier,
        action=AteliersVerb.MEMBER_ADD,
        comment=str(user),
    )
    return membership


@transaction.atomic
def membership_remove(*, membership: AtelierMembership, acting_user) -> None:
    """Remove a volunteer; co-animators are changed by the secretariat."""
    membership = AtelierMembership.objects.select_for_update().get(pk=membership.pk)
    if membership.is_coanimator:
        raise MembershipNotAllowed(
            _("Co-animators are changed by the AMO2SM secretariat.")
        )
    membership.delete()
    AuditEvent.record(
        actor=acting_user,
        target=membership.atelier,
        action=AteliersVerb.MEMBER_REMOVE,
        comment=str(membership.user),
    )


def volunteer_count(atelier: Atelier) -> int:
    return AtelierMembership.objects.filter(
        atelier=atelier, role=AtelierMembership.Role.MEMBER
    ).count()


@transaction.atomic
def enjeu_move(*, enjeu: Enjeu, offset: int, acting_user) -> Enjeu:
    """Swap an enjeu with its neighbour above (offset -1) or below (+1)."""
    Axis.objects.select_for_update().get(pk=enjeu.axis_id)
    siblings = list(
        Enjeu.objects.select_for_update()
        .filter(axis_id=enjeu.axis_id)
        .order_by("position")
    )
    index = next(i for i, e in enumerate(siblings) if e.pk == enjeu.pk)
    target = index + offset
    if not 0 <= target < len(siblings):
        return siblings[index]
    first, second = siblings[index], siblings[target]
    first_position, second_position = first.position, second.position
    # Positions are unique per axis: park one out of the way during the swap.
    parking = max(e.position for e in siblings) + 1
    Enjeu.objects.filter(pk=first.pk).update(position=parking)
    Enjeu.objects.filter(pk=second.pk).update(position=first_position)
    Enjeu.objects.filter(pk=first.pk).update(position=second_position)
    first.position = second_position
    AuditEvent.record(
        actor=acting_user,
        target=first.axis,
        action=AteliersVerb.ENJEU_MOVE,
        comment=f"{first.title} ({first_position} → {second_position})",
    )
    return first


@transaction.atomic
def enjeu_create(*, axis, title: str, description: str, acting_user) -> Enjeu:
    Axis.objects.select_for_update().get(pk=axis.pk)  # serialises numbering
    last = Enjeu.objects.filter(axis=axis).aggregate(n=Max("position"))["n"]
    enjeu = Enjeu(
        axis=axis, position=(last or 0) + 1, title=title, description=description
    )
    enjeu.full_clean()
    enjeu.save()
    AuditEvent.record(
        actor=acting_user,
        target=axis,
        action=AteliersVerb.ENJEU_ADD,
        comment=title,
    )
    return enjeu


@transaction.atomic
def enjeu_update(*, enjeu: Enjeu, title: str, description: str, acting_user) -> Enjeu:
    """Reword an enjeu. Its proposals show the new title: the change is audited."""
    enjeu = Enjeu.objects.select_for_update().get(pk=enjeu.pk)
    before = enjeu.title
    enjeu.title, enjeu.description = title, description
    enjeu.full_clean()
    enjeu.save(update_fields=["title", "description"])
    AuditEvent.record(
        actor=acting_user,
        target=enjeu.axis,
        action=AteliersVerb.ENJEU_CHANGE,
        comment=before if before == title else f"{before} → {title}",
    )
    return enjeu


@transaction.atomic
def session_save(*, session: Session, acting_user, attendees=None) -> Session:
    """Plan a session, change it, or record its attendance and minutes (with
    ``attendees``); audited on the atelier either way."""
    if session.pk is None:
        action = AteliersVerb.SESSION_PLAN
    elif attendees is None:
        action = AteliersVerb.SESSION_CHANGE
    else:
        action = AteliersVerb.SESSION_RECORD
    session.full_clean()
    session.save()
    if attendees is not None:
        session.attendees.set(attendees)
    AuditEvent.record(
        actor=acting_user, target=session.atelier, action=action, comment=str(session)
    )
    return session


# --- Attached files ----------------------------------------------------------------


class AttachmentNotAllowed(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def proposal_attachment_add(*, proposal: Proposal, checked, acting_user):
    """Attaches the checked file to ``proposal`` while its atelier may edit it."""
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if proposal.status not in Proposal.EDITABLE_STATUSES:
            raise AttachmentNotAllowed(
                _("Files can no longer be attached: the proposal is “%(status)s”.")
                % {"status": proposal.get_status_display()}
            )
        # The journal first, the file last: once the file is written,
        # only its row remains to be saved (attach removes the file if not).
        AuditEvent.record(
            actor=acting_user,
            target=proposal,
            action=AteliersVerb.ATTACHMENT_ADD,
            comment=checked.name,
        )
        attachment = attachments.attach(obj=proposal, checked=checked, user=acting_user)
    return attachment


def proposal_attachment_remove(*, proposal: Proposal, attachment, acting_user) -> None:
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if proposal.status not in Proposal.EDITABLE_STATUSES:
            raise AttachmentNotAllowed(
                _("Files can no longer be removed: the proposal is “%(status)s”.")
                % {"status": proposal.get_status_display()}
            )
        attachment = Attachment.objects.select_for_update().get(pk=attachment.pk)
        name = attachment.original_name
        attachments.detach(attachment)
        AuditEvent.record(
            actor=acting_user,
            target=proposal,
            action=AteliersVerb.ATTACHMENT_REMOVE,
            comment=name,
        )


def session_attachment_add(*, session: Session, checked, acting_user):
    """Attaches the checked file (a signed attendance sheet, minutes) to
    ``session``; audited on the atelier, as the sessions are."""
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=session.pk)
        # The journal first, the file last: once the file is written,
        # only its row remains to be saved (attach removes the file if not).
        AuditEvent.record(
            actor=acting_user,
            target=session.atelier,
            action=AteliersVerb.ATTACHMENT_ADD,
            comment=f"{session} · {checked.name}",
        )
        attachment = attachments.attach(obj=session, checked=checked, user=acting_user)
    return attachment


def session_attachment_remove(*, session: Session, attachment, acting_user) -> None:
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=session.pk)
        attachment = Attachment.objects.select_for_update().get(pk=attachment.pk)
        name = attachment.original_name
        attachments.detach(attachment)
        AuditEvent.record(
            actor=acting_user,
            target=session.atelier,
            action=AteliersVerb.ATTACHMENT_REMOVE,
            comment=f"{session} · {name}",
        )

"""Versioned records and their guarded transitions, written once for every app.

- ``VersionedModel``: created/updated timestamps and a ``version`` for
  optimistic locking (a person's save is checked against the version they
  started from, so that no edit silently overwrites another).
- ``check_version`` raises ``EditConflict`` when someone saved in between.
- ``apply_fields``, ``apply_m2m`` and ``changed_fields`` copy a form's cleaned
  data onto a record and say what it would change.
- ``transition`` moves a record from one status to another under a row lock:
  check the allowed states, set the status, bump the version, let the app
  set its own fields and history, record the audit event, and notify people
  once the transaction has committed.

The kernel imports no app of the portal: the audit trail is passed in as the
``record`` callable (``AuditEvent.record``), so this module never imports it.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import FieldDoesNotExist
from django.db import models, router, transaction
from django.db.models import Q
from django.db.transaction import TransactionManagementError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

M = TypeVar("M", bound=models.Model)


class TimestampedModel(models.Model):
    """When a record was created and last saved."""

    created_at = models.DateTimeField(gettext_lazy("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(gettext_lazy("updated at"), auto_now=True)

    class Meta:
        abstract = True


class VersionedModel(TimestampedModel):
    """A record people edit concurrently: every save bumps ``version``, and an
    edit made on an older version is refused with ``EditConflict``.

    A model without an ``updated_at`` column sets ``updated_at = None``. A
    model with its own constraints adds them to ``VersionedModel.Meta``'s::

        class Meta(VersionedModel.Meta):
            constraints = [*VersionedModel.Meta.constraints, ...]
    """

    version = models.PositiveIntegerField(
        gettext_lazy("version"),
        default=1,
        help_text=gettext_lazy("Incremented on every save; detects concurrent edits."),
    )

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(version__gte=1),
                name="%(app_label)s_%(class)s_version_positive",
            ),
        ]


@dataclass
class EditConflict(Exception):
    """Someone saved the record since this person opened it at ``base_version``;
    ``current`` is the record as it is saved now."""

    current: Any
    base_version: int


class TransitionNotAllowed(Exception):
    """An action refused in the record's current status. ``message`` says so in
    the portal's words, with the status as people read it; an app with its
    own wording subclasses this and sets ``message_text``."""

    model: type[models.Model] | None = None
    message_text = None

    def __init__(self, status: str, action: str, *, model=None):
        self.status, self.action = status, action
        if model is not None and self.model is None:
            self.model = model
        super().__init__(f"{action} is not allowed from {status}")

    @property
    def status_label(self) -> str:
        choices = getattr(self.model, "Status", None)
        try:
            return str(choices(self.status).label) if choices else self.status
        except ValueError:
            return self.status

    @property
    def message(self) -> str:
        text = self.message_text or _(
            "This action is not possible while the status is “%(status)s”."
        )
        return str(text) % {"status": self.status_label}


def check_version(current, base_version) -> None:
    """Refuse an edit made on ``base_version`` when ``current`` (the row, read
    under lock) has been saved since."""
    if current.version != base_version:
        raise EditConflict(current=current, base_version=base_version)


def _is_m2m(obj, name: str) -> bool:
    try:
        return obj._meta.get_field(name).many_to_many
    except FieldDoesNotExist:
        return False


def apply_fields(obj, data: dict, fields: Iterable[str]) -> None:
    """Set on ``obj`` each of ``fields`` that ``data`` holds, but for
    many-to-many ones (``apply_m2m``, once the row is saved)."""
    for name in fields:
        if name in data and not _is_m2m(obj, name):
            setattr(obj, name, data[name])


def apply_m2m(obj, data: dict, fields: Iterable[str]) -> None:
    """Set the many-to-many ``fields`` that ``data`` holds on a saved ``obj``."""
    for name in fields:
        if name in data and _is_m2m(obj, name):
            getattr(obj, name).set(data[name])


def changed_fields(obj, data: dict, fields: Iterable[str]) -> list[str]:
    """Which of ``fields`` held by ``data`` differ from ``obj``'s values, in the
    order of ``fields``; many-to-many ones are compared by primary key."""
    changed = []
    for name in fields:
        if name not in data:
            continue
        if _is_m2m(obj, name):
            before = {related.pk for related in getattr(obj, name).all()}
            differs = before != {related.pk for related in data[name] or []}
        else:
            differs = getattr(obj, name) != data[name]
        if differs:
            changed.append(name)
    return changed


def _has_field(model, name: str) -> bool:
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


def transition(
    obj: M,
    *,
    to: str,
    allowed_from: Collection[str],
    action: str,
    actor,
    record: Callable[..., Any],
    comment: str = "",
    check: Callable[[M], None] | None = None,
    apply: Callable[[M], dict | None] | None = None,
    after: Callable[[M, M], None] | None = None,
    notify: Callable[[M], None] | None = None,
    refused: Callable[..., Exception] = TransitionNotAllowed,
) -> M:
    """Move ``obj`` from one of ``allowed_from`` to ``to`` under a row lock, so
    that two people clicking at the same moment produce exactly one transition,
    and return the row as saved. Called by a service, inside its transaction
    (refused with ``TransactionManagementError`` outside one, on SQLite too).

    In order, on the locked row: ``refused(status, action, model=...)`` is
    raised from any other status; ``check(current)`` may refuse too;
    ``apply(current)`` does the transition's own work and returns the other
    fields it sets (``{"submitted_at": now}``); the status, those fields and
    the version (when the model has one) are saved; ``after(current,
    previous)`` writes the app's history (``previous`` is the row as it was);
    ``record(actor=, target=, action=, from_status=, to_status=, comment=)``
    writes the audit event; ``notify(current)`` runs once the transaction
    has committed, never for a change that was rolled back.
    """
    model = type(obj)
    # PostgreSQL refuses select_for_update outside a transaction, but SQLite
    # (the default) ignores it: say so on every database, before the lock, the
    # save and the after-commit notification would run each in its own commit.
    if not transaction.get_connection(router.db_for_write(model)).in_atomic_block:
        raise TransactionManagementError(
            f"records.transition({model.__name__}) must run inside the "
            f"caller's transaction.atomic()."
        )
    current = model._default_manager.select_for_update().get(pk=obj.pk)
    from_status = current.status
    if from_status not in allowed_from:
        raise refused(from_status, action, model=model)
    if check is not None:
        check(current)
    previous = copy.copy(current)
    extra = (apply(current) if apply is not None else None) or {}
    for name, value in extra.items():
        setattr(current, name, value)
    current.status = to
    update_fields = ["status", *extra]
    if _has_field(model, "version"):
        current.version += 1
        update_fields.append("version")
    if _has_field(model, "updated_at"):
        update_fields.append("updated_at")
    current.save(update_fields=update_fields)
    if after is not None:
        after(current, previous)
    record(
        actor=actor,
        target=current,
        action=action,
        from_status=from_status,
        to_status=to,
        comment=comment,
    )
    if notify is not None:
        transaction.on_commit(lambda: notify(current))
    return current

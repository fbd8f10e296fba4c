"""The verbs of the audit trail, declared by the apps that record them.

Each app lists its verbs in its own ``<app>/verbs.py``, one class named after
the app::

    from django.utils.translation import gettext_lazy as _

    from audit.verbs import Verbs


    class AteliersVerb(Verbs):
        SUBMIT = "submit", _("Submitted to the commission")

and records them with ``AuditEvent.record(action=AteliersVerb.SUBMIT, ...)``.
Declaring the class registers it, and ``AuditConfig.ready()`` imports every
installed app's ``verbs`` module (as the admin finds ``admin.py``), so the
registry is complete in every process, whether or not it imported the services.

A value is what ``AuditEvent.action`` stores: it never changes once used, and it
belongs to one app only (a second declaration stops the start-up). A new verb
needs no migration; an old row whose verb is no longer declared shows its raw
value.
"""

from collections.abc import Iterable, Mapping

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models.enums import ChoicesType
from django.utils.translation import gettext_lazy as _

# AuditEvent.action's max_length.
MAX_LENGTH = 30

_owners: dict[str, type["Verbs"]] = {}
_status_labels: dict[str, Mapping[str, str]] = {}


def _name(cls) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def _register(cls) -> None:
    # Checked in full before anything is added: a refused class leaves no trace.
    for verb in cls:
        owner = _owners.get(verb.value)
        if owner is not None and _name(owner) != _name(cls):
            raise ImproperlyConfigured(
                f"The audit verb {verb.value!r} of {_name(cls)} is already "
                f"declared by {_name(owner)}: a verb belongs to one app, give "
                f"this one another value."
            )
        if len(verb.value) > MAX_LENGTH:
            raise ImproperlyConfigured(
                f"The audit verb {verb.value!r} of {_name(cls)} is longer than "
                f"AuditEvent.action ({MAX_LENGTH} characters)."
            )
    # The same class declared again (a module reloaded) replaces itself.
    for value, owner in list(_owners.items()):
        if _name(owner) == _name(cls):
            del _owners[value]
    for verb in cls:
        _owners[verb.value] = cls


class VerbsType(ChoicesType):
    def __new__(metacls, classname, bases, classdict, **kwds):
        cls = super().__new__(metacls, classname, bases, classdict, **kwds)
        if cls.__members__:
            _register(cls)
        return cls


class Verbs(models.TextChoices, metaclass=VerbsType):
    """The base of an app's verbs: a TextChoices that registers itself."""


def is_registered(value: str) -> bool:
    return value in _owners


def ensure_registered(value: str) -> None:
    """Refuse a verb no app declared: a programming error, not a user's."""
    if value not in _owners:
        raise ValueError(
            f"{value!r} is not an audit verb: declare it in the verbs.py of the "
            f"app that records it (a subclass of audit.verbs.Verbs)."
        )


def label(value: str):
    """The verb as people read it; an undeclared (retired) verb as stored."""
    owner = _owners.get(value)
    return owner(value).label if owner else value


def _app_rank(cls) -> int:
    config = apps.get_containing_app_config(cls.__module__)
    configs = list(apps.get_app_configs())
    return configs.index(config) if config else len(configs)


def choices() -> list[tuple[str, str]]:
    """Every declared verb with its label, for the filters: app by app in the
    order of INSTALLED_APPS, each app's verbs in the order it declares them."""
    classes = sorted(
        set(_owners.values()), key=lambda cls: (_app_rank(cls), _name(cls))
    )
    return [(verb.value, verb.label) for cls in classes for verb in cls]


def grouped_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The same verbs in groups, one per app under the app's name, for a select
    (an optgroup each): a long list people scan by what they were doing."""
    classes = sorted(
        set(_owners.values()), key=lambda cls: (_app_rank(cls), _name(cls))
    )
    groups: dict[str, list[tuple[str, str]]] = {}
    for cls in classes:
        config = apps.get_containing_app_config(cls.__module__)
        name = str(config.verbose_name) if config else cls.__name__
        groups.setdefault(name, []).extend((verb.value, verb.label) for verb in cls)
    return list(groups.items())


def register_status_labels(
    verb: str, labels: type[models.Choices] | Iterable[tuple[str, str]]
) -> None:
    """Say how to read the from/to statuses of a verb whose values are not the
    statuses of its target (e.g. a position recorded on a round: approve,
    oppose…). Without it, they are read from the target model's ``status``."""
    ensure_registered(verb)
    pairs = labels.choices if isinstance(labels, type) else labels
    _status_labels[verb] = dict(pairs)


def status_labels(verb: str) -> Mapping[str, str] | None:
    return _status_labels.get(verb)


class AuditVerb(Verbs):
    """What the journal records of the people themselves."""

    PERSON_ERASE = "person_erase", _("Personal data erased")

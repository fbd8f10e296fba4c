"""A person's data, written once over every installed model's ``_meta``, so a
model added later is covered without being listed here:

- ``collect(user)``: everything the database links to a person, for their
  export (« Mes données »). A row is linked to them when it has a foreign key
  or a many-to-many to their account (the rows of the auto-created
  many-to-many tables included: which proposals they co-wrote, their
  groups), a generic foreign key to their account (the journal's entries
  about them), or an e-mail field holding their address (a seminar invitation
  sent to their address). One query per model that has such a link, whatever
  the number of rows. The fields of ``EXCLUDED_FIELDS`` are never exported.
- ``replace_everywhere(names=..., emails=..., ...)``: the erasure of a
  person's identity from the free text of the whole database. Every
  ``CharField``, ``TextField`` and ``JSONField`` (and their subclasses:
  e-mail, slug, Markdown texts, JSON snapshots) of every model is searched
  for the exact name or e-mail (case-insensitive, whole words; a name of a
  single word only where it is the whole text, as JSON stores it too), which
  is replaced by the pseudonym; an e-mail field holding the address is
  emptied (or given a placeholder when it may not be empty). First names or
  last names alone are not searched: they are other people's too. A row whose name
  or e-mail field *is* the person (a seminar invitation, a contact person)
  describes them: its phone and job title are emptied too.

What is kept as printed: the rows an app declares an archive with
``register_archive`` (the published editions of the référentiel and their PDF
content: what was handed out stays what it was) are neither searched nor
changed.

The kernel imports no app: it walks ``django.apps.apps``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.apps import apps
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.db.models.functions import Cast

# Fields never exported, whoever asks: secrets that are no data about the
# person but keys to the portal (their password's hash, their personal reply
# link, a share link's token) and the worker's bookkeeping. By name in every
# model, then by model ("app_label.modelname") and name.
EXCLUDED_FIELD_NAMES = frozenset({"password", "key", "token", "secret", "session_key"})
EXCLUDED_FIELDS: dict[str, frozenset[str]] = {
    "seminaire.invitation": frozenset({"claimed_by", "heartbeat_at", "queued_at"}),
}

# In a row that describes the person (one of its name or e-mail fields holds
# exactly their name or address), the fields whose name contains one of these
# are emptied too.
CONTACT_FIELD_HINTS = ("phone", "job_title", "telephone")

TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)


@dataclass(frozen=True)
class Archive:
    """Rows of ``model`` kept as printed: ``rows(queryset)`` narrows the
    model's rows to them."""

    label: str
    rows: Callable[[models.QuerySet], models.QuerySet]


_archives: dict[str, Archive] = {}


def register_archive(label: str, rows: Callable[[models.QuerySet], models.QuerySet]):
    """Declare the rows of the model ``label`` ("app_label.ModelName") that an
    erasure leaves as they are: an archive of what was published."""
    _archives[label.lower()] = Archive(label.lower(), rows)


def archives() -> dict[str, Archive]:
    return dict(_archives)


_retention_rules: dict[str, Callable[[], int]] = {}


def register_retention(name: str, rule: Callable[[], int]) -> None:
    """Declare a retention rule: ``rule()`` erases what is past its keeping
    period and returns how many records it erased. The worker runs every rule
    each night (``apply_retention``, seminaire/purge_tasks.py)."""
    _retention_rules[name] = rule


def apply_retention() -> dict[str, int]:
    """Run every retention rule; each is done in its own transactions, so a
    run killed midway leaves the rest to the next one."""
    return {name: rule() for name, rule in sorted(_retention_rules.items())}


_rewritten_hooks: dict[str, list[Callable[[list], None]]] = {}


def register_rewritten(label: str, callback: Callable[[list], None]) -> None:
    """Ask to be called with the rows of the model ``label`` an erasure has
    just rewritten (in its transaction): what was made from them (a draft's
    PDF file on disk) is made again from the rewritten rows."""
    _rewritten_hooks.setdefault(label.lower(), []).append(callback)


def model_label(model) -> str:
    return model._meta.label_lower


def archived_pks(model) -> set:
    """The primary keys of ``model``'s rows kept as printed."""
    archive = _archives.get(model_label(model))
    if archive is None:
        return set()
    return set(archive.rows(model._base_manager.all()).values_list("pk", flat=True))


# --- The export ---------------------------------------------------------------


def _is_excluded(model, field) -> bool:
    return field.name in EXCLUDED_FIELD_NAMES or field.name in EXCLUDED_FIELDS.get(
        model_label(model), ()
    )


def exported_fields(model) -> list[models.Field]:
    """The columns of ``model`` an export holds: its concrete fields but the
    excluded ones (a foreign key as the id it holds)."""
    return [
        field for field in model._meta.concrete_fields if not _is_excluded(model, field)
    ]


def _links_to(model, user) -> Q | None:
    """The condition of ``model``'s rows linked to ``user``; None if the model
    cannot be."""
    user_model = user._meta.concrete_model
    conditions = []
    for field in model._meta.get_fields():
        if getattr(field, "related_model", None) is user_model and field.concrete:
            if field.many_to_one or field.one_to_one:
                conditions.append(Q(**{field.attname: user.pk}))
            elif field.many_to_many:
                conditions.append(Q(**{field.name: user.pk}))
        elif (
            isinstance(field, models.EmailField)
            and user.email
            and model is not user_model
        ):
            # Another account with the same address is somebody else's.
            conditions.append(Q(**{f"{field.name}__iexact": user.email}))
    for field in model._meta.private_fields:
        if isinstance(field, GenericForeignKey):
            content_type = ContentType.objects.get_for_model(user_model)
            conditions.append(
                Q(**{field.ct_field: content_type.pk, field.fk_field: user.pk})
            )
    if model is user_model:
        conditions.append(Q(pk=user.pk))
    if not conditions:
        return None
    condition = Q()
    for one in conditions:
        condition |= one
    return condition


def _has_many_to_many(model, user_model) -> bool:
    return any(
        field.many_to_many and field.concrete and field.related_model is user_model
        for field in model._meta.get_fields()
    )


def exportable_value(field, obj):
    value = field.value_from_object(obj)
    if isinstance(field, models.FileField):
        return value.name if value else ""
    return value


@dataclass
class Section:
    """One model's rows linked to the person."""

    label: str
    verbose_name: str
    fields: list[models.Field]
    rows: list[dict]


def collect(user) -> list[Section]:
    """Every row linked to ``user``, model by model (those with rows only),
    each row a mapping of field name to value; the account first."""
    sections = []
    user_model = user._meta.concrete_model
    for model in apps.get_models(include_auto_created=True):
        condition = _links_to(model, user)
        if condition is None or not model._meta.managed:
            continue
        queryset = model._base_manager.filter(condition).order_by("pk")
        if _has_many_to_many(model, user_model):
            queryset = queryset.distinct()
        fields = exported_fields(model)
        rows = [
            {field.name: exportable_value(field, obj) for field in fields}
            for obj in queryset
        ]
        if rows:
            sections.append(
                Section(
                    label=model_label(model),
                    verbose_name=str(model._meta.verbose_name_plural),
                    fields=fields,
                    rows=rows,
                )
            )
    sections.sort(key=lambda section: section.label != model_label(user_model))
    return sections


# --- The erasure --------------------------------------------------------------


def _pattern(needle: str) -> re.Pattern:
    # Whole words: « Anne Martin » is not replaced inside « Marie-Anne Martinez ».
    return re.compile(rf"(?<![\w@.+-]){re.escape(needle)}(?![\w@-])", re.IGNORECASE)


def json_forms(needle: str) -> set[str]:
    """The needle, and as a JSON text stores it (SQLite keeps « é » as
    « \\u00e9 »)."""
    return {needle, json.dumps(needle)[1:-1]}


def _escaped(text: str) -> str:
    return json.dumps(text)[1:-1]


def _replace_in(value, patterns):
    if isinstance(value, str):
        for pattern, replacement in patterns:
            # A function, so that the replacement is taken as it is: its JSON
            # form holds backslashes (« n\\u00b0 ») a template would read.
            value = pattern.sub(lambda _match, text=replacement: text, value)
        return value
    if isinstance(value, list):
        return [_replace_in(item, patterns) for item in value]
    if isinstance(value, dict):
        return {
            _replace_in(key, patterns): _replace_in(item, patterns)
            for key, item in value.items()
        }
    return value


def text_fields(model) -> list[models.Field]:
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, TEXT_FIELDS) and not field.primary_key
    ]


def _empty_value(field, replacement: str):
    return "" if field.blank else replacement


def replace_everywhere(
    *,
    names: Iterable[str],
    emails: Iterable[str],
    replacement: str,
    email_replacement: str,
    exact_values: dict[str, str] | None = None,
    skip: Iterable[tuple[type[models.Model], object]] = (),
    skip_models: Iterable[type[models.Model]] = (),
) -> dict[str, int]:
    """Replace ``names`` and ``emails`` by ``replacement`` in every text of the
    database but the archives (see the module's docstring); a text that is
    exactly a key of ``exact_values`` (a username: a login failure's counter)
    becomes its value; ``skip`` lists (model, pk) rows left alone (the
    account, anonymised on its own), ``skip_models`` whole models.
    Returns the number of rows changed per model label. One query per model
    to find the rows, one to write them."""
    names = [name.strip() for name in names if name and name.strip()]
    emails = [email for email in emails if email]
    exact = {old: new for old, new in (exact_values or {}).items() if old}
    # A name of one word (« Martin ») is a word of other people's names and of
    # the language: it is replaced where it is a whole text, never inside one.
    exact.update({name: replacement for name in names if " " not in name})
    names = [name for name in names if " " in name]
    if not names and not emails and not exact:
        return {}
    # A text may hold JSON written as text (the admin's log): the escaped forms
    # are replaced by the escaped replacement.
    patterns = [
        (_pattern(form), replacement if form == needle else _escaped(replacement))
        for needle in [*emails, *names]
        for form in sorted(json_forms(needle), key=len, reverse=True)
    ]
    whole = {needle.lower() for needle in [*names, *emails]}
    email_set = {email.lower() for email in emails}
    skipped: dict[type, set] = {}
    for model, pk in skip:
        skipped.setdefault(model, set()).add(pk)
    changed_counts = {}
    skip_models = set(skip_models)
    for model in apps.get_models():
        if not model._meta.managed or model._meta.proxy or model in skip_models:
            continue
        fields = text_fields(model)
        if not fields:
            continue
        condition = Q()
        annotations = {}
        for field in fields:
            if isinstance(field, models.JSONField):
                alias = f"_as_text_{field.name}"
                annotations[alias] = Cast(field.name, models.TextField())
                for needle in [*names, *emails]:
                    for form in json_forms(needle):
                        condition |= Q(**{f"{alias}__icontains": form})
            else:
                for needle in [*names, *emails]:
                    for form in json_forms(needle):
                        condition |= Q(**{f"{field.name}__icontains": form})
                if exact:
                    condition |= Q(**{f"{field.name}__in": list(exact)})
        if not condition:
            continue
        queryset = model._base_manager.all()
        if annotations:
            queryset = queryset.alias(**annotations)
        queryset = queryset.filter(condition)
        excluded = archived_pks(model) | skipped.get(model, set())
        if excluded:
            queryset = queryset.exclude(pk__in=excluded)
        changed = []
        changed_fields = set()
        contact_fields = [
            field
            for field in fields
            if any(hint in field.name for hint in CONTACT_FIELD_HINTS)
        ]
        for obj in queryset.order_by("pk"):
            row_changed = False
            describes_person = False
            for field in fields:
                value = getattr(obj, field.attname)
                if isinstance(value, str) and value.strip().lower() in whole:
                    describes_person = True
                if (
                    isinstance(field, models.EmailField)
                    and isinstance(value, str)
                    and value.strip().lower() in email_set
                ):
                    new = _empty_value(field, email_replacement)
                elif isinstance(value, str) and value in exact:
                    new = exact[value]
                else:
                    new = _replace_in(value, patterns)
                if new != value:
                    setattr(obj, field.attname, new)
                    changed_fields.add(field.attname)
                    row_changed = True
            if describes_person:
                for field in contact_fields:
                    if getattr(obj, field.attname) and field.blank:
                        setattr(obj, field.attname, "")
                        changed_fields.add(field.attname)
                        row_changed = True
            if row_changed:
                changed.append(obj)
        if changed:
            model._base_manager.bulk_update(changed, sorted(changed_fields))
            changed_counts[model_label(model)] = len(changed)
            for callback in _rewritten_hooks.get(model_label(model), ()):
                callback(changed)
    return changed_counts

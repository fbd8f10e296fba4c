"""A person's data as they download it (« Mes données »): a ZIP holding all
of it as JSON, for a machine, a readable HTML page and one CSV per kind of
record, with French headers, for a person."""

from __future__ import annotations

import csv
import io
import json
import zipfile

from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext

from cucs_portal import personal_data
from cucs_portal.exports import CsvWriter, spreadsheet_safe

from .models import Organisation, Territory, User

# The people a person's records name and the organisations and territories
# they belong to read by their names in the readable files (the JSON keeps
# the ids): their names read no other row, so one query per column names them
# all. Any other foreign key stays an id there.
NAMED_MODELS = (User, Organisation, Territory)


def _names(sections) -> dict:
    """{(model, pk): name} of every row of ``NAMED_MODELS`` the sections point
    at: one query per model."""
    wanted: dict = {}
    for section in sections:
        for field in section.fields:
            model = getattr(field, "related_model", None)
            if (field.many_to_one or field.one_to_one) and model in NAMED_MODELS:
                wanted.setdefault(model, set()).update(
                    row[field.name] for row in section.rows if row[field.name]
                )
    return {
        (model, obj.pk): str(obj)
        for model, pks in wanted.items()
        for obj in model._base_manager.filter(pk__in=pks)
    }


def _readable(field, value, names=None):
    """A value as a person reads it: a choice's label, yes or no, a person's
    or an organisation's name."""
    model = getattr(field, "related_model", None)
    if names and model in NAMED_MODELS and (model, value) in names:
        return names[(model, value)]
    choices = dict(field.flatchoices) if field.choices else None
    if choices and value in choices:
        return str(choices[value])
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, cls=DjangoJSONEncoder)
    return value


def _csv(section, names) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(
        spreadsheet_safe(str(field.verbose_name)) for field in section.fields
    )
    for row in section.rows:
        writer.writerow(
            CsvWriter.cell(_readable(field, row[field.name], names))
            for field in section.fields
        )
    return ("\ufeff" + out.getvalue()).encode()


def my_data_zip(user) -> bytes:
    """The ZIP of everything linked to ``user`` (cucs_portal.personal_data)."""
    sections = personal_data.collect(user)
    names = _names(sections)
    now = timezone.now()
    document = {
        "exported_at": now,
        "account": user.username,
        "records": {section.label: section.rows for section in sections},
    }
    tables = [
        {
            "label": section.label,
            "title": section.verbose_name,
            "csv": f"csv/{section.label}.csv",
            "headers": [str(field.verbose_name) for field in section.fields],
            "rows": [
                [_readable(field, row[field.name], names) for field in section.fields]
                for row in section.rows
            ],
        }
        for section in sections
    ]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "donnees.json",
            json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        )
        archive.writestr(
            "mes-donnees.html",
            render_to_string(
                "people/my_data_export.html",
                {"person": user, "tables": tables, "exported_at": now},
            ),
        )
        for section in sections:
            archive.writestr(f"csv/{section.label}.csv", _csv(section, names))
    return buffer.getvalue()

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cucs_portal.spreadsheets import (
    SpreadsheetError,
    expected_columns,
    max_bytes,
    read_upload,
)
from seminaire.models import Event

from .models import ImportKind


class EventChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, event):
        return f"{event.title} ({event.starts_at:%d/%m/%Y})"


class UploadForm(forms.Form):
    """A spreadsheet to preview. Reading it is the form's validation: a file
    that cannot be imported is an error on the field, with the reason."""

    file = forms.FileField(
        label=gettext_lazy("Spreadsheet (CSV, XLSX or ODS)"),
        error_messages={
            "empty": gettext_lazy("This file is empty: there is nothing to import.")
        },
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".csv,.xlsx,.ods,text/csv,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,"
                "application/vnd.oasis.opendocument.spreadsheet"
            }
        ),
    )

    def __init__(self, *args, kind, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind, self.user = kind, user
        self.fields["file"].help_text = _(
            "At most %(mb)s MB and %(rows)s rows. The first row names the "
            "columns: %(columns)s. Other columns are ignored."
        ) % {
            "mb": settings.IMPORT_MAX_MB,
            "rows": settings.IMPORT_MAX_ROWS,
            "columns": expected_columns(kind.columns),
        }
        if kind.value == ImportKind.GUESTS:
            self.fields["event"] = EventChoiceField(
                label=_("Seminar"),
                queryset=Event.objects.order_by("-starts_at", "-pk"),
                empty_label=None,
            )
            self.order_fields(["event", "file"])

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > max_bytes():
            raise ValidationError(
                _("This file is larger than %(mb)s MB: split it into several files.")
                % {"mb": settings.IMPORT_MAX_MB}
            )
        self.content = upload.read(max_bytes() + 1)
        try:
            read_upload(self.content, self.kind.columns)
        except SpreadsheetError as exc:
            raise ValidationError(exc.message, code="spreadsheet") from exc
        return upload

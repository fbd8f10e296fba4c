"""The secretariat's imports: upload a spreadsheet, read the preview (the dry
run: every row with its errors or what will happen to it), confirm, and undo
the last import of a kind."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import FormView, TemplateView
from rules.contrib.views import PermissionRequiredMixin

from cucs_portal.mixins import PostOnlyMixin
from cucs_portal.spreadsheets import INVALID, NEW, SKIPPED, SpreadsheetError
from seminaire.models import Event

from . import services
from .forms import UploadForm
from .kinds import BY_SLUG, KINDS
from .models import ImportBatch, ImportKind, PendingImport

# How many past imports the index lists.
RECENT = 20


class ImportPermissionMixin(LoginRequiredMixin, PermissionRequiredMixin):
    permission_required = "imports.import_spreadsheet"


def undoable_ids(batches) -> set[int]:
    """The batches listed that are the last of their kind (and seminar) and
    not undone: one query whatever the number listed."""
    latest = {}
    for batch in ImportBatch.objects.order_by("created_at", "pk").only(
        "pk", "kind", "event_id", "undone_at"
    ):
        latest[(batch.kind, batch.event_id)] = batch
    return {b.pk for b in latest.values() if not b.is_undone} & {b.pk for b in batches}


class ImportIndexView(ImportPermissionMixin, TemplateView):
    template_name = "imports/index.html"

    def get_context_data(self, **kwargs):
        batches = list(ImportBatch.objects.for_listing()[:RECENT])
        return super().get_context_data(
            kinds=list(KINDS.values()),
            batches=batches,
            undoable=undoable_ids(batches),
            blockers=self.request.session.pop("import_undo_blockers", None),
            **kwargs,
        )


class UploadView(ImportPermissionMixin, FormView):
    template_name = "imports/upload.html"
    form_class = UploadForm

    def dispatch(self, request, *args, **kwargs):
        self.kind = BY_SLUG.get(kwargs["kind"])
        if self.kind is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "kind": self.kind,
            "user": self.request.user,
        }

    def get_initial(self):
        initial = super().get_initial()
        event = self.request.GET.get("seminaire", "")
        # An id, at most what a bigint holds (a longer one is no event's).
        if self.kind.value == ImportKind.GUESTS and event.isdigit() and len(event) < 19:
            initial["event"] = Event.objects.filter(pk=int(event)).first()
        return initial

    def form_valid(self, form):
        pending = services.pending_create(
            user=self.request.user,
            kind=self.kind.value,
            data=form.content,
            filename=form.cleaned_data["file"].name,
            event=form.cleaned_data.get("event"),
        )
        return redirect("imports:preview", token=pending.token)

    def get_context_data(self, **kwargs):
        return super().get_context_data(kind=self.kind, **kwargs)


class PendingMixin(ImportPermissionMixin):
    """The uploader's own waiting file: anyone else's token is a 404."""

    def load_pending(self):
        self.pending = get_object_or_404(
            PendingImport.objects.select_related("event"),
            token=self.kwargs["token"],
            uploaded_by=self.request.user,
            created_at__gte=services.pending_expired_before(),
        )
        self.kind = KINDS[self.pending.kind]
        return self.pending


class PreviewView(PendingMixin, View):
    """GET: the preview (a dry run, nothing written). POST: the import, all or
    nothing; refused, the preview comes back with the errors (409)."""

    template_name = "imports/preview.html"

    def get(self, request, *args, **kwargs):
        self.load_pending()
        try:
            report = services.preview(self.pending)
        except SpreadsheetError as exc:
            return self.unreadable(exc)
        return self.render_preview(report)

    def post(self, request, *args, **kwargs):
        self.load_pending()
        try:
            batch = services.import_confirm(
                pending=self.pending, acting_user=request.user
            )
        except SpreadsheetError as exc:
            return self.unreadable(exc)
        except services.PendingGone:
            messages.info(request, _("This file has already been imported."))
            return redirect("imports:index")
        except services.ImportRefused as refused:
            messages.error(
                request,
                _(
                    "Nothing was imported: correct the rows below and send the "
                    "file again."
                ),
            )
            return self.render_preview(refused.report, status=409)
        messages.success(
            request,
            ngettext(
                "Imported: %(count)s row created.",
                "Imported: %(count)s rows created.",
                batch.created_count,
            )
            % {"count": batch.created_count}
            + (
                " "
                + ngettext(
                    "%(count)s duplicate skipped.",
                    "%(count)s duplicates skipped.",
                    batch.skipped_count,
                )
                % {"count": batch.skipped_count}
                if batch.skipped_count
                else ""
            ),
        )
        return redirect(reverse("imports:index") + f"#import-{batch.pk}")

    def unreadable(self, exc):
        messages.error(self.request, exc.message)
        self.pending.delete()
        return redirect("imports:upload", kind=self.kind.slug)

    def render_preview(self, report, status=200):
        columns = [
            column for column in self.kind.columns if column.key in self.shown(report)
        ]
        return render(
            self.request,
            self.template_name,
            {
                "pending": self.pending,
                "kind": self.kind,
                "report": report,
                "columns": columns,
                "rows": [
                    (row, [row.values.get(column.key, "") for column in columns])
                    for row in report.rows
                ],
                "NEW": NEW,
                "SKIPPED": SKIPPED,
                "INVALID": INVALID,
            },
            status=status,
        )

    @staticmethod
    def shown(report) -> set[str]:
        """The columns the file fills in at least one row."""
        return {
            key for row in report.rows for key, value in row.values.items() if value
        }


class UndoView(PostOnlyMixin, LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = "imports.undo_import"

    def back_url(self):
        return reverse("imports:index")

    def post(self, request, *args, **kwargs):
        batch = get_object_or_404(ImportBatch, pk=kwargs["pk"])
        back = reverse("imports:index") + f"#import-{batch.pk}"
        try:
            deleted = services.import_undo(batch=batch, acting_user=request.user)
        except services.UndoRefused as refused:
            messages.error(request, refused.message)
            if refused.blockers:
                request.session["import_undo_blockers"] = {
                    "batch": batch.pk,
                    "rows": [
                        [str(blocker.obj), str(blocker.reason)]
                        for blocker in refused.blockers[:50]
                    ],
                    "more": max(0, len(refused.blockers) - 50),
                }
            return redirect(back)
        messages.success(
            request,
            ngettext(
                "The import was undone: %(count)s row removed.",
                "The import was undone: %(count)s rows removed.",
                deleted,
            )
            % {"count": deleted},
        )
        return redirect(back)

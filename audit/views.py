from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView
from rules.contrib.views import PermissionRequiredMixin

from cucs_portal.exports import Table, export_response

from . import selectors
from .forms import AuditFilterForm


class AuditFilterMixin(LoginRequiredMixin, PermissionRequiredMixin):
    permission_required = "audit.read_journal"

    def filtered(self):
        form = AuditFilterForm(self.request.GET or None)
        filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
        return form, selectors.search_events(filters)


class AuditLogView(AuditFilterMixin, TemplateView):
    template_name = "audit/auditevent_list.html"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        form, events = self.filtered()
        page = Paginator(events, self.paginate_by).get_page(
            self.request.GET.get("page")
        )
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            filter_form=form,
            page_obj=page,
            events=page.object_list,
            query_string=query.urlencode(),
            **kwargs,
        )


class AuditExportView(AuditFilterMixin, View):
    """The filtered log in the format its URL names (``export_format``: CSV in
    UTF-8 with BOM, so spreadsheets read the accents; XLSX; ODS), its dates as
    dates. Refused with invalid filters, rather than quietly exporting
    everything."""

    export_format = "csv"

    def get(self, request, *args, **kwargs):
        form, events = self.filtered()
        if form.is_bound and not form.is_valid():
            return HttpResponseBadRequest(
                _("The filters are not valid: correct them on the journal page."),
                content_type="text/plain; charset=utf-8",
            )
        header = [
            _("Date"),
            _("Person"),
            _("Organisation"),
            _("Action"),
            _("Object"),
            _("From"),
            _("To"),
            _("Comment"),
        ]
        rows = (
            (
                event.created_at,
                event.actor.get_full_name() if event.actor else "",
                event.actor_organisation or "",
                event.get_action_display(),
                event.target_label,
                event.from_status_label,
                event.to_status_label,
                event.comment,
            )
            for event in events.iterator(chunk_size=500)
        )
        table = Table(
            title=_("Journal"),
            columns=header,
            rows=rows,
            filename=f"journal-cucs-{timezone.localdate():%Y-%m-%d}",
        )
        return export_response(table, self.export_format)

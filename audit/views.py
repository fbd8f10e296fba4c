from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView
from rules.contrib.views import PermissionRequiredMixin

from cucs_portal.exports import Table, export_response
from people.models import User
from people.rules import can_erase

from . import selectors, services
from .forms import AuditFilterForm, PersonEraseForm


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


class PersonEraseView(LoginRequiredMixin, PermissionRequiredMixin, FormView):
    """The secretariat erases a person's identity (audit.services): the page
    says what will happen and asks for a confirmation; the POST does it."""

    template_name = "audit/person_erase.html"
    permission_required = "people.erase_person"
    form_class = PersonEraseForm

    def get_permission_object(self):
        return self.person

    def dispatch(self, request, *args, **kwargs):
        self.person = get_object_or_404(
            User.objects.select_related("organisation"), pk=kwargs["pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def has_permission(self):
        # An account erased already has no privilege left: the page says so
        # to whoever may erase people, rather than refusing them.
        if self.person.is_erased:
            return self.request.user.has_perm("audit.read_journal")
        return super().has_permission() and can_erase(self.request.user, self.person)

    def get_success_url(self):
        return reverse("audit:person_erase", kwargs={"pk": self.person.pk})

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            person=self.person,
            pseudonym_example=services.pseudonym(services.next_erasure_number()),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            services.person_erase(person=self.person, acting_user=self.request.user)
        except services.AlreadyErased:
            messages.info(self.request, _("This person's data was erased already."))
            return redirect(self.get_success_url())
        except services.ErasureRefused:
            raise PermissionDenied from None
        messages.success(
            self.request,
            _("The person's identity was erased from the portal."),
        )
        return redirect(self.get_success_url())

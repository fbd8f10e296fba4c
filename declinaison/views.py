import copy
import io
import tempfile
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import floatformat
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView
from rules.contrib.views import PermissionRequiredMixin

from ateliers import selectors as atelier_selectors
from ateliers.models import Proposal
from audit.models import AuditEvent
from cucs_portal.documents.pdf import RenderError, render_pdf
from cucs_portal.exports import FORMULA_STARTS, csv_response
from people.models import Territory

from . import selectors, services
from .forms import (
    FundingFormSet,
    ProgrammingFilterForm,
    ProgressForm,
    SiteActionForm,
    funding_initial,
)
from .models import SiteAction

PAGE_SIZE = 25
PRINT_STYLESHEET = "css/declinaison-print.css"
PDF_TIMEOUT = 60


# --- The programming ------------------------------------------------------------


class ProgrammingMixin(LoginRequiredMixin, PermissionRequiredMixin):
    """The filtered actions, their roll-ups and one page of them."""

    permission_required = "declinaison.view_programming"
    territory = None

    def filter_form(self):
        return ProgrammingFilterForm(
            self.request.GET or None, with_territory=self.territory is None
        )

    def filtered_actions(self, form):
        filters = dict(form.filters)
        if self.territory is not None:
            filters["territory"] = self.territory
        return selectors.filter_actions(selectors.actions_for_listing(), filters)

    def programming_context(self):
        form = self.filter_form()
        actions = self.filtered_actions(form)
        page = Paginator(selectors.programming_order(actions), PAGE_SIZE).get_page(
            self.request.GET.get("page")
        )
        query = self.request.GET.copy()
        query.pop("page", None)
        dimensions = [("axis", _("Progress by axis"))]
        kind = self.territory.kind if self.territory is not None else None
        if kind is None:
            dimensions.append(("bassin", _("Progress by bassin")))
        if kind in (None, Territory.Kind.BASSIN):
            dimensions.append(("commune", _("Progress by commune")))
        rollups = []
        for key, title in dimensions:
            rows = selectors.rollup(actions, key)
            rollups.append(
                {
                    "key": key,
                    "title": title,
                    "rows": rows,
                    "height": selectors.chart_height(rows),
                }
            )
        return {
            "filter_form": form,
            "totals": selectors.totals(actions),
            "rollups": rollups,
            "page_obj": page,
            "actions": page.object_list,
            "query_string": query.urlencode(),
            "statuses": SiteAction.Status.choices,
        }


class ProgrammingView(ProgrammingMixin, TemplateView):
    """What is planned where, by whom and when, over every site."""

    template_name = "declinaison/programming.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.programming_context())
        communes = Territory.objects.filter(kind=Territory.Kind.COMMUNE).order_by(
            "name"
        )
        context["bassins"] = (
            Territory.objects.filter(kind=Territory.Kind.BASSIN)
            .prefetch_related(Prefetch("children", queryset=communes))
            .order_by("name")
        )
        return context


class TerritoryMixin(ProgrammingMixin):
    def get_permission_object(self):
        self.territory = get_object_or_404(
            Territory.objects.select_related("parent__parent"),
            slug=self.kwargs["slug"],
        )
        return None


class TerritoryProgrammingView(TerritoryMixin, TemplateView):
    """The programming of one territory, with its exports."""

    template_name = "declinaison/territory.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.programming_context())
        context["territory"] = self.territory
        context["sub_territories"] = self.territory.children.order_by("name")
        return context


# Lazy: the headers are in the language of the person exporting.
EXPORT_HEADER = (
    gettext_lazy("Bassin"),
    gettext_lazy("Commune"),
    gettext_lazy("Site"),
    gettext_lazy("Action"),
    gettext_lazy("Proposal"),
    gettext_lazy("Proposal title"),
    gettext_lazy("Axis"),
    gettext_lazy("Edition"),
    gettext_lazy("Lead organisation"),
    gettext_lazy("Partners"),
    gettext_lazy("Starts on"),
    gettext_lazy("Ends on"),
    gettext_lazy("Status"),
    gettext_lazy("Progress (%)"),
    gettext_lazy("Budget (€)"),
    gettext_lazy("Funding (€)"),
)


class TerritoryExportMixin(TerritoryMixin, View):
    def export_actions(self):
        form = self.filter_form()
        return selectors.programming_order(self.filtered_actions(form))

    def filename(self, extension: str) -> str:
        day = timezone.localdate().isoformat()
        return f"programmation-{self.territory.slug}-{day}.{extension}"


def _csv_value(value):
    """Dates as 10/05/2007, amounts with two decimals and a decimal comma (as
    a French spreadsheet reads them), text as it is."""
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Decimal):
        return f"{value:.2f}".replace(".", ",")
    return str(value) if not isinstance(value, str) else value


class TerritoryCsvView(TerritoryExportMixin):
    def get(self, request, *args, **kwargs):
        rows = (
            [_csv_value(v) for v in row]
            for row in selectors.export_rows(self.export_actions())
        )
        return csv_response(self.filename("csv"), [str(h) for h in EXPORT_HEADER], rows)


class TerritoryXlsxView(TerritoryExportMixin):
    def get(self, request, *args, **kwargs):
        from openpyxl import Workbook
        from openpyxl.styles import Font

        workbook = Workbook()
        sheet = workbook.active
        sheet.title = _("Programming")[:31]
        sheet.append([str(h) for h in EXPORT_HEADER])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in selectors.export_rows(self.export_actions()):
            sheet.append([_xlsx_value(value) for value in row])
            for cell, value in zip(sheet[sheet.max_row], row, strict=True):
                _type_cell(cell, value)
        for letter, width in zip("ABCDEFGHIJKLMNOP", XLSX_WIDTHS, strict=True):
            sheet.column_dimensions[letter].width = width
        sheet.freeze_panes = "A2"
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type=(
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            ),
        )
        response["Content-Disposition"] = (
            f'attachment; filename="{self.filename("xlsx")}"'
        )
        return response


XLSX_WIDTHS = (14, 18, 24, 40, 10, 40, 6, 30, 24, 30, 12, 12, 12, 10, 12, 12)


def _xlsx_value(value):
    """Strings as they are (typed as text below), dates and numbers as
    themselves."""
    return value


def _type_cell(cell, value):
    if isinstance(value, str):
        # openpyxl guesses a formula from a leading "="; say it is text. A
        # spreadsheet shows it as typed, and keeps it text when the cell is
        # edited again ("quote prefix": the hidden apostrophe of a typed 'text).
        cell.data_type = "s"
        if value.startswith(FORMULA_STARTS):
            cell.quotePrefix = True
    elif hasattr(value, "isoformat"):
        cell.number_format = "DD/MM/YYYY"
    elif value is not None and not isinstance(value, int):
        cell.number_format = "#,##0.00"


class TerritoryPdfView(TerritoryExportMixin):
    """A printable programming of the territory for the site's contract
    partners: a landscape table, rendered in a subprocess."""

    def get(self, request, *args, **kwargs):
        actions = list(self.export_actions())
        form = self.filter_form()
        # For the site's contract partners: in the portal's language (French),
        # like the référentiel, whatever the language of the person printing.
        with translation.override(settings.LANGUAGE_CODE):
            html = render_to_string(
                "declinaison/programming_print.html",
                {
                    "territory": self.territory,
                    "actions": actions,
                    "totals": selectors.totals(self.filtered_actions(form)),
                    "filters": form.filters,
                    "printed_on": timezone.localdate(),
                },
                request=request,
            )
        with tempfile.TemporaryDirectory(prefix="cucs-programming-") as workdir:
            output = Path(workdir) / "programmation.pdf"
            try:
                render_pdf(
                    html, output, stylesheet=PRINT_STYLESHEET, timeout=PDF_TIMEOUT
                )
            except RenderError as exc:
                messages.error(
                    request,
                    _("The PDF could not be made: %(reason)s") % {"reason": exc},
                )
                return redirect("declinaison:territory", slug=self.territory.slug)
            data = output.read_bytes()
        return FileResponse(
            io.BytesIO(data),
            as_attachment=True,
            filename=self.filename("pdf"),
            content_type="application/pdf",
        )


# --- One action -----------------------------------------------------------------


class ActionObjectMixin(LoginRequiredMixin, PermissionRequiredMixin):
    def get_permission_object(self):
        try:
            self.action = selectors.action_detail(pk=self.kwargs["pk"])
        except SiteAction.DoesNotExist as exc:
            raise Http404 from exc
        return self.action


class ActionDetailView(ActionObjectMixin, TemplateView):
    template_name = "declinaison/action_detail.html"
    permission_required = "declinaison.view_siteaction"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        action = self.action
        funding = sum((line.amount for line in action.funding_lines.all()), 0)
        context.update(
            action=action,
            funding_total=funding,
            funding_differs=action.budget is not None
            and action.funding_lines.all()
            and funding != action.budget,
            notes=list(selectors.progress_history(action)),
            can_read_proposal=self.request.user.has_perm(
                "ateliers.view_proposal", action.proposal
            ),
        )
        return context


def _form_errors_response(view, **context):
    return view.render_to_response(view.get_context_data(**context), status=400)


class ActionFormMixin:
    """The action form and its funding lines, saved together."""

    template_name = "declinaison/action_form.html"
    form_class = SiteActionForm

    def get_formset(self):
        if self.request.method == "POST":
            return FundingFormSet(self.request.POST, prefix="funding")
        return FundingFormSet(prefix="funding", initial=self.funding_initial())

    def funding_initial(self):
        return []

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        formset = self.get_formset()
        if form.is_valid() and formset.is_valid():
            return self.save(form, formset)
        return _form_errors_response(self, form=form, formset=formset)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("formset", self.get_formset())
        return super().get_context_data(**kwargs)

    def warn_about_funding(self, action, lines):
        total = services.funding_total(lines)
        if lines and action.budget is not None and total != action.budget:
            messages.warning(
                self.request,
                _(
                    "The funding lines add up to %(funding)s €, the budget is "
                    "%(budget)s €: check them when you can."
                )
                # Formatted as on the pages (« 15 000,00 »), not « 15000.00 ».
                % {
                    "funding": floatformat(total, "2g"),
                    "budget": floatformat(action.budget, "2g"),
                },
            )

    def apply_validation_error(self, form, formset, exc):
        for name, errors in exc.message_dict.items():
            target = name if name in form.fields else None
            for error in errors:
                form.add_error(target, error)
        return _form_errors_response(self, form=form, formset=formset)


class ActionCreateView(
    ActionFormMixin, LoginRequiredMixin, PermissionRequiredMixin, FormView
):
    """Decline a validated proposal of a published edition into an action on
    one site."""

    permission_required = "declinaison.add_siteaction"

    def get_permission_object(self):
        try:
            self.proposal = atelier_selectors.proposal_detail(pk=self.kwargs["pk"])
        except Proposal.DoesNotExist as exc:
            raise Http404 from exc
        return self.proposal

    def check_declinable(self):
        """A clear message, on the proposal's page, when it cannot be declined."""
        self.editions = selectors.editions_holding(self.proposal)
        try:
            services.check_declinable(
                proposal=self.proposal,
                edition=self.editions[0] if self.editions else None,
            )
        except services.NotDeclinable as exc:
            messages.error(self.request, exc.message)
            return redirect(self.proposal)
        return None

    def get(self, request, *args, **kwargs):
        return self.check_declinable() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self.check_declinable() or super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "editions": self.editions}

    def get_initial(self):
        user = self.request.user
        lead = user.organisation if user.organisation_id else None
        return {
            "edition": self.editions[0] if self.editions else None,
            "title": self.proposal.title,
            "lead_organisation": lead or self.proposal.lead_organisation,
            "partner_organisations": list(self.proposal.partner_organisations.all()),
        }

    def save(self, form, formset):
        try:
            action = services.action_create(
                proposal=self.proposal,
                edition=form.cleaned_data["edition"],
                data=form.cleaned_data,
                funding=formset.lines(),
                acting_user=self.request.user,
            )
        except services.NotDeclinable as exc:
            form.add_error("edition", exc.message)
            return _form_errors_response(self, form=form, formset=formset)
        except ValidationError as exc:
            return self.apply_validation_error(form, formset, exc)
        messages.success(
            self.request,
            _("The action on %(site)s is planned.") % {"site": action.territory},
        )
        self.warn_about_funding(action, formset.lines())
        return redirect(action)

    def get_context_data(self, **kwargs):
        return super().get_context_data(proposal=self.proposal, **kwargs)


class ActionUpdateView(ActionFormMixin, ActionObjectMixin, FormView):
    """Change an action. When someone else saved it in the meantime, the save
    is refused, the form keeps what this person typed, and the page shows the
    saved version beside it."""

    permission_required = "declinaison.change_siteaction"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        # A copy: validating the form writes the typed values onto its
        # instance, and the page's header shows the saved action.
        kwargs["instance"] = copy.copy(self.action)
        if self.request.method == "GET":
            kwargs["initial"] = {"base_version": self.action.version}
        return kwargs

    def funding_initial(self):
        return funding_initial(self.action)

    def save(self, form, formset):
        base_version = form.cleaned_data.get("base_version")
        if base_version is None:
            form.add_error(
                None,
                _(
                    "The form was incomplete. Please open the page again and "
                    "re-enter your changes."
                ),
            )
            return _form_errors_response(self, form=form, formset=formset)
        try:
            action = services.action_update(
                action=self.action,
                data=form.cleaned_data,
                funding=formset.lines(),
                base_version=base_version,
                acting_user=self.request.user,
            )
        except services.EditConflict as conflict:
            return self.conflict(form, formset, conflict)
        except ValidationError as exc:
            return self.apply_validation_error(form, formset, exc)
        if action.version == base_version:
            messages.info(self.request, _("Nothing had changed: nothing was saved."))
        else:
            messages.success(self.request, _("The action was updated."))
            self.warn_about_funding(action, formset.lines())
        return redirect(action)

    def conflict(self, form, formset, conflict):
        current = selectors.action_detail(pk=conflict.current.pk)
        self.action = current
        data = form.data.copy()
        data["base_version"] = current.version
        form.data = data
        return self.render_to_response(
            self.get_context_data(
                form=form,
                formset=formset,
                conflict=True,
                saved=current,
                saved_by=_last_change(current),
            ),
            status=409,
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            action=self.action, proposal=self.action.proposal, **kwargs
        )


def _last_change(action):
    return (
        AuditEvent.for_object(action)
        .select_related("actor", "actor_organisation")
        .order_by("-created_at", "-pk")
        .first()
    )


class ActionProgressView(ActionObjectMixin, FormView):
    """Update progress: the new status, the new percentage and a note, kept
    in the action's history."""

    template_name = "declinaison/action_progress.html"
    form_class = ProgressForm
    permission_required = "declinaison.update_progress_siteaction"

    def get_initial(self):
        return {
            "base_version": self.action.version,
            "status": self.action.status,
            "progress": self.action.progress,
        }

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def form_valid(self, form):
        try:
            services.action_progress(
                action=self.action,
                status=form.cleaned_data["status"],
                progress=form.cleaned_data["progress"],
                body=form.cleaned_data["body"],
                base_version=form.cleaned_data["base_version"],
                acting_user=self.request.user,
            )
        except services.EditConflict as conflict:
            data = form.data.copy()
            data["base_version"] = conflict.current.version
            form.data = data
            self.action = selectors.action_detail(pk=self.action.pk)
            return self.render_to_response(
                self.get_context_data(
                    form=form, conflict=True, saved_by=_last_change(self.action)
                ),
                status=409,
            )
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(name if name in form.fields else None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The progress of the action was recorded."))
        return redirect(f"{self.action.get_absolute_url()}#progress")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            action=self.action,
            notes=list(selectors.progress_history(self.action)[:5]),
            **kwargs,
        )

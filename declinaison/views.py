import copy
import io
import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import floatformat
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from django.views.generic import FormView, TemplateView
from rules.contrib.views import PermissionRequiredMixin

from ateliers import selectors as atelier_selectors
from ateliers.models import Proposal
from audit.models import AuditEvent
from cucs_portal.collation import French
from cucs_portal.documents.pdf import RenderError, render_pdf
from cucs_portal.exports import Column, Table, TableExportMixin
from cucs_portal.mixins import Confirmation, ConfirmPageMixin, VersionedEditMixin
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
            French("name")
        )
        context["bassins"] = (
            Territory.objects.filter(kind=Territory.Kind.BASSIN)
            .prefetch_related(Prefetch("children", queryset=communes))
            .order_by(French("name"))
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
        context["sub_territories"] = self.territory.children.order_by(French("name"))
        return context


# Lazy: the headers are in the language of the person exporting.
EXPORT_COLUMNS = (
    Column(gettext_lazy("Bassin"), width=14),
    Column(gettext_lazy("Commune"), width=18),
    Column(gettext_lazy("Site"), width=24),
    Column(gettext_lazy("Action"), width=40),
    Column(gettext_lazy("Proposal"), width=10),
    Column(gettext_lazy("Proposal title"), width=40),
    Column(gettext_lazy("Axis"), width=6),
    Column(gettext_lazy("Edition"), width=30),
    Column(gettext_lazy("Lead organisation"), width=24),
    Column(gettext_lazy("Partners"), width=30),
    Column(gettext_lazy("Starts on"), width=12),
    Column(gettext_lazy("Ends on"), width=12),
    Column(gettext_lazy("Status"), width=12),
    Column(gettext_lazy("Progress (%)"), width=10),
    Column(gettext_lazy("Budget (€)"), width=12),
    Column(gettext_lazy("Funding (€)"), width=12),
)


class TerritoryExportMixin(TerritoryMixin, View):
    def export_actions(self):
        form = self.filter_form()
        return selectors.programming_order(self.filtered_actions(form))

    def filename(self, extension: str) -> str:
        return f"{self.filename_stem()}.{extension}"

    def filename_stem(self) -> str:
        day = timezone.localdate().isoformat()
        return f"programmation-{self.territory.slug}-{day}"


class TerritoryTableView(TableExportMixin, TerritoryExportMixin):
    """The programming as a spreadsheet, in the format its URL names
    (``export_format``: CSV, XLSX, ODS): dates as dates, amounts as numbers, every
    text safe against formulas."""

    def export_table(self) -> Table:
        return Table(
            title=_("Programming"),
            columns=EXPORT_COLUMNS,
            rows=selectors.export_rows(self.export_actions()),
            filename=self.filename_stem(),
        )


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
    ConfirmPageMixin,
    ActionFormMixin,
    LoginRequiredMixin,
    PermissionRequiredMixin,
    FormView,
):
    """Decline a validated proposal of a published edition into an action on
    one site. The filled form asks first, saying what the action will be; the
    confirmation carries everything typed, and can go back to the form."""

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
        if self.wants_change():
            # Back to the form, as typed.
            return self.render_to_response(
                self.get_context_data(form=form, formset=formset)
            )
        if not self.is_confirmed():
            self.filled = (form, formset)
            return self.confirm_response()
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

    def confirmation(self):
        form, formset = self.filled
        data = form.cleaned_data
        proposal = self.proposal
        names = {
            "title": data["title"],
            "site": data["territory"],
            "reference": proposal.reference,
            "edition": data["edition"],
        }
        consequences = [
            _(
                "The action “%(title)s” will be planned on %(site)s, declining "
                "%(reference)s from the edition “%(edition)s”."
            )
            % names,
            _(
                "It shows in the programming of %(site)s and on the page of "
                "%(reference)s, for everyone signed in, partners included."
            )
            % names,
        ]
        lines = formset.lines()
        if data.get("budget") is not None or lines:
            consequences.append(
                ngettext(
                    "Budget: %(budget)s €, with %(count)s funding line.",
                    "Budget: %(budget)s €, with %(count)s funding lines.",
                    len(lines),
                )
                % {
                    "budget": floatformat(data["budget"], "2g")
                    if data.get("budget") is not None
                    else "—",
                    "count": len(lines),
                }
            )
        consequences.append(
            _(
                "A site action cannot be deleted: afterwards you can change it "
                "and record its progress, not remove it."
            )
        )
        return Confirmation(
            title=_("Plan this action on %(site)s?") % names,
            subject=f"{proposal.reference} · {proposal.title}",
            consequences=consequences,
            button=_("Plan the action"),
            cancel_url=proposal.get_absolute_url(),
            breadcrumbs=[
                (proposal.reference, proposal.get_absolute_url()),
            ],
            can_change=True,
        )


class ActionUpdateView(
    VersionedEditMixin, ActionFormMixin, ActionObjectMixin, FormView
):
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
        self.formset = formset
        return self.form_valid(form)

    refusals = (ValidationError,)

    def save_edit(self, form, base_version):
        return services.action_update(
            action=self.action,
            data=form.cleaned_data,
            funding=self.formset.lines(),
            base_version=base_version,
            acting_user=self.request.user,
        )

    def refused(self, form, exc):
        return self.apply_validation_error(form, self.formset, exc)

    def saved_message(self, saved):
        return _("The action was updated.")

    def edit_saved(self, saved, base_version):
        response = super().edit_saved(saved, base_version)
        if saved.version != base_version:
            self.warn_about_funding(saved, self.formset.lines())
        return response

    def conflict(self, form, conflict):
        current = selectors.action_detail(pk=conflict.current.pk)
        self.action = current
        return self.conflict_response(
            form,
            current,
            formset=self.formset,
            conflict=True,
            saved=current,
            saved_by=_last_change(current),
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            action=self.action, proposal=self.action.proposal, **kwargs
        )


def warn_about_progress(request, action: SiteAction) -> None:
    messages.warning(
        request,
        _(
            "Progress of %(progress)s %% but status “%(planned)s”: has the "
            "action started? Move it to “%(in_progress)s” if so."
        )
        % {
            "progress": action.progress,
            "planned": SiteAction.Status.PLANNED.label,
            "in_progress": SiteAction.Status.IN_PROGRESS.label,
        },
    )


def _last_change(action):
    return (
        AuditEvent.for_object(action)
        .select_related("actor", "actor_organisation")
        .order_by("-created_at", "-pk")
        .first()
    )


class ActionProgressView(VersionedEditMixin, ActionObjectMixin, FormView):
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

    # A note that changes nothing is refused by the service.
    say_when_unchanged = False
    refusals = (ValidationError,)

    def save_edit(self, form, base_version):
        note = services.action_progress(
            action=self.action,
            status=form.cleaned_data["status"],
            progress=form.cleaned_data["progress"],
            body=form.cleaned_data["body"],
            base_version=base_version,
            acting_user=self.request.user,
        )
        self.saved_action = note.action
        return self.action

    def edit_saved(self, saved, base_version):
        response = super().edit_saved(saved, base_version)
        # Saved all the same: the person may know better (work started
        # before the action was confirmed), the page keeps a hint.
        if self.saved_action.progress_contradicts_status:
            warn_about_progress(self.request, self.saved_action)
        return response

    def refused(self, form, exc):
        for name, errors in exc.message_dict.items():
            for error in errors:
                form.add_error(name if name in form.fields else None, error)
        return self.form_invalid(form)

    def saved_message(self, saved):
        return _("The progress of the action was recorded.")

    def success_url_for(self, saved):
        return f"{self.action.get_absolute_url()}#progress"

    def conflict(self, form, conflict):
        self.action = selectors.action_detail(pk=self.action.pk)
        return self.conflict_response(
            form,
            conflict.current,
            conflict=True,
            saved_by=_last_change(self.action),
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            action=self.action,
            notes=list(selectors.progress_history(self.action)[:5]),
            **kwargs,
        )

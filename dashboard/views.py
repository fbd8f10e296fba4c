from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from rules.contrib.views import PermissionRequiredMixin

from ateliers.models import Proposal
from ateliers.selectors import memberships_of, proposals_for_listing
from axes.models import Axis
from axes.selectors import diagnosis_by_bassin, enjeux_with_proposals
from commission.selectors import axis_decisions
from cucs_portal.two_factor import open_before_second_factor

from . import help, search, selectors, statements


class DashboardView(LoginRequiredMixin, TemplateView):
    """The six axes, their status and the readable proposals per status."""

    template_name = "dashboard/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        axes = selectors.axes_with_proposal_counts(user=self.request.user)
        context["axes"] = axes
        context["statuses"] = Proposal.Status.choices
        context["status_totals"] = selectors.status_totals(axes)
        context["proposal_total"] = sum(axis.proposal_total for axis in axes)
        memberships = memberships_of(user=self.request.user)
        context["my_memberships"] = memberships
        context["tasks"] = selectors.tasks_for(
            user=self.request.user, memberships=memberships
        )
        return context


class AxisDetailView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    """An axis: its diagnosis, its enjeux with the proposals that answer them, and
    the commission's decisions on it."""

    template_name = "dashboard/axis_detail.html"
    permission_required = "axes.view_axis"

    def get_permission_object(self):
        try:
            self.axis = selectors.axis_detail(number=self.kwargs["number"])
        except Axis.DoesNotExist as exc:
            raise Http404 from exc
        return self.axis

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["axis"] = self.axis
        proposals = list(
            proposals_for_listing(user=self.request.user).filter(
                atelier__axis=self.axis
            )
        )
        context["proposals"] = proposals
        context["enjeu_groups"] = enjeux_with_proposals(self.axis, proposals)
        context["diagnosis_groups"] = diagnosis_by_bassin(self.axis)
        context["decisions"] = axis_decisions(self.axis)
        return context


class SearchView(LoginRequiredMixin, TemplateView):
    """The header's search box: proposals, experience sheets, site actions,
    editions and people matching ``q``, within what the person may read,
    grouped by kind and counted (dashboard/search.py)."""

    template_name = "dashboard/search.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        text, cut = search.clean_query(self.request.GET.get("q"))
        groups = search.portal_search(user=self.request.user, text=text)
        context.update(
            query=text,
            query_cut=cut,
            has_words=search.has_words(text),
            groups=groups,
            found=sum(group.count for group in groups),
            max_length=search.MAX_LENGTH,
        )
        return context


class HelpIndexView(LoginRequiredMixin, TemplateView):
    """The « Aide » index: the signed-in person's roles first, then the others
    (help is not secret: every signed-in person reads every role's page)."""

    template_name = "dashboard/help/index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        mine = help.roles_of(self.request.user, memberships_of(user=self.request.user))
        context["my_roles"] = mine
        context["other_roles"] = [role for role in help.ROLES if role not in mine]
        return context


class HelpRoleView(LoginRequiredMixin, TemplateView):
    """One role's help: what the person can do, step by step, with screenshots."""

    def get_template_names(self):
        return [self.role.template_name]

    def get(self, request, *args, **kwargs):
        # After the login check: a signed-out visitor goes to the login page
        # whatever the role asked, as on every page.
        try:
            self.role = help.BY_SLUG[kwargs["role"]]
        except KeyError as exc:
            raise Http404 from exc
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["role"] = self.role
        context["other_roles"] = [role for role in help.ROLES if role != self.role]
        return context


@method_decorator(open_before_second_factor, name="dispatch")
@method_decorator(login_not_required, name="dispatch")
class StatementView(TemplateView):
    """A statement of the footer (dashboard/statements.py): public, the
    same for everyone but the site map, and read from the settings."""

    title = None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = self.title
        context["publisher"] = statements.publisher()
        return context


class PersonalDataView(StatementView):
    """« Données personnelles »: the register of what the portal keeps about
    people, why, on what basis, for how long, who sees it, and their rights."""

    title = _("Personal data")
    template_name = "dashboard/statements/personal_data.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["guest_retention_months"] = statements.guest_retention_months()
        context["import_pending_hours"] = settings.IMPORT_PENDING_HOURS
        context["session_idle_minutes"] = settings.SESSION_COOKIE_AGE // 60
        # « Mes données », where a signed-in person downloads theirs, when the
        # portal has it.
        context["my_data_url"] = statements.optional_url("people:my_data")
        return context


class AccessibilityView(StatementView):
    """« Déclaration d'accessibilité », after the RGAA 4.1 model, with the
    figures of the last automated audit."""

    title = _("Accessibility statement")
    template_name = "dashboard/statements/accessibility.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["audit"] = audit = statements.accessibility_audit()
        context["conformity"] = statements.conformity(audit)
        context["portal_url"] = settings.PORTAL_BASE_URL + "/"
        return context


class LegalNoticeView(StatementView):
    """« Mentions légales »: publisher, director of publication, host."""

    title = _("Legal notice")
    template_name = "dashboard/statements/legal_notice.html"


class SiteMapView(StatementView):
    """« Plan du site »: the pages the person may open, by section."""

    title = _("Site map")
    template_name = "dashboard/statements/site_map.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sections"] = statements.site_map(self.request)
        return context

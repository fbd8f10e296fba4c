from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.views.generic import TemplateView
from rules.contrib.views import PermissionRequiredMixin

from ateliers.models import Proposal
from ateliers.selectors import proposals_for_listing

from . import selectors
from .models import Axis


class DashboardView(LoginRequiredMixin, TemplateView):
    """The six axes, their status and the readable proposals per status."""

    template_name = "axes/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["axes"] = selectors.axes_with_proposal_counts(user=self.request.user)
        context["statuses"] = Proposal.Status.choices
        return context


class AxisDetailView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    template_name = "axes/axis_detail.html"
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
        context["proposals"] = proposals_for_listing(user=self.request.user).filter(
            atelier__axis=self.axis
        )
        return context

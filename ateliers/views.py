from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.views.generic import TemplateView
from rules.contrib.views import PermissionRequiredMixin

from . import selectors
from .models import Atelier, Proposal


class AtelierListView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    template_name = "ateliers/atelier_list.html"
    permission_required = "ateliers.view_atelier"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["ateliers"] = [
            selectors.split_people(atelier) for atelier in selectors.ateliers_overview()
        ]
        return context


class AtelierDetailView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    template_name = "ateliers/atelier_detail.html"
    permission_required = "ateliers.view_atelier"

    def get_permission_object(self):
        try:
            self.atelier = selectors.atelier_detail(pk=self.kwargs["pk"])
        except Atelier.DoesNotExist as exc:
            raise Http404 from exc
        return self.atelier

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["atelier"] = selectors.split_people(self.atelier)
        context["proposals"] = selectors.proposals_for_listing(
            user=self.request.user
        ).filter(atelier=self.atelier)
        return context


class ProposalDetailView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    template_name = "ateliers/proposal_detail.html"
    permission_required = "ateliers.view_proposal"

    def get_permission_object(self):
        try:
            self.proposal = selectors.proposal_detail(pk=self.kwargs["pk"])
        except Proposal.DoesNotExist as exc:
            raise Http404 from exc
        return self.proposal

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["proposal"] = self.proposal
        return context

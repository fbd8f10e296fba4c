from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView, TemplateView
from rules.contrib.views import PermissionRequiredMixin

from ateliers import selectors as atelier_selectors
from ateliers import services as atelier_services
from ateliers.models import Proposal
from axes.models import Axis
from cucs_portal.mixins import PostOnlyMixin
from people.rules import is_commission_member

from . import decision, selectors, services
from .forms import DecisionForm, PositionForm, RoundOpenForm
from .models import ValidationRound


class RoundListView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    template_name = "commission/round_list.html"
    permission_required = "commission.view_validationround"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            rounds=selectors.rounds_overview(), rule=decision.rule_text(), **kwargs
        )


class RoundCreateView(LoginRequiredMixin, PermissionRequiredMixin, FormView):
    template_name = "commission/round_form.html"
    form_class = RoundOpenForm
    permission_required = "commission.open_round"

    def get_initial(self):
        return {"axes": Axis.objects.filter(status=Axis.Status.PROPOSED)}

    def form_valid(self, form):
        try:
            validation_round = services.round_open(
                title=form.cleaned_data["title"],
                axes=form.cleaned_data["axes"],
                acting_user=self.request.user,
            )
        except services.RoundActionRefused as exc:
            form.add_error(None, exc.message)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The round is open; the commission members were notified."),
        )
        return redirect(validation_round)


class RoundObjectMixin(LoginRequiredMixin, PermissionRequiredMixin):
    def get_permission_object(self):
        self.validation_round = get_object_or_404(ValidationRound, pk=self.kwargs["pk"])
        return self.validation_round


class RoundDetailView(RoundObjectMixin, TemplateView):
    """Who has answered on each axis, the tally, the rule, and the decision."""

    template_name = "commission/round_detail.html"
    permission_required = "commission.view_validationround"

    def get_context_data(self, position_form=None, **kwargs):
        user = self.request.user
        # has_perm alone would let a superuser through; forms are only for the
        # delegate of a member organisation, which the service requires too.
        can_record = user.has_perm(
            "commission.record_position", self.validation_round
        ) and is_commission_member(user)
        organisation = user.organisation if can_record else None
        validation_round, rows, members = selectors.round_detail(
            pk=self.validation_round.pk, organisation=organisation
        )
        for row in rows:
            if not can_record:
                row.form = None
            elif position_form is not None and position_form.prefix == (
                f"axis{row.axis.pk}"
            ):
                row.form = position_form
            else:
                initial = {"axis": row.axis.pk}
                if row.mine:
                    initial |= {
                        "position": row.mine.position,
                        "comment": row.mine.comment,
                    }
                row.form = PositionForm(
                    initial=initial,
                    validation_round=validation_round,
                    prefix=f"axis{row.axis.pk}",
                )
        return super().get_context_data(
            round=validation_round,
            rows=rows,
            members=members,
            organisation=organisation,
            # The axes on which the user's organisation has not answered yet.
            to_answer=[row for row in rows if can_record and row.mine is None],
            rule=decision.rule_text(),
            **kwargs,
        )


class PositionRecordView(PostOnlyMixin, RoundObjectMixin, View):
    """A commission member records their organisation's position on one axis."""

    permission_required = "commission.record_position"

    def post(self, request, *args, **kwargs):
        prefix = request.POST.get("prefix", "")
        if not (
            prefix.startswith("axis")
            and prefix[4:].isdigit()
            and self.validation_round.axes.filter(pk=int(prefix[4:])).exists()
        ):
            raise Http404
        form = PositionForm(
            request.POST, validation_round=self.validation_round, prefix=prefix
        )
        if form.is_valid():
            try:
                services.position_record(
                    validation_round=self.validation_round,
                    axis=form.cleaned_data["axis"],
                    organisation=request.user.organisation,
                    position=form.cleaned_data["position"],
                    comment=form.cleaned_data["comment"],
                    acting_user=request.user,
                )
            except services.RoundActionRefused as exc:
                messages.error(request, exc.message)
                return redirect(self.validation_round)
            messages.success(
                request,
                _("Position of %(organisation)s on %(axis)s recorded.")
                % {
                    "organisation": request.user.organisation,
                    "axis": form.cleaned_data["axis"],
                },
            )
            return redirect(
                f"{self.validation_round.get_absolute_url()}#axis-"
                f"{form.cleaned_data['axis'].number}"
            )
        # Show the round again, the errors next to the fields, nothing lost.
        view = RoundDetailView()
        view.setup(request, *args, **kwargs)
        view.validation_round = self.validation_round
        return view.render_to_response(
            view.get_context_data(position_form=form), status=400
        )


class RoundCloseView(PostOnlyMixin, RoundObjectMixin, View):
    permission_required = "commission.close_round"

    def post(self, request, *args, **kwargs):
        try:
            services.round_close(
                validation_round=self.validation_round, acting_user=request.user
            )
        except services.RoundActionRefused as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The round is closed and the axes decided."))
        return redirect(self.validation_round)


class ReviewQueueView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    """Submitted proposals waiting for the commission, by axis."""

    template_name = "commission/review_queue.html"
    permission_required = "commission.view_review_queue"

    def get_context_data(self, **kwargs):
        proposals = list(selectors.review_queue())
        groups = {}
        for proposal in proposals:
            groups.setdefault(proposal.atelier.axis, []).append(proposal)
        return super().get_context_data(
            groups=list(groups.items()), total=len(proposals), **kwargs
        )


class ProposalDecisionView(LoginRequiredMixin, PermissionRequiredMixin, FormView):
    """A commission member validates, sends back or rejects a submitted proposal."""

    template_name = "commission/proposal_decision.html"
    form_class = DecisionForm
    permission_required = "ateliers.review_proposal"

    def get_permission_object(self):
        try:
            self.proposal = atelier_selectors.proposal_detail(pk=self.kwargs["pk"])
        except Proposal.DoesNotExist as exc:
            raise Http404 from exc
        return self.proposal

    def handle_no_permission(self):
        # Someone decided first: say so instead of a bare "forbidden".
        user = self.request.user
        if (
            user.is_authenticated
            and user.is_commission_delegate
            and self.proposal.status != Proposal.Status.SUBMITTED
            and user.has_perm("ateliers.view_proposal", self.proposal)
        ):
            messages.info(
                self.request,
                _(
                    "This proposal is no longer waiting for a decision "
                    "(now: %(status)s)."
                )
                % {"status": self.proposal.get_status_display()},
            )
            return redirect(self.proposal)
        return super().handle_no_permission()

    SERVICES = {
        DecisionForm.VALIDATE: atelier_services.proposal_validate,
        DecisionForm.REQUEST_CHANGES: atelier_services.proposal_request_changes,
        DecisionForm.REJECT: atelier_services.proposal_reject,
    }

    def form_valid(self, form):
        service = self.SERVICES[form.cleaned_data["decision"]]
        try:
            proposal = service(
                proposal=self.proposal,
                acting_user=self.request.user,
                comment=form.cleaned_data["comment"],
            )
        except atelier_services.TransitionNotAllowed as exc:
            # The form again with the reason, and the comment as typed.
            form.add_error(None, exc.message)
            return self.render_to_response(self.get_context_data(form=form), status=409)
        messages.success(
            self.request,
            _("%(reference)s: %(status)s. The atelier's co-animators were notified.")
            % {
                "reference": proposal.reference,
                "status": proposal.get_status_display(),
            },
        )
        return redirect("commission:review_queue")

    def get_context_data(self, **kwargs):
        return super().get_context_data(proposal=self.proposal, **kwargs)

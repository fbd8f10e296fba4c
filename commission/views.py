from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView, TemplateView
from rules.contrib.views import PermissionRequiredMixin

from axes.models import Axis
from cucs_portal.mixins import Confirmation, ConfirmMixin, PostOnlyMixin
from cucs_portal.records import EditConflict
from people.rules import is_commission_member

from . import decision, selectors, services
from .forms import (
    ItemPositionForm,
    MinutesForm,
    PositionForm,
    RoundOpenForm,
    SessionForm,
)
from .models import AgendaItem, CommissionSession, ValidationRound


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


class RoundCloseView(ConfirmMixin, RoundObjectMixin, View):
    """Closing a round asks first: it decides its axes for good."""

    permission_required = "commission.close_round"
    view_permission = "commission.view_validationround"

    def confirmation(self):
        validation_round = self.validation_round
        axes = ", ".join(
            str(axis.number) for axis in validation_round.axes.order_by("number")
        )
        return Confirmation(
            title=_("Close the round “%(title)s” and decide?")
            % {"title": validation_round.title},
            subject=validation_round.title,
            consequences=[
                _(
                    "The positions recorded are counted and each axis of the round "
                    "(%(axes)s) is decided by the rule: an axis that meets it "
                    "becomes validated, the others stay as they are."
                )
                % {"axes": axes},
                _("The rule: %(rule)s") % {"rule": decision.rule_text()},
                _(
                    "No position can be recorded or changed any more: the "
                    "decisions are final."
                ),
            ],
            button=_("Yes, close the round and decide"),
            cancel_url=validation_round.get_absolute_url(),
            breadcrumbs=[
                (_("Commission"), reverse("commission:round_list")),
                (validation_round.title, validation_round.get_absolute_url()),
            ],
            danger=True,
        )

    def stale(self):
        if self.validation_round.is_open:
            return None
        return _("This round is already closed: its axes were decided then.")

    def perform(self):
        try:
            services.round_close(
                validation_round=self.validation_round, acting_user=self.request.user
            )
        except services.RoundActionRefused as exc:
            messages.error(self.request, exc.message)
        else:
            messages.success(
                self.request, _("The round is closed and the axes decided.")
            )
        return redirect(self.validation_round)


class ReviewQueueView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    """Submitted proposals waiting for the commission, by axis."""

    template_name = "commission/review_queue.html"
    permission_required = "commission.view_review_queue"

    def get_context_data(self, **kwargs):
        proposals = list(selectors.review_queue())
        # The convened session each proposal is on, if any: one query.
        on_agenda = {
            item.proposal_id: item.session
            for item in AgendaItem.objects.filter(
                proposal__in=proposals,
                session__status=CommissionSession.Status.CONVENED,
            ).select_related("session")
        }
        for proposal in proposals:
            proposal.convened_session = on_agenda.get(proposal.pk)
        groups = {}
        for proposal in proposals:
            groups.setdefault(proposal.atelier.axis, []).append(proposal)
        return super().get_context_data(
            groups=list(groups.items()), total=len(proposals), **kwargs
        )


# --- The commission's sessions -----------------------------------------------------


class SessionListView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    template_name = "commission/session_list.html"
    permission_required = "commission.view_commissionsession"

    def get_context_data(self, **kwargs):
        convened, closed = selectors.sessions_overview()
        return super().get_context_data(
            convened=convened,
            closed=closed,
            rule=decision.session_rule_text(),
            **kwargs,
        )


class SessionFormMixin:
    """The session form, its agenda's choices grouped by axis for the page."""

    template_name = "commission/session_form.html"
    form_class = SessionForm
    session = None

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "proposals": services.eligible_proposals(self.session).order_by(
                "atelier__axis__number", "number"
            ),
            "axes": services.eligible_axes(self.session),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        field = form["proposals"]
        groups = {}
        proposals = {p.pk: p for p in form.fields["proposals"].queryset}
        for checkbox in field:
            proposal = proposals.get(checkbox.data["value"].value)
            groups.setdefault(proposal.atelier.axis, []).append(checkbox)
        context["proposal_groups"] = list(groups.items())
        context["session"] = self.session
        return context

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def refuse(self, form, message, status=400):
        form.add_error(None, message)
        return self.render_to_response(self.get_context_data(form=form), status=status)


class SessionCreateView(
    SessionFormMixin, LoginRequiredMixin, PermissionRequiredMixin, FormView
):
    permission_required = "commission.convene_session"

    def get_initial(self):
        return {"proposals": services.eligible_proposals()}

    def form_valid(self, form):
        try:
            session = services.session_convene(
                starts_at=form.starts_at,
                place=form.cleaned_data["place"],
                proposals=form.cleaned_data["proposals"],
                axes=form.cleaned_data["axes"],
                acting_user=self.request.user,
            )
        except services.RoundActionRefused as exc:
            return self.refuse(form, exc.message, status=409)
        messages.success(
            self.request,
            _(
                "The session is convened. The delegates, and the authors and "
                "co-animators of each proposal on the agenda, were told."
            ),
        )
        return redirect(session)


class SessionObjectMixin(LoginRequiredMixin, PermissionRequiredMixin):
    def get_permission_object(self):
        self.session = get_object_or_404(CommissionSession, pk=self.kwargs["pk"])
        return self.session


class SessionUpdateView(SessionFormMixin, SessionObjectMixin, FormView):
    permission_required = "commission.change_session"

    def get_initial(self):
        local = timezone.localtime(self.session.starts_at)
        items = list(self.session.items.all())
        return {
            "date": local.date(),
            "time": local.time().replace(second=0, microsecond=0),
            "place": self.session.place,
            "proposals": [i.proposal_id for i in items if i.proposal_id],
            "axes": [i.axis_id for i in items if i.axis_id],
            "base_version": self.session.version,
        }

    def form_valid(self, form):
        try:
            session = services.session_update(
                session=self.session,
                base_version=form.cleaned_data["base_version"] or 0,
                starts_at=form.starts_at,
                place=form.cleaned_data["place"],
                proposals=form.cleaned_data["proposals"],
                axes=form.cleaned_data["axes"],
                acting_user=self.request.user,
            )
        except services.RoundActionRefused as exc:
            return self.refuse(form, exc.message, status=409)
        except EditConflict:
            return self.refuse(
                form,
                _(
                    "Someone changed this session while you were editing it. "
                    "Your choices are below; check the session's page, then "
                    "save again."
                ),
                status=409,
            )
        messages.success(self.request, _("The session was changed."))
        return redirect(session)


class SessionDetailView(SessionObjectMixin, TemplateView):
    """The agenda: who has answered on each item and who has not, the tally,
    what the rule would give now, and the decision once closed."""

    template_name = "commission/session_detail.html"
    permission_required = "commission.view_commissionsession"

    def get_context_data(self, bound_form=None, bound_item=None, **kwargs):
        user = self.request.user
        can_record = user.has_perm(
            "commission.record_item_position", self.session
        ) and is_commission_member(user)
        organisation = user.organisation if can_record else None
        session, groups, members = selectors.session_detail(
            pk=self.session.pk, organisation=organisation
        )
        rows = [row for group in groups for row in group.rows]
        for row in rows:
            if not can_record:
                continue
            if bound_item is not None and bound_item == row.item.pk:
                row.form = bound_form
            else:
                initial = {"base_version": row.mine.version if row.mine else 0}
                if row.mine:
                    initial |= {
                        "position": row.mine.position,
                        "comment": row.mine.comment,
                    }
                row.form = ItemPositionForm(
                    initial=initial,
                    prefix=f"item{row.item.pk}",
                    on_axis=bool(row.item.axis_id),
                )
        return super().get_context_data(
            session=session,
            groups=groups,
            rows=rows,
            members=members,
            organisation=organisation,
            to_answer=[row for row in rows if can_record and row.mine is None],
            answered=sum(1 for row in rows if not row.missing),
            rule=decision.session_rule_text(),
            **kwargs,
        )


class AgendaItemMixin(SessionObjectMixin):
    def get_item(self):
        return get_object_or_404(
            AgendaItem.objects.select_related(
                "session", "proposal__atelier__axis", "axis"
            ),
            pk=self.kwargs["item_pk"],
            session=self.session,
        )


class ItemPositionView(PostOnlyMixin, AgendaItemMixin, View):
    """A delegate records their organisation's position on one item."""

    permission_required = "commission.record_item_position"

    def back_url(self) -> str:
        # Reloading the form's address (a GET) leads back to the agenda.
        return self.session.get_absolute_url()

    def post(self, request, *args, **kwargs):
        item = self.get_item()
        form = ItemPositionForm(
            request.POST, prefix=f"item{item.pk}", on_axis=bool(item.axis_id)
        )
        anchor = f"{self.session.get_absolute_url()}#item-{item.pk}"
        if not is_commission_member(request.user):
            # has_perm lets a superuser through; a position is an
            # organisation's, recorded by its delegate (as the service says).
            messages.error(
                request,
                _("Only the delegate of a member organisation records its position."),
            )
            return redirect(anchor)
        if form.is_valid():
            try:
                services.item_position_record(
                    item=item,
                    organisation=request.user.organisation,
                    position=form.cleaned_data["position"],
                    comment=form.cleaned_data["comment"],
                    base_version=form.cleaned_data["base_version"] or 0,
                    acting_user=request.user,
                )
            except services.RoundActionRefused as exc:
                form.add_error(None, exc.message)
                return self.show(request, form, item, status=409)
            except services.PositionConflict as exc:
                current = exc.current
                form.add_error(
                    None,
                    _(
                        "%(person)s recorded your organisation's position on this "
                        "item meanwhile: %(position)s. Your choice is below and was "
                        "not saved: check both, then save again if you still want "
                        "yours."
                    )
                    % {
                        "person": current.recorded_by,
                        "position": current.get_position_display(),
                    },
                )
                # Saving again now replaces the colleague's position knowingly.
                data = request.POST.copy()
                data[f"item{item.pk}-base_version"] = str(current.version)
                form.data = data
                return self.show(request, form, item, status=409)
            messages.success(
                request,
                _("Position of %(organisation)s on %(item)s recorded.")
                % {"organisation": request.user.organisation, "item": item},
            )
            return redirect(anchor)
        return self.show(request, form, item, status=400)

    def show(self, request, form, item, status):
        view = SessionDetailView()
        view.setup(request, *self.args, **self.kwargs)
        view.session = self.session
        return view.render_to_response(
            view.get_context_data(bound_form=form, bound_item=item.pk), status=status
        )


class ItemMinutesView(AgendaItemMixin, FormView):
    """The secretariat records the tally of a decision taken in the meeting
    room for one item, from the minutes."""

    template_name = "commission/item_minutes.html"
    form_class = MinutesForm
    permission_required = "commission.record_minutes"

    def get_permission_object(self):
        session = super().get_permission_object()
        self.item = self.get_item()
        return session

    def get_initial(self):
        item = self.item
        if not item.minutes_recorded:
            return {"recorded": True}
        return {
            "recorded": True,
            "approve": item.minutes_approve,
            "reservations": item.minutes_reservations,
            "changes": item.minutes_changes,
            "oppose": item.minutes_oppose,
            "abstain": item.minutes_abstain,
            "comments": item.minutes_comments,
        }

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.item_minutes_record(
                item=self.item,
                recorded=data["recorded"],
                approve=data["approve"],
                reservations=data["reservations"],
                changes=data["changes"],
                oppose=data["oppose"],
                abstain=data["abstain"],
                comments=data["comments"],
                acting_user=self.request.user,
            )
        except services.RoundActionRefused as exc:
            form.add_error(None, exc.message)
            return self.render_to_response(self.get_context_data(form=form), status=400)
        messages.success(
            self.request,
            _("Tally of %(item)s recorded.") % {"item": self.item}
            if data["recorded"]
            else _("%(item)s will be decided from the positions.")
            % {"item": self.item},
        )
        return redirect(f"{self.session.get_absolute_url()}#item-{self.item.pk}")

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_context_data(self, **kwargs):
        members = services.member_organisations().count()
        return super().get_context_data(
            session=self.session,
            item=self.item,
            members=members,
            rule=decision.session_rule_text(),
            **kwargs,
        )


class SessionCloseView(ConfirmMixin, SessionObjectMixin, View):
    """What closing would decide, item by item, then the closing itself."""

    permission_required = "commission.close_session"
    view_permission = "commission.view_commissionsession"

    def confirmation(self):
        session, groups, members = selectors.session_detail(
            pk=self.session.pk, organisation=None
        )
        return Confirmation(
            title=_("Close the session and decide?"),
            subject=str(session),
            consequences=[
                _(
                    "The positions recorded (or the minutes' tally) are counted and "
                    "every item below is decided at once."
                ),
                _(
                    "The authors and co-animators of each proposal are sent the "
                    "decision with the organisations' comments."
                ),
                _(
                    "No position can be recorded or changed any more: the "
                    "decisions are final."
                ),
            ],
            button=_("Yes, close the session and decide"),
            cancel_url=session.get_absolute_url(),
            breadcrumbs=[
                (_("Commission"), reverse("commission:session_list")),
                (str(session), session.get_absolute_url()),
            ],
            danger=True,
            details_template="commission/includes/session_forecast.html",
            stylesheets=["css/commission.css"],
            extra={
                "session": session,
                "groups": groups,
                "members": members,
                "rule": decision.session_rule_text(),
            },
        )

    def stale(self):
        if self.session.is_convened:
            return None
        return _("This session is already closed: its items were decided then.")

    def perform(self):
        try:
            services.session_close(session=self.session, acting_user=self.request.user)
        except services.RoundActionRefused as exc:
            messages.error(self.request, exc.message)
        else:
            messages.success(
                self.request,
                _(
                    "The session is closed and every item decided. The authors "
                    "and co-animators of each proposal were sent the decision "
                    "with the organisations' comments."
                ),
            )
        return redirect(self.session)

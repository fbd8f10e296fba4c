from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import CreateView, FormView, TemplateView, UpdateView
from rules.contrib.views import PermissionRequiredMixin

from audit.models import AuditEvent
from axes.models import Enjeu
from cucs_portal.attachments import AttachmentForm
from cucs_portal.exports import Column, Table, TableExportMixin
from cucs_portal.mixins import (
    Confirmation,
    ConfirmMixin,
    PostOnlyMixin,
    VersionedEditMixin,
)
from cucs_portal.printed import renumbering_printed

from . import selectors, services
from .diff import compare, suggested_change
from .forms import (
    CommentForm,
    EnjeuForm,
    MembershipAddForm,
    ProposalFilterForm,
    ProposalForm,
    RevisionCompareForm,
    SessionPlanForm,
    SessionRecordForm,
    SuggestionDeclineForm,
    SuggestionFieldForm,
    SuggestionForm,
)
from .merge import merge_texts
from .models import (
    Atelier,
    AtelierMembership,
    Proposal,
    ProposalRevision,
    ProposalSuggestion,
    Session,
)
from .rules import coanimates_proposal_atelier, is_commission_member
from .sections import atelier_sections, proposal_sections
from .selectors import memberships_of
from .verbs import AteliersVerb


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
        atelier = selectors.split_people(self.atelier)
        proposals = list(
            selectors.proposals_for_listing(user=self.request.user).filter(
                atelier=atelier
            )
        )
        # The sessions' files (signed attendance sheets, minutes), read like
        # the minutes: one query for every session.
        if self.request.user.has_perm("ateliers.read_minutes", atelier):
            files = selectors.session_attachments(atelier.sessions.all())
            for session in atelier.sessions.all():
                session.attachment_list = files[session.pk]
        counts = dict.fromkeys(Proposal.Status.values, 0)
        for proposal in proposals:
            counts[proposal.status] += 1
        context.update(
            atelier=atelier,
            proposals=proposals,
            status_counts=[
                (value, label, counts[value])
                for value, label in Proposal.Status.choices
            ],
            next_session=selectors.next_session(atelier),
            size_warning=atelier.size_warning,
        )
        # Added by the apps above (ateliers/sections.py): the sessions' calendar.
        sections, variables = atelier_sections(atelier=atelier, user=self.request.user)
        context.update(variables, atelier_sections=sections)
        return context


DECISION_ACTIONS = [
    AteliersVerb.SUBMIT,
    AteliersVerb.VALIDATE,
    AteliersVerb.REQUEST_CHANGES,
    AteliersVerb.REJECT,
]


# What the commission needs to judge a proposal, beyond its title and summary.
EXPECTED_BEFORE_SUBMITTING = (
    "description",
    "actions",
    "lead_organisation",
    "territories",
    "means",
    "indicators",
)


def missing_fields(proposal: Proposal) -> list[str]:
    """The labels of the expected fields still empty (from prefetched data)."""
    missing = []
    for name in EXPECTED_BEFORE_SUBMITTING:
        value = getattr(proposal, name)
        empty = not value.all() if name == "territories" else not value
        if empty:
            missing.append(str(Proposal._meta.get_field(name).verbose_name))
    return missing


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
        user = self.request.user
        if user.has_perm("ateliers.submit_proposal", self.proposal):
            context["missing_fields"] = missing_fields(self.proposal)
        if user.has_perm("ateliers.comment_proposal", self.proposal):
            context.setdefault("comment_form", CommentForm())
            context["comments"] = self.proposal.comments.select_related(
                "author__organisation"
            )
        # Submissions and the commission's decisions, with its comments: read by
        # the working group (like the discussion), not by partners.
        if user.has_perm("ateliers.view_proposal_history", self.proposal):
            context["decision_events"] = list(
                AuditEvent.for_object(self.proposal)
                .filter(action__in=DECISION_ACTIONS)
                .select_related("actor", "actor_organisation")
                .order_by("created_at", "pk")
            )
        # Exact changes suggested by reviewers, against the text as it is now.
        if user.has_perm("ateliers.view_proposal_suggestions", self.proposal):
            context["suggestions"] = [
                suggested_change(suggestion, self.proposal)
                for suggestion in selectors.open_suggestions(proposal=self.proposal)
            ]
        if user.has_perm("ateliers.suggest_proposal", self.proposal):
            context["suggestion_field_form"] = SuggestionFieldForm()
        # Its annexes and maps (ateliers/attachment_views.py): read by whoever
        # reads the proposal.
        context["attachments"] = selectors.proposal_attachments(self.proposal)
        if user.has_perm("ateliers.attach_proposal", self.proposal):
            context["attachment_form"] = AttachmentForm()
        # What the apps above add: its actions on the sites, its experience
        # sheets (ateliers/sections.py).
        sections, variables = proposal_sections(proposal=self.proposal, user=user)
        context.update(variables)
        context["proposal_sections"] = sections
        return context


# --- The atelier workspace: writing proposals ------------------------------------


class ProposalObjectMixin(LoginRequiredMixin, PermissionRequiredMixin):
    """Loads ``self.proposal`` for the permission check (404 when missing)."""

    def get_permission_object(self):
        try:
            self.proposal = selectors.proposal_detail(pk=self.kwargs["pk"])
        except Proposal.DoesNotExist as exc:
            raise Http404 from exc
        return self.proposal


class AtelierObjectMixin(LoginRequiredMixin, PermissionRequiredMixin):
    def get_permission_object(self):
        self.atelier = get_object_or_404(
            Atelier.objects.select_related("axis"), pk=self.kwargs["pk"]
        )
        return self.atelier


class ProposalCreateView(AtelierObjectMixin, FormView):
    template_name = "ateliers/proposal_form.html"
    form_class = ProposalForm
    permission_required = "ateliers.add_proposal"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "atelier": self.atelier}

    def form_valid(self, form):
        proposal = services.proposal_create(
            atelier=self.atelier, author=self.request.user, data=form.cleaned_data
        )
        messages.success(
            self.request,
            _("Draft %(reference)s saved. You can come back to it at any time.")
            % {"reference": proposal.reference},
        )
        return redirect(proposal)

    def get_context_data(self, **kwargs):
        return super().get_context_data(atelier=self.atelier, **kwargs)


class ProposalUpdateView(VersionedEditMixin, ProposalObjectMixin, FormView):
    """Edit a proposal. When someone else saved it in the meantime, the save is
    refused, the form keeps what this person typed, and the page shows what the
    other person changed so the two can be merged."""

    template_name = "ateliers/proposal_form.html"
    form_class = ProposalForm
    permission_required = "ateliers.change_proposal"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["atelier"] = self.proposal.atelier
        kwargs["instance"] = self.proposal
        if self.request.method == "GET":
            kwargs["initial"] = {"base_version": self.proposal.version}
        return kwargs

    refusals = (services.TransitionNotAllowed,)

    def save_edit(self, form, base_version):
        # The form wrote the posted values onto self.proposal; the service
        # reloads the row under lock, so nothing is saved from this instance.
        return services.proposal_update(
            proposal=self.proposal,
            editor=self.request.user,
            data=form.cleaned_data,
            base_version=base_version,
        )

    def refused(self, form, exc):
        return self.no_longer_editable(form)

    def saved_message(self, saved):
        return _("Changes saved (version %(version)s).") % {"version": saved.version}

    def handle_no_permission(self):
        # The proposal left the editable statuses while this person was typing:
        # show the form again with their text rather than a bare refusal.
        user = self.request.user
        if (
            self.request.method == "POST"
            and user.is_authenticated
            and self.proposal.atelier_id
            in {m.atelier_id for m in memberships_of(user=user)}
        ):
            form = self.get_form()
            form.is_valid()
            return self.no_longer_editable(form)
        return super().handle_no_permission()

    def no_longer_editable(self, form):
        current = Proposal.objects.get(pk=self.proposal.pk)
        form.add_error(
            None,
            _(
                "This proposal is now “%(status)s” and can no longer be edited. "
                "Your text is below: copy what you want to keep."
            )
            % {"status": current.get_status_display()},
        )
        return self.render_to_response(
            self.get_context_data(form=form, read_only=True), status=409
        )

    def conflict(self, form, conflict):
        current = conflict.current
        revisions = {
            r.version: r
            for r in ProposalRevision.objects.filter(
                proposal=current, version__in=[conflict.base_version, current.version]
            ).select_related("author")
        }
        base, latest = (
            revisions.get(conflict.base_version),
            revisions.get(current.version),
        )
        changes = compare(base.snapshot, latest.snapshot) if base and latest else []
        others = (
            ProposalRevision.objects.filter(
                proposal=current, version__gt=conflict.base_version
            )
            .select_related("author")
            .order_by("version")
        )
        self.take_saved_version(form, current)
        merged, combined, clashing = (
            merge_into(form.data, form, base.snapshot, latest.snapshot)
            if base and latest
            else ([], [], [])
        )
        return self.render_to_response(
            self.get_context_data(
                form=form,
                conflict=True,
                conflict_changes=changes,
                conflict_revisions=others,
                merged_fields=merged,
                combined_fields=combined,
                clashing_fields=clashing,
            ),
            status=409,
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            proposal=self.proposal,
            atelier=self.proposal.atelier,
            # What the commission asked, in sight while the atelier reworks it.
            commission_request=AuditEvent.for_object(self.proposal)
            .filter(action=AteliersVerb.REQUEST_CHANGES)
            .select_related("actor", "actor_organisation")
            .order_by("-created_at")
            .first()
            if self.proposal.status == Proposal.Status.CHANGES_REQUESTED
            else None,
            **kwargs,
        )


def _comparable(name, value, snapshot=None):
    """A field's value in a form that can be compared with a revision's."""
    if snapshot is not None:
        ids = snapshot.get("_ids", {})
        return ids.get(name) if name in services.RELATED_FIELDS else snapshot.get(name)
    if name in services.M2M_FIELDS:
        return sorted(obj.pk for obj in value or [])
    if name in services.RELATED_FIELDS:
        return value.pk if value is not None else None
    return value


def merge_into(data, form, base: dict, theirs: dict) -> tuple[list, list, list]:
    """Three-way merge after an edit conflict: a field this person left as it was
    takes the other person's value, and a text both changed takes both changes
    where they touch different words (ateliers/merge.py), so that saving again
    keeps both edits. Returns the labels of the fields taken from them, of the
    texts combined, and of those both changed in the same place."""
    merged, combined, clashing = [], [], []
    for name in services.EDITABLE_FIELDS:
        if name in services.RELATED_FIELDS and "_ids" not in base:
            continue  # a revision from before ids were kept: leave it to the person
        mine = _comparable(name, form.cleaned_data.get(name))
        was = _comparable(name, None, base)
        now = _comparable(name, None, theirs)
        label = form.fields[name].label
        if now == was or mine == now:
            continue
        if mine != was:
            text = (
                merge_texts(was, mine, now)
                if name in ProposalSuggestion.FIELDS
                and isinstance(mine, str)
                and isinstance(was, str)
                and isinstance(now, str)
                else None
            )
            if text is None:
                clashing.append(label)
            else:
                data[name] = text
                combined.append(label)
            continue
        if name in services.M2M_FIELDS:
            data.setlist(name, [str(pk) for pk in now])
        else:
            data[name] = "" if now is None else str(now)
        merged.append(label)
    return merged, combined, clashing


class ProposalTransitionView(PostOnlyMixin, ProposalObjectMixin, View):
    """POST-only status change; a GET never changes anything."""

    service = None
    success_message = ""

    def post(self, request, *args, **kwargs):
        try:
            proposal = type(self).service(
                proposal=self.proposal, acting_user=request.user
            )
        except services.TransitionNotAllowed as exc:
            messages.error(request, exc.message)
            return redirect(self.proposal)
        messages.success(
            request, self.success_message % {"reference": proposal.reference}
        )
        return redirect(proposal)


class ProposalSubmitView(ConfirmMixin, ProposalObjectMixin, View):
    """Submitting asks first: the commission is told and the atelier can no
    longer change the proposal."""

    permission_required = "ateliers.submit_proposal"
    view_permission = "ateliers.view_proposal"

    def confirmation(self):
        proposal = self.proposal
        names = {"reference": proposal.reference}
        return Confirmation(
            title=_("Submit %(reference)s to the commission?") % names,
            subject=f"{proposal.reference} · {proposal.title}",
            consequences=[
                _(
                    "The proposal %(reference)s will be sent to the commission; "
                    "its members are told by e-mail."
                )
                % names,
                _(
                    "You will no longer be able to change it: only the commission "
                    "can send it back to the atelier for changes, or decide it."
                ),
            ],
            button=_("Submit to the commission"),
            cancel_url=proposal.get_absolute_url(),
            breadcrumbs=[
                (proposal.atelier.name, proposal.atelier.get_absolute_url()),
                (proposal.reference, proposal.get_absolute_url()),
            ],
        )

    def stale(self):
        proposal = self.proposal
        if proposal.status in Proposal.EDITABLE_STATUSES:
            return None
        names = {
            "reference": proposal.reference,
            "status": proposal.get_status_display(),
        }
        if proposal.status == Proposal.Status.SUBMITTED:
            return (
                _(
                    "%(reference)s was already submitted to the commission: "
                    "nothing was done."
                )
                % names
            )
        return (
            _(
                "%(reference)s is “%(status)s” now and can no longer be "
                "submitted: nothing was done."
            )
            % names
        )

    def perform(self):
        try:
            proposal = services.proposal_submit(
                proposal=self.proposal, acting_user=self.request.user
            )
        except services.TransitionNotAllowed as exc:
            messages.error(self.request, exc.message)
            return redirect(self.proposal)
        messages.success(
            self.request,
            _("%(reference)s was submitted to the commission.")
            % {"reference": proposal.reference},
        )
        return redirect(proposal)


class ProposalWithdrawView(ProposalTransitionView):
    permission_required = "ateliers.withdraw_proposal"
    service = staticmethod(services.proposal_withdraw)
    success_message = _("%(reference)s was withdrawn.")


class ProposalSignalReadyView(PostOnlyMixin, ProposalObjectMixin, View):
    """« Prête à soumettre »: a member tells the co-animators the draft is ready."""

    permission_required = "ateliers.signal_ready_proposal"

    def post(self, request, *args, **kwargs):
        try:
            proposal = services.proposal_signal_ready(
                proposal=self.proposal, acting_user=request.user
            )
        except services.TransitionNotAllowed as exc:
            messages.error(request, exc.message)
            return redirect(self.proposal)
        except services.AlreadySignalled as exc:
            done = exc.proposal
            messages.info(
                request,
                _(
                    "%(reference)s was already signalled ready to submit by "
                    "%(person)s on %(date)s: the co-animators were told then."
                )
                % {
                    "reference": self.proposal.reference,
                    "person": done.ready_by or _("a former member"),
                    "date": date_format(
                        timezone.localtime(done.ready_at), "DATETIME_FORMAT"
                    ),
                },
            )
            return redirect(self.proposal)
        messages.success(
            request,
            _("%(reference)s is signalled ready to submit: its co-animators are told.")
            % {"reference": proposal.reference},
        )
        return redirect(proposal)


class ProposalCommentView(PostOnlyMixin, ProposalObjectMixin, View):
    permission_required = "ateliers.comment_proposal"

    def post(self, request, *args, **kwargs):
        form = CommentForm(request.POST)
        if form.is_valid():
            services.proposal_comment(
                proposal=self.proposal,
                author=request.user,
                body=form.cleaned_data["body"],
            )
            messages.success(request, _("Your comment was added."))
            return redirect(f"{self.proposal.get_absolute_url()}#comments")
        # Show the proposal again with the error next to the field and the text kept.
        view = ProposalDetailView()
        view.setup(request, *args, **kwargs)
        view.proposal = self.proposal
        context = view.get_context_data(comment_form=form)
        return render(request, view.template_name, context, status=400)


# --- Suggested changes ------------------------------------------------------------


class SuggestionCreateView(ProposalObjectMixin, TemplateView):
    """A commission delegate or a co-animator suggests an exact change to one
    text of the proposal: ``?champ=summary`` chooses the text and prefills it
    as it reads now; the POST records the suggestion for the atelier."""

    template_name = "ateliers/suggestion_form.html"
    permission_required = "ateliers.suggest_proposal"

    def get(self, request, *args, **kwargs):
        chooser = SuggestionFieldForm(request.GET or None)
        if not chooser.is_bound:
            return self.render_to_response(self.get_context_data(chooser=chooser))
        if not chooser.is_valid():
            return self.render_to_response(
                self.get_context_data(chooser=chooser), status=400
            )
        name = chooser.cleaned_data["champ"]
        form = SuggestionForm(
            field_name=name,
            initial={
                "field": name,
                "base_version": self.proposal.version,
                "text": getattr(self.proposal, name),
            },
        )
        return self.render_to_response(
            self.get_context_data(chooser=chooser, form=form, field_name=name)
        )

    def post(self, request, *args, **kwargs):
        name = request.POST.get("field")
        if name not in ProposalSuggestion.FIELDS:
            chooser = SuggestionFieldForm({"champ": name or ""})
            chooser.is_valid()
            return self.render_to_response(
                self.get_context_data(chooser=chooser), status=400
            )
        form = SuggestionForm(request.POST, field_name=name)
        if not form.is_valid():
            return self.invalid(form, name, status=400)
        data = form.cleaned_data
        try:
            suggestion = services.suggestion_create(
                proposal=self.proposal,
                author=request.user,
                field=name,
                text=data["text"],
                comment=data["comment"],
                base_version=data["base_version"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.invalid(form, name, status=400)
        except services.TransitionNotAllowed as exc:
            form.add_error(None, exc.message)
            return self.invalid(form, name, status=409)
        messages.success(
            request,
            _(
                "Your suggestion was sent to the atelier. It is shown on the "
                "proposal's page until the atelier accepts or declines it."
            ),
        )
        return redirect(suggestion.get_absolute_url())

    def invalid(self, form, name, status):
        chooser = SuggestionFieldForm({"champ": name})
        chooser.is_valid()
        return self.render_to_response(
            self.get_context_data(chooser=chooser, form=form, field_name=name),
            status=status,
        )

    def handle_no_permission(self):
        # The proposal was decided while this person was typing: the form again
        # with their text and the reason, rather than a bare refusal.
        user, proposal = self.request.user, getattr(self, "proposal", None)
        if (
            self.request.method == "POST"
            and proposal is not None
            and user.is_authenticated
            and self.request.POST.get("field") in ProposalSuggestion.FIELDS
            and user.has_perm("ateliers.view_proposal", proposal)
            and (
                is_commission_member(user)
                or coanimates_proposal_atelier(user, proposal)
            )
        ):
            name = self.request.POST["field"]
            form = SuggestionForm(self.request.POST, field_name=name)
            form.is_valid()
            form.add_error(
                None,
                services.TransitionNotAllowed(
                    proposal.status, AteliersVerb.SUGGESTION_MAKE
                ).message,
            )
            return self.invalid(form, name, status=409)
        return super().handle_no_permission()

    def get_context_data(self, **kwargs):
        name = kwargs.get("field_name")
        return super().get_context_data(
            proposal=self.proposal,
            field_label=services.field_label(name) if name else "",
            current_text=getattr(self.proposal, name) if name else "",
            **kwargs,
        )


class SuggestionObjectMixin(ProposalObjectMixin):
    """Loads ``self.suggestion`` of ``self.proposal``: 404 for a suggestion of
    another proposal, whoever asks, so that no id leaks from one to another."""

    def get_permission_object(self):
        proposal = super().get_permission_object()
        self.suggestion = get_object_or_404(
            ProposalSuggestion.objects.select_related("author__organisation"),
            pk=self.kwargs["suggestion_pk"],
            proposal_id=proposal.pk,
        )
        return proposal

    def back_to_proposal(self):
        return redirect(f"{self.proposal.get_absolute_url()}#suggestions")


class SuggestionAcceptView(PostOnlyMixin, SuggestionObjectMixin, View):
    permission_required = "ateliers.accept_suggestion"

    def post(self, request, *args, **kwargs):
        try:
            suggestion = services.suggestion_accept(
                suggestion=self.suggestion, acting_user=request.user
            )
        except (services.TransitionNotAllowed, services.SuggestionRefused) as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _(
                    "Suggestion of %(person)s accepted: the proposal is now at "
                    "version %(version)s, and its history credits them."
                )
                % {
                    "person": suggestion.author,
                    "version": suggestion.resulting_version,
                },
            )
        return self.back_to_proposal()


class SuggestionDeclineView(SuggestionObjectMixin, FormView):
    """The atelier declines a suggestion, saying why (its author is told)."""

    template_name = "ateliers/suggestion_decline.html"
    form_class = SuggestionDeclineForm
    permission_required = "ateliers.decline_suggestion"

    def get(self, request, *args, **kwargs):
        if not self.suggestion.is_open:
            messages.info(request, _("This suggestion was already decided."))
            return self.back_to_proposal()
        return super().get(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            services.suggestion_decline(
                suggestion=self.suggestion,
                acting_user=self.request.user,
                reason=form.cleaned_data["reason"],
            )
        except services.SuggestionRefused as exc:
            messages.error(self.request, exc.message)
        else:
            messages.success(
                self.request,
                _("Suggestion declined; %(person)s receives your reason by e-mail.")
                % {"person": self.suggestion.author},
            )
        return self.back_to_proposal()

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            proposal=self.proposal,
            change=suggested_change(self.suggestion, self.proposal),
            **kwargs,
        )


class ProposalHistoryView(ProposalObjectMixin, TemplateView):
    template_name = "ateliers/proposal_history.html"
    permission_required = "ateliers.view_proposal_history"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        revisions = list(
            self.proposal.revisions.select_related(
                "author__organisation", "suggested_by"
            ).order_by("-version")
        )
        by_version = {r.version: r for r in revisions}
        # Unbound, the form shows the comparison made by default below.
        initial = (
            {"old": revisions[1].version, "new": revisions[0].version}
            if len(revisions) >= 2
            else {}
        )
        form = RevisionCompareForm(
            self.request.GET or None, versions=list(by_version), initial=initial
        )
        old = new = None
        if form.is_bound and form.is_valid():
            old = by_version[form.cleaned_data["old"]]
            new = by_version[form.cleaned_data["new"]]
        elif len(revisions) >= 2:
            new, old = revisions[0], revisions[1]
        context.update(
            proposal=self.proposal,
            revisions=revisions,
            compare_form=form,
            old=old,
            new=new,
            changes=compare(old.snapshot, new.snapshot) if old and new else [],
            suggestions=selectors.suggestions_for_history(proposal=self.proposal),
        )
        return context


class ProposalListView(LoginRequiredMixin, TemplateView):
    """Every proposal the person may read, filtered, searched, sorted, paginated."""

    template_name = "ateliers/proposal_list.html"
    paginate_by = 25

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = ProposalFilterForm(self.request.GET or None)
        # A wrong value drops that filter only; its error shows next to it.
        form.is_valid()
        filters = form.cleaned_data if form.is_bound else {}
        every_status, proposals = selectors.search_proposals(
            user=self.request.user, filters=filters
        )
        counts = every_status.status_counts()
        page = Paginator(
            proposals.order_by(*form.ordering()), self.paginate_by
        ).get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            filter_form=form,
            page_obj=page,
            proposals=page.object_list,
            status_counts=[
                (value, label, counts.get(value, 0))
                for value, label in Proposal.Status.choices
            ],
            total=sum(counts.values()),
            query_string=query.urlencode(),
        )
        return context


# Lazy: the headers are in the language of the person exporting.
PROPOSAL_EXPORT_COLUMNS = (
    Column(_("Reference"), width=8),
    Column(_("Title"), width=40),
    Column(_("Atelier"), width=30),
    Column(_("Axis"), width=30),
    Column(_("Enjeu"), width=40),
    Column(_("Status"), width=14),
    Column(_("Priority"), width=10),
    Column(_("Summary"), width=60),
    Column(_("Description"), width=60),
    Column(_("Actions"), width=60),
    Column(_("Timetable"), width=30),
    Column(_("Means"), width=40),
    Column(_("Indicators"), width=40),
    Column(_("Lead organisation"), width=24),
    Column(_("Partner organisations"), width=30),
    Column(_("Territories"), width=30),
    Column(_("Authors"), width=30),
    Column(_("Created"), width=16),
    Column(_("Updated"), width=16),
    Column(_("Status changed"), width=16),
    Column(_("Version"), width=8),
)


class ProposalExportView(LoginRequiredMixin, TableExportMixin, View):
    """The proposals of the list, its search and filters applied, in the format
    its URL names (CSV, XLSX, ODS): one row a proposal, every field, only what
    the person may read (``visible_to``: partners get the validated ones).
    Refused with invalid filters, rather than quietly exporting everything."""

    def get(self, request, *args, **kwargs):
        self.filter_form = ProposalFilterForm(request.GET or None)
        if self.filter_form.is_bound and not self.filter_form.is_valid():
            return HttpResponseBadRequest(
                _("The filters are not valid: correct them on the proposals page."),
                content_type="text/plain; charset=utf-8",
            )
        return super().get(request, *args, **kwargs)

    def export_table(self) -> Table:
        form = self.filter_form
        filters = form.cleaned_data if form.is_bound else {}
        _every_status, proposals = selectors.search_proposals(
            user=self.request.user, filters=filters
        )
        proposals = selectors.proposals_for_export(proposals.order_by(*form.ordering()))
        return Table(
            title=_("Proposals"),
            columns=PROPOSAL_EXPORT_COLUMNS,
            rows=selectors.proposal_export_rows(proposals),
            filename=f"propositions-cucs-{timezone.localdate():%Y-%m-%d}",
        )


# --- The atelier workspace: running the atelier ----------------------------------


class AtelierMembersView(AtelierObjectMixin, FormView):
    """Co-animators add and remove volunteers; outside 3–4 the page warns."""

    template_name = "ateliers/atelier_members.html"
    form_class = MembershipAddForm
    permission_required = "ateliers.manage_atelier"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "atelier": self.atelier}

    def form_valid(self, form):
        try:
            membership = services.membership_add(
                atelier=self.atelier,
                user=form.cleaned_data["user"],
                acting_user=self.request.user,
            )
        except services.MembershipNotAllowed as exc:
            form.add_error("user", exc.message)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(person)s joined the atelier.") % {"person": membership.user},
        )
        warn_about_size(self.request, self.atelier)
        return redirect("ateliers:members", pk=self.atelier.pk)

    def get_context_data(self, **kwargs):
        atelier = selectors.split_people(selectors.atelier_detail(pk=self.atelier.pk))
        return super().get_context_data(
            atelier=atelier, size_warning=atelier.size_warning, **kwargs
        )


def warn_outside_period(request, session):
    """A session outside the atelier's period is allowed (an extra meeting, a
    late one) but probably a typing mistake: say so."""
    atelier = session.atelier
    day = timezone.localtime(session.starts_at).date()
    if not atelier.period_start <= day <= atelier.period_end:
        messages.warning(
            request,
            _(
                "This session is outside the atelier's period (%(start)s – "
                "%(end)s): check its date."
            )
            % {
                "start": date_format(atelier.period_start, "SHORT_DATE_FORMAT"),
                "end": date_format(atelier.period_end, "SHORT_DATE_FORMAT"),
            },
        )


def warn_about_size(request, atelier):
    low, high = Atelier.RECOMMENDED_MEMBERS
    count = services.volunteer_count(atelier)
    if not Atelier.is_recommended_size(count):
        messages.warning(
            request,
            _(
                "The atelier now has %(count)s volunteers; %(low)s to %(high)s are "
                "recommended."
            )
            % {"count": count, "low": low, "high": high},
        )


class MembershipRemoveView(
    PostOnlyMixin, LoginRequiredMixin, PermissionRequiredMixin, View
):
    permission_required = "ateliers.manage_atelier"

    def get_permission_object(self):
        self.membership = get_object_or_404(
            AtelierMembership.objects.select_related("atelier", "user"),
            pk=self.kwargs["membership_pk"],
            atelier_id=self.kwargs["pk"],
        )
        return self.membership.atelier

    def post(self, request, *args, **kwargs):
        try:
            services.membership_remove(
                membership=self.membership, acting_user=request.user
            )
        except services.MembershipNotAllowed as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("%(person)s left the atelier.") % {"person": self.membership.user},
            )
            warn_about_size(request, self.membership.atelier)
        return redirect("ateliers:members", pk=self.membership.atelier_id)


class SessionObjectMixin(LoginRequiredMixin, PermissionRequiredMixin):
    permission_required = "ateliers.manage_atelier"

    def get_permission_object(self):
        self.session = get_object_or_404(
            Session.objects.select_related("atelier__axis"),
            pk=self.kwargs["session_pk"],
            atelier_id=self.kwargs["pk"],
        )
        self.atelier = self.session.atelier
        return self.atelier


class SessionCreateView(AtelierObjectMixin, CreateView):
    model = Session
    form_class = SessionPlanForm
    template_name = "ateliers/session_form.html"
    permission_required = "ateliers.manage_atelier"

    def form_valid(self, form):
        form.instance.atelier = self.atelier
        services.session_save(session=form.instance, acting_user=self.request.user)
        messages.success(self.request, _("The session is planned."))
        warn_outside_period(self.request, form.instance)
        return redirect(f"{self.atelier.get_absolute_url()}#sessions")

    def get_context_data(self, **kwargs):
        return super().get_context_data(atelier=self.atelier, **kwargs)


class SessionUpdateView(SessionObjectMixin, UpdateView):
    form_class = SessionPlanForm
    template_name = "ateliers/session_form.html"

    def get_object(self, queryset=None):
        return self.session

    def form_valid(self, form):
        services.session_save(session=form.instance, acting_user=self.request.user)
        messages.success(self.request, _("The session was updated."))
        warn_outside_period(self.request, form.instance)
        return redirect(f"{self.atelier.get_absolute_url()}#sessions")

    def get_context_data(self, **kwargs):
        return super().get_context_data(atelier=self.atelier, **kwargs)


class SessionRecordView(SessionUpdateView):
    """After the meeting: who came, and the minutes (compte rendu)."""

    form_class = SessionRecordForm
    template_name = "ateliers/session_record.html"

    def form_valid(self, form):
        services.session_save(
            session=form.instance,
            acting_user=self.request.user,
            attendees=form.cleaned_data["attendees"],
        )
        messages.success(self.request, _("Attendance and minutes saved."))
        return redirect(f"{self.atelier.get_absolute_url()}#sessions")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            attachments=selectors.session_attachments([self.session])[self.session.pk],
            attachment_form=AttachmentForm(),
            **kwargs,
        )


class EnjeuxView(AtelierObjectMixin, FormView):
    """Co-animators define and order the enjeux of their axis."""

    template_name = "ateliers/atelier_enjeux.html"
    form_class = EnjeuForm
    permission_required = "ateliers.manage_atelier"

    def form_valid(self, form):
        services.enjeu_create(
            axis=self.atelier.axis,
            title=form.cleaned_data["title"],
            description=form.cleaned_data["description"],
            acting_user=self.request.user,
        )
        messages.success(self.request, _("The enjeu was added."))
        return redirect("ateliers:enjeux", pk=self.atelier.pk)

    def get_context_data(self, **kwargs):
        enjeux = self.atelier.axis.enjeux.annotate(proposal_count=Count("proposals"))
        return super().get_context_data(
            atelier=self.atelier, enjeux=enjeux.order_by("position"), **kwargs
        )


class EnjeuObjectMixin(LoginRequiredMixin, PermissionRequiredMixin):
    permission_required = "ateliers.manage_atelier"

    def get_permission_object(self):
        self.atelier = get_object_or_404(
            Atelier.objects.select_related("axis"), pk=self.kwargs["pk"]
        )
        self.enjeu = get_object_or_404(
            Enjeu, pk=self.kwargs["enjeu_pk"], axis_id=self.atelier.axis_id
        )
        return self.atelier


class EnjeuUpdateView(EnjeuObjectMixin, UpdateView):
    form_class = EnjeuForm
    template_name = "ateliers/enjeu_form.html"

    def get_object(self, queryset=None):
        return self.enjeu

    def form_valid(self, form):
        services.enjeu_update(
            enjeu=self.enjeu,
            title=form.cleaned_data["title"],
            description=form.cleaned_data["description"],
            acting_user=self.request.user,
        )
        messages.success(self.request, _("The enjeu was updated."))
        return redirect("ateliers:enjeux", pk=self.atelier.pk)

    def get_context_data(self, **kwargs):
        return super().get_context_data(atelier=self.atelier, **kwargs)


def _and_list(parts: list[str]) -> str:
    """« a, b et c »."""
    if len(parts) < 2:
        return "".join(parts)
    return _("%(first)s and %(last)s") % {
        "first": ", ".join(parts[:-1]),
        "last": parts[-1],
    }


class EnjeuMoveView(ConfirmMixin, EnjeuObjectMixin, View):
    """One click, unless a published edition printed proposals under the two
    enjeux it renumbers: then it asks first and names the references that
    change (cucs_portal.printed; referentiel answers)."""

    def offset(self) -> int:
        return -1 if self.kwargs["direction"] == "up" else 1

    def neighbour(self) -> Enjeu | None:
        """The enjeu this one swaps places with, or None at the end of the list."""
        if not hasattr(self, "_neighbour"):
            siblings = list(
                Enjeu.objects.filter(axis_id=self.enjeu.axis_id).order_by("position")
            )
            index = next(i for i, e in enumerate(siblings) if e.pk == self.enjeu.pk)
            target = index + self.offset()
            self._neighbour = siblings[target] if 0 <= target < len(siblings) else None
        return self._neighbour

    def printed(self):
        if not hasattr(self, "_printed"):
            other = self.neighbour()
            number = self.atelier.axis.number
            self._printed = renumbering_printed(
                {
                    self.enjeu.pk: f"{number}.{other.position}",
                    other.pk: f"{number}.{self.enjeu.position}",
                }
            )
        return self._printed

    def enjeux_url(self) -> str:
        return reverse("ateliers:enjeux", kwargs={"pk": self.atelier.pk})

    def stale_url(self) -> str:
        return f"{self.enjeux_url()}#enjeu-{self.enjeu.pk}"

    def stale(self):
        shown = self.request.POST.get("position")
        if shown is not None and shown != str(self.enjeu.position):
            return _(
                "The enjeux were reordered while this page was open: nothing was "
                "moved. Here is their order now."
            )
        if self.neighbour() is None:
            return _("This enjeu is already at the end of the list: nothing to move.")
        return None

    def needs_confirmation(self) -> bool:
        return bool(self.printed())

    def carried_fields(self):
        carried = [item for item in super().carried_fields() if item[0] != "position"]
        return [*carried, ("position", str(self.enjeu.position))]

    def confirmation(self):
        enjeu, other = self.enjeu, self.neighbour()
        number = self.atelier.axis.number
        consequences = [
            _(
                "The enjeu %(reference)s “%(title)s” will become %(new)s, and the "
                "enjeu %(other)s “%(other_title)s” will become %(reference)s; "
                "their proposals follow them on the portal."
            )
            % {
                "reference": enjeu.reference,
                "title": enjeu.title,
                "new": f"{number}.{other.position}",
                "other": other.reference,
                "other_title": other.title,
            }
        ]
        for document in self.printed():
            consequences.append(
                _(
                    "In the published edition %(document)s, %(headings)s; the "
                    "proposals %(items)s are printed under these enjeux, with "
                    "the numbers of the print."
                )
                % {
                    "document": document.document,
                    "headings": _and_list(
                        [
                            _("the enjeu %(printed)s will become %(new)s")
                            % {"printed": printed, "new": new}
                            for printed, new in document.headings
                        ]
                    ),
                    "items": ", ".join(document.items),
                }
            )
        if self.printed():
            consequences.append(
                _(
                    "A published edition does not change: its PDF keeps the "
                    "numbers it was printed with, which will then differ from "
                    "the portal's."
                )
            )
        return Confirmation(
            title=(
                _("Move the enjeu %(reference)s up?")
                if self.offset() < 0
                else _("Move the enjeu %(reference)s down?")
            )
            % {"reference": enjeu.reference},
            subject=f"{enjeu.reference} · {enjeu.title}",
            consequences=consequences,
            button=_("Move the enjeu"),
            cancel_url=self.stale_url(),
            breadcrumbs=[
                (self.atelier.name, self.atelier.get_absolute_url()),
                (_("Enjeux"), self.enjeux_url()),
            ],
            irreversible=False,
        )

    def perform(self):
        services.enjeu_move(
            enjeu=self.enjeu, offset=self.offset(), acting_user=self.request.user
        )
        # Back to the moved enjeu, so the person sees where it went.
        return redirect(self.stale_url())

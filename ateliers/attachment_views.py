"""Files attached to proposals (annexes, maps) and to atelier sessions (signed
attendance sheets, minutes): cucs_portal/attachments.py checks and serves them,
ateliers/rules.py says who reads, adds and removes them.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView
from rules.contrib.views import PermissionRequiredMixin

from cucs_portal.attachments import AttachmentForm, download_response
from cucs_portal.mixins import PostOnlyMixin
from cucs_portal.models import Attachment

from . import selectors, services
from .models import Proposal, Session


class ProposalMixin(LoginRequiredMixin, PermissionRequiredMixin):
    def get_permission_object(self):
        try:
            self.proposal = selectors.proposal_detail(pk=self.kwargs["pk"])
        except Proposal.DoesNotExist as exc:
            raise Http404 from exc
        return self.proposal

    def target(self):
        return self.proposal

    def done_url(self):
        return f"{self.proposal.get_absolute_url()}#attachments"


class SessionMixin(LoginRequiredMixin, PermissionRequiredMixin):
    def get_permission_object(self):
        self.session = get_object_or_404(
            Session.objects.select_related("atelier__axis"),
            pk=self.kwargs["session_pk"],
            atelier_id=self.kwargs["pk"],
        )
        self.atelier = self.session.atelier
        return self.atelier

    def target(self):
        return self.session

    def done_url(self):
        return f"{self.atelier.get_absolute_url()}#session-{self.session.pk}"


class AttachmentObjectMixin:
    """Loads ``self.attachment``, one of the target's files (404 otherwise: no
    id leaks from one object to another)."""

    def get_attachment(self):
        return get_object_or_404(
            Attachment.objects.for_object(self.target()),
            pk=self.kwargs["attachment_pk"],
        )


class AttachmentAddView(FormView):
    """The form to attach a file (also shown in the object's « Pièces jointes »
    block); a refused file comes back here, 400, with why."""

    template_name = "ateliers/attachment_form.html"
    form_class = AttachmentForm
    add = None  # the service

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def form_valid(self, form):
        checked = form.cleaned_data["file"]
        try:
            type(self).add(
                self.target(), checked=checked, acting_user=self.request.user
            )
        except services.AttachmentNotAllowed as exc:
            messages.error(self.request, exc.message)
        else:
            messages.success(
                self.request, _("“%(name)s” is attached.") % {"name": checked.name}
            )
        return redirect(self.done_url())

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            target=self.target(), done_url=self.done_url(), **kwargs
        )


class AttachmentDownloadView(AttachmentObjectMixin, View):
    def get(self, request, *args, **kwargs):
        return download_response(self.get_attachment())


class AttachmentRemoveView(PostOnlyMixin, AttachmentObjectMixin, View):
    remove = None  # the service

    def post(self, request, *args, **kwargs):
        attachment = self.get_attachment()
        try:
            type(self).remove(
                self.target(), attachment=attachment, acting_user=request.user
            )
        except services.AttachmentNotAllowed as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("“%(name)s” was removed.") % {"name": attachment.original_name},
            )
        return redirect(self.done_url())


def _proposal_add(proposal, **kwargs):
    return services.proposal_attachment_add(proposal=proposal, **kwargs)


def _proposal_remove(proposal, **kwargs):
    return services.proposal_attachment_remove(proposal=proposal, **kwargs)


def _session_add(session, **kwargs):
    return services.session_attachment_add(session=session, **kwargs)


def _session_remove(session, **kwargs):
    return services.session_attachment_remove(session=session, **kwargs)


class ProposalAttachmentAddView(ProposalMixin, AttachmentAddView):
    permission_required = "ateliers.attach_proposal"
    add = _proposal_add


class ProposalAttachmentDownloadView(ProposalMixin, AttachmentDownloadView):
    permission_required = "ateliers.view_proposal"


class ProposalAttachmentRemoveView(ProposalMixin, AttachmentRemoveView):
    permission_required = "ateliers.attach_proposal"
    remove = _proposal_remove


class SessionAttachmentAddView(SessionMixin, AttachmentAddView):
    permission_required = "ateliers.manage_atelier"
    add = _session_add


class SessionAttachmentDownloadView(SessionMixin, AttachmentDownloadView):
    permission_required = "ateliers.read_minutes"


class SessionAttachmentRemoveView(SessionMixin, AttachmentRemoveView):
    permission_required = "ateliers.manage_atelier"
    remove = _session_remove

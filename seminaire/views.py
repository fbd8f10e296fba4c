import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import FormView, TemplateView
from rules.contrib.views import PermissionRequiredMixin

from cucs_portal.documents.pdf import RenderError, render_pdf
from cucs_portal.exports import Table, export_response
from cucs_portal.mixins import PostOnlyMixin, VersionedEditMixin

from . import selectors, services
from .forms import EventForm, GuestFilterForm, ImportForm, InvitationForm, ReplyForm
from .models import Event, Invitation

PRINT_STYLESHEET = "css/seminaire-print.css"


class EventListView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    template_name = "seminaire/event_list.html"
    permission_required = "seminaire.view_event"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            events=list(selectors.events_overview()), **kwargs
        )


class EventObjectMixin(LoginRequiredMixin, PermissionRequiredMixin):
    """Loads ``self.event`` for the permission check (404 when missing)."""

    permission_required = "seminaire.view_event"

    def get_permission_object(self):
        try:
            self.event = selectors.event_detail(pk=self.kwargs["pk"])
        except Event.DoesNotExist as exc:
            raise Http404 from exc
        return self.event

    def guests_url(self):
        return self.event.get_absolute_url() + "#guests"


class EventPostOnlyMixin(PostOnlyMixin):
    """A POST-only action on an event: a GET gets the 405 page with a way back
    to the event."""

    def back_url(self):
        event = getattr(self, "event", None)
        return event.get_absolute_url() if event else reverse("seminaire:list")


class EventCreateView(LoginRequiredMixin, PermissionRequiredMixin, FormView):
    template_name = "seminaire/event_form.html"
    form_class = EventForm
    permission_required = "seminaire.add_event"

    def form_valid(self, form):
        event = services.event_create(user=self.request.user, data=form.cleaned_data)
        messages.success(
            self.request,
            _("The seminar was created. Now invite the guests."),
        )
        return redirect(event)


class EventUpdateView(VersionedEditMixin, EventObjectMixin, FormView):
    """Change the event. When someone else saved it meanwhile, the save is
    refused with a 409, the form keeps what this person typed and the page
    shows what is saved now."""

    template_name = "seminaire/event_form.html"
    form_class = EventForm
    permission_required = "seminaire.change_event"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.event}

    version_field = "version"

    def save_edit(self, form, base_version):
        return services.event_update(
            user=self.request.user,
            event=self.event,
            data=form.cleaned_data,
            base_version=base_version,
        )

    def saved_message(self, saved):
        return _("The seminar was saved.")

    def get_context_data(self, **kwargs):
        return super().get_context_data(event=self.event, **kwargs)


class EventDetailView(EventObjectMixin, TemplateView):
    template_name = "seminaire/event_detail.html"

    def get_context_data(self, **kwargs):
        event, user = self.event, self.request.user
        context = {
            "event": event,
            "own_invitation": selectors.own_invitation(event, user),
            "can_read_edition": event.edition_id
            and user.has_perm("referentiel.view_edition", event.edition),
        }
        if user.has_perm("seminaire.view_guests", event):
            filters = GuestFilterForm(self.request.GET or None)
            chosen = filters.cleaned_data if filters.is_valid() else {}
            invitations = selectors.guests(
                event,
                category=chosen.get("category", ""),
                reply=chosen.get("reply", ""),
                text=chosen.get("q", ""),
            )
            context.update(
                filters=filters,
                filtered=bool(
                    chosen.get("category") or chosen.get("reply") or chosen.get("q")
                ),
                groups=selectors.grouped(invitations),
                summary=selectors.reply_summary(event),
                to_send=event.invitations.to_send().count(),
                to_remind=event.invitations.to_remind().count(),
                waiting=selectors.waiting_emails(event),
            )
        return super().get_context_data(**context, **kwargs)


# --- Guests ------------------------------------------------------------------


class InvitationImportView(EventObjectMixin, FormView):
    template_name = "seminaire/invitation_import.html"
    form_class = ImportForm
    permission_required = "seminaire.manage_guests"

    def form_valid(self, form):
        result = services.invitations_import(
            user=self.request.user,
            event=self.event,
            organisations=form.cleaned_data["organisations"],
            kinds=form.cleaned_data["kinds"],
            people=form.cleaned_data["people"],
        )
        added, skipped = len(result.added), result.skipped
        if not added:
            messages.info(
                self.request,
                ngettext(
                    "Nobody new to invite: %(skipped)s person chosen, already invited.",
                    "Nobody new to invite: %(skipped)s people chosen, all already "
                    "invited.",
                    skipped,
                )
                % {"skipped": skipped},
            )
            return redirect(self.guests_url())
        text = ngettext(
            "%(added)s guest invited.", "%(added)s guests invited.", added
        ) % {"added": added}
        if skipped:
            text += " " + ngettext(
                "%(skipped)s person was already invited: their invitation is "
                "unchanged.",
                "%(skipped)s people were already invited: their invitations are "
                "unchanged.",
                skipped,
            ) % {"skipped": skipped}
        messages.success(self.request, text)
        return redirect(self.guests_url())

    def get_context_data(self, **kwargs):
        return super().get_context_data(event=self.event, **kwargs)


class InvitationCreateView(EventObjectMixin, FormView):
    template_name = "seminaire/invitation_form.html"
    form_class = InvitationForm
    permission_required = "seminaire.manage_guests"

    def form_valid(self, form):
        try:
            invitation = services.invitation_add(
                user=self.request.user, event=self.event, data=form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(name)s was added to the guests.") % {"name": invitation.full_name},
        )
        return redirect(self.guests_url())

    def get_context_data(self, **kwargs):
        return super().get_context_data(event=self.event, **kwargs)


class InvitationObjectMixin(EventObjectMixin):
    permission_required = "seminaire.manage_guests"

    def get_permission_object(self):
        event = super().get_permission_object()
        self.invitation = get_object_or_404(
            Invitation.objects.select_related("organisation", "user"),
            pk=self.kwargs["invitation_pk"],
            event=event,
        )
        return event


class InvitationUpdateView(VersionedEditMixin, InvitationObjectMixin, FormView):
    template_name = "seminaire/invitation_form.html"
    form_class = InvitationForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.invitation}

    version_field = "version"
    refusals = (ValidationError,)

    def save_edit(self, form, base_version):
        return services.invitation_update(
            user=self.request.user,
            invitation=self.invitation,
            data=form.cleaned_data,
            base_version=base_version,
        )

    def refused(self, form, exc):
        form.add_error(None, exc)
        return self.form_invalid(form)

    def saved_message(self, saved):
        return _("The invitation of %(name)s was saved.") % {"name": saved.full_name}

    def success_url_for(self, saved):
        return self.guests_url()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            event=self.event, invitation=self.invitation, **kwargs
        )


class InvitationRemoveView(EventPostOnlyMixin, InvitationObjectMixin, View):
    def post(self, request, *args, **kwargs):
        services.invitation_remove(user=request.user, invitation=self.invitation)
        messages.success(
            request,
            _("%(name)s is no longer invited.") % {"name": self.invitation.full_name},
        )
        return redirect(self.guests_url())


class SendingView(EventPostOnlyMixin, EventObjectMixin, View):
    """Queue the invitations or a reminder for the background worker, and say
    how many: the guest list then shows each guest's state."""

    permission_required = "seminaire.send_invitations"
    service = None

    def post(self, request, *args, **kwargs):
        try:
            queued = type(self).service(user=request.user, event=self.event)
        except services.RepliesClosed:
            messages.error(
                request,
                _(
                    "Replies to this seminar are closed: nothing was sent. "
                    "Record late replies by editing the invitations."
                ),
            )
            return redirect(self.guests_url())
        if not queued:
            messages.info(request, self.nothing_to_send())
        else:
            messages.success(request, self.queued_message(queued))
        return redirect(self.guests_url())


class InvitationsSendView(SendingView):
    service = staticmethod(services.invitations_send)

    def nothing_to_send(self):
        return _(
            "Every guest with an e-mail address has been sent the invitation or "
            "is about to be: nothing more was sent."
        )

    def queued_message(self, count):
        return ngettext(
            "%(count)s invitation will be sent in the next few seconds; the "
            "guest list shows each one’s state.",
            "%(count)s invitations will be sent in the next few seconds; the "
            "guest list shows each one’s state.",
            count,
        ) % {"count": count}


class InvitationsRemindView(SendingView):
    service = staticmethod(services.invitations_remind)

    def nothing_to_send(self):
        return _(
            "No guest invited by e-mail is still to reply, apart from those "
            "about to be reminded: no reminder was sent."
        )

    def queued_message(self, count):
        return ngettext(
            "%(count)s reminder will be sent in the next few seconds; the guest "
            "list shows each one’s state.",
            "%(count)s reminders will be sent in the next few seconds; the guest "
            "list shows each one’s state.",
            count,
        ) % {"count": count}


# --- Documents -----------------------------------------------------------------


def attendance_filename(event: Event, extension: str) -> str:
    day = timezone.localtime(event.starts_at)
    return f"seminaire-{day:%Y-%m-%d}-{event.pk}-{extension}"


class AttendancePdfView(EventObjectMixin, View):
    """The attendance sheet (feuille d'émargement) of the guests who accepted,
    rendered on the spot: a few pages, a few seconds."""

    permission_required = "seminaire.view_guests"

    def get(self, request, *args, **kwargs):
        with translation.override("fr"):
            html = render_to_string(
                "seminaire/attendance_print.html",
                {
                    "event": self.event,
                    "rows": selectors.attendance_list(self.event),
                    "printed_at": timezone.localtime(),
                },
            )
        with tempfile.TemporaryDirectory(prefix="cucs-seminaire-") as workdir:
            output = Path(workdir) / "emargement.pdf"
            try:
                render_pdf(html, output, stylesheet=PRINT_STYLESHEET, timeout=60)
            except RenderError as exc:
                messages.error(
                    request,
                    _("The attendance list could not be made: %(reason)s")
                    % {"reason": exc},
                )
                return redirect(self.guests_url())
            data = output.read_bytes()
        filename = attendance_filename(self.event, "emargement.pdf")
        return HttpResponse(
            data,
            content_type="application/pdf",
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )


class InvitationExportView(EventObjectMixin, View):
    """Every invitation and its reply, in the format its URL names
    (``export_format``: CSV, XLSX, ODS); with ``?list=attendance``, the
    attendance list (those who accepted, as on the PDF) to work on in a
    spreadsheet."""

    permission_required = "seminaire.view_guests"
    export_format = "csv"

    def get(self, request, *args, **kwargs):
        if request.GET.get("list") == "attendance":
            return self.attendance()
        header = [
            _("Category"),
            _("Name"),
            _("Job title"),
            _("Organisation"),
            _("E-mail address"),
            _("Reply"),
            _("Replied at"),
            _("Comment with the reply"),
            _("Invitation sent at"),
            _("Reminders sent"),
        ]

        rows = (
            [
                invitation.get_category_display(),
                invitation.full_name,
                invitation.job_title,
                invitation.organisation.name if invitation.organisation else "",
                invitation.email,
                invitation.get_reply_display(),
                invitation.replied_at,
                invitation.reply_comment,
                invitation.sent_at,
                invitation.reminder_count,
            ]
            for invitation in selectors.guests(self.event)
        )
        return export_response(
            Table(
                title=_("Guests"),
                columns=header,
                rows=rows,
                filename=attendance_filename(self.event, "invites"),
            ),
            self.export_format,
        )

    def attendance(self):
        header = [
            _("Category"),
            _("Name"),
            _("Job title"),
            _("Organisation"),
            _("E-mail address"),
            _("Comment with the reply"),
        ]
        rows = (
            [
                invitation.get_category_display(),
                invitation.full_name,
                invitation.job_title,
                invitation.organisation.name if invitation.organisation else "",
                invitation.email,
                invitation.reply_comment,
            ]
            for invitation in selectors.attendance_list(self.event)
        )
        return export_response(
            Table(
                title=_("Attendance list"),
                columns=header,
                rows=rows,
                filename=attendance_filename(self.event, "emargement"),
            ),
            self.export_format,
        )


# --- The guest's own reply -----------------------------------------------------


class ReplyView(View):
    """A guest's personal page, reached through the link of their e-mail: no
    account needed (elected officials and partners often have none). The key
    is 256 random bits; an unknown key is a 404."""

    template_name = "seminaire/reply.html"

    def dispatch(self, request, *args, **kwargs):
        self.invitation = (
            Invitation.objects.select_related("event__edition", "organisation")
            .filter(key=kwargs["key"])
            .first()
        )
        if self.invitation is None:
            # A mistyped or replaced link (the address was corrected and a new
            # link sent): say so to the guest, who has no account, and how to
            # reach the secretariat; nothing about any invitation.
            response = render(
                request,
                "seminaire/reply_unknown.html",
                {"contact": settings.SECRETARIAT_EMAIL},
                status=404,
            )
        else:
            response = super().dispatch(request, *args, **kwargs)
        # A personal page: never indexed, never cached by a shared proxy.
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Cache-Control"] = "private, no-store"
        return response

    def render_page(self, form, status=200):
        return render(
            self.request,
            self.template_name,
            {
                "invitation": self.invitation,
                "event": self.invitation.event,
                "form": form,
                "contact": settings.SECRETARIAT_EMAIL,
            },
            status=status,
        )

    def get(self, request, *args, **kwargs):
        return self.render_page(
            ReplyForm(initial={"comment": self.invitation.reply_comment})
        )

    def post(self, request, *args, **kwargs):
        form = ReplyForm(request.POST)
        if not form.is_valid():
            return self.render_page(form)
        url = reverse("seminaire:reply", kwargs={"key": self.invitation.key})
        try:
            invitation = services.invitation_reply(
                invitation=self.invitation,
                reply=form.cleaned_data["reply"],
                comment=form.cleaned_data["comment"],
            )
        except services.RepliesClosed:
            messages.error(
                request,
                _(
                    "Replies are closed: please contact the AMO2SM secretariat "
                    "to change yours."
                ),
            )
            return redirect(url)
        if invitation.reply == Invitation.Reply.ATTENDING:
            messages.success(request, _("Thank you: we look forward to seeing you."))
        else:
            messages.success(request, _("Thank you for letting us know."))
        return redirect(url)

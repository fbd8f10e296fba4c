import copy

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView, TemplateView
from rules.contrib.views import PermissionRequiredMixin

from audit.models import AuditEvent
from axes.models import Axis
from cucs_portal.attachments import AttachmentForm
from cucs_portal.mixins import (
    Confirmation,
    ConfirmMixin,
    PostOnlyMixin,
    VersionedEditMixin,
)
from cucs_portal.models import Attachment

from . import selectors, services
from .forms import LibraryFilterForm, ReturnForm, SheetForm
from .models import ExperienceSheet
from .verbs import CapitalisationVerb

Status = ExperienceSheet.Status


class LibraryView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    """The published sheets: searched, filtered, counted per axis, paginated."""

    template_name = "capitalisation/library.html"
    permission_required = "capitalisation.view_library"
    paginate_by = 12

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = LibraryFilterForm(self.request.GET or None)
        # A wrong value drops that filter only; its error shows next to it.
        form.is_valid()
        filters = form.cleaned_data if form.is_bound else {}
        every_axis, sheets = selectors.search_sheets(filters=filters)
        counts = selectors.axis_counts(every_axis)
        page = Paginator(sheets, self.paginate_by).get_page(
            self.request.GET.get("page")
        )
        text = (filters.get("q") or "").strip()
        cards = list(page.object_list)
        if text:
            for sheet in cards:
                sheet.snippet = (
                    selectors.tidy_headline(sheet)
                    if selectors.uses_full_text()
                    else selectors.fallback_snippet(sheet, text)
                )
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            filter_form=form,
            page_obj=page,
            sheets=cards,
            searched=text,
            filtered=any(filters.get(name) for name in ("territory", "organisation")),
            axis_counts=[
                (axis, counts.get(axis.pk, 0))
                for axis in Axis.objects.order_by("number")
            ],
            total=sum(counts.values()),
            current_axis=filters.get("axis"),
            query_string=query.urlencode(),
        )
        return context


class MySheetsView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    template_name = "capitalisation/my_sheets.html"
    permission_required = "capitalisation.add_sheet"

    def get_context_data(self, **kwargs):
        sheets = list(selectors.sheets_of(user=self.request.user))
        return super().get_context_data(
            in_progress=[s for s in sheets if s.status != Status.PUBLISHED],
            published=[s for s in sheets if s.status == Status.PUBLISHED],
            **kwargs,
        )


class ReviewQueueView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    template_name = "capitalisation/review_queue.html"
    permission_required = "capitalisation.review_sheets"

    def get_context_data(self, **kwargs):
        return super().get_context_data(sheets=list(selectors.review_queue()), **kwargs)


class SheetObjectMixin(LoginRequiredMixin, PermissionRequiredMixin):
    """Loads ``self.sheet`` for the permission check (404 when missing)."""

    def get_permission_object(self):
        try:
            self.sheet = selectors.sheet_detail(pk=self.kwargs["pk"])
        except ExperienceSheet.DoesNotExist as exc:
            raise Http404 from exc
        return self.sheet

    def back_url(self) -> str | None:
        sheet = getattr(self, "sheet", None)
        return sheet.get_absolute_url() if sheet else None


REVIEW_ACTIONS = [
    CapitalisationVerb.SHEET_SUBMIT,
    CapitalisationVerb.SHEET_PUBLISH,
    CapitalisationVerb.SHEET_RETURN,
]


class SheetDetailView(SheetObjectMixin, TemplateView):
    template_name = "capitalisation/sheet_detail.html"
    permission_required = "capitalisation.view_sheet"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        sheet, user = self.sheet, self.request.user
        context["sheet"] = sheet
        if user.has_perm("capitalisation.review_sheet", sheet):
            context.setdefault("return_form", ReturnForm())
        # Its photos, re-encoded without EXIF or GPS (capitalisation/photo_views.py).
        context["photos"] = list(
            Attachment.objects.for_object(sheet).select_related("uploaded_by")
        )
        if user.has_perm("capitalisation.change_sheet_photos", sheet):
            context["photo_form"] = AttachmentForm(images_only=True)
        # The review's steps, with the secretariat's comments: for those who
        # work on the sheet, not for every reader of the library.
        if sheet.author_id == user.pk or user.has_perm("capitalisation.review_sheets"):
            context["review_events"] = list(
                AuditEvent.for_object(sheet)
                .filter(action__in=REVIEW_ACTIONS)
                .select_related("actor", "actor_organisation")
                .order_by("created_at", "pk")
            )
        return context


class SheetCreateView(LoginRequiredMixin, PermissionRequiredMixin, FormView):
    template_name = "capitalisation/sheet_form.html"
    form_class = SheetForm
    permission_required = "capitalisation.add_sheet"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        user = self.request.user
        initial = super().get_initial()
        if user.organisation_id:
            initial["organisation"] = user.organisation_id
        initial["contact_name"] = user.get_full_name()
        initial["contact_email"] = user.email
        return initial

    def form_valid(self, form):
        sheet = services.sheet_create(author=self.request.user, data=form.cleaned_data)
        messages.success(
            self.request,
            _(
                "Draft saved. Only you, your colleagues and the secretariat can read "
                "it until you send it for review."
            ),
        )
        return redirect(sheet)


class SheetUpdateView(VersionedEditMixin, SheetObjectMixin, FormView):
    """Edit a sheet. When someone else saved it in the meantime, the save is
    refused, the form keeps what this person typed, and the page shows the
    saved text of the fields that differ, so that the two can be merged."""

    template_name = "capitalisation/sheet_form.html"
    form_class = SheetForm
    permission_required = "capitalisation.change_sheet"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        # A copy: an invalid form writes what was typed onto its instance, and
        # the page's heading and breadcrumb show the saved sheet.
        kwargs["instance"] = copy.copy(self.sheet)
        kwargs["user"] = self.request.user
        if self.request.method == "GET":
            kwargs["initial"] = {"base_version": self.sheet.version}
        return kwargs

    refusals = (services.TransitionNotAllowed,)

    def save_edit(self, form, base_version):
        # The service reloads the row under lock: nothing is saved from the
        # form's instance.
        return services.sheet_update(
            sheet=self.sheet,
            editor=self.request.user,
            data=form.cleaned_data,
            base_version=base_version,
        )

    def refused(self, form, exc):
        return self.no_longer_editable(form)

    def saved_message(self, saved):
        return _("Changes saved.")

    def handle_no_permission(self):
        # The sheet left this person's hands while they were typing (sent for
        # review from another tab, published): show their text again rather
        # than a bare refusal.
        user = self.request.user
        if (
            self.request.method == "POST"
            and user.is_authenticated
            and user.has_perm("capitalisation.view_sheet", self.sheet)
            and (
                self.sheet.author_id == user.pk
                # A draft never was the secretariat's to edit.
                or (
                    user.has_perm("capitalisation.review_sheets")
                    and self.sheet.status != Status.DRAFT
                )
            )
        ):
            form = self.get_form()
            form.is_valid()
            return self.no_longer_editable(form)
        return super().handle_no_permission()

    def no_longer_editable(self, form):
        # The form wrote the typed values onto self.sheet: show the saved one.
        self.sheet = selectors.sheet_detail(pk=self.sheet.pk)
        form.add_error(
            None,
            _(
                "This sheet is now “%(status)s” and you can no longer edit it. "
                "Your text is below: copy what you want to keep."
            )
            % {"status": self.sheet.get_status_display()},
        )
        return self.render_to_response(
            self.get_context_data(form=form, read_only=True), status=409
        )

    def conflict(self, form, conflict):
        current = self.sheet = selectors.sheet_detail(pk=conflict.current.pk)
        theirs = SheetForm(instance=current)
        differing = []
        for name in services.EDITABLE_FIELDS:
            saved = theirs[name].value()
            mine = form.cleaned_data.get(name)
            if name in services.M2M_FIELDS:
                same = {obj.pk for obj in mine or []} == set(saved or [])
                shown = ", ".join(str(obj) for obj in getattr(current, name).all())
            else:
                same = (getattr(mine, "pk", mine) or "") == (saved or "")
                shown = str(getattr(current, name) or "")
            if not same:
                differing.append((form.fields[name].label, shown))
        last_change = (
            AuditEvent.for_object(current)
            .select_related("actor")
            .order_by("-created_at", "-pk")
            .first()
        )
        return self.conflict_response(
            form,
            current,
            conflict=True,
            conflict_fields=differing,
            last_change=last_change,
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(sheet=self.sheet, **kwargs)


class SheetTransitionView(PostOnlyMixin, SheetObjectMixin, View):
    """POST-only status change; a GET never changes anything."""

    service = None
    success_message = ""

    def post(self, request, *args, **kwargs):
        try:
            sheet = type(self).service(sheet=self.sheet, acting_user=request.user)
        except services.TransitionNotAllowed as exc:
            messages.error(request, exc.message)
            return redirect(self.sheet)
        messages.success(request, self.success_message)
        return redirect(self.next_url(sheet))

    def next_url(self, sheet):
        return sheet.get_absolute_url()


class SheetSubmitView(SheetTransitionView):
    permission_required = "capitalisation.submit_sheet"
    service = staticmethod(services.sheet_submit)
    success_message = _(
        "The sheet was sent to the secretariat for review. You will receive an "
        "e-mail once it is published or if it is returned to you."
    )


class SheetPublishView(ConfirmMixin, SheetObjectMixin, View):
    """Publishing a sheet asks first: everyone reads it from then on."""

    permission_required = "capitalisation.review_sheet"
    view_permission = "capitalisation.view_sheet"

    def confirmation(self):
        sheet = self.sheet
        return Confirmation(
            title=_("Publish the sheet “%(title)s”?") % {"title": sheet.title},
            subject=sheet.title,
            consequences=[
                _(
                    "The sheet will be in the library: everyone signed in reads "
                    "it, partners included."
                ),
                _("Its author, %(author)s, is told by e-mail.")
                % {"author": sheet.author or _("a former member")},
                _(
                    "It can no longer be returned to its author; its author can "
                    "still correct it, and the changes show at once."
                ),
            ],
            button=_("Publish the sheet"),
            cancel_url=sheet.get_absolute_url(),
            breadcrumbs=[
                (_("Experience library"), reverse("capitalisation:library")),
                (sheet.title, sheet.get_absolute_url()),
            ],
        )

    def stale(self):
        sheet = self.sheet
        if sheet.status == ExperienceSheet.Status.SUBMITTED:
            return None
        if sheet.status == ExperienceSheet.Status.PUBLISHED:
            return _("This sheet is already published: nothing was done.")
        return _(
            "This sheet is “%(status)s” now, no longer waiting for review: "
            "nothing was done."
        ) % {"status": sheet.get_status_display()}

    def perform(self):
        try:
            services.sheet_publish(sheet=self.sheet, acting_user=self.request.user)
        except services.TransitionNotAllowed as exc:
            messages.error(self.request, exc.message)
            return redirect(self.sheet)
        messages.success(
            self.request, _("The sheet is published: everyone can now read it.")
        )
        return redirect(self.sheet)


class SheetReturnView(PostOnlyMixin, SheetObjectMixin, View):
    permission_required = "capitalisation.review_sheet"

    def post(self, request, *args, **kwargs):
        form = ReturnForm(request.POST)
        if form.is_valid():
            try:
                services.sheet_return(
                    sheet=self.sheet,
                    acting_user=request.user,
                    comment=form.cleaned_data["comment"],
                )
            except services.TransitionNotAllowed as exc:
                messages.error(request, exc.message)
                return redirect(self.sheet)
            messages.success(
                request, _("The sheet was returned to its author with your comment.")
            )
            return redirect("capitalisation:review_queue")
        # The sheet again, the error next to the comment and the text kept.
        view = SheetDetailView()
        view.setup(request, *args, **kwargs)
        view.sheet = self.sheet
        context = view.get_context_data(return_form=form)
        return render(request, view.template_name, context, status=400)

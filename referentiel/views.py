from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Count, F, Q, Sum
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views import View
from django.views.generic import FormView, TemplateView
from rules.contrib.views import PermissionRequiredMixin

from ateliers.models import Proposal
from cucs_portal.mixins import (
    Confirmation,
    ConfirmMixin,
    PostOnlyMixin,
    VersionedEditMixin,
)

from . import content as edition_content
from . import formats as editable
from . import selectors, services
from .forms import (
    AnswerForm,
    CommentForm,
    CompareForm,
    EditionForm,
    PublishForm,
    ReviewForm,
    ShareLinkForm,
)
from .models import Edition, Rendition, Review, ReviewComment, ShareLink
from .pdf import render_document_html


def editions_visible_to(user):
    # A rendition's content is the whole document: never needed on a page.
    editions = Edition.objects.select_related(
        "rendition", "created_by", "published_by", "based_on"
    ).defer("rendition__content", "based_on__snapshot")
    if user.has_perm("referentiel.view_edition", Edition(status="draft")):
        return editions
    return editions.filter(status=Edition.Status.PUBLISHED)


def pdf_filename(edition, extension: str = "pdf") -> str:
    day = edition.event_date or timezone.localdate()
    state = "" if edition.is_published else "-brouillon"
    return f"referentiel-cucs-{day:%Y-%m-%d}-edition-{edition.pk}{state}.{extension}"


def default_comparison(editions) -> dict:
    """What to compare first: the newest draft against the latest published
    edition, or else the two latest published editions."""
    published = sorted(
        (e for e in editions if e.is_published), key=lambda e: e.published_at
    )
    drafts = sorted((e for e in editions if e.is_draft), key=lambda e: e.created_at)
    if published and drafts:
        return {"old": published[-1].pk, "new": drafts[-1].pk}
    if len(published) > 1:
        return {"old": published[-2].pk, "new": published[-1].pk}
    return {}


class EditionObjectMixin(LoginRequiredMixin, PermissionRequiredMixin):
    permission_required = "referentiel.view_edition"

    def get_permission_object(self):
        self.edition = get_object_or_404(
            Edition.objects.select_related("rendition", "based_on").defer(
                "rendition__content", "based_on__snapshot"
            ),
            pk=self.kwargs["pk"],
        )
        return self.edition


class EditionListView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    template_name = "referentiel/edition_list.html"
    permission_required = "referentiel.view_edition_list"

    def get_context_data(self, **kwargs):
        editions = list(
            editions_visible_to(self.request.user)
            .annotate(
                share_downloads=Sum("share_links__download_count"),
                active_links=Count(
                    "share_links",
                    filter=Q(share_links__revoked_at__isnull=True)
                    & (
                        Q(share_links__expires_at__isnull=True)
                        | Q(share_links__expires_at__gt=timezone.now())
                    ),
                ),
            )
            # An aggregate drops the model's default ordering: newest first.
            .order_by("-event_date", "-created_at")
        )
        for edition in editions:
            edition.total_downloads = edition.download_count + (
                edition.share_downloads or 0
            )
        # What changed from one published edition to the next, oldest first.
        published = sorted(
            (e for e in editions if e.is_published), key=lambda e: e.published_at
        )
        previous = None
        for edition in published:
            edition.proposal_total = edition_content.proposal_count(edition.snapshot)
            edition.previous = previous
            edition.changes = (
                edition_content.compare(previous.snapshot, edition.snapshot)
                if previous
                else None
            )
            previous = edition
        compare_form = CompareForm(
            editions=editions_visible_to(self.request.user),
            initial=default_comparison(editions),
        )
        return super().get_context_data(
            editions=editions, compare_form=compare_form, **kwargs
        )


class EditionCreateView(LoginRequiredMixin, PermissionRequiredMixin, FormView):
    template_name = "referentiel/edition_form.html"
    form_class = EditionForm
    permission_required = "referentiel.add_edition"

    def form_valid(self, form):
        edition = services.edition_create(
            user=self.request.user, data=form.cleaned_data
        )
        messages.success(
            self.request,
            _(
                "The edition was created with every validated proposal. Leave "
                "out or reorder proposals below, then preview it."
            ),
        )
        return redirect(edition)


class EditionUpdateView(VersionedEditMixin, EditionObjectMixin, FormView):
    template_name = "referentiel/edition_form.html"
    form_class = EditionForm
    permission_required = "referentiel.change_edition"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.edition}

    # Nothing is lost in a conflict: the form keeps this person's text, the
    # page shows what the other person saved; saving again overwrites it
    # knowingly.
    version_field = "version"
    refusals = (services.EditionNotDraft,)
    say_when_unchanged = False

    def save_edit(self, form, base_version):
        return services.edition_update(
            user=self.request.user,
            edition=self.edition,
            data=form.cleaned_data,
            base_version=base_version,
        )

    def refused(self, form, exc):
        messages.error(self.request, exc.message)
        return redirect(self.edition)

    def saved_message(self, saved):
        return _("The edition was saved.")

    def success_url_for(self, saved):
        return self.edition

    def get_context_data(self, **kwargs):
        return super().get_context_data(edition=self.edition, **kwargs)


class EditionDetailView(EditionObjectMixin, TemplateView):
    template_name = "referentiel/edition_detail.html"

    def get_context_data(self, **kwargs):
        edition = self.edition
        user = self.request.user
        context = {
            "edition": edition,
            "pdf_state": rendition_state(edition, edition.rendition),
        }
        if edition.is_draft:
            rows = edition_content.proposals_in_order(edition)
            groups = []
            for proposal, entry in rows:
                if not groups or groups[-1]["enjeu"] != proposal.enjeu:
                    groups.append(
                        {
                            "axis": proposal.atelier.axis,
                            "enjeu": proposal.enjeu,
                            "rows": [],
                        }
                    )
                groups[-1]["rows"].append(
                    {
                        "proposal": proposal,
                        "included": entry is None or entry.included,
                    }
                )
            for group in groups:
                group["rows"][0]["first"] = True
                group["rows"][-1]["last"] = True
            context["groups"] = groups
            context["included_count"] = sum(
                row["included"] for g in groups for row in g["rows"]
            )
            context["excluded_count"] = (
                sum(len(g["rows"]) for g in groups) - context["included_count"]
            )
            # Assembled again only to compare with a PDF that exists.
            context["pdf_is_current"] = bool(
                edition.rendition
                and edition.rendition.content_hash
                == edition_content.content_hash(
                    edition_content.document_content(edition)
                )
            )
        else:
            context["snapshot_axes"] = edition.snapshot["axes"]
            context["included_count"] = edition_content.proposal_count(edition.snapshot)
            context["pdf_is_current"] = True
            context["content_sha256"] = edition_content.frozen_sha256(edition.snapshot)
        if user.has_perm("referentiel.view_share_links"):
            context["share_links"] = list(
                edition.share_links.select_related("created_by", "revoked_by")
            )
            for link in context["share_links"]:
                link.full_url = self.request.build_absolute_uri(link.get_absolute_url())
            context["share_form"] = kwargs.pop("share_form", None) or ShareLinkForm()
        context.update(review_context(user, edition))
        return super().get_context_data(**context, **kwargs)


def review_context(user, edition) -> dict:
    """The edition's review as its page and its preview show it: the latest
    review, whether this person may comment now, and the open comments they
    read."""
    review = selectors.current_review(edition)
    context = {
        "review": review,
        "open_comment_count": 0,
        "can_comment_now": False,
        "can_read_comments": False,
    }
    if review is None:
        return context
    if user.has_perm("referentiel.view_review_comments", edition):
        context["can_read_comments"] = True
        context["open_comment_count"] = selectors.open_count(
            selectors.comments_visible_to(user, edition)
        )
    context["can_comment_now"] = bool(
        review.is_open
        and edition.is_draft
        and user.has_perm("referentiel.comment_edition", edition)
    )
    return context


class EditionPreviewView(EditionObjectMixin, View):
    def get(self, request, *args, **kwargs):
        edition = self.edition
        # The comment buttons come with the preview's template only: the PDF's
        # (document.html alone) never has them.
        extra = {"preview_of": edition, **review_context(request.user, edition)}
        if extra["can_comment_now"]:
            extra["comment_url"] = reverse(
                "referentiel:comment_create", kwargs={"pk": edition.pk}
            )
        html = render_document_html(
            edition_content.document_content(edition),
            for_print=False,
            extra=extra,
            template="referentiel/preview.html",
        )
        return HttpResponse(html)


class EditionEntryView(PostOnlyMixin, EditionObjectMixin, View):
    """Leave a proposal out, put it back, or move it up or down in its enjeu."""

    permission_required = "referentiel.change_edition"
    actions = {"include", "exclude", "up", "down"}

    def post(self, request, *args, **kwargs):
        proposal = get_object_or_404(
            Proposal.objects.validated().select_related("atelier__axis"),
            pk=kwargs["proposal_pk"],
        )
        action = request.POST.get("action")
        if action not in self.actions:
            messages.error(request, _("This action is not known; nothing changed."))
            return redirect(self.edition)
        try:
            if action in ("include", "exclude"):
                services.entry_set_included(
                    user=request.user,
                    edition=self.edition,
                    proposal=proposal,
                    included=action == "include",
                )
            else:
                services.entry_move(
                    user=request.user,
                    edition=self.edition,
                    proposal=proposal,
                    offset=-1 if action == "up" else 1,
                )
        except services.EditionNotDraft as exc:
            messages.error(request, exc.message)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(f"{self.edition.get_absolute_url()}#proposition-{proposal.pk}")


class EditionPublishView(ConfirmMixin, EditionObjectMixin, View):
    """A page that says what publishing does, then the POST that does it."""

    permission_required = "referentiel.publish_edition"
    view_permission = "referentiel.view_edition"

    def confirmation(self):
        edition = self.edition
        content = edition_content.assemble(edition)
        total = edition_content.proposal_count(content)
        excluded = edition.entries.filter(
            included=False, proposal__status=Proposal.Status.VALIDATED
        ).count()
        frozen = ngettext(
            "The edition is frozen as it is now, with its %(count)s proposal: "
            "later changes to the proposals will not alter it.",
            "The edition is frozen as it is now, with its %(count)s proposals: "
            "later changes to the proposals will not alter it.",
            total,
        ) % {"count": total}
        if excluded:
            frozen += " " + ngettext(
                "The %(count)s proposal you left out will not be in it.",
                "The %(count)s proposals you left out will not be in it.",
                excluded,
            ) % {"count": excluded}
        form = self.form if hasattr(self, "form") else self.publish_form()
        return Confirmation(
            title=_("Publish the edition “%(title)s”?") % {"title": edition.title},
            subject=edition.title,
            consequences=[
                frozen,
                _(
                    "Its title, date, place, introduction and choice of proposals "
                    "can no longer be edited; to change them, start a new edition "
                    "from it."
                ),
                _("Its final PDF is made and kept with its SHA-256 fingerprint."),
                _(
                    "Partners with an account find it on the portal, and you can "
                    "create share links for the others."
                ),
            ],
            button=_("Publish the edition"),
            cancel_url=edition.get_absolute_url(),
            breadcrumbs=[
                (
                    pgettext(
                        "navigation: the editions of the référentiel", "Référentiel"
                    ),
                    reverse("referentiel:list"),
                ),
                (edition.title, edition.get_absolute_url()),
            ],
            details_template="referentiel/includes/publish_details.html",
            stylesheets=["css/referentiel-editions.css"],
            form=form,
            blocked=""
            if total
            else _(
                "This edition holds no proposal: there is nothing to publish yet. "
                "Put back proposals that were left out, or wait until the "
                "commission validates some."
            ),
            extra={
                "edition": edition,
                "proposal_total": total,
                "excluded_total": excluded,
            },
        )

    def publish_form(self, data=None):
        return PublishForm(
            data,
            open_count=selectors.open_comments_of(self.edition).count(),
        )

    def stale(self):
        if self.edition.is_published:
            return _("This edition is already published.")
        return None

    def post(self, request, *args, **kwargs):
        reason = self.stale()
        if reason:
            return self.stale_response(reason)
        self.form = self.publish_form(request.POST if self.is_confirmed() else None)
        if not self.is_confirmed():
            return self.confirm_response()
        if not self.form.is_valid():
            return self.confirm_response(status=400)
        return self.perform()

    def perform(self):
        request = self.request
        try:
            edition = services.edition_publish(
                user=request.user,
                edition=self.edition,
                open_comments_accepted=self.form.accepted,
            )
        except services.EditionNotDraft as exc:
            messages.info(request, exc.message)
            return redirect(self.edition)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(self.edition)
        messages.success(
            request,
            _(
                "The edition is published: its content is frozen. Its PDF is being "
                "made; create share links for the partners below."
            ),
        )
        return redirect(edition)


class EditionStartFromView(PostOnlyMixin, EditionObjectMixin, View):
    permission_required = "referentiel.add_edition"

    def post(self, request, *args, **kwargs):
        edition = services.edition_start_from(user=request.user, source=self.edition)
        messages.success(
            request,
            _(
                "A new draft edition starts from “%(title)s”, with its choices of "
                "proposals. Proposals validated since are included."
            )
            % {"title": self.edition.title},
        )
        return redirect(edition)


class EditionExportView(PostOnlyMixin, EditionObjectMixin, View):
    permission_required = "referentiel.export_edition"

    def post(self, request, *args, **kwargs):
        rendition = services.edition_export(user=request.user, edition=self.edition)
        if rendition.is_done:
            messages.success(
                request, _("This content was already rendered: the PDF is ready.")
            )
        return redirect(f"{self.edition.get_absolute_url()}#pdf")


def rendition_state(edition, rendition) -> dict:
    """The state of an edition's PDF for people: the detail page shows it and
    the page's script follows it (JSON) without a reload."""
    if rendition is None:
        return {"status": "none", "message": _("No PDF has been made yet.")}
    state = {
        "status": rendition.status,
        "stage": rendition.stage,
        "status_label": str(rendition.get_status_display()),
    }
    if rendition.is_done:
        size = filesizeformat(rendition.size_bytes)
        state.update(
            download_url=reverse("referentiel:pdf", kwargs={"pk": edition.pk}),
            pages=rendition.page_count,
            size=size,
            sha256=rendition.sha256,
            message=ngettext(
                "The PDF is ready: %(pages)s page, %(size)s.",
                "The PDF is ready: %(pages)s pages, %(size)s.",
                rendition.page_count,
            )
            % {"pages": rendition.page_count, "size": size},
        )
    elif services.rendition_is_interrupted(rendition):
        # The worker died mid-way: for the page the render has failed, and
        # may be made again at once.
        state.update(status=Rendition.Status.FAILED, stale=True, interrupted=True)
        state["message"] = _(
            "The rendering was interrupted: the background worker stopped while "
            "making this PDF. Try again; if it happens again, tell the portal’s "
            "administrator."
        )
    elif services.rendition_is_stale(rendition):
        state["stale"] = True
        state["message"] = _(
            "This PDF has been waiting for a long time: the background worker "
            "may be stopped. Try again, or tell the portal’s administrator."
        )
    elif rendition.status == Rendition.Status.FAILED:
        state["message"] = _("The PDF could not be made: %(error)s") % {
            "error": rendition.error or _("no reason was given.")
        }
    elif rendition.status == Rendition.Status.QUEUED:
        state["message"] = _(
            "Waiting to be made: this usually starts within a few seconds. If "
            "nothing happens for several minutes, tell the portal’s administrator."
        )
    else:
        state["message"] = f"{rendition.get_stage_display()}…"
    return state


class EditionPdfStatusView(EditionObjectMixin, View):
    """The state of the edition's PDF, for the page to follow without a reload."""

    def get(self, request, *args, **kwargs):
        rendition = self.edition.rendition
        if rendition is not None:
            rendition = (
                Rendition.objects.defer("content").filter(pk=rendition.pk).first()
            )
        response = JsonResponse(rendition_state(self.edition, rendition))
        response["Cache-Control"] = "no-store"
        return response


def pdf_response(edition, rendition) -> FileResponse:
    if rendition is None or not rendition.is_done:
        raise Http404(_("This PDF is not ready."))
    response = FileResponse(
        rendition.file.open("rb"),
        as_attachment=True,
        filename=pdf_filename(edition),
        content_type="application/pdf",
    )
    response["X-Content-SHA256"] = rendition.sha256
    response["Cache-Control"] = "private, no-cache"
    return response


class EditionPdfView(EditionObjectMixin, View):
    permission_required = "referentiel.download_edition"

    def get(self, request, *args, **kwargs):
        response = pdf_response(self.edition, self.edition.rendition)
        if self.edition.is_published:
            Edition.objects.filter(pk=self.edition.pk).update(
                download_count=F("download_count") + 1
            )
        return response


def editable_response(edition, fmt: str) -> HttpResponse:
    """The ODT or DOCX of an edition: a published one's kept file (made on
    the first request), a draft's made now from its current content."""
    content_type = editable.CONTENT_TYPES[fmt]
    if edition.is_published:
        kept = services.edition_file(edition, fmt)
        response = FileResponse(
            kept.file.open("rb"),
            as_attachment=True,
            filename=pdf_filename(edition, fmt),
            content_type=content_type,
        )
        response["X-Content-SHA256"] = kept.sha256
    else:
        response = HttpResponse(
            services.draft_document(edition, fmt), content_type=content_type
        )
        response["Content-Disposition"] = (
            f'attachment; filename="{pdf_filename(edition, fmt)}"'
        )
    response["Cache-Control"] = "private, no-cache"
    response["X-Content-Type-Options"] = "nosniff"
    return response


class EditionEditableView(EditionObjectMixin, View):
    """The edition as ODT or DOCX (``fmt`` in the URL's keyword arguments),
    with the PDF's permission and counted as its downloads are."""

    permission_required = "referentiel.download_edition"
    fmt = None

    def get(self, request, *args, **kwargs):
        response = editable_response(self.edition, self.fmt)
        if self.edition.is_published:
            Edition.objects.filter(pk=self.edition.pk).update(
                download_count=F("download_count") + 1
            )
        return response


class EditionContentView(EditionObjectMixin, View):
    """The frozen content of a published edition, as the JSON whose SHA-256
    its PDF's colophon prints: anyone holding the PDF can check it was made
    from this content, unchanged (``sha256sum``). A draft has none."""

    permission_required = "referentiel.download_edition"

    def get(self, request, *args, **kwargs):
        if not self.edition.is_published:
            raise Http404
        response = HttpResponse(
            edition_content.canonical_json(self.edition.snapshot),
            content_type="application/json; charset=utf-8",
        )
        name = f"referentiel-edition-{self.edition.pk}-contenu.json"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class EditionCompareView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    template_name = "referentiel/edition_compare.html"
    permission_required = "referentiel.view_edition_list"

    def get_context_data(self, **kwargs):
        editions = editions_visible_to(self.request.user)
        form = CompareForm(
            self.request.GET or None,
            editions=editions,
            initial=default_comparison(list(editions)),
        )
        changes = None
        if form.is_bound and form.is_valid():
            old, new = form.cleaned_data["old"], form.cleaned_data["new"]
            changes = edition_content.compare(
                edition_content.content_of(old), edition_content.content_of(new)
            )
        return super().get_context_data(form=form, changes=changes, **kwargs)


class ShareLinkCreateView(PostOnlyMixin, EditionObjectMixin, View):
    permission_required = "referentiel.manage_share_links"

    def post(self, request, *args, **kwargs):
        form = ShareLinkForm(request.POST)
        if not form.is_valid():
            view = EditionDetailView()
            view.setup(request, *args, **kwargs)
            view.edition = self.edition
            context = view.get_context_data(share_form=form)
            return render(request, view.template_name, context, status=400)
        try:
            link = services.share_link_create(
                user=request.user,
                edition=self.edition,
                label=form.cleaned_data["label"],
                expires_at=form.expires_at,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(self.edition)
        messages.success(
            request,
            _("The link for “%(label)s” is ready: copy it from the list below.")
            % {"label": link.label},
        )
        return redirect(f"{self.edition.get_absolute_url()}#share-links")


class ShareLinkRevokeView(
    PostOnlyMixin, LoginRequiredMixin, PermissionRequiredMixin, View
):
    permission_required = "referentiel.view_share_links"

    def get_permission_object(self):
        self.link = get_object_or_404(
            ShareLink.objects.select_related("edition"), pk=self.kwargs["pk"]
        )
        self.edition = self.link.edition
        return self.edition

    def post(self, request, *args, **kwargs):
        services.share_link_revoke(user=request.user, link=self.link)
        messages.success(
            request,
            _("The link for “%(label)s” no longer works.") % {"label": self.link.label},
        )
        return redirect(f"{self.edition.get_absolute_url()}#share-links")


class ShareLinkMixin:
    """Finds the share link of a signed token; a link that was revoked or expired
    gets a page that says so (410), an unknown or altered one a 404."""

    def dispatch(self, request, *args, **kwargs):
        response = self.dispatch_link(request, *args, **kwargs)
        # The token is the credential, as a seminar guest's reply key: never
        # indexed, never kept by a shared proxy or the browser's cache.
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Cache-Control"] = "private, no-store"
        return response

    def dispatch_link(self, request, *args, **kwargs):
        key = ShareLink.key_from_token(kwargs["token"])
        link = (
            ShareLink.objects.select_related("edition__rendition")
            .filter(key=key, edition__status=Edition.Status.PUBLISHED)
            .first()
            if key
            else None
        )
        if link is None:
            raise Http404(_("This link is not valid."))
        if not link.is_active:
            return render(
                request, "referentiel/share_gone.html", {"link": link}, status=410
            )
        self.link = link
        self.edition = link.edition
        return super().dispatch(request, *args, **kwargs)


class SharePageView(ShareLinkMixin, TemplateView):
    template_name = "referentiel/share.html"

    def get_context_data(self, **kwargs):
        snapshot = self.edition.snapshot
        axes = [
            {
                "number": axis["number"],
                "title": axis["title"],
                "count": sum(len(e["proposals"]) for e in axis["enjeux"]),
            }
            for axis in snapshot["axes"]
        ]
        return super().get_context_data(
            link=self.link,
            edition=self.edition,
            axes=axes,
            proposal_total=edition_content.proposal_count(snapshot),
            rendition=self.edition.rendition,
            **kwargs,
        )


class ShareDownloadView(ShareLinkMixin, View):
    def get(self, request, *args, **kwargs):
        response = pdf_response(self.edition, self.edition.rendition)
        services.share_link_count_download(self.link)
        return response


class ShareEditableView(ShareLinkMixin, View):
    """The shared edition as ODT or DOCX, counted on the link per format."""

    fmt = None

    def get(self, request, *args, **kwargs):
        response = editable_response(self.edition, self.fmt)
        services.share_link_count_download(self.link, self.fmt)
        return response


# --- The review of a draft ------------------------------------------------------


def form_errors_from(form, exc: ValidationError) -> None:
    """A service's refusal, on the fields it names or above the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class ReviewOpenView(EditionObjectMixin, FormView):
    """The secretariat asks the commission and named partners for comments
    on a draft, until a day."""

    template_name = "referentiel/review_form.html"
    form_class = ReviewForm
    permission_required = "referentiel.open_review"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            edition=self.edition,
            review=selectors.current_review(self.edition),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            review = services.review_open(
                user=self.request.user,
                edition=self.edition,
                closes_on=form.cleaned_data["closes_on"],
                partners=form.cleaned_data["partners"],
                message=form.cleaned_data["message"],
            )
        except services.EditionNotDraft as exc:
            messages.error(self.request, exc.message)
            return redirect(self.edition)
        except ValidationError as exc:
            form_errors_from(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _(
                "The review is open until %(date)s: the commission’s members and "
                "the partners named were sent the link by e-mail."
            )
            % {"date": date_format(review.closes_on, "DATE_FORMAT")},
        )
        return redirect(f"{self.edition.get_absolute_url()}#review")

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class ReviewCloseView(ConfirmMixin, LoginRequiredMixin, PermissionRequiredMixin, View):
    """Closing a review before its last day asks first."""

    permission_required = "referentiel.close_review"
    view_permission = "referentiel.view_edition"

    def get_permission_object(self):
        self.review = get_object_or_404(
            Review.objects.select_related("edition"), pk=self.kwargs["pk"]
        )
        self.edition = self.review.edition
        return self.edition

    def stale_url(self) -> str:
        return f"{self.edition.get_absolute_url()}#review"

    def confirmation(self):
        review, edition = self.review, self.edition
        partners = review.partners.count()
        return Confirmation(
            title=_("Close the review of “%(title)s” now?") % {"title": edition.title},
            subject=edition.title,
            consequences=[
                ngettext(
                    "No more comments can be left: the commission’s delegates and "
                    "the %(count)s partner invited no longer find the comment "
                    "form, which was to stay open until %(date)s.",
                    "No more comments can be left: the commission’s delegates and "
                    "the %(count)s partners invited no longer find the comment "
                    "form, which was to stay open until %(date)s.",
                    partners,
                )
                % {
                    "count": partners,
                    "date": date_format(review.closes_on, "DATE_FORMAT"),
                },
                _(
                    "The comments already left stay: they can still be read, "
                    "answered and resolved."
                ),
                _(
                    "This review cannot be opened again; to ask for more comments, "
                    "open a new review."
                ),
            ],
            button=_("Close the review now"),
            cancel_url=self.stale_url(),
            breadcrumbs=[
                (
                    pgettext(
                        "navigation: the editions of the référentiel", "Référentiel"
                    ),
                    reverse("referentiel:list"),
                ),
                (edition.title, edition.get_absolute_url()),
            ],
            irreversible=False,
            danger=True,
        )

    def stale(self):
        if self.review.closed_at is None:
            return None
        return _("This review was closed already.")

    def perform(self):
        if services.review_close(user=self.request.user, review=self.review):
            messages.success(
                self.request, _("The review is closed: no more comments can be left.")
            )
        else:
            messages.info(self.request, _("This review was closed already."))
        return redirect(self.stale_url())


class CommentListView(EditionObjectMixin, TemplateView):
    """The comments on an edition, by section of the document: all of them for
    the commission and the secretariat, their own for an invited partner."""

    template_name = "referentiel/comment_list.html"
    permission_required = "referentiel.view_review_comments"

    def get_context_data(self, **kwargs):
        edition, user = self.edition, self.request.user
        comments = list(
            selectors.with_answers(selectors.comments_visible_to(user, edition))
        )
        answer_forms = kwargs.pop("answer_forms", {})
        for comment in comments:
            comment.answer_form = answer_forms.get(comment.pk) or AnswerForm(
                auto_id=f"id_answer_{comment.pk}_%s"
            )
        sections = edition_content.sections(edition_content.content_of(edition))
        return super().get_context_data(
            edition=edition,
            groups=selectors.by_section(comments, sections),
            comment_total=len(comments),
            sees_all=user.has_perm("referentiel.view_all_review_comments", edition),
            can_answer=user.has_perm("referentiel.answer_review_comment", edition),
            can_resolve=user.has_perm("referentiel.resolve_review_comment", edition),
            **review_context(user, edition),
            **kwargs,
        )


class CommentCreateView(EditionObjectMixin, FormView):
    """A reviewer's comment on one part of the draft; ``?section=`` (the
    preview's "Comment" buttons) chooses the part."""

    template_name = "referentiel/comment_form.html"
    form_class = CommentForm
    permission_required = "referentiel.comment_edition"

    def get_permission_object(self):
        edition = super().get_permission_object()
        self.review = selectors.current_review(edition)
        self.sections = edition_content.sections(edition_content.content_of(edition))
        return edition

    def get(self, request, *args, **kwargs):
        if self.review is None:
            raise Http404(_("No review of this edition has been opened."))
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if self.review is None:
            raise Http404(_("No review of this edition has been opened."))
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = {**super().get_form_kwargs(), "sections": self.sections}
        section = self.request.GET.get("section", "")
        if self.request.method == "GET" and section in self.sections:
            kwargs["initial"] = {**kwargs.get("initial", {}), "section": section}
        return kwargs

    def get_context_data(self, **kwargs):
        refusal = services.review_refusal(self.review) or (
            None if self.edition.is_draft else services.EditionNotDraft.message_text
        )
        context = super().get_context_data(**kwargs)
        section = context["form"]["section"].value() or ""
        context.update(
            edition=self.edition,
            review=self.review,
            refusal=refusal,
            section=section if section in self.sections else "",
        )
        return context

    def form_valid(self, form):
        try:
            comment = services.comment_create(
                user=self.request.user,
                review=self.review,
                section=form.cleaned_data["section"],
                body=form.cleaned_data["body"],
            )
        except ValidationError as exc:
            form_errors_from(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _(
                "Your comment on “%(section)s” was sent to the secretariat. "
                "Its answer will appear under it."
            )
            % {"section": comment.section_label},
        )
        return redirect(comment.get_absolute_url())

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class CommentActionMixin(PostOnlyMixin, LoginRequiredMixin, PermissionRequiredMixin):
    def get_permission_object(self):
        self.comment = get_object_or_404(
            ReviewComment.objects.select_related("review__edition"),
            pk=self.kwargs["pk"],
        )
        self.edition = self.comment.review.edition
        return self.edition

    def back(self):
        return redirect(self.comment.get_absolute_url())


class CommentAnswerView(CommentActionMixin, View):
    permission_required = "referentiel.answer_review_comment"

    def post(self, request, *args, **kwargs):
        form = AnswerForm(request.POST, auto_id=f"id_answer_{self.comment.pk}_%s")
        if form.is_valid():
            try:
                services.comment_answer(
                    user=request.user,
                    comment=self.comment,
                    body=form.cleaned_data["body"],
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
        if form.errors:
            view = CommentListView()
            view.setup(request, pk=self.edition.pk)
            view.edition = self.edition
            context = view.get_context_data(answer_forms={self.comment.pk: form})
            return render(request, view.template_name, context, status=400)
        messages.success(request, _("Your answer was added."))
        return self.back()


class CommentResolveView(CommentActionMixin, View):
    permission_required = "referentiel.resolve_review_comment"
    resolved = True

    def post(self, request, *args, **kwargs):
        changed = services.comment_set_resolved(
            user=request.user, comment=self.comment, resolved=self.resolved
        )
        if not changed:
            messages.info(
                request,
                _("This comment was resolved already.")
                if self.resolved
                else _("This comment was open already."),
            )
        elif self.resolved:
            messages.success(request, _("The comment is resolved."))
        else:
            messages.success(request, _("The comment is open again."))
        return self.back()


class CommentReopenView(CommentResolveView):
    resolved = False

"""An experience sheet's photos: cucs_portal/attachments.py checks them (PNG or
JPEG only, re-encoded without EXIF or GPS) and serves them, inline, to whoever
reads the sheet; capitalisation/rules.py says who adds and removes them.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView

from cucs_portal.attachments import AttachmentForm, download_response
from cucs_portal.mixins import PostOnlyMixin
from cucs_portal.models import Attachment

from . import services
from .views import SheetObjectMixin


class PhotoMixin(SheetObjectMixin):
    def done_url(self):
        return f"{self.sheet.get_absolute_url()}#photos"

    def get_photo(self):
        return get_object_or_404(
            Attachment.objects.for_object(self.sheet), pk=self.kwargs["attachment_pk"]
        )


class PhotoAddView(PhotoMixin, FormView):
    template_name = "capitalisation/photo_form.html"
    form_class = AttachmentForm
    permission_required = "capitalisation.change_sheet_photos"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "images_only": True}

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def form_valid(self, form):
        checked = form.cleaned_data["file"]
        try:
            services.sheet_photo_add(
                sheet=self.sheet, checked=checked, acting_user=self.request.user
            )
        except services.PhotoNotAllowed as exc:
            messages.error(self.request, exc.message)
        else:
            messages.success(
                self.request, _("“%(name)s” is added.") % {"name": checked.name}
            )
        return redirect(self.done_url())

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            sheet=self.sheet, done_url=self.done_url(), **kwargs
        )


class PhotoView(PhotoMixin, View):
    """The photo itself, for an <img> of the sheet's page: inline, since it is
    a re-encoded PNG or JPEG, never sniffed, sandboxed."""

    permission_required = "capitalisation.view_sheet"

    def get(self, request, *args, **kwargs):
        return download_response(self.get_photo(), inline=True)


class PhotoRemoveView(PostOnlyMixin, PhotoMixin, View):
    permission_required = "capitalisation.change_sheet_photos"

    def post(self, request, *args, **kwargs):
        photo = self.get_photo()
        try:
            services.sheet_photo_remove(
                sheet=self.sheet, photo=photo, acting_user=request.user
            )
        except services.PhotoNotAllowed as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request, _("“%(name)s” was removed.") % {"name": photo.original_name}
            )
        return redirect(self.done_url())

"""The calendar feeds, at their secret addresses (no sign-in: calendar
applications subscribe to them), and the page where their owners find and
renew them."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView
from rules.contrib.views import PermissionRequiredMixin

from ateliers.models import Atelier
from cucs_portal.calendars import calendar_bytes
from cucs_portal.mixins import PostOnlyMixin

from . import selectors, services
from .models import FeedSecret, token_matches

ATELIER, PERSON = FeedSecret.Kind.ATELIER, FeedSecret.Kind.PERSON


def _calendar_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}.ics"'
    # The address is the secret: neither shared caches nor the referrer keep it.
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _check_token(kind: str, pk: int, token: str) -> None:
    if not token_matches(kind, pk, selectors.current_salt(kind, pk), token):
        raise Http404


def atelier_feed(request, pk: int, token: str):
    """An atelier's sessions."""
    atelier = get_object_or_404(Atelier, pk=pk)
    _check_token(ATELIER, atelier.pk, token)
    # In the group's language, whatever the calendar application asks for.
    with translation.override(settings.LANGUAGE_CODE):
        content = calendar_bytes(
            selectors.atelier_events(atelier),
            name=_("Atelier “%(atelier)s”") % {"atelier": atelier},
        )
    return _calendar_response(content, f"atelier-{slugify(atelier.name) or pk}")


def person_feed(request, pk: int, token: str):
    """What the person may read of the group's calendar (selectors.py)."""
    person = get_object_or_404(
        get_user_model().objects.select_related("organisation"), pk=pk, is_active=True
    )
    _check_token(PERSON, person.pk, token)
    with translation.override(settings.LANGUAGE_CODE):
        content = calendar_bytes(
            selectors.person_events(person), name=_("Portail CUCS: my calendar")
        )
    return _calendar_response(content, "portail-cucs")


class MyCalendarsView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    template_name = "calendars/mine.html"
    permission_required = "calendars.view_calendars"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **selectors.addresses(self.request.user), **kwargs
        )


class RenewPersonFeedView(
    PostOnlyMixin, LoginRequiredMixin, PermissionRequiredMixin, View
):
    """Renews the signed-in person's own address: nobody renews another's."""

    permission_required = "calendars.view_calendars"

    def back_url(self):
        return reverse("calendars:mine")

    def post(self, request, *args, **kwargs):
        services.feed_renew(kind=PERSON, owner=request.user, acting_user=request.user)
        messages.success(
            request,
            _(
                "Your calendar has a new address: the old one no longer works. "
                "Subscribe to the new one in your calendar application."
            ),
        )
        return redirect("calendars:mine")


class RenewAtelierFeedView(
    PostOnlyMixin, LoginRequiredMixin, PermissionRequiredMixin, View
):
    permission_required = "calendars.manage_atelier_feed"

    def get_permission_object(self):
        self.atelier = get_object_or_404(Atelier, pk=self.kwargs["pk"])
        return self.atelier

    def post(self, request, *args, **kwargs):
        services.feed_renew(kind=ATELIER, owner=self.atelier, acting_user=request.user)
        messages.success(
            request,
            _(
                "The calendar of the atelier “%(atelier)s” has a new address: "
                "the old one no longer works."
            )
            % {"atelier": self.atelier},
        )
        # Back where the button was: the atelier's page or « Mes calendriers ».
        if request.POST.get("back") == "atelier":
            return redirect(self.atelier)
        return redirect("calendars:mine")

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cucs_portal.records import EditConflict


class PostOnlyMixin:
    """An action that only a form's POST performs. Reloading or bookmarking its
    address (a GET) changes nothing and gets a page that says so, with a way
    back, instead of the browser's bare "405" error."""

    http_method_names = ["post"]

    def http_method_not_allowed(self, request, *args, **kwargs):
        response = render(
            request, "405.html", {"back_url": self.back_url()}, status=405
        )
        response["Allow"] = "POST"
        return response

    def back_url(self) -> str | None:
        """The page of the object the action is about, when the view loaded it."""
        for name in ("proposal", "validation_round", "atelier", "edition"):
            obj = getattr(self, name, None)
            if obj is not None:
                return obj.get_absolute_url()
        membership = getattr(self, "membership", None)
        return membership.atelier.get_absolute_url() if membership else None


class VersionedEditMixin:
    """The edit form of a versioned record (cucs_portal.records): the save is
    made on the version the person opened, in the form's ``version_field``.
    When someone saved in between, the service raises EditConflict and the
    form comes back with a 409, keeping what this person typed; it now
    carries the saved version, so that saving again, having seen the other
    changes, goes through.

    A view sets ``version_field`` and implements ``save_edit(form,
    base_version)`` (calls its service and returns the saved record) and
    ``saved_message(saved)``. It may override ``conflict`` (more context),
    ``refusals`` with ``refused`` (other exceptions the service raises),
    ``success_url_for`` and ``edit_saved`` (what follows a save).
    """

    version_field = "base_version"
    # Exception classes that ``refused(form, exc)`` answers.
    refusals: tuple[type[Exception], ...] = ()
    # Whether an unchanged form says that nothing was saved.
    say_when_unchanged = True

    def save_edit(self, form, base_version: int):
        raise NotImplementedError

    def form_valid(self, form):
        base_version = form.cleaned_data[self.version_field]
        try:
            saved = self.save_edit(form, base_version)
        except EditConflict as conflict:
            return self.conflict(form, conflict)
        except self.refusals as exc:
            return self.refused(form, exc)
        return self.edit_saved(saved, base_version)

    def edit_saved(self, saved, base_version: int):
        """Say whether anything was saved, and go on to the saved record."""
        if self.say_when_unchanged and saved.version == base_version:
            messages.info(self.request, _("Nothing had changed: nothing was saved."))
        else:
            messages.success(self.request, self.saved_message(saved))
        return redirect(self.success_url_for(saved))

    def refused(self, form, exc):
        raise exc

    def saved_message(self, saved) -> str:
        raise NotImplementedError

    def success_url_for(self, saved):
        return saved

    def take_saved_version(self, form, current) -> None:
        """Let the next save go through: this person has now seen the changes."""
        data = form.data.copy()
        data[self.version_field] = current.version
        form.data = data

    def conflict_response(self, form, current, **context):
        self.take_saved_version(form, current)
        return self.render_to_response(
            self.get_context_data(form=form, **context), status=409
        )

    def conflict(self, form, conflict):
        """The form again, and what is saved now as ``conflict`` in the page."""
        return self.conflict_response(form, conflict.current, conflict=conflict.current)


@dataclass(frozen=True)
class Confirmation:
    """What a confirmation page says before an action that cannot be undone:
    the question, what will happen (who is told, what can no longer change),
    its button, and where « Annuler » goes back to."""

    title: str
    consequences: Sequence[str]
    button: str
    cancel_url: str
    # What the action is about, above the heading (« P2.03 · … »).
    subject: str = ""
    # The breadcrumbs after the dashboard, as (label, url); the page's own
    # crumb (the button's words) comes last.
    breadcrumbs: Sequence[tuple[str, str]] = ()
    irreversible: bool = True
    # A red button, for an action that ends something (closing).
    danger: bool = False
    # A template shown after the consequences (the session's forecast).
    details_template: str = ""
    stylesheets: Sequence[str] = ()
    # Fields the person fills on the page itself (a box to tick).
    form: Any = None
    # Whether the page offers to go back to the form, with what was typed.
    can_change: bool = False
    # Why the action cannot be done now (shown instead of the button).
    blocked: str = ""
    extra: dict = field(default_factory=dict)


class ConfirmPageMixin:
    """The confirmation page of an action that asks first (``confirm.html``):
    what will happen, a primary button and « Annuler ». The page posts back
    to the action's own address with ``confirmed=1`` and, as hidden inputs,
    everything the person sent, so that nothing typed is lost.

    When the object is no longer in the state the action needs (another
    person acted while the page was open), ``stale()`` says why: whoever may
    read the object (``view_permission``) is sent to it with that reason,
    instead of a refusal.

    A form view (its fields filled in first) calls ``confirm_response()``
    once its form is valid and acts only when ``is_confirmed()``;
    ``wants_change()`` is the page's button back to the form. A plain action
    uses ConfirmMixin.
    """

    confirm_template_name = "confirm.html"
    confirmed_field = "confirmed"
    # The button of the confirmation page that goes back to a form.
    change_field = "change"
    # Who is told why, when the object moved on: those who may read it.
    view_permission = ""

    def confirmation(self) -> Confirmation:
        raise NotImplementedError

    def stale(self) -> str | None:
        """Why the action cannot be done any more, or None."""
        return None

    def stale_url(self) -> str:
        """The page of the object the action is about."""
        for name in ("proposal", "validation_round", "session", "sheet", "edition"):
            obj = getattr(self, name, None)
            if obj is not None:
                return obj.get_absolute_url()
        raise NotImplementedError

    def is_confirmed(self) -> bool:
        return self.request.POST.get(self.confirmed_field) == "1"

    def wants_change(self) -> bool:
        return self.change_field in self.request.POST

    def carried_fields(self) -> list[tuple[str, str]]:
        """What the person sent, to send again as hidden inputs."""
        if self.request.method != "POST":
            return []
        skip = {"csrfmiddlewaretoken", self.confirmed_field, self.change_field}
        return [
            (name, value)
            for name in self.request.POST
            if name not in skip
            for value in self.request.POST.getlist(name)
        ]

    def confirm_response(self, status: int = 200, **context):
        confirmation = self.confirmation()
        # The fields the page shows itself are not carried twice.
        shown = set(confirmation.form.fields) if confirmation.form else set()
        return render(
            self.request,
            self.confirm_template_name,
            {
                "confirmation": confirmation,
                "form": confirmation.form,
                "carried": [
                    (name, value)
                    for name, value in self.carried_fields()
                    if name not in shown
                ],
                "action_url": self.request.path,
                **confirmation.extra,
                **context,
            },
            status=status,
        )

    def stale_response(self, reason: str):
        messages.info(self.request, reason)
        return redirect(self.stale_url())

    def handle_no_permission(self):
        # The permission check loaded the object (get_permission_object).
        user = self.request.user
        if user.is_authenticated and self.view_permission:
            reason = self.stale()
            obj = self.get_permission_object()
            if reason and user.has_perm(self.view_permission, obj):
                return self.stale_response(reason)
        return super().handle_no_permission()


class ConfirmMixin(ConfirmPageMixin):
    """An action that asks first, on its own address: a GET, or a POST
    without ``confirmed=1`` (the button of another page), answers the
    confirmation page; only the POST it sends acts (``perform()``). A view
    implements ``confirmation()`` and ``perform()``, and may implement
    ``stale()`` and ``needs_confirmation()`` (False: one click after all)."""

    def perform(self):
        raise NotImplementedError

    def needs_confirmation(self) -> bool:
        return True

    def get(self, request, *args, **kwargs):
        reason = self.stale()
        if reason:
            return self.stale_response(reason)
        return self.confirm_response()

    def post(self, request, *args, **kwargs):
        reason = self.stale()
        if reason:
            return self.stale_response(reason)
        if self.needs_confirmation() and not self.is_confirmed():
            return self.confirm_response()
        return self.perform()

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

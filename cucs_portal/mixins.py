from django.shortcuts import render


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

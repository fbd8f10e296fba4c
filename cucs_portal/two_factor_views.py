"""The pages of two-factor authentication (cucs_portal/two_factor.py): the
password step, the code step, « Authentification à deux facteurs » and its
enrolment, recovery codes and switching off."""

from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.generic import TemplateView

from . import lockout, two_factor


def safe_next(request, url: str) -> str:
    """``url`` if it is one of the portal's, else empty (an open redirect)."""
    allowed = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if allowed else ""


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "text",
                "autofocus": True,
                "spellcheck": "false",
                "autocapitalize": "off",
            }
        ),
    )


class EnrolForm(CodeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].label = gettext_lazy("Code shown by the application")
        self.fields["code"].help_text = gettext_lazy("Six digits, e.g. 123 456.")
        self.fields["code"].widget.attrs["inputmode"] = "numeric"


class LoginView(auth_views.LoginView):
    """Django's login, first step: a person who has a TOTP device is not
    signed in yet but asked for their code (``two_factor:verify``); the
    password's attempt is taken back, the pair's earlier failures are not."""

    def form_valid(self, form):
        user = form.get_user()
        if two_factor.confirmed_device(user) is None:
            # Signed in; one who must have a device is then sent to the
            # enrolment, and nowhere else (TwoFactorMiddleware).
            return super().form_valid(form)
        for attempt in getattr(self.request, "login_attempts", []):
            attempt.forget()
        two_factor.pending_start(self.request, user, next_url=self.get_success_url())
        return redirect("two_factor:verify")


@method_decorator([sensitive_post_parameters(), never_cache], name="dispatch")
class VerifyView(View):
    """Second step: the code of the application, or a recovery code."""

    template_name = "two_factor/verify.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect("dashboard")
        self.user = two_factor.pending_user(request)
        if self.user is None:
            return redirect("login")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self.render(CodeForm())

    def post(self, request):
        form = CodeForm(request.POST)
        if not form.is_valid():
            return self.render(form)
        attempt = lockout.take_attempt(request, self.user.get_username())
        if isinstance(attempt, lockout.Lockout):
            request.login_lockout = attempt  # the lockout page (its middleware)
            return HttpResponse(status=429)
        device = two_factor.verify_second_factor(self.user, form.cleaned_data["code"])
        if device is None:
            form.add_error(
                "code",
                _(
                    "This code is not right. Type the six digits your application "
                    "shows now, or one of your recovery codes."
                ),
            )
            return self.render(form)
        # The lockout forgets the attempt when the person is signed in.
        request.login_attempts = attempt
        next_url = two_factor.pending_finish(request, self.user, device)
        if device.persistent_id.startswith("otp_static"):
            messages.warning(
                request,
                _(
                    "You signed in with a recovery code, which cannot be used "
                    "again: %(left)s left. Make new ones on the two-factor "
                    "authentication page if you are running short."
                )
                % {"left": two_factor.recovery_codes_left(self.user)},
            )
        return redirect(safe_next(request, next_url) or reverse("dashboard"))

    def render(self, form):
        return render(
            self.request, self.template_name, {"form": form, "person": self.user}
        )


class TwoFactorMixin(LoginRequiredMixin, PermissionRequiredMixin):
    pass


class ManageView(TwoFactorMixin, TemplateView):
    """« Authentification à deux facteurs »: whether it is on, how many
    recovery codes are left, and what the person may do."""

    template_name = "two_factor/manage.html"
    permission_required = "cucs_portal.use_two_factor"

    def get_context_data(self, **kwargs):
        user = self.request.user
        device = two_factor.confirmed_device(user)
        return super().get_context_data(
            device=device,
            required=two_factor.must_use_two_factor(user),
            codes_left=two_factor.recovery_codes_left(user) if device else 0,
            can_disable=(
                user.has_perm("cucs_portal.disable_two_factor")
                and not two_factor.must_use_two_factor(user)
            ),
            **kwargs,
        )


def require_verified(request) -> None:
    """A person who has a device changes it only from a session verified by it
    (not from one opened elsewhere before it was turned on)."""
    if two_factor.confirmed_device(
        request.user
    ) is not None and not two_factor.is_verified(request):
        raise PermissionDenied


@method_decorator([sensitive_post_parameters(), never_cache], name="dispatch")
class EnrolView(TwoFactorMixin, View):
    """The secret (as a QR code and as text), and a first code to confirm it;
    then the recovery codes, shown once."""

    template_name = "two_factor/enrol.html"
    permission_required = "cucs_portal.use_two_factor"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            require_verified(request)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        key = request.session.get(two_factor.ENROL_KEY)
        if not key:
            key = request.session[two_factor.ENROL_KEY] = two_factor.new_key()
        return self.render(EnrolForm(), key)

    def post(self, request):
        key = request.session.get(two_factor.ENROL_KEY)
        if not key:
            messages.error(
                request,
                _("The set-up page had expired: scan this new QR code and try again."),
            )
            return redirect("two_factor:enrol")
        form = EnrolForm(request.POST)
        step = None
        if form.is_valid():
            step = two_factor.totp_matches(key, form.cleaned_data["code"])
            if step is None:
                form.add_error(
                    "code",
                    _(
                        "This code is not right. Check that the application shows "
                        "the account “%(account)s” and type the six digits it shows "
                        "now."
                    )
                    % {"account": request.user.get_username()},
                )
        if step is None:
            return self.render(form, key)
        enabled = two_factor.two_factor_enable(
            user=request.user, key_hex=key, step=step
        )
        del request.session[two_factor.ENROL_KEY]
        two_factor.verify_session(request, enabled.device)
        return render_recovery_codes(
            request,
            enabled.recovery_codes,
            enrolled=True,
            next_url=safe_next(request, request.GET.get("next", "")),
        )

    def render(self, form, key):
        user = self.request.user
        uri = two_factor.otpauth_uri(key, user.get_username())
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "qr_code": two_factor.qr_code_svg(
                    uri, _("QR code of the secret, for the application")
                ),
                "secret": two_factor.grouped(two_factor.base32_key(key)),
                "replacing": two_factor.confirmed_device(user) is not None,
                "required": two_factor.must_use_two_factor(user),
            },
        )


def render_recovery_codes(request, codes, *, enrolled=False, next_url=""):
    response = render(
        request,
        "two_factor/recovery_codes.html",
        {"codes": codes, "enrolled": enrolled, "next_url": next_url},
    )
    add_never_cache_headers(response)
    return response


class RecoveryCodesView(TwoFactorMixin, View):
    """New recovery codes (POST), shown once; the old ones stop working."""

    permission_required = "cucs_portal.regenerate_recovery_codes"
    http_method_names = ["post"]

    def post(self, request):
        require_verified(request)
        codes = two_factor.recovery_codes_regenerate(user=request.user)
        return render_recovery_codes(request, codes)


class DisableView(TwoFactorMixin, View):
    """Turns two-factor authentication off (POST), for those who may."""

    permission_required = "cucs_portal.disable_two_factor"
    http_method_names = ["post"]

    def has_permission(self):
        # A superuser holds every permission: the requirement is checked too.
        user = self.request.user
        return super().has_permission() and not two_factor.must_use_two_factor(user)

    def post(self, request):
        require_verified(request)
        two_factor.two_factor_disable(user=request.user)
        two_factor.forget_verification(request)
        messages.success(
            request,
            _(
                "Two-factor authentication is off: your password alone signs you "
                "in again."
            ),
        )
        return redirect("two_factor:manage")

from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

# Registers <id:…>, <reply_key:…>… (cucs_portal/converters.py) before any
# app's URLs are read: the dashboard's and the referentiel's, on the next lines.
from cucs_portal import converters, health, lockout, previews, two_factor_views  # noqa: F401
from cucs_portal.notification_views import NotificationPreferencesView
from dashboard.urls import axis_urlpatterns
from referentiel.urls import share_urlpatterns

admin.site.site_header = _("Portail CUCS administration")
admin.site.site_title = _("Portail CUCS")
admin.site.index_title = _("Data of the portal")

two_factor_urlpatterns = [
    path("", two_factor_views.ManageView.as_view(), name="manage"),
    path("verification/", two_factor_views.VerifyView.as_view(), name="verify"),
    path("activation/", two_factor_views.EnrolView.as_view(), name="enrol"),
    path(
        "codes-de-secours/",
        two_factor_views.RecoveryCodesView.as_view(),
        name="recovery_codes",
    ),
    path("desactivation/", two_factor_views.DisableView.as_view(), name="disable"),
]

urlpatterns = [
    path("", include("dashboard.urls")),
    # Before Django's own, same address and name: a new password chosen through
    # the e-mailed link also lifts the login lockout of the account.
    path(
        "compte/reset/<reset_part:uidb64>/<reset_part:token>/",
        lockout.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "compte/notifications/",
        NotificationPreferencesView.as_view(),
        name="notification_preferences",
    ),
    # Before Django's own, same address and name: a person with a second factor
    # is asked for their code before being signed in (cucs_portal/two_factor.py).
    path("compte/login/", two_factor_views.LoginView.as_view(), name="login"),
    path("compte/deux-facteurs/", include((two_factor_urlpatterns, "two_factor"))),
    path("compte/", include("people.urls")),
    path("compte/", include("django.contrib.auth.urls")),
    path("langue/", include("django.conf.urls.i18n")),
    path("axes/", include((axis_urlpatterns, "axes"))),
    path("", include("ateliers.urls")),
    path("commission/", include("commission.urls")),
    path("journal/", include("audit.urls")),
    path("referentiel/", include("referentiel.urls")),
    path("seminaire/", include("seminaire.urls")),
    path("declinaison/", include("declinaison.urls")),
    path("capitalisation/", include("capitalisation.urls")),
    path("calendriers/", include("calendars.urls")),
    path("import/", include("imports.urls")),
    path(
        "partage/",
        include((share_urlpatterns, "share")),
    ),
    # One sign-in, with its second factor: the admin's login hands over to the
    # portal's, which brings the person back (?next=).
    path(
        "admin/login/",
        RedirectView.as_view(pattern_name="login", query_string=True),
    ),
    path("admin/", admin.site.urls),
    # For load balancers and monitoring; exempt from the HTTPS redirect.
    path("sante/", health.health, name="health"),
    # The live preview of the forms' Markdown fields (static/js/markdown-editor.js).
    path("apercu-markdown/", previews.markdown_preview, name="markdown_preview"),
]

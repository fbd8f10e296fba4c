from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

# Registers <id:…>, <reply_key:…>… (cucs_portal/converters.py) before any
# app's URLs are read: the dashboard's and the referentiel's, on the next lines.
from cucs_portal import converters, health, lockout, previews  # noqa: F401
from cucs_portal.notification_views import NotificationPreferencesView
from dashboard.urls import axis_urlpatterns
from referentiel.urls import share_urlpatterns

admin.site.site_header = _("Portail CUCS administration")
admin.site.site_title = _("Portail CUCS")
admin.site.index_title = _("Data of the portal")

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
    path(
        "partage/",
        include((share_urlpatterns, "share")),
    ),
    path("admin/", admin.site.urls),
    # For load balancers and monitoring; exempt from the HTTPS redirect.
    path("sante/", health.health, name="health"),
    # The live preview of the forms' Markdown fields (static/js/markdown-editor.js).
    path("apercu-markdown/", previews.markdown_preview, name="markdown_preview"),
]

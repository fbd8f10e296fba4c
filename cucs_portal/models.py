from django.db import models
from django.utils.translation import gettext_lazy as _


class LoginFailure(models.Model):
    """Failed logins with one username from one address (cucs_portal/lockout.py).

    One row per pair, counting the failures that followed each other by less
    than ``LOGIN_LOCKOUT_COOLOFF``; deleted by a successful login of the pair or
    a password reset of the account, and once stale.
    """

    # As typed (the account may not exist), cut to the length of a username.
    username = models.CharField(_("username"), max_length=150)
    # The client's address (see lockout.client_ip), empty when unknown.
    ip_address = models.CharField(_("IP address"), max_length=45, blank=True)
    failures = models.PositiveIntegerField(_("failures"), default=0)
    last_failure_at = models.DateTimeField(_("last failure"), db_index=True)

    class Meta:
        verbose_name = _("failed login")
        verbose_name_plural = _("failed logins")
        constraints = [
            models.UniqueConstraint(
                fields=["username", "ip_address"], name="login_failure_unique_pair"
            )
        ]

    def __str__(self):
        return f"{self.username} @ {self.ip_address or '?'}: {self.failures}"

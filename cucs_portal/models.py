from django.db import models
from django.utils.translation import gettext_lazy as _


class LoginFailure(models.Model):
    """Failed logins with one username from one address (cucs_portal/lockout.py).

    One row per pair, counting the failures that followed each other by less
    than ``LOGIN_LOCKOUT_MINUTES`` (an attempt counts when it starts, before
    its password is checked); deleted by a successful login of the pair or
    a password reset of the account, and once stale.
    """

    # As typed (the account may not exist), cut to the length of a username.
    username = models.CharField(_("username"), max_length=150)
    # The client's address key (see lockout.address_key): an IPv4 address, or
    # an IPv6 /64 network such as "2001:db8:1:2::/64"; empty when unknown.
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


class AccountLoginFailure(models.Model):
    """Failed logins with one username from every address together
    (cucs_portal/lockout.py), the account-wide slowdown's count.

    One row per username, counting the failures that followed each other by
    less than ``LOGIN_ACCOUNT_WINDOW_MINUTES`` (an attempt counts when it
    starts, before its password is checked); deleted by a password reset of
    the account, and once stale. A successful login takes back its own attempt
    only: an attacker spread over many addresses must not get a fresh start
    each time the real person signs in.
    """

    username = models.CharField(_("username"), max_length=150, unique=True)
    failures = models.PositiveIntegerField(_("failures"), default=0)
    last_failure_at = models.DateTimeField(_("last failure"), db_index=True)

    class Meta:
        verbose_name = _("failed login on an account")
        verbose_name_plural = _("failed logins on an account")

    def __str__(self):
        return f"{self.username}: {self.failures}"

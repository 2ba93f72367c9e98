"""Print a sign-in link for a customer, signed with the current SSO secret.

The link a vendor's server would make (README, "Sign-in from your product"): for trying
the door, for support, and for the demo. It prints the link alone, so that
``curl -i "$(python manage.py sso_link …)"`` works.
"""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Account
from accounts.services import SsoError, sso_token_issue
from core.redirects import safe_relative_path


class Command(BaseCommand):
    help = "Print a browser link that signs a customer in (a token signed with the SSO secret)."

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True, help="The person's e-mail address.")
        parser.add_argument("--account", required=True, help="Their account's external ID.")
        parser.add_argument("--name", default="", help="Their full name.")
        parser.add_argument("--return-to", default="", help="A path to land on, e.g. /ideas/.")
        parser.add_argument(
            "--minutes", type=int, default=5, help="How long the link works (default 5)."
        )

    def handle(self, *args, email, account, name, return_to, minutes, **options):
        longest = settings.SSO_TOKEN_MAX_LIFETIME_SECONDS // 60
        if not 1 <= minutes <= longest:
            raise CommandError(
                _("--minutes must be between 1 and %(longest)d.") % {"longest": longest}
            )
        if not Account.objects.filter(external_id=account).exists():
            raise CommandError(
                _("No account has the external ID %(account)s.") % {"account": account}
            )
        if return_to and safe_relative_path(return_to) is None:
            raise CommandError(_("--return-to must be a path on this site, such as /ideas/."))
        try:
            token = sso_token_issue(
                email=email,
                name=name,
                account_external_id=account,
                return_to=return_to,
                lifetime=timedelta(minutes=minutes),
            )
        except SsoError as exc:
            raise CommandError(
                _("%(reason)s Run it again after an admin created the secret (Manage menu).")
                % {"reason": exc.message}
            ) from None
        self.stdout.write(f"{settings.SITE_URL.rstrip('/')}{reverse('sso')}?token={token}")

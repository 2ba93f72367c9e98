"""Fill the contract run's own database: migrations, a small demo, and a token each for
the demo's admin and customer. Run by ``tests.api_contract`` in a process whose
``DATABASE_URL`` names that database; prints the tokens as JSON on its last line."""

from __future__ import annotations

import json
import os

import django

#: Demo accounts: enough for every list to have pages, ideas and votes to act on.
DEMO_ACCOUNTS = 12
#: Who calls the API in the run (demo logins, see README): the whole API, and a customer.
CALLERS = {"staff": "admin", "customer": "customer"}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csplatform.settings")
    django.setup()
    from django.core.management import call_command
    from rest_framework.authtoken.models import Token

    from accounts.models import User

    call_command("migrate", interactive=False, verbosity=0)
    call_command("seed_demo", accounts=DEMO_ACCOUNTS, seed=7, verbosity=0)
    tokens = {
        caller: Token.objects.get_or_create(user=User.objects.get(username=username))[0].key
        for caller, username in CALLERS.items()
    }
    print(json.dumps(tokens))  # the runner reads the last line


if __name__ == "__main__":
    main()

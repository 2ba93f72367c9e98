"""Demo data for every app, in dependency order. It lives in the project package
because it is the one place allowed to know all the apps."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import Account, User
from demo.services.accounts import DEMO_LOGINS, DEMO_PASSWORD, LANGUAGE_LOGINS, seed_demo
from demo.services.adoption import seed_adoption_demo
from demo.services.board import recompute_flags_quietly, seed_feedback_demo
from demo.services.health import seed_health_demo, seed_health_history
from demo.services.onboarding import seed_onboarding_demo
from demo.services.plays import seed_plays_demo
from demo.services.renewals import seed_renewals_demo
from demo.services.roadmap import seed_roadmap_demo
from productrisk.services.flags import product_risk_recompute_deferred


class Command(BaseCommand):
    help = (
        "Create or refresh deterministic demo data (accounts, usage, health history, "
        "onboarding, ideas and the roadmap, one login per role)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--accounts", type=int, default=60, help="Number of accounts.")
        parser.add_argument("--seed", type=int, default=42, help="Random seed.")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when accounts already exist (used by `make run`).",
        )

    def handle(self, *args, accounts: int, seed: int, if_empty: bool, **options):
        if accounts < 1:
            raise CommandError("--accounts must be at least 1.")
        if if_empty and Account.objects.exists():
            self.stdout.write("Accounts already present: demo data left as it is.")
        else:
            summary = seed_demo(accounts=accounts, seed=seed)
            seed_onboarding_demo(seed=seed)  # before health: TTFV is a health measure
            # Today's health first: some ideas are asked for by red and yellow accounts.
            health = seed_health_demo(seed=seed, history=False)
            feedback = seed_feedback_demo(seed=seed)
            roadmap = seed_roadmap_demo(seed=seed)
            # The accounts that asked for what shipped use it; the history is computed
            # once that usage is in, so the impact report measures it. Held back: the
            # product-risk recompute the import would queue (the quiet one below does it).
            with product_risk_recompute_deferred(), transaction.atomic():
                seed_adoption_demo(seed=seed)
                seed_health_history()
            # A year of renewals and the history before them: the scorecard report's story.
            renewals = seed_renewals_demo(seed=seed)
            # Open flags' evidence carries today's bands, which the new usage moved.
            recompute_flags_quietly()
            # Last: the rules read today's health, onboarding and flags.
            plays = seed_plays_demo()
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo data ready: {summary.accounts} accounts, "
                    f"{summary.contacts} contacts, {User.objects.count()} users, "
                    f"{health.days} days of health history, {feedback.ideas} ideas with "
                    f"{feedback.votes} votes, {roadmap.items} roadmap items, "
                    f"{renewals.outcomes} renewal outcomes ({renewals.churned} churned), "
                    f"{plays.plays} plays."
                )
            )
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD})")
        for login in DEMO_LOGINS:
            self.stdout.write(f"  {login.role.label:<28} {login.username}")
        for login in LANGUAGE_LOGINS:
            language = dict(settings.LANGUAGES)[login.language]
            self.stdout.write(f"  {login.role.label:<28} {login.username} ({language})")

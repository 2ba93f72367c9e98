"""Playbooks (ordered task templates), plays (a playbook started on an account) and the
rules that start them."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.roles import Role


class Playbook(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("playbook")
        verbose_name_plural = _("playbooks")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PlaybookStep(models.Model):
    """A task template: what a play's task for this step will say, by when, for whom."""

    class Owner(models.TextChoices):
        CSM = "csm", _("The account's CSM")
        PERSON = "person", _("A named person")
        ROLE = "role", _("Someone with a role")

    playbook = models.ForeignKey(
        Playbook, verbose_name=_("playbook"), on_delete=models.CASCADE, related_name="steps"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=200)
    #: Markdown, sanitised when shown.
    how_to = models.TextField(_("how to"), blank=True)
    due_in_days = models.PositiveSmallIntegerField(
        _("due in (days)"), default=0, validators=[MaxValueValidator(365)]
    )
    owner_kind = models.CharField(
        _("owner"), max_length=6, choices=Owner.choices, default=Owner.CSM
    )
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    owner_role = models.CharField(_("role"), max_length=16, choices=Role.choices, blank=True)

    class Meta:
        verbose_name = _("playbook step")
        verbose_name_plural = _("playbook steps")
        ordering = ["playbook", "position", "pk"]

    def __str__(self) -> str:
        return self.title


class Play(models.Model):
    """A playbook started on an account: by a rule (``rule``) or by hand (``started_by``)."""

    class State(models.TextChoices):
        ACTIVE = "active", pgettext_lazy("play state", "Active")
        COMPLETED = "completed", pgettext_lazy("play state", "Completed")
        #: The cause cleared (the account recovered) before every step was done.
        RESOLVED = "resolved", pgettext_lazy("play state", "No longer needed")
        CANCELLED = "cancelled", pgettext_lazy("play state", "Cancelled")

    playbook = models.ForeignKey(
        Playbook, verbose_name=_("playbook"), on_delete=models.CASCADE, related_name="plays"
    )
    account = models.ForeignKey(
        "accounts.Account",
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="plays",
    )
    rule = models.ForeignKey(
        "plays.Rule",
        verbose_name=_("rule"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plays",
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    state = models.CharField(_("state"), max_length=9, choices=State.choices, default=State.ACTIVE)
    #: What started it, in words, as of the start ("Health dropped to red").
    cause = models.CharField(_("cause"), max_length=300, blank=True)
    #: The account's band when it started: the report's starting point.
    band_at_start = models.CharField(_("band at start"), max_length=6, blank=True)
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("play")
        verbose_name_plural = _("plays")
        ordering = ["-started_at", "-pk"]
        constraints = [
            # Starting is idempotent: a recompute run twice, a retried task or two
            # workers racing can never run the same playbook twice at once on an
            # account. The rule evaluation inserts with ON CONFLICT DO NOTHING on it.
            models.UniqueConstraint(
                fields=["account", "playbook"],
                condition=models.Q(state="active"),
                name="play_active_once",
            ),
        ]
        indexes = [
            # "At most once per account per N days": the rule's last start per account.
            models.Index(fields=["rule", "account", "started_at"], name="play_rule_account_idx"),
            # The cockpit's "new plays since you last looked".
            models.Index(fields=["started_at"], name="play_started_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.playbook_id} on {self.account_id}"


class Rule(models.Model):
    """When to start a playbook on an account, in bulk after each recompute."""

    class Trigger(models.TextChoices):
        BAND = "band", _("Health band is red (or yellow)")
        SCORE_BELOW = "score_below", _("Health score below a threshold")
        ONBOARDING = "onboarding", _("Onboarding at risk or late")
        RENEWAL = "renewal", _("Renewal within N days while not green")
        PRODUCT_RISK = "product_risk", _("Blocked by an open product-risk flag")
        DETRACTOR = "detractor", _("NPS detractor answer in the last N days")
        NO_USAGE = "no_usage", _("No usage for N days")

    class Band(models.TextChoices):
        RED = "red", _("Red")
        YELLOW = "yellow", _("Yellow or red")

    name = models.CharField(_("name"), max_length=120)
    playbook = models.ForeignKey(
        Playbook, verbose_name=_("playbook"), on_delete=models.CASCADE, related_name="rules"
    )
    trigger = models.CharField(_("when"), max_length=12, choices=Trigger.choices)
    band = models.CharField(_("band"), max_length=6, choices=Band.choices, default=Band.RED)
    threshold = models.FloatField(
        _("score threshold"),
        default=40,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    days = models.PositiveSmallIntegerField(
        _("days"), default=30, validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    #: Empty: every segment.
    segment = models.CharField(_("segment"), max_length=60, blank=True)
    cooldown_days = models.PositiveSmallIntegerField(
        _("at most once per account every (days)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    enabled = models.BooleanField(_("enabled"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("rule")
        verbose_name_plural = _("rules")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

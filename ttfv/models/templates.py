"""Milestone templates: what onboarding looks like for a plan or segment, and which
milestone is the first value."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

DEFAULT_TARGET_DAYS = 60
DEFAULT_AT_RISK_PERCENT = 75


class MilestoneTemplate(models.Model):
    """Applies to accounts of its plan, else of its segment; the one with neither is the
    default. Plan wins over segment because plans usually differ in what "value" means."""

    name = models.CharField(_("name"), max_length=100)
    plan = models.CharField(_("plan"), max_length=60, blank=True)
    segment = models.CharField(_("segment"), max_length=60, blank=True)
    target_days = models.PositiveIntegerField(
        _("target (days)"),
        default=DEFAULT_TARGET_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(730)],
        help_text=_("Days from the start by which the first value should be reached."),
    )
    at_risk_percent = models.PositiveSmallIntegerField(
        # xgettext:no-python-format
        _("at risk from (% of target)"),
        default=DEFAULT_AT_RISK_PERCENT,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Without first value past this share of the target, an onboarding is at risk."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("milestone template")
        verbose_name_plural = _("milestone templates")
        ordering = ["plan", "segment", "name"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "segment"], name="one_template_per_scope"),
            models.CheckConstraint(
                condition=Q(plan="") | Q(segment=""),
                name="template_for_plan_or_segment",
                violation_error_message=_("A template applies to a plan or a segment, not both."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_default(self) -> bool:
        return not self.plan and not self.segment


class Milestone(models.Model):
    class Rule(models.TextChoices):
        MANUAL = "manual", _("Checked off by the CSM")
        USAGE = "usage", _("Detected from usage")

    template = models.ForeignKey(
        MilestoneTemplate, on_delete=models.CASCADE, related_name="milestones"
    )
    name = models.CharField(_("name"), max_length=100)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    target_offset_days = models.PositiveIntegerField(
        _("target day"), help_text=_("Days after the start by which it should be reached.")
    )
    rule = models.CharField(_("completion rule"), max_length=6, choices=Rule.choices)
    event = models.CharField(_("event"), max_length=200, blank=True)
    min_events = models.PositiveIntegerField(
        _("at least N events"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    min_contacts = models.PositiveIntegerField(
        _("by at least K people"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    is_first_value = models.BooleanField(_("first value"), default=False)
    # What the in-app widget's checklist and nudge show the customer's people: how to
    # reach the milestone, and a button into the vendor's product where it is done.
    how_to = models.TextField(
        _("how to"),
        max_length=1000,
        blank=True,
        help_text=_("Shown to the customer's people in the in-app checklist."),
    )
    help_url = models.URLField(
        _("link into the product"),
        max_length=500,
        blank=True,
        help_text=_("Where in your product this step is done (the checklist's button)."),
    )
    nudge_text = models.CharField(
        _("nudge"),
        max_length=200,
        blank=True,
        help_text=_("A short sentence shown when an onboarding stalls before this step."),
    )
    #: The nudge in other languages, by language code ({"es": "…", "el": "…"}): written
    #: by the vendor, so no catalogue holds it; the widget picks the reader's language.
    nudge_translations = models.JSONField(_("nudge in other languages"), default=dict, blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["template", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["template"],
                condition=Q(is_first_value=True),
                name="one_first_value_milestone",
                violation_error_message=_("A template has exactly one first-value milestone."),
            ),
            models.CheckConstraint(
                condition=Q(rule="manual") | (~Q(event="") & Q(min_events__gte=1)),
                name="usage_rule_complete",
                violation_error_message=_("A usage rule needs an event and N of at least 1."),
            ),
            models.CheckConstraint(
                condition=Q(min_contacts__isnull=True)
                | Q(min_contacts__lte=models.F("min_events")),
                name="contacts_not_above_events",
                violation_error_message=_("K people cannot exceed N events."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

"""Scorecards: which measures make up health, with what weights, thresholds and bands.

One scorecard per segment plus the default (empty segment). Every saved change bumps
``version`` and stores the whole configuration in ScorecardVersion, so a snapshot can
always say which configuration produced it.
"""

from __future__ import annotations

import itertools

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from healthscores.measures import MEASURES


class Scorecard(models.Model):
    name = models.CharField(_("name"), max_length=100)
    segment = models.CharField(
        _("segment"),
        max_length=60,
        blank=True,
        unique=True,
        help_text=_("Accounts of this segment use this scorecard; empty means the default."),
    )
    red_below = models.FloatField(
        _("red below"),
        default=40,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("A score under this is red."),
    )
    green_from = models.FloatField(
        _("green from"),
        default=70,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("A score at or above this is green; between the two is yellow."),
    )
    key_events = models.JSONField(
        _("key events"),
        default=list,
        blank=True,
        help_text=_("The events that count for feature breadth."),
    )
    sentiment_stale_days = models.PositiveIntegerField(
        _("sentiment stale after (days)"),
        default=45,
        validators=[MinValueValidator(1)],
        help_text=_("A CSM sentiment older than this is left out as missing."),
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("scorecard")
        verbose_name_plural = _("scorecards")
        ordering = ["segment"]
        constraints = [
            models.CheckConstraint(
                condition=Q(red_below__lte=models.F("green_from")),
                name="scorecard_bands_ordered",
                violation_error_message=_("Red must end at or below where green starts."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_default(self) -> bool:
        return self.segment == ""

    def clean(self) -> None:
        super().clean()
        bands_set = self.red_below is not None and self.green_from is not None
        if bands_set and self.red_below > self.green_from:
            raise ValidationError({"green_from": _("Green must start at or above where red ends.")})


def validate_points(points: object) -> None:
    """Thresholds: at least two [raw value, score] points, raw values ascending (equal
    values make a step), scores between 0 and 100."""
    if not isinstance(points, list) or len(points) < 2:
        raise ValidationError(_("Give at least two thresholds."))
    previous = None
    for point in points:
        if (
            not isinstance(point, list | tuple)
            or len(point) != 2
            or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in point)
        ):
            raise ValidationError(_("Each threshold is a pair: raw value, score."))
        raw, score = point
        if not 0 <= score <= 100:
            raise ValidationError(
                _("Scores must be between 0 and 100; %(score)s is not."), params={"score": score}
            )
        if previous is not None and raw < previous:
            raise ValidationError(_("Raw values must be in ascending order."))
        previous = raw


class ScorecardMeasure(models.Model):
    class Direction(models.TextChoices):
        HIGHER_IS_BETTER = "higher", _("Higher is better")
        LOWER_IS_BETTER = "lower", _("Lower is better")

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="measures")
    #: A key of the measure registry (healthscores.measures); the registry, not a choices
    #: list, so that another app can add a measure without a migration here.
    kind = models.CharField(_("measure"), max_length=40)
    weight = models.FloatField(_("weight"), default=1, validators=[MinValueValidator(0)])
    direction = models.CharField(_("direction"), max_length=6, choices=Direction.choices)
    points = models.JSONField(
        _("thresholds"),
        validators=[validate_points],
        help_text=_("[raw value, score] pairs; the score is linear between them."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("scorecard measure")
        verbose_name_plural = _("scorecard measures")
        ordering = ["scorecard", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["scorecard", "kind"], name="scorecard_measure_once"),
            models.CheckConstraint(condition=Q(weight__gte=0), name="measure_weight_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.scorecard}: {self.kind}"

    def clean(self) -> None:
        super().clean()
        if self.kind not in MEASURES:
            raise ValidationError({"kind": _("Unknown measure %(kind)s.") % {"kind": self.kind}})
        try:
            validate_points(self.points)
        except ValidationError:
            return  # reported on the field by full_clean
        scores = [score for _raw, score in self.points]
        rising = all(a <= b for a, b in itertools.pairwise(scores))
        falling = all(a >= b for a, b in itertools.pairwise(scores))
        if self.direction == self.Direction.HIGHER_IS_BETTER and not rising:
            raise ValidationError(
                {"points": _("Higher is better: scores must not fall as the raw value rises.")}
            )
        if self.direction == self.Direction.LOWER_IS_BETTER and not falling:
            raise ValidationError(
                {"points": _("Lower is better: scores must not rise as the raw value rises.")}
            )


class ScorecardVersion(models.Model):
    """The full configuration of a scorecard as saved, for audit and for explaining old
    snapshots after the scorecard has changed."""

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField(_("version"))
    config = models.JSONField(_("configuration"))
    saved_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    saved_at = models.DateTimeField(_("saved"), auto_now_add=True)

    class Meta:
        verbose_name = _("scorecard version")
        verbose_name_plural = _("scorecard versions")
        ordering = ["scorecard", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["scorecard", "version"], name="scorecard_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.scorecard} v{self.version}"

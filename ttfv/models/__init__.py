"""Models of time to first value, one module per concern."""

from ttfv.models.onboarding import MilestoneProgress, Onboarding
from ttfv.models.templates import Milestone, MilestoneTemplate

__all__ = ["Milestone", "MilestoneProgress", "MilestoneTemplate", "Onboarding"]

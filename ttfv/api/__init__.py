"""REST endpoints of time to first value, one module per resource."""

from ttfv.api.cohorts import CohortsView
from ttfv.api.guidance import GuidanceView
from ttfv.api.onboarding import AccountOnboardingView

__all__ = ["AccountOnboardingView", "CohortsView", "GuidanceView"]

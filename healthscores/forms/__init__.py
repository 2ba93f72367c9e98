"""Input parsing of the health pages, one module per page; import the forms from here."""

from healthscores.forms.inputs import OverrideForm, SentimentForm
from healthscores.forms.scorecards import (
    BackfillForm,
    ScorecardEditor,
    SegmentScorecardForm,
    measure_initial,
    with_registry_defaults,
)
from healthscores.forms.why import WhyChangedForm

__all__ = [
    "BackfillForm",
    "OverrideForm",
    "ScorecardEditor",
    "SegmentScorecardForm",
    "SentimentForm",
    "WhyChangedForm",
    "measure_initial",
    "with_registry_defaults",
]

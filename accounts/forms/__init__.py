"""Input parsing of the account pages and of a person's settings."""

from accounts.forms.accounts import (
    NoteForm,
    PortfolioQueryForm,
)
from accounts.forms.bulk import (
    BulkSelectionForm,
    ReassignForm,
    SaveViewForm,
    StageForm,
    UpdateViewForm,
)
from accounts.forms.people import UserSettingsForm
from accounts.forms.renewals import RenewalOutcomeForm
from accounts.forms.sso import SsoRotateForm
from accounts.forms.timeline import TimelineQueryForm

__all__ = [
    "BulkSelectionForm",
    "NoteForm",
    "PortfolioQueryForm",
    "ReassignForm",
    "RenewalOutcomeForm",
    "SaveViewForm",
    "SsoRotateForm",
    "StageForm",
    "TimelineQueryForm",
    "UpdateViewForm",
    "UserSettingsForm",
]

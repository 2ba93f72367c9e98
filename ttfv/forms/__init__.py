"""Input parsing of the onboarding pages, one module per page; import the forms from here."""

from ttfv.forms.onboarding import CheckOffForm, DashboardQueryForm, StartForm
from ttfv.forms.templates import KNOWN_EVENTS_LIST_ID, TemplateCreateForm, TemplateEditor

__all__ = [
    "KNOWN_EVENTS_LIST_ID",
    "CheckOffForm",
    "DashboardQueryForm",
    "StartForm",
    "TemplateCreateForm",
    "TemplateEditor",
]

"""Forms of notifications."""

from notifications.forms.preferences import PreferencesForm

__all__ = ["PreferencesForm"]

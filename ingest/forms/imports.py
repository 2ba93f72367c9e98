"""The import page's upload form."""

from __future__ import annotations

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ingest.models import ImportJob

#: The largest file the page accepts. Django streams uploads over 2.5 MB to a temporary
#: file, so size costs disk, never memory; the form can only judge a file once it has
#: arrived, so the reverse proxy should refuse bigger bodies first (client_max_body_size).
MAX_UPLOAD_BYTES = 1024 * 1024 * 1024


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("What the file contains"),
        choices=ImportJob.Kind.choices,
        help_text=gettext_lazy("The columns each kind expects are listed below."),
    )
    file = forms.FileField(
        label=gettext_lazy("CSV file"),
        help_text=gettext_lazy(
            "UTF-8 text with a header row; comma, semicolon, tab or | separated. Up to 1 GB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv,text/plain"}),
    )
    partial = forms.BooleanField(
        label=gettext_lazy("Import valid rows only"),
        required=False,
        help_text=gettext_lazy(
            "Land the rows without errors and list the others. Unticked, one bad row "
            "stops the whole import and nothing changes."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s; the limit is 1 GB. Split it into smaller files.")
                % {"size": filesizeformat(upload.size)}
            )
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        return upload

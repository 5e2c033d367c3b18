"""The upload form: shape only. What makes an upload unusable is decided in
``source.open_upload`` (the command refuses the same things)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from .. import conf
from .source import SourceError, open_upload


class RosterUploadForm(forms.Form):
    export = forms.FileField(label=_("OneRoster 1.1 export (.zip)"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["export"]
        field.widget.attrs["accept"] = ".zip,application/zip"
        limit = filesizeformat(conf.get("STUDENTS_ROSTER_MAX_UPLOAD_BYTES"))
        field.help_text = _(
            "The zip your student information system exports, with manifest.csv and "
            "users.csv; up to %(limit)s."
        ) % {"limit": limit}

    def clean_export(self) -> UploadedFile:
        upload = self.cleaned_data["export"]
        try:
            open_upload(upload, name=upload.name, size=upload.size)
        except SourceError as exc:
            raise ValidationError(str(exc), code="roster") from exc
        upload.seek(0)
        return upload

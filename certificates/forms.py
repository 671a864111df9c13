from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class UploadForm(forms.Form):
    """A PDF someone received as a certificate of ours, to check (size and type bounded)."""

    file = forms.FileField(label=_("Certificate PDF"), widget=forms.ClearableFileInput(attrs={"accept": ".pdf"}))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.CERTIFICATE_UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(mb)s MB: a Bastau certificate is far smaller.")
                % {"mb": settings.CERTIFICATE_UPLOAD_MAX_BYTES // (1024 * 1024)}
            )
        head = upload.read(5)
        upload.seek(0)
        if head != b"%PDF-":
            raise forms.ValidationError(_("This is not a PDF file."))
        return upload

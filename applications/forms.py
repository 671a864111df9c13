from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Fieldset, Layout, Submit
from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from applications import rules
from applications.iin import parse_iin
from applications.models import Application, Document, IneligibilityReason
from applications.services import PERSON_FIELDS, Applicant
from core.models import is_number
from core.widgets import DateTextInput
from geography.models import District, Region


class ApplicationForm(forms.ModelForm):
    """The application: online by a citizen, or by staff for a walk-in."""

    region = forms.ModelChoiceField(
        label=_("Region of residence"), queryset=Region.objects.all(), empty_label=_("Choose the region")
    )
    phone = PhoneNumberField(
        label=_("Mobile phone"),
        error_messages={"invalid": _("Enter a mobile number such as +7 701 234 56 78.")},
        region="KZ",
        widget=forms.TextInput(attrs={"placeholder": "+7 7XX XXX XX XX", "autocomplete": "tel", "inputmode": "tel"}),
    )
    consent = forms.BooleanField(
        label=_("I consent to the processing of my personal data for the Bastau programme, as described above."),
        required=True,
    )

    class Meta:
        model = Application
        fields = [*PERSON_FIELDS, "region"]  # what the applicant states; the layout below orders them
        labels = {
            "district": _("District of residence"),
            "is_citizen_confirmed": _("I am a citizen of the Republic of Kazakhstan"),
        }
        help_texts = {
            "iin": _("12 digits. The date of birth and sex are filled in from it; correct them if they differ."),
            "business_idea": _("In a few sentences: what you want to do, for whom, and where."),
            "birth_date": _("Day, month and year, for example 27.03.1991."),
        }
        widgets = {
            "iin": forms.TextInput(
                attrs={"inputmode": "numeric", "maxlength": 12, "autocomplete": "off", "pattern": "[0-9]{12}"}
            ),
            "birth_date": DateTextInput(),
            "business_idea": forms.Textarea(attrs={"rows": 4}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }

    def __init__(self, *args, with_password=False, submit_label=None, for_staff=False, **kwargs):
        super().__init__(*args, **kwargs)
        if for_staff:
            # A clerk registers a walk-in: the form speaks to the clerk about the applicant.
            self.fields["is_citizen_confirmed"].label = _("The applicant is a citizen of the Republic of Kazakhstan")
            self.fields["consent"].label = _(
                "The applicant signed the paper consent to the processing of personal data for the Bastau "
                "programme, as described above."
            )
            self.fields["business_idea"].help_text = _(
                "In a few sentences: what the applicant wants to do, for whom, and where."
            )
            self.fields["iin"].help_text = _(
                "12 digits, from the applicant's identity card. The date of birth and sex are filled in from it; "
                "correct them if they differ."
            )
        self.fields["birth_date"].required = False  # filled from the IIN when left empty
        self.fields["sex"].required = False
        self.fields["is_citizen_confirmed"].required = True
        for name in ("last_name", "first_name", "patronymic"):
            self.fields[name].validators.append(rules.validate_cyrillic_name)
        region_id = self.data.get(self.add_prefix("region")) or self.initial.get("region")
        district = self.fields["district"]
        district.queryset = (
            District.objects.filter(region_id=region_id) if is_number(str(region_id or "")) else District.objects.none()
        )
        district.empty_label = _("Choose the region first") if not region_id else _("Choose the district")
        self.fields["region"].widget.attrs.update(
            {
                "hx-get": reverse("geography:district_options"),
                "hx-target": "#id_district",
                "hx-trigger": "change",
                "hx-swap": "innerHTML",
            }
        )
        # Tell the applicant which stream their district's application goes to, and when it opens.
        district.widget.attrs.update(
            {
                "hx-get": reverse("applications:stream_hint"),
                "hx-target": "#stream-hint",
                "hx-trigger": "change",
                "hx-swap": "innerHTML",
            }
        )
        account_fields = []
        if with_password:
            self.fields["password1"] = forms.CharField(
                label=_("Password for your account"),
                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                help_text=_("At least 10 characters. You will log in with your phone or e-mail and this password."),
            )
            self.fields["password2"] = forms.CharField(
                label=_("Password again"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
            )
            account_fields = [
                Fieldset(
                    _("Your account"),
                    # Passwords are never sent back to the browser: say so when the form comes back.
                    HTML('{% include "applications/_password_note.html" %}'),
                    "password1",
                    "password2",
                )
            ]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(
                _("About the applicant") if for_staff else _("About you"),
                "iin",
                Div(
                    Div("last_name", css_class="col-md-4"),
                    Div("first_name", css_class="col-md-4"),
                    Div("patronymic", css_class="col-md-4"),
                    css_class="row",
                ),
                Div(Div("birth_date", css_class="col-md-6"), Div("sex", css_class="col-md-6"), css_class="row"),
                Div(Div("phone", css_class="col-md-6"), Div("email", css_class="col-md-6"), css_class="row"),
                Div(Div("region", css_class="col-md-6"), Div("district", css_class="col-md-6"), css_class="row"),
                "employment_status",
                "education",
            ),
            Fieldset(
                _("The applicant's business idea") if for_staff else _("Your business idea"), "sector", "business_idea"
            ),
            *account_fields,
            Fieldset(
                _("Confirmation"), "is_citizen_confirmed", HTML('{% include "applications/_consent.html" %}'), "consent"
            ),
        )
        self.submit_label = submit_label or _("Submit the application")
        # Errors are listed in the order the fields appear on the page (the error summary reads them so).
        self.order_fields(
            [
                "iin",
                "last_name",
                "first_name",
                "patronymic",
                "birth_date",
                "sex",
                "phone",
                "email",
                "region",
                "district",
                "employment_status",
                "education",
                "sector",
                "business_idea",
                "password1",
                "password2",
                "is_citizen_confirmed",
                "consent",
            ]
        )

    def clean_iin(self):
        iin = self.cleaned_data["iin"].strip()
        parse_iin(iin)  # raises the check-digit / format messages on the field
        return iin

    def clean(self):
        cleaned = super().clean()
        encoded = None
        if cleaned.get("iin"):
            encoded = parse_iin(cleaned["iin"])
        if not cleaned.get("birth_date"):
            if encoded:
                cleaned["birth_date"] = encoded.birth_date
            elif "birth_date" not in self.errors:
                self.add_error("birth_date", _("Enter the date of birth."))
        if not cleaned.get("sex"):
            if encoded:
                cleaned["sex"] = encoded.sex
            elif "sex" not in self.errors:
                self.add_error("sex", _("Choose the sex."))
        birth_date = cleaned.get("birth_date")
        if birth_date and (message := rules.birth_date_error(birth_date, timezone.localdate())):
            self.add_error("birth_date", message)
        elif birth_date and not rules.is_adult_on(birth_date, timezone.localdate()):
            self.add_error(
                "birth_date",
                rules.UNDER_AGE_MESSAGE % {"date": date_format(rules.eighteenth_birthday(birth_date))},
            )
        region, district = cleaned.get("region"), cleaned.get("district")
        if region and district and district.region_id != region.pk:
            self.add_error("district", _("This district is not in the chosen region."))
        if "password1" in self.fields:
            # Both problems in one round trip: a too-short password and a mismatch are told together.
            p1, p2 = cleaned.get("password1"), cleaned.get("password2")
            if p1:
                try:
                    password_validation.validate_password(p1)
                except ValidationError as exc:
                    self.add_error("password1", exc)
            if p1 and p2 and p1 != p2:
                self.add_error("password2", _("The two passwords differ."))
        return cleaned

    def applicant(self) -> Applicant:
        data = self.cleaned_data
        return Applicant(
            iin=data["iin"],
            last_name=data["last_name"].strip(),
            first_name=data["first_name"].strip(),
            patronymic=data.get("patronymic", "").strip(),
            birth_date=data["birth_date"],
            sex=data["sex"],
            phone=data["phone"].as_e164,
            email=data.get("email", ""),
            district=data["district"],
            employment_status=data["employment_status"],
            education=data["education"],
            business_idea=data["business_idea"].strip(),
            sector=data["sector"],
            is_citizen_confirmed=data["is_citizen_confirmed"],
            consent_given=data["consent"],
        )


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Document"), choices=Document.Kind.choices)
    file = forms.FileField(label=_("Scan (PDF, JPEG or PNG, up to 10 MB)"))

    def __init__(self, *args, optional=False, **kwargs):
        super().__init__(*args, **kwargs)
        if optional:  # the walk-in form's scan is optional: its fields are not marked required
            for field in self.fields.values():
                field.required = False

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("file") and not cleaned.get("kind"):
            self.add_error("kind", _("Choose the kind of document."))
        return cleaned


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("eligible", _("Eligible: belongs to the target group")), ("ineligible", _("Not eligible"))],
        widget=forms.RadioSelect,
    )
    reason = forms.ChoiceField(label=_("Reason"), choices=[("", "—"), *IneligibilityReason.choices], required=False)
    note = forms.CharField(
        label=_("Explanation"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "ineligible":
            if not cleaned.get("reason"):
                self.add_error("reason", _("Choose the reason."))
            elif cleaned["reason"] == IneligibilityReason.OTHER and not cleaned.get("note", "").strip():
                self.add_error("note", _("Explain the reason."))
        return cleaned


class BulkDecisionForm(DecisionForm):
    applications = forms.ModelMultipleChoiceField(
        queryset=Application.objects.none(), widget=forms.CheckboxSelectMultiple, label=_("Applications")
    )

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applications"].queryset = queryset


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Why are you withdrawing? (optional)"), max_length=300, required=False)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Register file (.csv or .xlsx)"))
    consent_confirmed = forms.BooleanField(
        label=_("Every applicant in the file signed the consent to the processing of personal data."), required=True
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Upload and check")))

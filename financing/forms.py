import datetime
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from applications.models import Sector
from core.widgets import DateTextInput
from financing.models import LONGEST_TERM_EVER, MOST_JOBS, LoanProgramme

# The largest amount a form takes before the programme's own cap is checked (financing/rules.py):
# a bound on what can be typed, far above any cap (8,000 MCI × 4,325 ₸ ≈ 35 million).
LARGEST_AMOUNT = 10_000_000_000


class ReferralForm(forms.Form):
    programme = forms.ModelChoiceField(label=_("Loan programme"), queryset=LoanProgramme.objects.none())
    amount = forms.IntegerField(
        label=_("Amount, tenge"), min_value=1, max_value=LARGEST_AMOUNT, widget=forms.NumberInput(attrs={"step": 1})
    )
    term_months = forms.IntegerField(label=_("Term, months"), min_value=1, max_value=LONGEST_TERM_EVER)
    purpose = forms.CharField(
        label=_("What the loan is for"), max_length=1000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, programmes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes if programmes is not None else LoanProgramme.objects.active()
        self.fields["programme"].label_from_instance = lambda p: f"{p.name} — {p.lender.name}"


class GuidanceForm(forms.Form):
    """The live monthly-payment guidance reads the same fields, none required."""

    programme = forms.ModelChoiceField(queryset=LoanProgramme.objects.none(), required=False)
    amount = forms.IntegerField(min_value=1, max_value=LARGEST_AMOUNT, required=False)
    term_months = forms.IntegerField(min_value=1, max_value=LONGEST_TERM_EVER, required=False)

    def __init__(self, *args, programmes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes if programmes is not None else LoanProgramme.objects.active()


class ApproveForm(forms.Form):
    amount = forms.IntegerField(label=_("Approved amount, tenge"), min_value=1, max_value=LARGEST_AMOUNT)
    rate = forms.DecimalField(
        label=_("Rate, % a year"), min_value=Decimal(0), max_value=Decimal(100), max_digits=5, decimal_places=2
    )
    term_months = forms.IntegerField(label=_("Term, months"), min_value=1, max_value=LONGEST_TERM_EVER)
    approved_on = forms.DateField(label=_("Approved on"), widget=DateTextInput())

    def clean_approved_on(self):
        day = self.cleaned_data["approved_on"]
        if not datetime.date(2017, 1, 1) <= day <= datetime.date(2100, 12, 31):
            raise forms.ValidationError(_("A day from 2017 on."))
        return day


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class FollowUpForm(forms.Form):
    business_opened = forms.TypedChoiceField(
        label=_("Business opened or expanded"),
        choices=YES_NO,
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    registration_number = forms.CharField(
        label=_("BIN or IIN of the business"),
        max_length=12,
        required=False,
        help_text=_("The BIN of the company or the IIN of the sole proprietor: 12 digits."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    sector = forms.ChoiceField(label=_("Sector"), choices=[("", "—"), *Sector.choices], required=False)
    jobs_created = forms.IntegerField(label=_("Jobs created"), min_value=0, max_value=MOST_JOBS, initial=0)
    loan_received = forms.TypedChoiceField(
        label=_("Loan received"), choices=YES_NO, coerce=lambda v: v == "yes", widget=forms.RadioSelect
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

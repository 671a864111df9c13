from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from commissions.models import Decision
from core.widgets import DateTextInput


def _member_choices(members):
    return [(m.pk, f"{m.user.full_name} ({m.get_role_display()})") for m in members]


class ScheduleForm(forms.Form):
    group = forms.TypedChoiceField(label=_("Group"), coerce=int)
    held_on = forms.DateField(label=_("Date"), widget=DateTextInput())
    place = forms.CharField(label=_("Place"), max_length=300)
    present = forms.TypedMultipleChoiceField(
        label=_("Members who sit"), coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, groups=(), members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [(g.pk, f"{g.name} · {g.stream}") for g in groups]
        self.fields["present"].choices = _member_choices(members)
        self.fields["present"].initial = [m.pk for m in members]
        self.helper = FormHelper()
        self.helper.form_action = "commissions:schedule"
        self.helper.add_input(Submit("submit", _("Schedule the session")))


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=Decision.choices, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The participant is told the decision and this reason."),
    )
    decided_on = forms.DateField(label=_("Date of the decision"), widget=DateTextInput())
    present = forms.TypedMultipleChoiceField(
        label=_("Members present"), coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = _member_choices(members)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Record the decision")))

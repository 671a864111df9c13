from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from core.widgets import DateTextInput
from programme.models import Stream


class PeopleField(forms.ModelMultipleChoiceField):
    """People by their full name, not by their login (a user's str() is the username: "trainer")."""

    def label_from_instance(self, obj) -> str:
        return obj.full_name


class GroupForm(forms.Form):
    stream = forms.ModelChoiceField(label=_("Stream"), queryset=Stream.objects.select_related("year"))
    name = forms.CharField(label=_("Group name"), max_length=100)
    place = forms.CharField(label=_("Place"), max_length=300)
    course_start = forms.DateField(label=_("Course starts"), widget=DateTextInput())
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, max_value=200, initial=30)
    trainers = PeopleField(
        label=_("Trainers"), queryset=User.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, district=None, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and "stream" not in self.initial:
            self.initial["stream"] = Stream.objects.current_on(timezone.localdate())
        self.fields["trainers"].queryset = User.objects.filter(
            role=Role.TRAINER, is_active=True, organisation__district=district
        ).order_by("last_name")
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Create the group and its schedule")))


class MoveDayForm(forms.Form):
    day = forms.IntegerField(widget=forms.HiddenInput)
    date = forms.DateField(label=_("New date"), widget=DateTextInput())


class MoveMemberForm(forms.Form):
    application = forms.IntegerField(widget=forms.HiddenInput)
    group = forms.IntegerField(label=_("Group"))


class AbsenceDocumentForm(forms.Form):
    file = forms.FileField(
        label=_("Photo or scan of the document (JPEG, PNG or PDF)"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"}),
    )

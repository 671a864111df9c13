from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aptitude.models import TestSession
from core.widgets import DateTimeTextInput
from programme.models import Stream


class SessionForm(forms.ModelForm):
    stream = forms.ModelChoiceField(label=_("Stream"), queryset=Stream.objects.select_related("year"))

    class Meta:
        model = TestSession
        fields = ["stream", "mode", "starts_at", "closes_at", "place", "duration_minutes", "questions_count"]
        widgets = {
            "starts_at": DateTimeTextInput(),
            "closes_at": DateTimeTextInput(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and self.instance.pk is None and "stream" not in self.initial:
            # The select starts on the stream under way, not the first listed (a future one).
            self.initial["stream"] = Stream.objects.current_on(timezone.localdate())
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Schedule the test")))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("starts_at") and cleaned.get("closes_at") and cleaned["starts_at"] >= cleaned["closes_at"]:
            self.add_error("closes_at", _("The session must close after it opens."))
        stream = cleaned.get("stream")
        for name in ("starts_at", "closes_at"):
            # A test takes place within its stream's year, give or take one: no year 1 or 9999.
            moment = cleaned.get(name)
            if stream and moment and not stream.year.year - 1 <= moment.year <= stream.year.year + 1:
                self.add_error(
                    name,
                    _("The date must be between %(first)s and %(last)s (the stream's year, give or take one).")
                    % {"first": stream.year.year - 1, "last": stream.year.year + 1},
                )
        return cleaned


class PaperScoresForm(forms.Form):
    """One score field per attempt of a paper session, in list order: Tab moves down the list."""

    def __init__(self, *args, attempts, **kwargs):
        super().__init__(*args, **kwargs)
        self.attempts = attempts
        for attempt in attempts:
            self.fields[f"score_{attempt.pk}"] = forms.DecimalField(
                label=attempt.application.full_name,
                min_value=0,
                max_value=100,
                decimal_places=1,
                required=False,
                widget=forms.NumberInput(attrs={"step": "0.1", "inputmode": "decimal", "class": "form-control"}),
            )

    def scores(self) -> dict[int, object]:
        return {
            int(name.removeprefix("score_")): value for name, value in self.cleaned_data.items() if value is not None
        }


class ScoresImportForm(forms.Form):
    file = forms.FileField(label=_("Scores file (.csv or .xlsx with columns iin and score)"))

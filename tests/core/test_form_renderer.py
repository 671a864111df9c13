"""The select written in Python (core/form_renderer.py) gives Django's own template's markup, byte
for byte, for every kind of select the portal shows."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from core.form_renderer import FormRenderer
from programme.models import Stream
from tests.factories import StreamFactory


class Everything(forms.Form):
    plain = forms.ChoiceField(choices=[("", "---"), ("a", "A & B"), ("b", '"quoted" <b>')], required=False)
    groups = forms.ChoiceField(
        choices=[("Kazakh", [("kk", "Қазақша")]), ("Other", [("ru", "Русский"), ("en", "English")])]
    )
    many = forms.MultipleChoiceField(choices=[(1, "one"), (2, "two"), (3, "three")], required=False)
    flag = forms.NullBooleanField()
    numbers = forms.TypedChoiceField(choices=[(1, "1"), (2, mark_safe("<i>2</i>"))], coerce=int)
    attrs = forms.ChoiceField(
        choices=[("x", "x")],
        widget=forms.Select(
            attrs={"disabled": True, "data-off": False, "aria-describedby": "h", "data-safe": mark_safe("a&amp;b")}
        ),
    )


def _both(form):
    ours = {name: form[name].as_widget() for name in form.fields}
    form.renderer = DjangoTemplates()
    django = {name: form[name].as_widget() for name in form.fields}
    return ours, django


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"plain": "a", "groups": "ru", "many": ["1", "3"], "flag": "true", "numbers": "2", "attrs": "x"},
        {"plain": "zz"},
    ],
)
def test_every_select_is_written_as_djangos_template_writes_it(data):
    form = Everything(data, renderer=FormRenderer())
    form.is_valid()
    ours, django = _both(form)
    assert ours == django
    assert "selected" in ours["groups"] or data is None or "groups" not in (data or {})


@pytest.mark.django_db
def test_a_model_select_is_written_as_django_writes_it():
    StreamFactory(number=1)
    StreamFactory(number=2)

    class Pick(forms.Form):
        stream = forms.ModelChoiceField(Stream.objects.all())

    form = Pick({"stream": Stream.objects.first().pk}, renderer=FormRenderer())
    form.is_valid()
    ours, django = _both(form)
    assert ours == django and "selected" in ours["stream"]


def test_the_portal_renders_forms_with_it(settings):
    from django.forms.renderers import get_default_renderer

    get_default_renderer.cache_clear()
    try:
        assert isinstance(get_default_renderer(), FormRenderer)
    finally:
        get_default_renderer.cache_clear()

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy as _

from aptitude.loader import load_questions
from aptitude.models import Attempt, Category, Choice, Question, TestSession
from core.audit import AuditedAdmin, ReadOnlyAdmin


class ChoiceFormSet(BaseInlineFormSet):
    def clean(self):
        """A single-choice question has exactly one right answer; a multiple-choice one at least one."""
        super().clean()
        if any(self.errors):
            return
        right = sum(
            1
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE") and form.cleaned_data.get("is_correct")
        )
        kind = self.instance.kind
        if kind == Question.Kind.SINGLE and right != 1:
            raise ValidationError(_("A question with one answer needs exactly one correct answer."))
        if kind == Question.Kind.MULTIPLE and right < 1:
            raise ValidationError(_("Mark at least one correct answer."))


class ChoiceInline(admin.TabularInline):
    model = Choice
    formset = ChoiceFormSet
    fields = ["position", "text_kk", "text_ru", "text_en", "is_correct"]
    extra = 0
    min_num = 2


class QuestionImportForm(forms.Form):
    file = forms.FileField(label=_("Questions file (.csv or .xlsx)"))


@admin.register(Question)
class QuestionAdmin(AuditedAdmin):
    """The Chamber's question bank: only its editors (and the administrator) see correct answers."""

    list_display = ["text_ru", "kind", "category", "is_active"]
    list_filter = ["kind", "category", "is_active"]
    search_fields = ["text_kk", "text_ru", "text_en"]
    inlines = [ChoiceInline]
    change_list_template = "admin/aptitude/question/change_list.html"

    def get_urls(self):
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="aptitude_question_import"),
            *super().get_urls(),
        ]

    def import_view(self, request):
        if not self.has_add_permission(request):
            return redirect("admin:index")
        form = QuestionImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                added = load_questions(upload.name, upload.read())
                messages.success(request, _("Questions added: %(n)s.") % {"n": added})
                return redirect("admin:aptitude_question_changelist")
            except (ValidationError, UnicodeDecodeError, KeyError) as exc:
                form.add_error("file", " ".join(getattr(exc, "messages", [str(exc)])))
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "title": _("Import questions"),
            "opts": self.model._meta,
        }
        return render(request, "admin/aptitude/question/import.html", context)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name_kk", "name_ru", "name_en"]
    search_fields = ["name_kk", "name_ru", "name_en"]


@admin.register(TestSession)
class TestSessionAdmin(ReadOnlyAdmin):
    """Sessions are scheduled and scored on the Chamber's pages, through the services."""

    list_display = ["__str__", "stream", "district", "mode", "starts_at", "closes_at"]
    list_filter = ["mode", "stream"]
    list_select_related = ["stream__year", "district"]


@admin.register(Attempt)
class AttemptAdmin(ReadOnlyAdmin):
    list_display = ["application", "session", "started_at", "submitted_at", "score_percent", "passed"]
    list_filter = ["passed", "timed_out"]
    list_select_related = ["application", "session"]
    readonly_fields = [f.name for f in Attempt._meta.fields]

from django.contrib import admin

from core.audit import ReadOnlyAdmin
from plans.models import BusinessPlan, PlanComment, PlanVersion

# Plans, versions and comments change only through plans.services (the revision check, freezing and
# the rules follow every change): the admin shows them. Files are not linked here: they are served
# only by the plan's pages, under its rules.


@admin.register(BusinessPlan)
class BusinessPlanAdmin(ReadOnlyAdmin):
    list_display = ["application", "language", "draft_revision", "draft_saved_at"]
    list_select_related = ["application"]
    exclude = ["draft_file"]


@admin.register(PlanVersion)
class PlanVersionAdmin(ReadOnlyAdmin):
    list_display = ["plan", "number", "submitted_at", "frozen_at", "pdf_state"]
    list_filter = ["pdf_state"]
    list_select_related = ["plan__application"]
    exclude = ["file", "pdf_file"]


@admin.register(PlanComment)
class PlanCommentAdmin(ReadOnlyAdmin):
    list_display = ["version", "section", "author", "created_at"]
    list_select_related = ["version__plan__application", "author"]

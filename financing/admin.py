from django.contrib import admin

from core.audit import AuditedAdmin, ReadOnlyAdmin
from financing.models import FollowUp, LoanProgramme, Referral


@admin.register(LoanProgramme)
class LoanProgrammeAdmin(AuditedAdmin):
    """Programmes are data the administrator keeps: every change is audited. A referral keeps the cap
    of its own day, so changing a programme never changes a request already made."""

    list_display = ["name_ru", "lender", "cap_mci", "rate", "max_term_months", "grace_months", "is_active"]
    list_filter = ["is_active", "lender"]
    list_select_related = ["lender"]


@admin.register(Referral)
class ReferralAdmin(ReadOnlyAdmin):
    """Read only: referrals are asked for, forwarded and decided on the portal's pages, through the path."""

    list_display = ["application", "programme", "amount", "term_months", "state", "requested_at"]
    list_filter = ["state", "lender"]
    list_select_related = ["application", "programme__lender"]


@admin.register(FollowUp)
class FollowUpAdmin(ReadOnlyAdmin):
    """Read only: follow-ups are made with the certificate and recorded on the Chamber's page."""

    list_display = ["application", "milestone", "due_on", "recorded_at", "business_opened"]
    list_filter = ["milestone", "business_opened"]
    list_select_related = ["application"]

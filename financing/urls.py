from django.urls import path

from financing import views

app_name = "financing"
urlpatterns = [
    path("applications/<uuid:code>/loan/", views.request_referral, name="request"),
    path("applications/<uuid:code>/loan/guidance/", views.guidance, name="guidance"),
    path("staff/loans/", views.referrals, name="referrals"),
    path("staff/loans/<uuid:code>/forward/", views.forward, name="forward"),
    path("staff/follow-ups/", views.followups, name="followups"),
    path("staff/follow-ups/<uuid:code>/", views.followup, name="followup"),
    path("lender/referrals/", views.inbox, name="inbox"),
    path("lender/referrals/<uuid:code>/", views.decide, name="decide"),
    path("lender/referrals/<uuid:code>/plan/", views.referral_plan, name="plan"),
    path("lender/referrals/<uuid:code>/plan/pdf/", views.referral_plan_pdf, name="plan_pdf"),
    path("lender/referrals/<uuid:code>/plan.pdf", views.referral_plan_pdf_download, name="plan_pdf_download"),
]

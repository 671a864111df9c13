import datetime
from decimal import Decimal

from django.utils import timezone

from financing import services


def request(graduate, programme, *, amount=5_000_000, term=48, purpose="Жылыжай салу."):
    return services.referral_request(
        actor=graduate.applicant,
        application_id=graduate.pk,
        programme_id=programme.pk,
        amount=amount,
        term_months=term,
        purpose=purpose,
    )


def forwarded(graduate, programme, chamber, **kwargs):
    referral = request(graduate, programme, **kwargs)
    return services.referral_forward(actor=chamber, referral_id=referral.pk)


def approval(referral, **overrides):
    values = {
        "amount": referral.amount,
        "rate": Decimal("6.00"),
        "term_months": referral.term_months,
        "approved_on": timezone.localdate(),
    }
    values.update(overrides)
    return values


def yesterday():
    return timezone.localdate() - datetime.timedelta(days=1)

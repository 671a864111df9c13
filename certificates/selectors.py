from certificates.models import Certificate


def valid_certificate_for(iin: str) -> Certificate | None:
    """The person's certificate that has not been revoked, if they hold one."""
    return Certificate.objects.filter(iin=iin, revoked_at__isnull=True).first()

from celery import shared_task


@shared_task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=30, max_retries=5)
def send_password_reset_task(user_id: int, channel: str) -> None:
    """Send the reset link (e-mail) or one-time code (SMS) for one account."""
    from accounts.passwords import send_reset

    send_reset(user_id, channel)

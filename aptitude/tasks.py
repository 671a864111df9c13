from celery import shared_task

from aptitude import services


@shared_task
def submit_expired_attempts_task() -> int:
    """Submit the answers of online tests whose time ran out while the citizen was away."""
    return services.submit_expired()

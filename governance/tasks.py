"""Thin Celery tasks: they call the notification mechanism, which holds the logic."""

from celery import shared_task

from governance import notifications


@shared_task(name="governance.tasks.run_reminder_sweeps")
def run_reminder_sweeps() -> dict[str, int]:
    return notifications.run_sweeps()


@shared_task(name="governance.tasks.send_pending_notification_mail")
def send_pending_notification_mail() -> int:
    return notifications.send_pending_mail()


@shared_task(name="governance.tasks.ping")
def ping(value: str) -> str:
    """Echo, used by the integration test that runs a real worker."""
    return value

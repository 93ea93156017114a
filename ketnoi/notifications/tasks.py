"""The task the background worker runs for e-mails (django-tasks, database backend). Its
argument is the key of a batch (the e-mails one transaction wrote), never the messages
themselves: they wait in the outbox tables, written in that transaction."""

from django_tasks import task

# Ahead of report renders and imports in the queue: a person who just registered waits for the
# confirmation link, and a message is sent in milliseconds.
EMAIL_PRIORITY = 10


@task(priority=EMAIL_PRIORITY)
def send_emails(batch: str) -> dict:
    """Send what waits of the batch (a retry is a new task, queued with a later start)."""
    from .services import emails_send

    return emails_send(batch=batch)

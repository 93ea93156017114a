"""Running the queue in this process: what `ketnoi worker --batch` does, callable from code (the
tests run the real worker this way, on the real queue table)."""

from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker


def run_queued(*, max_tasks: int | None = None, backend_name: str = "default", queue_names=("default",)) -> int:
    """Run the tasks that are due, one after the other, until none is left (a retry waiting for
    its time is left for later). Returns how many ran."""
    worker = Worker(queue_names=list(queue_names), interval=0, batch=True, backend_name=backend_name,
                    startup_delay=False, max_tasks=max_tasks, worker_id=f"inline-{get_random_string(12)}",
                    excluded_queue_names=[])
    worker.run()
    return worker._run_tasks  # the package counts them; it has no public accessor
